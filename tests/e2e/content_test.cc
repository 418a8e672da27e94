// End-to-end: nothing the article says is lost — photo captions, repeated
// paragraphs and bylines are found by searches and shown; page furniture
// still goes. Through the real programs, on corpus/ and Reuters-21578.
#include "../support/run.h"

#include <doctest/doctest.h>

#include <fstream>

using namespace morgue::test;
using nlohmann::json;

TEST_CASE("captions are content: the only mention of Lavrov and Rodriguez in 002 is its photo caption") {
    CHECK(result_names(search_json(corpus_db(), {"Lavrov"})) == std::vector<std::string>{"002_306fba015a5c4372"});
    CHECK(sorted(result_names(search_json(corpus_db(), {"Rodriguez"}))) ==
          std::vector<std::string>{"001_d8aa3ce31b691a40", "002_306fba015a5c4372", "003_34566bfd62d2dca6"});
    // The caption: field reaches captions only.
    CHECK(result_names(search_json(corpus_db(), {"caption:lavrov"})) == std::vector<std::string>{"002_306fba015a5c4372"});
    CHECK(search_json(corpus_db(), {"caption:trafficking"})["total"] == 0);
    // Kept once, out of the body and its snippet; --explain says so.
    RunResult r = run({index_bin(), "--explain", (corpus_dir() / "002_306fba015a5c4372.txt").string()});
    CHECK(r.out.find("--- captions (1) ---\nRussian Foreign Minister Sergey Lavrov and his Cuban counterpart") !=
          std::string::npos);
    CHECK(r.out.find("[photo caption (indexed as a caption)] Russian Foreign Minister Sergey Lavrov") !=
          std::string::npos);
    json j = search_json(corpus_db(), {"Lavrov"});
    CHECK(j["results"][0]["snippet"].get<std::string>().find("Lavrov") == std::string::npos);
}

TEST_CASE("captions of HTML figures are indexed, and shown in the article view") {
    TempDir dir;
    auto page = dir.write("page.html",
                          "<!DOCTYPE html><html><head><title>Harbour reopens</title></head><body><article>"
                          "<p>The harbour reopened on Monday after the storm.</p>"
                          "<figure><img src=\"a.jpg\"><figcaption>Fishing boats return to Quillport</figcaption>"
                          "</figure></article></body></html>");
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--db", db.string(), page.string()}).status == 0);
    json j = search_json(db, {"Quillport"});
    REQUIRE(j["results"].size() == 1);
    RunResult view = run({cgi_bin(), "doc=" + j["results"][0]["id"].get<std::string>()}, {{"MORGUE_DB", db.string()}});
    CHECK(view.out.find("<figure><figcaption>Fishing boats return to Quillport</figcaption></figure>") !=
          std::string::npos);
}

