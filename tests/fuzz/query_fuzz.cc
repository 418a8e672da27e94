// libFuzzer target: the query parser (searcher/query.h). Any input either
// parses or is refused with a QueryError; nothing else may happen.
#include "analyzer.h"
#include "error.h"
#include "query.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static morgue::Analyzer analyzer;
    static morgue::QueryBuilder builder(analyzer, {"en", "ru", "zh"});
    try {
        morgue::ParsedQuery q = builder.parse(std::string_view(reinterpret_cast<const char*>(data), size));
        (void)q.query.get_description();
    } catch (const morgue::QueryError&) {
    }
    return 0;
}
