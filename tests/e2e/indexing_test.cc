// End-to-end: indexing that runs unattended — incremental updates, crash
// safety, the write lock, progress output, and every kind of bad input.
#include "../support/files.h"
#include "../support/run.h"

#include "document.h"
#include "schema.h"
#include "search.h"
#include "stored_data.h"

#include <xapian.h>

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>
#include <unistd.h>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

RunResult index(const fs::path& db, const std::vector<std::string>& inputs, std::vector<std::string> flags = {}) {
    std::vector<std::string> argv = {index_bin(), "--db", db.string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.insert(argv.end(), inputs.begin(), inputs.end());
    return run(argv);
}

// Every file of a database directory with its size and modification time.
std::map<std::string, std::string> snapshot(const fs::path& db) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::directory_iterator(db)) {
        if (e.path().filename() == "flintlock") continue;  // the write lock, taken by every indexer
        files[e.path().filename().string()] =
            std::to_string(e.file_size()) + "@" + std::to_string(e.last_write_time().time_since_epoch().count());
    }
    return files;
}

// What a database holds: every document (its data, terms and values) and
// every metadata entry but the record of the last run, which every run writes.
std::string contents(const fs::path& db) {
    Xapian::Database d(db.string());
    std::string out;
    for (auto it = d.postlist_begin(""); it != d.postlist_end(""); ++it) {
        Xapian::Document doc = d.get_document(*it);
        out += std::to_string(*it) + " " + doc.get_data() + "\n" + term_dump(doc) + value_dump(doc);
    }
    for (auto key = d.metadata_keys_begin(); key != d.metadata_keys_end(); ++key) {
        if (*key != morgue::schema::kMetaLastRun) out += *key + "=" + d.get_metadata(*key) + "\n";
    }
    return out;
}

// Sets a file's modification time a minute later, as an edit would.
void touch_later(const fs::path& p) { fs::last_write_time(p, fs::last_write_time(p) + std::chrono::minutes(1)); }

int total(const fs::path& db, const std::string& query) { return search_json(db, {query})["total"].get<int>(); }

}  // namespace

TEST_CASE("an unchanged rerun changes nothing but its own record") {
    TempDir dir;
    fs::copy(corpus_dir(), dir / "corpus");
    auto db = dir / "db";
    REQUIRE(index(db, {(dir / "corpus").string()}).status == 0);
    auto before = snapshot(db);
    std::string held = contents(db);
    RunResult again = index(db, {(dir / "corpus").string()});
    CHECK(again.status == 0);
    CHECK(summary(again) == std::map<std::string, int>{{"added", 0}, {"updated", 0}, {"unchanged", 5}, {"removed", 0}, {"skipped", 0}});
    CHECK(contents(db) == held);
    // No document was written again: the tables of documents are untouched
    // (the metadata lives in the postlist table, the version file counts
    // commits, and the facet codes name the revision they are of).
    auto after = snapshot(db);
    for (const char* changed : {"postlist.glass", "iamglass", morgue::schema::kFacetCodesFile}) {
        before.erase(changed), after.erase(changed);
    }
    CHECK(after == before);
    // Touched but not changed: the content hash says so.
    touch_later(dir / "corpus" / "000_cc7b64ab0a708bc0.txt");
    CHECK(summary(index(db, {(dir / "corpus").string()}))["unchanged"] == 5);
}

TEST_CASE("an edit updates one document, a deletion removes one, a new file adds one") {
    TempDir dir;
    fs::copy(corpus_dir(), dir / "corpus");
    auto db = dir / "db";
    REQUIRE(index(db, {(dir / "corpus").string()}).status == 0);

    auto edited = dir / "corpus" / "004_d429417838e75d46.txt";
    std::ofstream(edited, std::ios::app) << "\nA late paragraph about an okapi.\n";
    touch_later(edited);
    RunResult r = index(db, {(dir / "corpus").string()});
    CHECK(summary(r) == std::map<std::string, int>{{"added", 0}, {"updated", 1}, {"unchanged", 4}, {"removed", 0}, {"skipped", 0}});
    CHECK(total(db, "okapi") == 1);
    CHECK(total(db, "trafficking") == 5);

    fs::remove(dir / "corpus" / "003_34566bfd62d2dca6.txt");
    r = index(db, {(dir / "corpus").string()});
    CHECK(summary(r) == std::map<std::string, int>{{"added", 0}, {"updated", 0}, {"unchanged", 4}, {"removed", 1}, {"skipped", 0}});
    CHECK(total(db, "trafficking") == 4);
    CHECK(total(db, "Kremlin") == 0);

    dir.write("corpus/new.txt", "A brand new story about a wombat.");
    r = index(db, {(dir / "corpus").string()});
    CHECK(summary(r)["added"] == 1);
    CHECK(total(db, "wombat") == 1);

    // Files outside the roots given this time are left alone.
    auto other = dir.write("elsewhere/other.txt", "Another story about a quokka.");
    REQUIRE(index(db, {other.string()}).status == 0);
    r = index(db, {(dir / "corpus").string()});
    CHECK(summary(r)["removed"] == 0);
    CHECK(total(db, "quokka") == 1);
}

