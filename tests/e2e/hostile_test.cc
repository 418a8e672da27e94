// End-to-end: hostile input (issue 17). No file, record or query may crash a
// run, exhaust memory or delete indexed articles; each case below once did.
#include "../support/run.h"
#include "error.h"
#include "search.h"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

RunResult index(const fs::path& db, const std::vector<std::string>& inputs) {
    std::vector<std::string> argv = {index_bin(), "--db", db.string()};
    argv.insert(argv.end(), inputs.begin(), inputs.end());
    return run(argv, {}, "", 600);
}

int total(const fs::path& db, const std::string& query) { return search_json(db, {query})["total"].get<int>(); }

// Peak memory allowed for indexing the hostile corpus. AddressSanitizer
// (scripts/test --sanitize) adds shadow memory and a quarantine of freed
// blocks (its quarantine_size_mb, set to 32 there).
#if defined(__SANITIZE_ADDRESS__)
constexpr long kMaxRssMb = 1500;
#else
constexpr long kMaxRssMb = 500;
#endif

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("issue 17: the hostile corpus is indexed beside good files, in bounded memory") {
    TempDir dir;
    RunResult made = run({"/usr/bin/env", "python3", (source_dir() / "tests/hostile/make-corpus").string(), dir.path().string()});
    REQUIRE(made.status == 0);
    json manifest = json::parse(std::ifstream(dir / "manifest.json"));
    auto db = dir / "db";
    RunResult r = index(db, {(dir / "in").string()});
    INFO(r.err);
    MESSAGE("hostile corpus: " << r.seconds << " s, peak RSS " << r.max_rss_kb / 1024 << " MB");
    CHECK(r.status == 1);  // files were skipped: documented exit status 1, never a crash (139) or 2
    CHECK(r.max_rss_kb < kMaxRssMb * 1024);
    for (const json& g : manifest["good"]) {
        CAPTURE(g["word"]);
        CHECK(total(db, g["word"].get<std::string>()) == 1);
    }
    for (const json& name : manifest["named"]) {
        CAPTURE(name);
        CHECK(count(r.err, "/" + name.get<std::string>() + ": ") == 1);
    }
    // Run again: nothing is lost, and the same bad files are named again.
    RunResult again = index(db, {(dir / "in").string()});
    CHECK(again.status == 1);
    for (const json& g : manifest["good"]) CHECK(total(db, g["word"].get<std::string>()) == 1);
}

TEST_CASE("issue 17.4: a file name that is not UTF-8 is indexed, kept and removed like any other") {
    TempDir dir;
    dir.write("in/good.txt", "A good story about an ocelot.");
    auto latin1 = dir.write("in/caf\xe9.txt", "A story about a margay in a file with a Latin-1 name.");
    auto db = dir / "db";
    RunResult r = index(db, {(dir / "in").string()});
    INFO(r.err);
    CHECK(r.status == 0);
    json found = search_json(db, {"margay"});
    REQUIRE(found["total"] == 1);
    CHECK(found["results"][0]["path"].get<std::string>().ends_with("/caf\xc3\xa9.txt"));  // shown as Windows-1252
    RunResult again = index(db, {(dir / "in").string()});
    CHECK(again.status == 0);
    CHECK(again.out.find("unchanged 2") != std::string::npos);  // its state survived the metadata
    fs::remove(latin1);
    CHECK(index(db, {(dir / "in").string()}).status == 0);
    CHECK(total(db, "margay") == 0);
    CHECK(total(db, "ocelot") == 1);
}

TEST_CASE("issue 17.5: an out-of-range number skips its record, not the file or its indexed articles") {
    TempDir dir;
    std::string lines;
    for (int i = 0; i < 100; ++i) lines += R"({"id": ")" + std::to_string(i) + R"(", "text": "Story about a bongo."})" "\n";
    auto feed = dir.write("feed.jsonl", lines);
    auto db = dir / "db";
    REQUIRE(index(db, {feed.string()}).status == 0);
    REQUIRE(total(db, "bongo") == 100);
    std::ofstream(feed, std::ios::app) << R"({"id": "x", "text": "A huge number.", "score": 1e400})" "\n";
    RunResult r = index(db, {feed.string()});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(r.err.find("feed.jsonl: line 101: malformed JSON (") != std::string::npos);
    CHECK(r.err.find("(record skipped)") != std::string::npos);
    CHECK(total(db, "bongo") == 100);
}

