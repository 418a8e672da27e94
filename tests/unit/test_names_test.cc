// CTest runs each doctest case by name, and a ';' in a name splits it into
// names that match nothing: the case would "pass" without running. This
// guard keeps every name free of it.
#include "../support/files.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>

TEST_CASE("test case names have no semicolon, which CTest would split") {
    namespace fs = std::filesystem;
    std::regex name(R"(TEST_CASE\("([^"]*)\"\))");
    int cases = 0;
    for (const auto& e : fs::recursive_directory_iterator(morgue::test::source_path("tests"))) {
        if (e.path().extension() != ".cc") continue;
        std::string text = morgue::test::read_file(e.path());
        for (std::sregex_iterator it(text.begin(), text.end(), name), end; it != end; ++it) {
            ++cases;
            CAPTURE(e.path().filename().string());
            CHECK((*it)[1].str().find(';') == std::string::npos);
        }
    }
    CHECK(cases > 100);
}