TEST_CASE("JSON Lines: records are identified by id, edited, removed and added records") {
    TempDir dir;
    auto file = dir.write("feed.jsonl", R"({"id": "a", "text": "Alpha aardvark."})" "\n"
                                        R"({"id": "b", "text": "Bravo badger."})" "\n"
                                        R"({"id": "c", "text": "Charlie cheetah."})" "\n");
    auto db = dir / "db";
    REQUIRE(index(db, {file.string()}).status == 0);
    dir.write("feed.jsonl", R"({"id": "a", "text": "Alpha aardvark."})" "\n"
                            R"({"id": "c", "text": "Charlie chameleon."})" "\n"
                            R"({"id": "d", "text": "Delta dingo."})" "\n");
    touch_later(file);
    RunResult r = index(db, {file.string()});
    CHECK(summary(r)["added"] == 1);    // d
    CHECK(summary(r)["updated"] == 2);  // a and c are written again (their file changed)
    CHECK(summary(r)["removed"] == 1);  // b
    CHECK(total(db, "badger") == 0);
    CHECK(total(db, "cheetah") == 0);
    CHECK(total(db, "chameleon") == 1);
    CHECK(total(db, "dingo") == 1);
    CHECK(total(db, "aardvark") == 1);
}

TEST_CASE("--rebuild starts from scratch") {
    TempDir dir;
    auto db = dir / "db";
    auto a = dir.write("a.txt", "A story about a zebra.");
    REQUIRE(index(db, {a.string()}).status == 0);
    RunResult r = index(db, {corpus_dir().string()}, {"--rebuild"});
    CHECK(summary(r)["added"] == 5);
    CHECK(total(db, "zebra") == 0);
}

TEST_CASE("a damaged database is named, with the way out, and --rebuild builds it again") {
    TempDir dir;
    auto db = dir / "db";
    REQUIRE(index(db, {corpus_dir().string()}).status == 0);
    // A table cut short, as a full disk or a bad copy leaves it: Xapian says "EOF reading block N"
    // (N: the first block the run reads, which depends on what it reads first).
    fs::resize_file(db / "postlist.glass", 40000);
    auto extra = dir.write("extra.txt", "A story about a zebra.");
    RunResult r = index(db, {corpus_dir().string(), extra.string()});
    CHECK(r.status == 2);
    std::string head = "morgue-index: database " + db.string() + " is damaged (EOF reading block ";
    std::string tail = "): morgue-index --rebuild builds it again\n";
    CHECK(r.err.rfind(head, 0) == 0);
    CHECK(r.err.size() > head.size() + tail.size());
    CHECK(r.err.compare(r.err.size() - tail.size(), tail.size(), tail) == 0);
    RunResult again = index(db, {corpus_dir().string(), extra.string()}, {"--rebuild"});
    CHECK(again.status == 0);
    CHECK(total(db, "zebra") == 1);
}

