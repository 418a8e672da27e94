// End-to-end: an archive that describes itself (issue 14 §4) — the run the
// indexer records, morgue-index --status (text and JSON) and the web's
// About page, on the sample corpus with bad files beside it: a first run, an
// incremental one, a sharded index, and an index from before runs were
// recorded. No output may name where the archive is kept.
#include "../support/run.h"

#include "schema.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <algorithm>
#include <fstream>
#include <set>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// corpus/ copied into `dir`, with two files beside its articles that the indexer skips.
fs::path corpus_with_bad_files(const TempDir& dir) {
    fs::copy(corpus_dir(), dir / "corpus");
    dir.write("corpus/bad/binary.txt", std::string("\x7f" "ELF\0\0\0\1\2\3", 10) + std::string(300, '\0'));
    dir.write("corpus/empty.txt", "");
    return dir / "corpus";
}

// How many article files corpus/ has (each is one article).
std::size_t corpus_files() {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(corpus_dir()), fs::directory_iterator()));
}

RunResult index(const fs::path& db, const fs::path& input, std::vector<std::string> flags = {}) {
    std::vector<std::string> argv = {index_bin(), "--quiet", "--db", db.string()};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(input.string());
    return run(argv);
}

RunResult status(const fs::path& db, bool as_json) {
    std::vector<std::string> argv = {index_bin(), "--status", "--db", db.string()};
    if (as_json) argv.push_back("--json");
    return run(argv);
}

json status_json(const fs::path& db) {
    RunResult r = status(db, true);
    REQUIRE(r.status == 0);
    return json::parse(r.out)["archive"];
}

// morgue.cgi from a shell (NAME=VALUE arguments) on `db`: its response's body.
std::string cgi_body(const fs::path& db, const std::vector<std::string>& params) {
    std::vector<std::string> argv = {cgi_bin()};
    argv.insert(argv.end(), params.begin(), params.end());
    RunResult r = run(argv, {{"MORGUE_DB", db.string()}});
    REQUIRE(r.status == 0);
    std::size_t end = r.out.find("\r\n\r\n");
    REQUIRE(end != std::string::npos);
    return r.out.substr(end + 4);
}

// The web search for `params` finds this many articles.
long web_total(const fs::path& db, std::vector<std::string> params) {
    params.push_back("format=json");
    return json::parse(cgi_body(db, params))["total"].get<long>();
}

long sum(const json& counts) {
    long total = 0;
    for (const json& c : counts) total += c["count"].get<long>();
    return total;
}

// Where the archive is kept appears nowhere in `output`.
void check_no_server_path(const std::string& output, const TempDir& dir) {
    CHECK(output.find(dir.path().string()) == std::string::npos);
    CHECK(output.find(fs::canonical(dir.path()).string()) == std::string::npos);
    CHECK(output.find(fs::temp_directory_path().string()) == std::string::npos);
}

const json* skipped(const json& last_run, const std::string& path) {
    for (const json& f : last_run["skipped_files"]) {
        if (f["path"] == path) return &f;
    }
    return nullptr;
}

}  // namespace

