// The demo on a machine without the test packages: a plain configure with
// doctest hidden (as on a fresh Debian 12 after scripts/deps) skips the tests
// with a message, builds what scripts/demo runs, and those programs answer;
// asking for the tests there fails loudly instead.
#include "../support/run.h"

#include <doctest/doctest.h>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// cmake -S SOURCE -B `build` with doctest hidden, and `args`.
RunResult configure_without_doctest(const fs::path& build, std::vector<std::string> args) {
    std::vector<std::string> argv = {MORGUE_CMAKE, "-S", source_dir().string(), "-B", build.string(),
                                     "-G", MORGUE_CMAKE_GENERATOR, "-DCMAKE_DISABLE_FIND_PACKAGE_doctest=ON",
                                     "-DMORGUE_BUILD_BENCHMARKS=OFF"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {}, "", 300);
}

}  // namespace

TEST_CASE("without doctest: the tests are skipped with a message, the demo's programs build and answer") {
    TempDir dir;
    fs::path build = dir / "build";
    // No optimisation and no debug information: this build is only here to prove that it works.
    RunResult configured = configure_without_doctest(
        build, {"-DMORGUE_BUILD_TESTS=AUTO", "-DCMAKE_BUILD_TYPE=None",
                std::string("-DCMAKE_CXX_COMPILER_LAUNCHER=") + MORGUE_CXX_COMPILER_LAUNCHER});
    INFO(configured.out << configured.err);
    REQUIRE(configured.status == 0);
    CHECK(configured.out.find("doctest not found: the tests are not built") != std::string::npos);

    RunResult built = run({MORGUE_CMAKE, "--build", build.string(), "--parallel", "2", "--target", "morgue-index",
                     "morgue-search"},
                    {}, "", 1200);
    INFO(built.out.substr(built.out.size() > 3000 ? built.out.size() - 3000 : 0) << built.err);
    REQUIRE(built.status == 0);

    // scripts/demo's two commands.
    fs::path db = dir / "demo.db";
    RunResult index = run({(build / "indexer/morgue-index").string(), "--db", db.string(), corpus_dir().string()});
    INFO(index.err);
    REQUIRE(index.status == 0);
    RunResult search = run({(build / "searcher/morgue-search").string(), "--db", db.string(), "--json", "human trafficking"});
    REQUIRE(search.status == 0);
    CHECK(json::parse(search.out)["total"] == 5);
}

TEST_CASE("without doctest: MORGUE_BUILD_TESTS=ON (scripts/test) fails the configure and says why") {
    TempDir dir;
    RunResult configured = configure_without_doctest(dir / "build", {"-DMORGUE_BUILD_TESTS=ON"});
    CHECK(configured.status != 0);
    CHECK(configured.err.find("doctest") != std::string::npos);
}