TEST_CASE("a malformed number names its option") {
    TempDir dir;
    RunResult threads = run({index_bin(), "--db", (dir / "db").string(), "--threads", "abc", corpus_dir().string()});
    CHECK(threads.status == 2);
    CHECK(threads.err == "morgue-index: --threads: 'abc' is not a number\n");
    RunResult batch = run({index_bin(), "--db", (dir / "db").string(), "--batch", "5x", corpus_dir().string()});
    CHECK(batch.err == "morgue-index: --batch: '5x' is not a number\n");
    for (const char* option : {"--limit", "--offset", "--time-limit", "--shard-timeout"}) {
        CAPTURE(option);
        RunResult search = run({search_bin(), "--db", corpus_db().string(), option, "abc", "cuba"});
        CHECK(search.status == 2);
        CHECK(search.err == "morgue-search: " + std::string(option) + ": 'abc' is not a number\n");
    }
    RunResult like = run({search_bin(), "--db", corpus_db().string(), "--like", "abc"});
    CHECK(like.status == 2);
    CHECK(like.err.rfind("morgue-search: like 'abc' is not an article id", 0) == 0);
}

TEST_CASE("a second indexer on the same database fails at once with a clear message") {
    TempDir dir;
    // Enough text to keep the first indexer busy for a while.
    std::string big;
    for (int i = 0; i < 20000; ++i) big += R"({"id": ")" + std::to_string(i) + R"(", "text": "Story )" + std::to_string(i) + " about trade and oil prices in the world markets today.\"}\n";
    auto file = dir.write("big.jsonl", big);
    auto db = dir / "db";
    Background first({index_bin(), "--db", db.string(), file.string()});
    for (int i = 0; i < 200 && !fs::exists(db / "flintlock"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(first.running());
    RunResult second = index(db, {corpus_dir().string()});
    CHECK(second.status == 2);
    CHECK(second.err == "morgue-index: database " + db.string() + " is locked: another morgue-index is writing to it\n");
    CHECK(second.seconds < 5);
    CHECK(first.wait() == 0);
}

TEST_CASE("kill -9 in the middle of indexing Reuters-21578, then rerun: exactly the right count [corpora]") {
    TempDir dir;
    auto jsonl = dir / "reuters.jsonl";
    if (!convert_corpus("reuters", jsonl)) {
        WARN_MESSAGE(false, "shared corpora not found: crash test not run");
        return;
    }
    auto db = dir / "db";
    {
        Background indexer({index_bin(), "--db", db.string(), "--batch", "2000", jsonl.string()});
        // Kill it once some batches are committed, well before the end.
        bool committed = false;
        for (int i = 0; i < 3000 && indexer.running() && !committed; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (fs::exists(db / "iamglass")) {
                RunResult probe = run({search_bin(), "--db", db.string(), "--json", "--limit", "0", "date:1987"});
                committed = probe.status == 0 && json::parse(probe.out)["total"].get<int>() >= 4000;
            }
        }
        REQUIRE(indexer.running());
        indexer.kill9();
        CHECK(indexer.wait() == 128 + 9);
    }
    // The database opens and searches.
    int partial = search_json(db, {"--limit", "0", "date:1987"})["total"];
    CHECK(partial > 0);
    CHECK(partial < 21577);
    // A killed run does not record itself: the record is written with the last commit.
    auto last_run = [&] { return json::parse(run({index_bin(), "--status", "--json", "--db", db.string()}).out)["archive"]["last_run"]; };
    CHECK(last_run().is_null());
    // The same command completes it: nothing lost, nothing doubled.
    RunResult again = run({index_bin(), "--db", db.string(), "--batch", "2000", jsonl.string()}, {}, "", 1200);
    CHECK(again.status == 0);
    CHECK(last_run()["added"] == 21577 - partial);
    CHECK(search_json(db, {"--limit", "0", "date:1987"})["total"] == 21577);
    CHECK(search_json(db, {"--limit", "0", "title:\"bahia cocoa review\""})["total"] == 1);
    RunResult third = run({index_bin(), "--db", db.string(), jsonl.string()});
    CHECK(summary(third)["unchanged"] == 1);
}

TEST_CASE("bad input: each is reported, none stops the run, the exit status tells") {
    TempDir dir;
    dir.write("in/good.txt", "A good story about an ocelot.");
    dir.write("in/latin1.txt", "Caf\xe9 story about a margay.");           // not UTF-8: read as Windows-1252
    dir.write("in/broken.txt", "Bad \xff\xfe bytes in a serval story. Díaz."); // mixed: repaired
    dir.write("in/binary.txt", std::string("PK\x03\x04\0\0\x01binary", 13));
    dir.write("in/empty.txt", "");
    dir.write("in/blank.txt", "  \n\n \t\n");
    fs::create_directories(dir / "in" / "loop");
    fs::create_directory_symlink("..", dir / "in" / "loop" / "back");         // a directory loop
    fs::create_symlink("self.txt", dir / "in" / "self.txt");                  // a link to itself
    fs::create_symlink("nowhere.txt", dir / "in" / "dangling.txt");           // unreadable: broken link
    auto db = dir / "db";
    RunResult r = index(db, {(dir / "in").string()});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(r.err.find("latin1.txt: not UTF-8; read as Windows-1252 (1 non-ASCII bytes)") != std::string::npos);
    CHECK(r.err.find("broken.txt: invalid UTF-8: 2 bytes replaced by U+FFFD") != std::string::npos);
    CHECK(r.err.find("binary.txt: binary file, not text (skipped)") != std::string::npos);
    CHECK(r.err.find("empty.txt: empty file (skipped)") != std::string::npos);
    CHECK(r.err.find("blank.txt: empty file (skipped)") != std::string::npos);
    CHECK(r.err.find("symbolic link loop (skipped)") != std::string::npos);
    CHECK(r.err.find("self.txt: ") != std::string::npos);
    CHECK(r.err.find("dangling.txt: broken symbolic link (skipped)") != std::string::npos);
    CHECK(total(db, "ocelot") == 1);
    CHECK(total(db, "margay") == 1);
    CHECK(total(db, "serval") == 1);
    CHECK(search_json(db, {"serval"})["results"][0]["snippet"].get<std::string>().find("Díaz") != std::string::npos);
    CHECK(search_json(db, {"cafe"})["total"] == 1);  // é came through as é
    // Skipped files stay skipped, without being read again, until they change.
    RunResult again = index(db, {(dir / "in").string()});
    CHECK(again.status == 1);
    CHECK(again.err.find("binary.txt: binary file, not text (skipped; unchanged since)") != std::string::npos);
}

TEST_CASE("warnings alone exit 0, --strict makes them a failure") {
    TempDir dir;
    auto f = dir.write("latin1.txt", "Caf\xe9 story.");
    CHECK(index(dir / "db1", {f.string()}).status == 0);
    CHECK(index(dir / "db2", {f.string()}, {"--strict"}).status == 1);
}

TEST_CASE("an unreadable file is skipped and kept for the next run") {
    if (geteuid() == 0) {
        MESSAGE("running as root: permissions do not stop reading; the broken-link case covers unreadable files");
        return;
    }
    TempDir dir;
    auto f = dir.write("secret.txt", "A secret story.");
    fs::permissions(f, fs::perms::none);
    RunResult r = index(dir / "db", {f.string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("secret.txt: cannot read: Permission denied (skipped)") != std::string::npos);
}

TEST_CASE("a 100 MB file is indexed in bounded memory: its first 4 MiB, with a warning") {
    TempDir dir;
    auto f = dir / "huge.txt";
    {
        std::ofstream out(f, std::ios::binary);
        std::size_t written = 0;
        for (int i = 0; written < 100u << 20; ++i) {
            std::string line = "Paragraph " + std::to_string(i) + " of this enormous article about the jaguarundi.\n";
            out << line;
            written += line.size();
        }
        out << "The last words mention an aardwolf.\n";
    }
    RunResult r = index(dir / "db", {f.string()});
    CHECK(r.status == 0);
    CHECK(r.err.find("huge.txt: longer than 4 MiB: only the first 4 MiB are indexed") != std::string::npos);
    CHECK(r.max_rss_kb < 400 * 1024);
    CHECK(total(dir / "db", "jaguarundi") == 1);
    CHECK(total(dir / "db", "aardwolf") == 0);  // beyond the first 4 MiB
}

TEST_CASE("a large JSON Lines file is read in blocks: every record indexed, in bounded memory") {
    TempDir dir;
    auto f = dir / "many.jsonl";
    {
        std::ofstream out(f, std::ios::binary);
        for (int i = 0; i < 30000; ++i) {
            out << R"({"id": ")" << i << R"(", "text": "Record )" << i
                << R"( about markets, with enough words to make the file a few megabytes long in all."})" << "\n";
        }
    }
    RunResult r = index(dir / "db", {f.string()}, {"--no-stories"});
    CHECK(r.status == 0);
    CHECK(summary(r)["added"] == 30000);
    CHECK(r.max_rss_kb < 400 * 1024);
}

