// End-to-end: index the bundled articles with the real morgue-index and
// query them with the real morgue-search.
#include "../support/run.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

using namespace morgue::test;
using nlohmann::json;

namespace {

// The JSON type of `v`, as a schema would name it.
std::string type_of(const json& v) {
    if (v.is_null()) return "null";
    if (v.is_boolean()) return "boolean";
    if (v.is_number_integer()) return "integer";
    if (v.is_number()) return "number";
    if (v.is_string()) return "string";
    if (v.is_array()) return "array";
    return "object";
}

// Every key of `v` and below with its types, one "path: types" a line, sorted;
// the elements of an array are "path[]", their types joined by "|".
void add_shape(const json& v, const std::string& path, std::map<std::string, std::set<std::string>>& out) {
    out[path].insert(type_of(v));
    if (v.is_object()) {
        for (const auto& [key, child] : v.items()) add_shape(child, path + "." + key, out);
    } else if (v.is_array()) {
        for (const json& child : v) add_shape(child, path + "[]", out);
    }
}

std::string shape(const json& v) {
    std::map<std::string, std::set<std::string>> paths;
    add_shape(v, "", paths);
    std::string out;
    for (const auto& [path, types] : paths) {
        out += path + ":";
        for (const std::string& t : types) out += (out.back() == ':' ? " " : "|") + t;
        out += "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("indexing the corpus prints a one-line summary") {
    TempDir dir;
    RunResult r = run({index_bin(), "--db", (dir / "db").string(), corpus_dir().string()});
    CHECK(r.status == 0);
    CHECK(r.out.find("indexed 5 articles from 5 files") == 0);
    CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);
}

TEST_CASE("Diaz-Canel finds the three articles that mention him, and marks the accented original") {
    json j = search_json(corpus_db(), {"Diaz-Canel"});
    CHECK(j["total"] == 3);
    CHECK(sorted(result_names(j)) ==
          std::vector<std::string>{"000_cc7b64ab0a708bc0", "002_306fba015a5c4372", "003_34566bfd62d2dca6"});
    bool accented = false;
    for (const auto& r : j["results"]) {
        accented |= r["snippet"].get<std::string>().find("<mark>Díaz</mark>-<mark>Canel</mark>") != std::string::npos;
    }
    CHECK(accented);
}

TEST_CASE("\"human trafficking ring\" is a phrase match") {
    json phrase = search_json(corpus_db(), {"\"human trafficking ring\""});
    // 004 has "human trafficking" but never the phrase with "ring".
    CHECK(sorted(result_names(phrase)) == std::vector<std::string>{"000_cc7b64ab0a708bc0", "001_d8aa3ce31b691a40",
                                                                   "002_306fba015a5c4372", "003_34566bfd62d2dca6"});
    // The same words in another order are not the phrase.
    CHECK(search_json(corpus_db(), {"ring", "human", "trafficking"})["total"] == 4);
    CHECK(search_json(corpus_db(), {"\"ring human trafficking\""})["total"] == 0);
    for (const auto& r : phrase["results"]) {
        CHECK(r["snippet"].get<std::string>().find("<mark>human</mark> <mark>trafficking</mark> <mark>ring</mark>") !=
              std::string::npos);
    }
}

TEST_CASE("accents, case and apostrophes never matter") {
    CHECK(search_json(corpus_db(), {"Rodriguez"})["total"] == search_json(corpus_db(), {"RODRÍGUEZ"})["total"]);
    CHECK(sorted(result_names(search_json(corpus_db(), {"Rodriguez"}))) ==
          std::vector<std::string>{"001_d8aa3ce31b691a40", "002_306fba015a5c4372", "003_34566bfd62d2dca6"});  // 002: in its caption
    CHECK(search_json(corpus_db(), {"\"Cuba's foreign ministry\""})["total"] ==
          search_json(corpus_db(), {"\"Cuba’s foreign ministry\""})["total"]);
    CHECK(search_json(corpus_db(), {"\"Cuba’s foreign ministry\""})["total"] == 2);
}

TEST_CASE("the JSON contract") {
    json j = search_json(corpus_db(), {"--limit", "2", "--offset", "1", "trafficking"});
    CHECK(j["query"] == "trafficking");
    CHECK(j["total"] == 5);
    CHECK(j["offset"] == 1);
    CHECK(j["limit"] == 2);
    REQUIRE(j["results"].size() == 2);
    const json& r = j["results"][0];
    CHECK(r["rank"] == 2);
    for (const char* key : {"rank", "id", "path", "title", "date", "source", "lang", "score", "snippet"}) {
        CAPTURE(key);
        CHECK(r.contains(key));
    }
    CHECK(r["id"].is_string());
    CHECK(r["id"].get<std::string>().size() == 13);
    CHECK(r["score"].is_number());
    CHECK((r["date"].is_null() || r["date"].is_string()));
}

TEST_CASE("the JSON shape, golden: every key at every level and its types") {
    json j = search_json(corpus_db(), {"--facets", "--collapse", "--limit", "3", "trafficking"});
    // A change here changes docs/JSON.md in the same commit; an incompatible one bumps "version".
    CHECK(shape(j) ==
          ": object\n"
          ".facets: object\n"
          ".facets.byline: array\n"
          ".facets.byline[]: object\n"
          ".facets.byline[].count: integer\n"
          ".facets.byline[].value: string\n"
          ".facets.day: array\n"  // trafficking's matches span three months: days are given
          ".facets.day[]: object\n"
          ".facets.day[].count: integer\n"
          ".facets.day[].value: string\n"
          ".facets.estimated: boolean\n"
          ".facets.lang: array\n"
          ".facets.lang[]: object\n"
          ".facets.lang[].count: integer\n"
          ".facets.lang[].value: string\n"
          ".facets.month: array\n"
          ".facets.month[]: object\n"
          ".facets.month[].count: integer\n"
          ".facets.month[].value: string\n"
          ".facets.source: array\n"
          ".facets.source[]: object\n"
          ".facets.source[].count: integer\n"
          ".facets.source[].value: string\n"
          ".facets.year: array\n"
          ".facets.year[]: object\n"
          ".facets.year[].count: integer\n"
          ".facets.year[].value: string\n"
          ".limit: integer\n"
          ".offset: integer\n"
          ".query: string\n"
          ".results: array\n"
          ".results[]: object\n"
          ".results[].byline: null\n"
          ".results[].date: null\n"
          ".results[].id: string\n"
          ".results[].lang: string\n"
          ".results[].others: array\n"
          ".results[].others[]: string\n"
          ".results[].path: string\n"
          ".results[].rank: integer\n"
          ".results[].score: number\n"
          ".results[].snippet: string\n"
          ".results[].source: null\n"
          ".results[].story: string\n"
          ".results[].title: string\n"
          ".results[].url: null\n"
          ".results[].versions: integer\n"
          ".suggestion: null\n"
          ".total: integer\n"
          ".total_exact: boolean\n"
          ".version: integer\n");
}

TEST_CASE("pages are stable and do not overlap") {
    json all = search_json(corpus_db(), {"--limit", "5", "cuba"});
    std::vector<std::string> paged;
    for (int off = 0; off < 5; off += 2) {
        auto names = result_names(search_json(corpus_db(), {"--limit", "2", "--offset", std::to_string(off), "cuba"}));
        paged.insert(paged.end(), names.begin(), names.end());
    }
    CHECK(paged == result_names(all));
}

TEST_CASE("boolean operators, wildcards and title: on the corpus") {
    CHECK(search_json(corpus_db(), {"Kremlin"})["total"] == 1);
    CHECK(search_json(corpus_db(), {"trafficking", "NOT", "Kremlin"})["total"] == 4);
    CHECK(search_json(corpus_db(), {"Ryazan"})["total"] == 4);
    CHECK(search_json(corpus_db(), {"Lavrov OR Ryazan"})["total"] == 4);
    CHECK(search_json(corpus_db(), {"Kremlin OR NATO"})["total"] == 2);
    CHECK(search_json(corpus_db(), {"mercenar*"})["total"] == 5);
    CHECK(search_json(corpus_db(), {"Kremlin NEAR troops"})["total"] == 1);
    CHECK(result_names(search_json(corpus_db(), {"title:putin"})) == std::vector<std::string>{"003_34566bfd62d2dca6"});
}

TEST_CASE("exit status: 0 with results, 1 with none, 2 on error") {
    std::string db = corpus_db().string();
    CHECK(run({search_bin(), "--db", db, "cuba"}).status == 0);
    CHECK(run({search_bin(), "--db", db, "zebra"}).status == 1);
    RunResult bad = run({search_bin(), "--db", db, "(cuba"});
    CHECK(bad.status == 2);
    CHECK(bad.err == "morgue-search: unbalanced parenthesis: '(' without ')'\n");
    RunResult missing = run({search_bin(), "--db", "/nonexistent/db", "cuba"});
    CHECK(missing.status == 2);
    CHECK(missing.err.find("no database at /nonexistent/db") != std::string::npos);
    RunResult flag = run({search_bin(), "--db", db, "--nosuchflag", "cuba"});
    CHECK(flag.status == 2);
    CHECK(std::count(flag.err.begin(), flag.err.end(), '\n') == 1);
    CHECK(run({search_bin(), "--db", db, "--limit", "-3", "cuba"}).status == 2);
    CHECK(run({search_bin(), "--db", db, "--limit", "many", "cuba"}).status == 2);
    CHECK(run({search_bin(), "--db", db}).status == 2);
}

TEST_CASE("the database defaults to $MORGUE_DB") {
    RunResult r = run({search_bin(), "--json", "Kremlin"}, {{"MORGUE_DB", corpus_db().string()}});
    CHECK(r.status == 0);
    CHECK(json::parse(r.out)["total"] == 1);
}

TEST_CASE("human output: plain when piped, colour only when asked") {
    RunResult plain = run({search_bin(), "--db", corpus_db().string(), "Kremlin"});
    CHECK(plain.out.find("\033[") == std::string::npos);
    CHECK(plain.out.find("Kremlin") != std::string::npos);
    CHECK(plain.out.find("003_34566bfd62d2dca6.txt") != std::string::npos);
    RunResult color = run({search_bin(), "--db", corpus_db().string(), "--color", "always", "Kremlin"});
    CHECK(color.out.find("\033[1;31mKremlin\033[0m") != std::string::npos);
}

TEST_CASE("reindexing the same files replaces, never duplicates") {
    TempDir dir;
    std::string db = (dir / "db").string();
    REQUIRE(run({index_bin(), "--db", db, corpus_dir().string()}).status == 0);
    RunResult again = run({index_bin(), "--db", db, corpus_dir().string()});
    CHECK(again.status == 0);
    CHECK(search_json(db, {"trafficking"})["total"] == 5);
}
