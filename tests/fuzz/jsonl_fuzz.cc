// libFuzzer target: the JSON Lines reader (indexer/reader.h, parse_piece),
// on input made valid UTF-8 as read_pieces makes it. A bad line is a
// warning in the report; nothing may throw.
#include "reader.h"
#include "utf8.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    morgue::Piece piece{morgue::Format::kJson, morgue::utf8::to_utf8(bytes).text, 1, false};
    morgue::parse_piece(piece, "fuzz.jsonl", [](morgue::Article&&) {});
    return 0;
}