TEST_CASE("the indexer records its run: --status and the About page show the counts and each skipped file, relative, with its reason") {
    TempDir dir;
    fs::path db = dir / "db";
    RunResult indexed = index(db, corpus_with_bad_files(dir));
    CHECK(indexed.status == 1);  // something was skipped

    json a = status_json(db);
    json run = a["last_run"];
    REQUIRE(run.is_object());
    CHECK(run["files"] == corpus_files() + 2);
    CHECK(run["added"] == a["articles"]);
    CHECK(run["added"] == corpus_files());
    CHECK(indexed.out.find("added " + run["added"].dump() + ",") != std::string::npos);
    CHECK(indexed.out.find("skipped " + run["skipped"].dump() + "\n") != std::string::npos);
    CHECK(run["skipped_total"] == 2);
    const json* binary = skipped(run, "corpus/bad/binary.txt");
    const json* empty = skipped(run, "corpus/empty.txt");
    REQUIRE(binary != nullptr);
    REQUIRE(empty != nullptr);
    CHECK((*binary)["reason"].get<std::string>().find("binary") != std::string::npos);
    CHECK((*empty)["reason"].get<std::string>().find("empty") != std::string::npos);
    CHECK(run["version"] == MORGUE_VERSION);
    CHECK(run["started"].get<std::string>().size() == std::string("2026-12-07T03:41:22Z").size());
    CHECK(run["started"] <= run["finished"]);
    // The counts add up: every dated article in a year, every article in a language.
    CHECK(sum(a["years"]) + a["undated"].get<long>() == a["articles"].get<long>());
    CHECK(sum(a["languages"]) == a["articles"].get<long>());
    CHECK(a["oldest"] <= a["newest"]);
    CHECK(a["schema"] == morgue::schema::kSchemaVersion);
    CHECK(a["shards"] == 1);
    CHECK(a["bytes"].get<long>() > 0);

    RunResult text = status(db, false);
    CHECK(text.status == 0);
    CHECK(text.out.find("Articles       " + a["articles"].dump() + " (" + a["undated"].dump() + " undated)") != std::string::npos);
    CHECK(text.out.find("corpus/bad/binary.txt: " + (*binary)["reason"].get<std::string>()) != std::string::npos);
    CHECK(text.out.find("Schema         " + a["schema"].dump()) != std::string::npos);

    // The About page: the same facts, as JSON (every field) and as HTML.
    json web = json::parse(cgi_body(db, {"about=1", "format=json"}));
    CHECK(web["archive"] == a);
    std::set<std::string> fields, run_fields;
    for (const auto& [key, value] : a.items()) fields.insert(key);
    for (const auto& [key, value] : run.items()) run_fields.insert(key);
    CHECK(fields == std::set<std::string>{"articles", "undated", "oldest", "newest", "sources", "years", "languages",
                                          "estimated", "bytes", "schema", "shards", "last_run"});
    CHECK(run_fields == std::set<std::string>{"started", "finished", "seconds", "version", "files", "added", "updated",
                                              "unchanged", "removed", "skipped", "warnings", "bytes", "stories_joined",
                                              "skipped_files", "skipped_total"});
    std::string html = cgi_body(db, {"about=1"});
    CHECK(html.find("<h1>About this archive</h1>") != std::string::npos);
    CHECK(html.find("<td><code>corpus/bad/binary.txt</code></td>") != std::string::npos);
    // Each year links to its search, each source to its filter, and they find what the page counts.
    for (const json& y : a["years"]) {
        std::string year = y["value"];
        CAPTURE(year);
        CHECK(html.find("&amp;since=" + year + "&amp;until=" + year + "\">" + year + "</a>") != std::string::npos);
        CHECK(web_total(db, {"since=" + year, "until=" + year}) == y["count"].get<long>());
    }
    for (const json& s : a["sources"]) {
        std::string source = s["value"];
        CAPTURE(source);
        CHECK(web_total(db, {"source=" + source}) == s["count"].get<long>());
    }
    // Linked from the home page and the foot of every page.
    CHECK(cgi_body(db, {}).find("href=\"morgue.cgi?about=1\">More about this archive") != std::string::npos);
    CHECK(cgi_body(db, {"q=cuba"}).find("href=\"morgue.cgi?about=1\">About this archive") != std::string::npos);

    for (const std::string& output : {text.out, status(db, true).out, html, web.dump()}) check_no_server_path(output, dir);
}

