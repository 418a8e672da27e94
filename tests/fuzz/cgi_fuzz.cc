// libFuzzer target: the CGI parameter parser and the request handler
// (searcher/web.h) without a database: a query string either gives a
// response or is refused with a UsageError.
#include "error.h"
#include "web.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        morgue::web::Params params =
            morgue::web::parse_query_string(std::string_view(reinterpret_cast<const char*>(data), size));
        morgue::web::Response r = morgue::web::handle(params, nullptr, "/morgue.cgi");
        (void)r.cgi();
    } catch (const morgue::UsageError&) {
    }
    return 0;
}
