// End-to-end: scripts/reindex, the cron entry point — generations,
// atomic switches, rollback, the lock, and searches that never fail while
// it runs.
#include "../support/run.h"

#include "facet_codes.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <atomic>
#include <fstream>
#include <thread>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

RunResult reindex(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {(source_dir() / "scripts" / "reindex").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, {{"MORGUE_INDEX", index_bin()}}, "", 600);
}

std::string generation(const fs::path& db) { return fs::read_symlink(db).filename().string(); }

// Whether the live generation has the facet codes of its revision (morgue.cgi counts facets with them).
bool has_facet_codes(const fs::path& db) {
    return morgue::FacetCodes::load(db.string(), Xapian::Database(db.string())) != nullptr;
}

}  // namespace

TEST_CASE("reindex: generations, atomic switch, compaction, rollback") {
    TempDir dir;
    fs::copy(corpus_dir(), dir / "in");
    auto db = dir / "news.db";
    RunResult first = reindex({"--db", db.string(), (dir / "in").string()});
    INFO(first.err);
    CHECK(first.status == 0);
    REQUIRE(fs::is_symlink(db));
    CHECK(generation(db) == "1");
    CHECK(search_json(db, {"trafficking"})["total"] == 5);

    // Incremental: in place.
    dir.write("in/extra.txt", "An extra story about a pangolin.");
    RunResult inc = reindex({"--db", db.string(), (dir / "in").string()});
    CHECK(inc.status == 0);
    CHECK(inc.err.find("incremental update of " + db.string()) != std::string::npos);
    CHECK(generation(db) == "1");
    CHECK(search_json(db, {"pangolin"})["total"] == 1);

    // Full: a new, compacted generation (by two writers, merged); the previous one kept.
    RunResult full = reindex({"--db", db.string(), "--full", (dir / "in").string(), "--", "--writers", "2"});
    CHECK(full.status == 0);
    CHECK(full.err.find("generation 2 merged and compacted by 2 writers") != std::string::npos);
    CHECK(!fs::exists(dir / "news.db.generations" / "2.build.parts"));
    CHECK(generation(db) == "2");
    CHECK(fs::exists(dir / "news.db.generations" / "1"));
    CHECK(search_json(db, {"pangolin"})["total"] == 1);
    CHECK(search_json(db, {"trafficing"})["suggestion"] == "trafficking");  // the spelling table came along
    CHECK(has_facet_codes(db));  // written after the parts were merged
    // The compacted generation still knows its files: an update finds them unchanged.
    RunResult after = reindex({"--db", db.string(), (dir / "in").string()});
    CHECK(after.err.find("unchanged 6") != std::string::npos);

    // Rollback: back to the previous generation (this one by one writer, then xapian-compact).
    fs::remove(dir / "in" / "extra.txt");
    RunResult one = reindex({"--db", db.string(), "--full", (dir / "in").string(), "--", "--writers", "1"});
    REQUIRE(one.status == 0);
    CHECK(one.err.find("compacting generation 3") != std::string::npos);
    CHECK(generation(db) == "3");
    CHECK(has_facet_codes(db));  // written again for the compacted database (a new uuid)
    CHECK(one.err.find("facet codes") == std::string::npos);
    CHECK(!fs::exists(dir / "news.db.generations" / "1"));  // only two kept
    CHECK(search_json(db, {"pangolin"})["total"] == 0);
    RunResult back = reindex({"--db", db.string(), "--rollback"});
    CHECK(back.status == 0);
    CHECK(generation(db) == "2");
    CHECK(search_json(db, {"pangolin"})["total"] == 1);
}

TEST_CASE("reindex: a plain database directory becomes the first generation, MORGUE_DB is the default") {
    TempDir dir;
    auto db = dir / "plain.db";
    REQUIRE(run({index_bin(), "--db", db.string(), corpus_dir().string()}).status == 0);
    std::vector<std::string> argv = {(source_dir() / "scripts" / "reindex").string(), "--full", corpus_dir().string()};
    RunResult r = run(argv, {{"MORGUE_INDEX", index_bin()}, {"MORGUE_DB", db.string()}});
    CHECK(r.status == 0);
    CHECK(fs::is_symlink(db));
    CHECK(generation(db) == "2");
    CHECK(search_json(db, {"trafficking"})["total"] == 5);
}