TEST_CASE("a file that changes while being read is indexed as read and read again next time") {
    TempDir dir;
    // A /proc file says it is empty and then gives text: as a file does that
    // grows while it is read.
    fs::create_directories(dir / "in");
    fs::create_symlink("/proc/self/status", dir / "in" / "status.txt");
    auto db = dir / "db";
    RunResult r = index(db, {(dir / "in").string()});
    CHECK(r.status == 0);
    // (The identity of a linked file is its real path, under /proc.)
    CHECK(r.err.find("/status: changed while being read: indexed as read, and read again next time") !=
          std::string::npos);
    RunResult again = index(db, {(dir / "in").string()});
    CHECK(summary(again)["unchanged"] == 0);  // not trusted: read again
}

TEST_CASE("progress: a bar on a terminal, nothing when not a terminal, --quiet and --verbose") {
    TempDir dir;
    RunResult piped = index(dir / "db1", {corpus_dir().string()});
    CHECK(piped.err.empty());
    CHECK(std::count(piped.out.begin(), piped.out.end(), '\n') == 1);
    // Under script(1), stderr is a terminal.
    std::string cmd = index_bin() + " --db " + (dir / "db2").string() + " " + corpus_dir().string();
    RunResult tty = run({"/usr/bin/script", "-qec", cmd, "/dev/null"});
    CHECK(tty.out.find("5/5 files") != std::string::npos);
    CHECK(tty.out.find("[##") != std::string::npos);
    RunResult verbose = index(dir / "db3", {corpus_dir().string()}, {"--verbose"});
    CHECK(verbose.err.find("004_d429417838e75d46.txt: indexed 1 articles") != std::string::npos);
    auto latin = dir.write("latin1.txt", "Caf\xe9 story.");
    CHECK(index(dir / "db4", {latin.string()}, {"--quiet"}).err.empty());
}