TEST_CASE("a JSON document that no longer parses keeps the articles it had") {
    TempDir dir;
    auto doc = dir.write("feed.json", R"([{"id": "1", "text": "A story about a kiang."}, {"id": "2", "text": "And a chiru."}])");
    auto db = dir / "db";
    REQUIRE(index(db, {doc.string()}).status == 0);
    REQUIRE(total(db, "kiang") == 1);
    dir.write("feed.json", R"([{"id": "1", "text": "A story about a kiang."}, {"id": "2", "text": )");
    RunResult r = index(db, {doc.string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("feed.json: malformed JSON (") != std::string::npos);
    CHECK(total(db, "kiang") == 1);
    CHECK(total(db, "chiru") == 1);
}

TEST_CASE("issue 17.6: 7,000 nested parentheses are refused with one line, exit 2") {
    RunResult r = run({search_bin(), "--db", corpus_db().string(), std::string(7000, '(') + "cuba"});
    CHECK(r.status == 2);
    CHECK(r.err == "morgue-search: parentheses nested too deep (at most 32)\n");
}

TEST_CASE("issue 17.7: a symbolic link loop is called one") {
    TempDir dir;
    dir.write("in/good.txt", "A good story about an ocelot.");
    fs::create_symlink("b.txt", dir / "in" / "a.txt");
    fs::create_symlink("a.txt", dir / "in" / "b.txt");
    RunResult r = index(dir / "db", {(dir / "in").string()});
    CHECK(r.err.find("a.txt: symbolic link loop (skipped)") != std::string::npos);
    CHECK(r.err.find("b.txt: symbolic link loop (skipped)") != std::string::npos);
    CHECK(r.err.find("broken") == std::string::npos);
}

TEST_CASE("issue 17.7: NUL bytes after the first 8 KiB are left out, with a warning") {
    TempDir dir;
    std::string text = "The aardwolf story.\n";
    while (text.size() < 9000) text += "More words about the aardwolf.\n";
    auto f = dir.write("nul.txt", text + std::string("hidden\0word after a NUL.\n", 25));
    auto db = dir / "db";
    RunResult r = index(db, {f.string()});
    INFO(r.err);
    CHECK(r.err.find("nul.txt: 1 NUL bytes left out") != std::string::npos);
    CHECK(total(db, "hiddenword") == 1);
    RunResult shown = run({search_bin(), "--db", db.string(), "--json", "hiddenword"});
    CHECK(shown.out.find("\\u0000") == std::string::npos);
}

TEST_CASE("issue 17.7: control characters in file names are escaped in the log") {
    TempDir dir;
    dir.write("in/esc\x1b[31mred\n.txt", std::string("\0\0binary", 8));
    RunResult r = index(dir / "db", {(dir / "in").string()});
    CHECK(r.err.find("esc\\x1b[31mred\\x0a.txt: binary file, not text (skipped)") != std::string::npos);
    CHECK(r.err.find('\x1b') == std::string::npos);
}

TEST_CASE("issue 17.7: the total does not depend on the page size, and says when it is exact") {
    TempDir dir;
    std::string lines;
    for (int i = 0; i < 600; ++i) {
        lines += R"({"id": ")" + std::to_string(i) + R"(", "text": ")" + (i % 2 ? "Blair" : "Brown") +
                 " spoke about the budget on day " + std::to_string(i) + ".\"}\n";
    }
    auto db = dir / "db";
    REQUIRE(index(db, {dir.write("feed.jsonl", lines).string()}).status == 0);
    json ten = search_json(db, {"--limit", "10", "blair OR brown"});
    json fifty = search_json(db, {"--limit", "50", "blair OR brown"});
    CHECK(ten["total"] == 600);
    CHECK(fifty["total"] == 600);
    CHECK(ten["total_exact"] == true);
    RunResult text = run({search_bin(), "--db", db.string(), "--limit", "10", "blair OR brown"});
    CHECK(text.out.rfind("600 matches (", 0) == 0);  // no "About": counted
}

namespace {

// A hostile query: operators, fields, brackets, quotes, wildcards, words in
// several scripts, invalid UTF-8 and control bytes, in random order.
std::string hostile_query(std::mt19937& rng) {
    static const std::vector<std::string> kPieces = {
        "(", ")", "((((", "))))", "\"", "AND", "OR", "NOT", "XOR", "NEAR", "NEAR/3", "NEAR/999999999999", "ADJ",
        "ADJ/0", "+", "-", "*", "a*", "z*", "title:", "quote:", "source:", "lang:", "date:", "date:..", "date:2023-09",
        "date:9999-99-99..0000", "source:(", "title:(", "cuba", "havana", "Díaz-Canel", "外交部", "министерства",
        "외교부는", "l'extradition", "U.S.", "\xff\xfe", "\xc3", std::string("\0", 1), "\x1b[31m", "\t", "\n", ":", "..", "/",
        "&", "%", "%%", "\\", "'", "’", "“", std::string(300, 'x'), "1e400", "-0", "NOT NOT", "OR OR"};
    std::uniform_int_distribution<std::size_t> pieces(0, kPieces.size() - 1), length(1, 40), space(0, 3);
    std::string q;
    for (std::size_t n = length(rng); n > 0; --n) {
        q += kPieces[pieces(rng)];
        if (space(rng)) q += ' ';
    }
    return q;
}

}  // namespace

TEST_CASE("issue 17: thousands of hostile queries through the library, none crashing or overrunning") {
    morgue::Searcher searcher(corpus_db().string());
    std::mt19937 rng(17);  // fixed: a failure repeats
    std::size_t answered = 0, refused = 0;
    double slowest = 0;
    std::string slowest_query;
    for (int i = 0; i < 3000; ++i) {
        morgue::SearchRequest request;
        request.query = hostile_query(rng);
        request.time_limit = 1;
        request.facets = i % 3 == 0;
        request.collapse = i % 5 == 0;
        auto start = std::chrono::steady_clock::now();
        try {
            searcher.search(request);
            ++answered;
        } catch (const morgue::QueryError&) {
            ++refused;
        } catch (const morgue::UsageError&) {
            ++refused;
        }
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (seconds > slowest) {
            slowest = seconds;
            slowest_query = request.query;
        }
    }
    MESSAGE("hostile queries: " << answered << " answered, " << refused << " refused, slowest " << slowest << " s");
    CAPTURE(slowest_query);
    CHECK(answered + refused == 3000);
    CHECK(answered > 100);  // the generator is not all noise: many are real searches
    CHECK(slowest < 3);     // the time limit (1 s) holds, with room for a loaded machine
}
