// End-to-end: article ids are addresses that last. An article's id comes
// from its identity (its path under the indexed root, plus a JSON record's
// "id" or line number), never from the order files are indexed in.
#include "../support/run.h"

#include <doctest/doctest.h>

#include <map>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Every article of `db` (all are English): id -> "path#record | title".
std::map<std::string, std::string> articles_by_id(const fs::path& db) {
    std::map<std::string, std::string> out;
    json all = search_json(db, {"--lang", "en", "--limit", "1000"});
    for (const json& r : all["results"]) {
        std::string what = r["path"].get<std::string>() + "#" + r.value("record", "") + " | " +
                           (r["title"].is_string() ? r["title"].get<std::string>() : "");
        CHECK(out.emplace(r["id"].get<std::string>(), what).second);
    }
    CHECK(out.size() == all["total"].get<std::size_t>());
    return out;
}

// The archive: corpus/ and a feed whose records have ids or only line numbers.
void write_archive(const TempDir& dir) {
    fs::create_directories(dir / "in" / "corpus");
    fs::copy(corpus_dir(), dir / "in" / "corpus");
    dir.write("in/feed.jsonl", R"({"id": "wire-7", "title": "Pangolin smugglers caught", "text": "Customs seized pangolin scales."})" "\n"
                               R"({"title": "Ibex census", "text": "Rangers counted the ibex herd."})" "\n");
}

RunResult cgi(const fs::path& db, const std::string& query) {
    return run({MORGUE_CGI_BIN, query}, {{"MORGUE_DB", db.string()}});
}

}  // namespace

TEST_CASE("article ids: every old id opens the same article after a rebuild with a file added in front") {
    TempDir dir;
    write_archive(dir);
    auto db = dir / "news.db";
    REQUIRE(run({index_bin(), "--db", db.string(), (dir / "in").string()}).status == 0);
    std::map<std::string, std::string> before = articles_by_id(db);
    REQUIRE(before.size() == 7);
    for (const auto& [id, what] : before) {
        CAPTURE(what);
        CHECK(id.size() == 13);
        CHECK(id.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz") == std::string::npos);
        CHECK(what.rfind("in/", 0) == 0);  // relative to the indexed root: no server paths
    }

    // A file that sorts first, and a full rebuild: document ids all shift, article ids do not.
    dir.write("in/000_first.txt", "A first story, about a quokka.");
    REQUIRE(run({index_bin(), "--rebuild", "--db", db.string(), (dir / "in").string()}).status == 0);
    std::map<std::string, std::string> after = articles_by_id(db);
    CHECK(after.size() == before.size() + 1);
    for (const auto& [id, what] : before) {
        CAPTURE(what);
        REQUIRE(after.count(id) == 1);
        CHECK(after[id] == what);
        RunResult page = cgi(db, "doc=" + id);
        CHECK(page.status == 0);
        CHECK(page.out.find("Status: 404") == std::string::npos);
    }
    for (const auto& [title, id] : {std::pair{"Pangolin smugglers caught", "wire-7"}, {"Ibex census", ""}}) {
        CAPTURE(title);
        json j = search_json(db, {std::string("title:\"") + title + "\""});
        REQUIRE(j["total"] == 1);
        CHECK(cgi(db, "doc=" + j["results"][0]["id"].get<std::string>()).out.find(title) != std::string::npos);
        if (*id) CHECK(j["results"][0]["record"] == id);
    }

    // The same ids in a sharded index of the same files, and in the archive moved elsewhere.
    auto sharded = dir / "sharded.db";
    REQUIRE(run({index_bin(), "--db", sharded.string(), "--shard-by", "hash:3", (dir / "in").string()}).status == 0);
    CHECK(articles_by_id(sharded) == after);
    fs::rename(dir / "in", dir / "moved");
    fs::create_directory(dir / "elsewhere");
    fs::rename(dir / "moved", dir / "elsewhere" / "in");
    auto moved = dir / "moved.db";
    REQUIRE(run({index_bin(), "--db", moved.string(), (dir / "elsewhere" / "in").string()}).status == 0);
    CHECK(articles_by_id(moved) == after);
}

TEST_CASE("article ids: a malformed or unknown id is a clear error") {
    RunResult malformed = run({search_bin(), "--db", corpus_db().string(), "--like", "../etc"});
    CHECK(malformed.status == 2);
    CHECK(malformed.err == "morgue-search: like '../etc' is not an article id (13 letters and digits, the \"id\" of a result)\n");
    // 13 digits of which the first holds only 4 of the 64 bits: no id starts with z.
    CHECK(run({search_bin(), "--db", corpus_db().string(), "--like", "zzzzzzzzzzzzz"}).status == 2);
    RunResult unknown = run({search_bin(), "--db", corpus_db().string(), "--like", "0000000000000"});
    CHECK(unknown.status == 2);
    CHECK(unknown.err == "morgue-search: no article with id 0000000000000\n");
    CHECK(cgi(corpus_db(), "doc=../etc").out.find("Status: 400") != std::string::npos);
}