TEST_CASE("a database fed a few articles a run makes its data dictionary once it has enough, and reads them all") {
    TempDir dir;
    auto db = dir / "news.db";
    auto dictionary = [&] { return Xapian::Database(db.string()).get_metadata(morgue::schema::kMetaDataDictionary); };
    // The bundled corpus: less data than a dictionary's 32 KB, kept plain.
    REQUIRE(index(db, {corpus_dir().string()}).status == 0);
    CHECK(dictionary().empty());
    // Five languages' articles more, less than 32 KB of data themselves (a database of them alone
    // has no dictionary), enough with the corpus' data: this run's later articles are deflated.
    fs::path multilingual = source_dir() / "tests" / "data" / "multilingual";
    std::vector<std::string> more;
    for (const char* lang : {"ar", "hi", "ru", "de", "hu"}) more.push_back((multilingual / (std::string(lang) + ".jsonl")).string());
    auto alone = dir / "alone.db";
    REQUIRE(index(alone, more).status == 0);
    CHECK(Xapian::Database(alone.string()).get_metadata(morgue::schema::kMetaDataDictionary).empty());
    RunResult r = index(db, more);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(dictionary().size() == morgue::DataDictionary::kBytes);
    Xapian::Database x(db.string());
    CHECK(!morgue::is_deflated(x.get_document(1).get_data()));
    CHECK(morgue::is_deflated(x.get_document(x.get_lastdocid()).get_data()));
    // Every article reads back whole, the deflated ones as the plain.
    morgue::Searcher searcher(db.string());
    for (Xapian::PostingIterator p = x.postlist_begin(""); p != x.postlist_end(""); ++p) {
        std::string id = morgue::article_id_of(x.get_document(*p));
        CAPTURE(id);
        auto view = searcher.article(id, "");
        REQUIRE(view);
        CHECK(view->article.body.size() > 100);
        CHECK(!view->article.lang.empty());
    }
    // And a search shows the last ones (Hungarian, deflated) with their snippets.
    json hu = search_json(db, {"--lang", "hu", "és"});
    CHECK(hu["total"] == 2);
    for (const json& hit : hu["results"]) CHECK(hit["snippet"].get<std::string>().find("<mark>és</mark>") != std::string::npos);
}