TEST_CASE("bylines are searchable, a facet, and in JSON, text and web results with the url") {
    CHECK(result_names(search_json(corpus_db(), {"Peralta"})) == std::vector<std::string>{"002_306fba015a5c4372"});
    CHECK(result_names(search_json(corpus_db(), {"byline:peralta"})) == std::vector<std::string>{"002_306fba015a5c4372"});
    CHECK(result_names(search_json(corpus_db(), {"byline:\"eyder peralta\""})) ==
          std::vector<std::string>{"002_306fba015a5c4372"});
    CHECK(search_json(corpus_db(), {"byline:cuba"})["total"] == 0);

    json all = search_json(corpus_db(), {"--facets", "--limit", "10", "trafficking"});
    CHECK(result_for(all, "002")["byline"] == "Eyder Peralta");
    CHECK(result_for(all, "000")["byline"].is_null());
    CHECK(result_for(all, "000")["url"].is_null());
    json bylines = all["facets"]["byline"];
    REQUIRE(bylines.size() >= 1);
    CHECK(bylines[0]["value"] == "Eyder Peralta");
    CHECK(bylines[0]["count"] == 1);

    RunResult text = run({search_bin(), "--db", corpus_db().string(), "Peralta"});
    CHECK(text.out.find(" · by Eyder Peralta · ") != std::string::npos);

    TempDir dir;
    auto feed = dir.write("feed.jsonl", R"({"id": "z1", "title": "Zebra count", "author": "Ann Quist", )"
                                        R"("url": "https://example.org/zebra", "text": "The zebra count rose."})" "\n");
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--db", db.string(), feed.string()}).status == 0);
    json z = search_json(db, {"Quist"});
    REQUIRE(z["results"].size() == 1);
    CHECK(z["results"][0]["byline"] == "Ann Quist");
    CHECK(z["results"][0]["url"] == "https://example.org/zebra");
    RunResult zt = run({search_bin(), "--db", db.string(), "zebra"});
    CHECK(zt.out.find(" · by Ann Quist · ") != std::string::npos);
    CHECK(zt.out.find("https://example.org/zebra") != std::string::npos);
    RunResult web = run({cgi_bin(), "q=zebra"}, {{"MORGUE_DB", db.string()}});
    CHECK(web.out.find("by Ann Quist") != std::string::npos);
    CHECK(web.out.find("href=\"https://example.org/zebra\">Original page</a>") != std::string::npos);
}

TEST_CASE("leftover furniture goes, company suffixes leave source names, headlines without spaces are titles") {
    TempDir dir;
    auto html = dir.write("share.html",
                          "<!DOCTYPE html><html><head><meta property=\"og:site_name\" content=\"City Herald Ltd\">"
                          "<title>Tram line opens</title></head><body><article><p>The tram line opened.</p>"
                          "<p>Share this article on <a href=\"#\">Facebook</a> <a href=\"#\">Twitter</a> "
                          "<a href=\"#\">Email</a></p></article></body></html>");
    auto bbc = dir.write("bbc.txt",
                         "Tram strike ends\n\nImage caption, Drivers in Kestrelford voted on Tuesday\n\n"
                         "The strike ended after talks.\n\nComments (12)\n\nRelated Topics\nUnions\nPublic transport\n");
    auto zh = dir.write("zh.txt", "古巴破获人口贩运团伙\n\n古巴外交部表示，该团伙招募古巴公民前往俄罗斯。\n");
    auto one = dir.write("one.txt", "Brexit\n\nThe talks resumed on Monday in Brussels.\n");
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--db", db.string(), html.string(), bbc.string(), zh.string(), one.string()}).status == 0);
    for (std::string q : {"Facebook", "Twitter", "Email", "\"Image caption\"", "Comments", "\"Related Topics\"",
                          "Unions"}) {
        CAPTURE(q);
        CHECK(search_json(db, {q})["total"] == 0);
    }
    CHECK(search_json(db, {"caption:Kestrelford"})["total"] == 1);
    json tram = search_json(db, {"tram line opened"});
    REQUIRE(tram["results"].size() == 1);
    CHECK(tram["results"][0]["source"] == "City Herald");
    CHECK(search_json(db, {"source:\"city herald\""})["total"] == 1);
    CHECK(search_json(db, {"外交部"})["results"][0]["title"] == "古巴破获人口贩运团伙");
    CHECK(search_json(db, {"Brussels"})["results"][0]["title"] == "Brexit");
}

TEST_CASE("a paragraph the wire sent twice is kept once: reuters-9370 is found by oil [corpora]") {
    TempDir dir;
    auto jsonl = dir / "reuters.jsonl";
    if (!convert_corpus("reuters", jsonl)) {
        WARN_MESSAGE(false, "shared corpora not found: Reuters repeated-paragraph test not run");
        return;
    }
    // The record alone: its three repeated paragraphs are the only ones that say "oil".
    std::ifstream in(jsonl);
    std::string line, record;
    while (std::getline(in, line)) {
        if (line.find("\"id\": \"reuters-9370\"") != std::string::npos) record = line + "\n";
    }
    REQUIRE(!record.empty());
    auto file = dir.write("9370.jsonl", record);
    RunResult explain = run({index_bin(), "--explain", file.string()});
    std::string said = explain.out;
    std::size_t repeats = 0;
    for (std::size_t at = said.find("[repeated line (one copy kept)]"); at != std::string::npos;
         at = said.find("[repeated line (one copy kept)]", at + 1)) {
        ++repeats;
    }
    CHECK(repeats == 3);
    std::string body = said.substr(0, said.find("--- removed as boilerplate"));
    std::size_t first = body.find("particularly in oil and precious metals");
    REQUIRE(first != std::string::npos);
    CHECK(body.find("particularly in oil and precious metals", first + 1) == std::string::npos);

    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--db", db.string(), file.string()}).status == 0);
    json j = search_json(db, {"oil"});
    REQUIRE(j["results"].size() == 1);
    CHECK(j["results"][0]["record"] == "reuters-9370");
}
