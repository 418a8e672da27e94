// End-to-end: full builds by several writers (morgue-index --writers N,
// indexer/parts.h) give the index one writer gives, document for document:
// the same ids in the same order, terms, values (stories), data, spelling
// dictionary and metadata, so every search answers alike, and later
// incremental runs treat it as they treat a one-writer index. A build
// killed midway leaves its parts, which the next run removes.
#include "../support/files.h"
#include "../support/run.h"
#include "schema.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <fstream>
#include <map>
#include <thread>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

RunResult index(const fs::path& db, const fs::path& input, std::vector<std::string> flags) {
    std::vector<std::string> argv = {index_bin(), "--db", db.string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(input.string());
    return run(argv, {}, "", 1800);
}

// A document as text: its data, values and terms with their wdf (with
// positions too when `positions`: a lookup per term, so for a sample).
std::string describe(const Xapian::Database& db, Xapian::docid id, bool positions) {
    Xapian::Document doc = db.get_document(id);
    std::string out = doc.get_data() + "\n" + value_dump(doc);
    if (positions) return out + term_dump(doc);
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) out += *t + ":" + std::to_string(t.get_wdf()) + "\n";
    return out;
}

std::map<std::string, Xapian::doccount> spellings(const Xapian::Database& db) {
    std::map<std::string, Xapian::doccount> words;
    for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) words[*it] = it.get_termfreq();
    return words;
}

// The metadata; of the run's record (two runs differ in when and how long), what it counted.
std::map<std::string, std::string> metadata(const Xapian::Database& db) {
    std::map<std::string, std::string> all;
    for (auto it = db.metadata_keys_begin(); it != db.metadata_keys_end(); ++it) all[*it] = db.get_metadata(*it);
    auto run = all.find(morgue::schema::kMetaLastRun);
    REQUIRE(run != all.end());
    json record = json::parse(run->second);
    for (const char* when : {"started", "finished", "seconds"}) {
        REQUIRE(record.contains(when));
        record.erase(when);
    }
    run->second = record.dump();
    return all;
}

// Every document of `a` and `b` alike, under the same ids, with the same
// dictionary and metadata.
void check_same_index(const fs::path& a, const fs::path& b) {
    Xapian::Database x(a.string()), y(b.string());
    REQUIRE(x.get_doccount() == y.get_doccount());
    CHECK(x.get_lastdocid() == y.get_lastdocid());
    CHECK(x.get_total_length() == y.get_total_length());
    std::size_t compared = 0, differing = 0;
    for (auto i = x.postlist_begin(""), j = y.postlist_begin(""); i != x.postlist_end(""); ++i, ++j, ++compared) {
        bool positions = compared % 25 == 0;
        if (*i != *j || describe(x, *i, positions) != describe(y, *j, positions)) {
            if (differing++ == 0) CHECK(describe(x, *i, true) == describe(y, *j, true));  // the first, shown
        }
    }
    CHECK(compared == x.get_doccount());
    CHECK(differing == 0);
    auto words = spellings(x);
    CHECK(words.size() > 0);
    CHECK(words == spellings(y));
    CHECK(metadata(x) == metadata(y));
}

// `jsonl` as `n` JSON Lines files of consecutive records in `dir`.
void split(const fs::path& jsonl, const fs::path& dir, int n) {
    std::vector<std::string> lines;
    std::ifstream in(jsonl);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    fs::create_directories(dir);
    std::size_t per = (lines.size() + n - 1) / n;
    for (int k = 0; k < n; ++k) {
        std::ofstream out(dir / ("reuters-" + std::to_string(k) + ".jsonl"));
        for (std::size_t i = k * per; i < std::min(lines.size(), (k + 1) * per); ++i) out << lines[i] << "\n";
    }
}

// `input` indexed by one writer into `one` and by `writers` into `many`
// in parts of `batch` articles: both succeed and build the same index.
// Returns the second run.
RunResult build_both(const fs::path& input, const fs::path& one, const fs::path& many, const std::string& batch,
                     const std::string& writers) {
    RunResult r1 = index(one, input, {"--quiet", "--batch", batch});
    RunResult rn = index(many, input, {"--quiet", "--batch", batch, "--writers", writers});
    INFO(rn.err);
    REQUIRE(r1.status == 0);
    REQUIRE(rn.status == 0);
    CHECK(summary(rn) == summary(r1));
    CHECK(!fs::exists(many.string() + ".parts"));
    check_same_index(one, many);
    return rn;
}

// morgue-search's whole JSON answer to `args`.
std::string answer(const fs::path& db, std::vector<std::string> args) { return search_json(db, args).dump(); }

}  // namespace

