// End-to-end: what morgue.cgi costs before it answers. A CGI process pays for
// each shared library it loads at every request (mapping, relocations, page
// faults: about half a millisecond each on the benchmark machine), so it
// loads none it does not use (docs/BENCHMARKS.md, "CGI start-up").
#include "../support/run.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace morgue::test;

namespace {

// The shared libraries `program` names in its dynamic section (its NEEDED
// entries, as readelf -d prints them: "Shared library: [libxapian.so.30]").
std::vector<std::string> needed_libraries(const std::string& program) {
    RunResult r = run({"/usr/bin/readelf", "--dynamic", program});
    REQUIRE_MESSAGE(r.status == 0, r.err);
    std::vector<std::string> libs;
    const std::string mark = "Shared library: [";
    for (std::size_t at = r.out.find(mark); at != std::string::npos; at = r.out.find(mark, at + 1)) {
        std::size_t from = at + mark.size();
        libs.push_back(r.out.substr(from, r.out.find(']', from) - from));
    }
    return libs;
}

bool needs(const std::vector<std::string>& libs, const std::string& name) {
    return std::any_of(libs.begin(), libs.end(), [&](const std::string& l) { return l.rfind(name + ".so", 0) == 0; });
}

}  // namespace

TEST_CASE("morgue.cgi loads no shared library it does not use: no HTML parser, no language detector, xxHash compiled in, libfcgi too when asked for") {
    std::vector<std::string> libs = needed_libraries(cgi_bin());
    INFO("NEEDED: " << [&] { std::string s; for (const auto& l : libs) s += l + " "; return s; }());
    REQUIRE(needs(libs, "libxapian"));  // the list is read: the search engine is there
    CHECK_FALSE(needs(libs, "libgumbo"));  // HTML parsing is the indexer's
    CHECK_FALSE(needs(libs, "libcld2"));  // so is language detection (indexer/language_detect.h)
    CHECK_FALSE(needs(libs, "libxxhash"));  // morgue_common compiles xxHash's header in
#if MORGUE_CGI_FCGI_ARCHIVE
    CHECK_FALSE(needs(libs, "libfcgi"));  // linked from its archive (MORGUE_CGI_STATIC_FCGI)
#endif
}