TEST_CASE("reindex: a second reindex does not overlap the first, bad arguments are refused") {
    TempDir dir;
    auto db = dir / "news.db";
    // Hold the lock as a running reindex would.
    // (-o: the lock stays with flock itself, so killing it releases the lock.)
    Background holder({"/usr/bin/flock", "-o", (dir / "news.db.lock").string(), "/bin/sleep", "30"});
    for (int i = 0; i < 100 && !fs::exists(dir / "news.db.lock"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    RunResult r = reindex({"--db", db.string(), corpus_dir().string()});
    CHECK(r.status == 75);
    CHECK(r.err.find("another reindex of " + db.string() + " is running") != std::string::npos);
    CHECK(r.seconds < 5);
    holder.kill9();
    holder.wait();
    CHECK(reindex({"--db", db.string()}).status == 2);
    CHECK(reindex({"--db", db.string(), "--bogus", corpus_dir().string()}).status == 2);
    CHECK(reindex({"--db", db.string(), "--rollback"}).status == 2);  // nothing to roll back to
}

TEST_CASE("searches never fail during full and incremental reindexes") {
    TempDir dir;
    fs::copy(corpus_dir(), dir / "in");
    // Some bulk so that reindexes take a moment.
    std::string lines;
    for (int i = 0; i < 3000; ++i) {
        lines += R"({"id": ")" + std::to_string(i) + R"(", "text": "Filler story )" + std::to_string(i) +
                 " about trade, oil and the markets of the world.\"}\n";
    }
    dir.write("in/filler.jsonl", lines);
    auto db = dir / "news.db";
    REQUIRE(reindex({"--db", db.string(), (dir / "in").string(), "--", "--no-stories"}).status == 0);

    std::atomic<bool> stop{false};
    std::atomic<int> searches{0}, failures{0};
    std::string last_failure;
    std::thread loop([&] {
        while (!stop) {
            RunResult s = run({search_bin(), "--db", db.string(), "--json", "--limit", "3", "trafficking"});
            ++searches;
            bool ok = s.status == 0;
            if (ok) {
                json j = json::parse(s.out, nullptr, false);
                // Always a complete index: the five articles, old generation or new.
                ok = !j.is_discarded() && j["total"].get<int>() >= 5;
            }
            if (!ok) {
                ++failures;
                last_failure = s.err + s.out.substr(0, 200);
            }
        }
    });
    for (int round = 0; round < 3; ++round) {
        dir.write("in/round" + std::to_string(round) + ".txt", "Round " + std::to_string(round) + " trafficking story.");
        CHECK(reindex({"--db", db.string(), "--full", (dir / "in").string(), "--", "--no-stories"}).status == 0);
        dir.write("in/more" + std::to_string(round) + ".txt", "More trafficking news, round " + std::to_string(round) + ".");
        CHECK(reindex({"--db", db.string(), (dir / "in").string()}).status == 0);
    }
    stop = true;
    loop.join();
    INFO(last_failure);
    CHECK(searches.load() > 20);
    CHECK(failures.load() == 0);
    CHECK(search_json(db, {"trafficking"})["total"] == 11);
}

TEST_CASE("reindex --help: the usage on stdout and status 0, a usage error status 2") {
    RunResult help = reindex({"--help"});
    CHECK(help.status == 0);
    CHECK(help.out.find("scripts/reindex [--db DB] [--full]") != std::string::npos);
    CHECK(help.err.empty());
    RunResult bad = reindex({"--no-such-option"});
    CHECK(bad.status == 2);
    CHECK(bad.err == "reindex: unknown option --no-such-option (see --help)\n");
}