TEST_CASE("--writers 3 builds the index one writer builds: Reuters-21578 in parts, then updated alike [corpora]") {
    TempDir dir;
    auto jsonl = dir / "reuters.jsonl";
    if (!convert_corpus("reuters", jsonl)) {
        WARN_MESSAGE(false, "shared corpora not found: --writers test not run");
        return;
    }
    split(jsonl, dir / "in", 6);
    auto one = dir / "one.db", three = dir / "three.db";
    CHECK(summary(build_both(dir / "in", one, three, "700", "3"))["added"] == 21577);

    std::string like = search_json(one, {"cocoa"})["results"][0]["id"];
    std::vector<std::vector<std::string>> queries = {
        {"oil"},
        {"\"crude oil prices\""},
        {"--sort", "date", "cocoa"},
        {"--sort", "oldest", "--limit", "30", "bank"},
        {"--facets", "trade deficit"},
        {"--facets", "--limit", "0", "said"},
        {"--collapse", "oil prices"},
        {"--like", like},
        {"petrolium"},
        {"title:cocoa", "--offset", "5"},
    };
    for (const auto& q : queries) {
        INFO(q.back());
        CHECK(answer(three, q) == answer(one, q));
    }
    CHECK(!search_json(three, {"petrolium"})["suggestion"].is_null());

    // An incremental run of the parts-built index: one writer, unchanged files skipped...
    RunResult again = index(three, dir / "in", {"--writers", "3"});
    CHECK(again.status == 0);
    CHECK(again.err == "morgue-index: --writers 3: only a full build (a new or empty database, or --rebuild) has "
                       "several; one writer updates\n");
    CHECK(summary(again)["unchanged"] == 6);
    // ...and a changed file re-read, alike in both.
    fs::path changed = dir / "in" / "reuters-2.jsonl";
    std::vector<std::string> lines;
    {
        std::ifstream in(changed);
        for (std::string line; std::getline(in, line);) lines.push_back(line);
    }
    REQUIRE(lines.size() > 10);
    lines.erase(lines.begin());  // an article gone
    std::size_t text = lines[3].find("\"text\": \"");
    REQUIRE(text != std::string::npos);
    lines[3].insert(text + 9, "Zanzibarian quokkas ");  // an article edited
    {
        std::ofstream out(changed);
        for (const std::string& line : lines) out << line << "\n";
    }
    RunResult u1 = index(one, dir / "in", {"--quiet"});
    RunResult u3 = index(three, dir / "in", {"--quiet", "--writers", "3"});
    CHECK(u1.status == 0);
    CHECK(u3.status == 0);
    CHECK(summary(u3) == summary(u1));
    CHECK(summary(u3)["removed"] == 1);
    CHECK(summary(u3)["unchanged"] == 5);
    CHECK(search_json(three, {"quokkas"})["total"] == 1);
    check_same_index(one, three);
}

TEST_CASE("--writers 2: the same identity twice in one run keeps its first id, in the part being filled or an earlier one") {
    TempDir dir;
    auto rec = [](const std::string& id, const std::string& text) {
        return "{\"id\": \"" + id + "\", \"title\": \"Report " + id + "\", \"text\": \"" + text + "\"}\n";
    };
    // Parts of two articles: "a" comes back after its part has gone to a writer, "e" right after itself.
    dir.write("in/feed.jsonl", rec("a", "The okapi census began in the Ituri forest.") +
                                   rec("b", "An okapi calf was born at the reserve.") +
                                   rec("c", "Rangers counted the okapi herds again.") +
                                   rec("d", "The okapi reserve reopened to visitors.") +
                                   rec("e", "A first version about the bongo antelope.") +
                                   rec("e", "A second version about the bongo antelope herds.") +
                                   rec("a", "The okapi census was corrected: fewer than thought.") +
                                   rec("f", "Bongo and okapi share the forest."));
    auto one = dir / "one.db", two = dir / "two.db";
    RunResult r2 = build_both(dir / "in", one, two, "2", "2");
    CHECK(summary(r2)["added"] == 6);
    CHECK(summary(r2)["updated"] == 2);
    CHECK(search_json(two, {"corrected"})["total"] == 1);
    CHECK(search_json(two, {"began"})["total"] == 0);
    CHECK(search_json(two, {"first version"})["total"] == 0);
    CHECK(search_json(two, {"okapi"})["total"] == 5);
}

TEST_CASE("a build in parts killed midway leaves an empty database, and the next run removes the parts and builds it [corpora]") {
    TempDir dir;
    auto jsonl = dir / "reuters.jsonl";
    if (!convert_corpus("reuters", jsonl)) {
        WARN_MESSAGE(false, "shared corpora not found: killed --writers test not run");
        return;
    }
    auto db = dir / "db";
    std::vector<std::string> flags = {"--no-stories", "--batch", "500", "--writers", "2"};
    {
        std::vector<std::string> argv = {index_bin(), "--db", db.string()};
        argv.insert(argv.end(), flags.begin(), flags.end());
        argv.push_back(jsonl.string());
        Background indexer(argv);
        // Killed once parts are written, well before the end.
        for (int i = 0; i < 6000 && indexer.running() && !fs::exists(dir / "db.parts" / "000004"); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        REQUIRE(indexer.running());
        indexer.kill9();
        CHECK(indexer.wait() == 128 + 9);
    }
    CHECK(fs::exists(dir / "db.parts"));
    CHECK(search_json(db, {"--limit", "0", "date:1987"})["total"] == 0);  // empty, and it opens
    RunResult again = index(db, jsonl, flags);
    CHECK(again.status == 0);
    CHECK(again.err == "morgue-index: removed the parts of an unfinished build (" + db.string() + ".parts)\n");
    CHECK(summary(again)["added"] == 21577);
    CHECK(!fs::exists(dir / "db.parts"));
    CHECK(search_json(db, {"--limit", "0", "date:1987"})["total"] == 21577);
}