TEST_CASE("the last run after an edit shows 1 updated and the rest unchanged, and an unchanged run records itself too") {
    TempDir dir;
    fs::path db = dir / "db";
    fs::path corpus = corpus_with_bad_files(dir);
    index(db, corpus);
    fs::path edited;
    for (const auto& e : fs::directory_iterator(corpus)) {
        if (e.path().extension() == ".txt" && e.is_regular_file() && e.file_size() > 0) edited = e.path();
    }
    REQUIRE(!edited.empty());
    std::ofstream(edited, std::ios::app) << "\nA line added by the editor.\n";

    CHECK(index(db, corpus).status == 1);  // the bad files are still bad
    json second = status_json(db)["last_run"];
    CHECK(second["updated"] == 1);
    CHECK(second["added"] == 0);
    CHECK(second["removed"] == 0);
    CHECK(second["unchanged"] == corpus_files() - 1);
    CHECK(second["skipped"] == 2);
    for (const json& f : second["skipped_files"]) CHECK(f["reason"].get<std::string>().find("unchanged since") != std::string::npos);

    index(db, corpus);
    json third = status_json(db)["last_run"];
    CHECK(third["updated"] == 0);
    CHECK(third["added"] == 0);
    CHECK(third["unchanged"] == corpus_files());
    CHECK(third["started"] >= second["finished"]);
}

TEST_CASE("a sharded index keeps its last run with its state: --status and the About page read it") {
    TempDir dir;
    fs::path db = dir / "db";
    CHECK(index(db, corpus_with_bad_files(dir), {"--shard-by", "year"}).status == 1);
    json a = status_json(db);
    CHECK(a["shards"].get<long>() >= 2);
    REQUIRE(a["last_run"].is_object());
    CHECK(a["last_run"]["added"] == a["articles"]);
    CHECK(skipped(a["last_run"], "corpus/bad/binary.txt") != nullptr);
    CHECK(sum(a["years"]) + a["undated"].get<long>() == a["articles"].get<long>());
    // Every file of the index counted: the stub, the shards and the state.
    std::uintmax_t bytes = fs::file_size(db);
    for (const auto& e : fs::recursive_directory_iterator(dir / "db.shards")) bytes += e.is_regular_file() ? e.file_size() : 0;
    CHECK(a["bytes"] == bytes);
    json web = json::parse(cgi_body(db, {"about=1", "format=json"}));
    CHECK(web["archive"] == a);
    check_no_server_path(web.dump(), dir);
}

TEST_CASE("an index built before runs were recorded has no record of its last run, which is not an error") {
    TempDir dir;
    fs::path db = dir / "db";
    fs::copy(corpus_dir(), dir / "corpus");
    REQUIRE(index(db, dir / "corpus").status == 0);
    {
        Xapian::WritableDatabase w(db.string());
        w.set_metadata(morgue::schema::kMetaLastRun, "");  // as an indexer before this one left it
        w.commit();
    }
    RunResult text = status(db, false);
    CHECK(text.status == 0);
    CHECK(text.err.empty());
    CHECK(text.out.find("no record of the last run") != std::string::npos);
    CHECK(text.out.find("Articles       " + std::to_string(corpus_files())) != std::string::npos);
    CHECK(status_json(db)["last_run"].is_null());
    CHECK(cgi_body(db, {"about=1"}).find("There is no record of the last run") != std::string::npos);
}

TEST_CASE("--status: a missing database and stray arguments get one line and exit 2") {
    TempDir dir;
    RunResult missing = status(dir / "nowhere", false);
    CHECK(missing.status == 2);
    CHECK(missing.err.find("no database at") != std::string::npos);
    CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
    RunResult stray = run({index_bin(), "--status", "--db", (dir / "db").string(), corpus_dir().string()});
    CHECK(stray.status == 2);
    CHECK(stray.err.find("--status indexes nothing") != std::string::npos);
    RunResult json_alone = run({index_bin(), "--json", "--db", (dir / "db").string(), corpus_dir().string()});
    CHECK(json_alone.status == 2);
    CHECK(json_alone.err.find("--json goes with --status") != std::string::npos);
}
