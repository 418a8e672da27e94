// libFuzzer target: the HTML reader (indexer/html.h), bounds included, on
// input made valid UTF-8 as the reader makes it. It never throws.
#include "html.h"
#include "utf8.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    morgue::HtmlPage page = morgue::parse_html(morgue::utf8::to_utf8(bytes).text);
    (void)page;
    return 0;
}
