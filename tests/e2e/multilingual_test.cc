// End-to-end: a multilingual archive. Real news in eleven languages (from
// the WMT test sets and SaudiNewsNet, tests/data/multilingual/README.md)
// plus short texts written for the test in Chinese, Japanese, Korean,
// Ukrainian and Hebrew, indexed without their language (it is detected) and
// searched through the real programs.
#include "../support/run.h"
#include "search.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::filesystem::path data_dir() { return source_dir() / "tests" / "data" / "multilingual"; }

// tests/data/multilingual/, indexed once by the real morgue-index. Its
// files carry no "lang" field, so every language is detected.
const std::filesystem::path& multilingual_db() {
    static TempDir dir;
    static std::filesystem::path db = [] {
        std::filesystem::path p = dir / "ml.db";
        RunResult r = run({index_bin(), "--db", p.string(), data_dir().string()});
        INFO(r.err);
        REQUIRE(r.status == 0);
        return p;
    }();
    return db;
}

json search(const std::vector<std::string>& args) { return search_json(multilingual_db(), args); }

// Languages of the results, in order.
std::vector<std::string> langs(const json& j) {
    std::vector<std::string> out;
    for (const auto& r : j["results"]) out.push_back(r["lang"].is_string() ? r["lang"].get<std::string>() : "?");
    return out;
}

// Every marked word of every snippet ("Министерство", ...), as written.
std::set<std::string> marked(const json& j) {
    std::set<std::string> out;
    static const std::regex mark("<mark>([^<]*)</mark>");
    for (const auto& r : j["results"]) {
        std::string s = r["snippet"];
        for (auto it = std::sregex_iterator(s.begin(), s.end(), mark); it != std::sregex_iterator(); ++it) {
            out.insert((*it)[1]);
        }
    }
    return out;
}

// The language file an article came from ("ru" for .../ru.jsonl).
std::string file_lang(const json& result) {
    return std::filesystem::path(result["path"].get<std::string>()).stem().string();
}

}  // namespace

TEST_CASE("every article's language is detected correctly") {
    json all = search({"--limit", "100", "NOT zzzqqqzzz"});  // everything
    REQUIRE(all["results"].size() == 28);
    for (const auto& r : all["results"]) {
        CAPTURE(r["path"].get<std::string>());
        CHECK(r["lang"] == file_lang(r));
    }
}

TEST_CASE("inflected forms find the article, and the original word is marked") {
    struct Row {
        const char* query;
        const char* lang;                  // the one article found is in this language
        std::set<std::string> marks;       // words marked in its snippet
    } rows[] = {
        {"министерства", "ru", {"Министерство", "Министерстве"}},  // genitive finds nominative
        {"ministerios", "es", {"Ministerio"}},                     // plural finds singular
        {"Auslieferungen", "de", {"Auslieferung"}},
        {"economiche", "it", {"economia", "economiche"}},          // and "dell'economia" (elision)
        {"inflációt", "hu", {"infláció", "inflációt"}},
        {"lääkkeitä", "fi", {"lääkkeiden", "lääkkeitä"}},
        {"للرئيس", "ar", {"الرئيس", "رئيس"}},                     // Arabic prefixes: the stem is shared
        {"पुलिस", "hi", {"पुलिस"}},
        {"України", "uk", {"України"}},                            // no Ukrainian stemmer: the word itself
    };
    for (const Row& r : rows) {
        CAPTURE(r.query);
        json j = search({r.query});
        CHECK(langs(j) == std::vector<std::string>{r.lang});
        CHECK(marked(j) == r.marks);
    }
}

TEST_CASE("accents, vowel points and case never matter") {
    struct Row {
        const char* plain;
        const char* other;
    } rows[] = {
        {"inflacio", "INFLÁCIÓ"},              // Hungarian
        {"Tymosenkova", "Tymošenková"},       // Czech
        {"extradicion", "extradición"},       // Spanish
        {"الرئيس", "الرَّئِيسُ"},                // Arabic harakat
        {"الرئيس", "الـرئـيـس"},                 // Arabic tatweel
        {"משרד", "מִשְׂרָד"},                    // Hebrew points
        {"министерство", "МИНИСТЕРСТВО"},     // Cyrillic case
    };
    for (const Row& r : rows) {
        CAPTURE(r.other);
        json a = search({r.plain});
        json b = search({r.other});
        CHECK(a["total"] == 1);
        CHECK(result_names(a) == result_names(b));
        CHECK(marked(a) == marked(b));
    }
}

TEST_CASE("Chinese and Japanese words are found inside unsegmented text, Korean words inside eojeol") {
    json zh = search({"外交部"});
    CHECK(langs(zh) == std::vector<std::string>{"zh"});
    std::string snippet = zh["results"][0]["snippet"];
    CHECK(snippet.find("古巴<mark>外交部</mark>表示") != std::string::npos);
    CHECK(langs(search({"乌克兰"})) == std::vector<std::string>{"zh"});
    CHECK(langs(search({"古巴外交部"})) == std::vector<std::string>{"zh"});  // two words: a phrase

    json ja = search({"外務省"});
    CHECK(langs(ja) == std::vector<std::string>{"ja"});
    CHECK(ja["results"][0]["snippet"].get<std::string>().find("キューバ<mark>外務省</mark>は") != std::string::npos);

    json ko = search({"외교부"});  // "the foreign ministry"; the text has 외교부는, 외교부에
    CHECK(langs(ko) == std::vector<std::string>{"ko"});
    CHECK(marked(ko) == std::set<std::string>{"외교부는", "외교부에"});
    CHECK(langs(search({"러시아"})) == std::vector<std::string>{"ko"});
}

TEST_CASE("French and Italian elisions: the word is found and marked, not the article") {
    CHECK(langs(search({"--lang", "fr", "extradition"})) == std::vector<std::string>{"fr"});
    json fr = search({"\"l'extradition de l’ancien gouverneur\""});  // either apostrophe
    CHECK(langs(fr) == std::vector<std::string>{"fr"});
    CHECK(fr["results"][0]["snippet"].get<std::string>().find(
              "l&#39;<mark>extradition</mark> <mark>de</mark> l&#39;<mark>ancien</mark> <mark>gouverneur</mark>") !=
          std::string::npos);
    json it = search({"economia"});
    CHECK(langs(it) == std::vector<std::string>{"it"});
    CHECK(search({"\"Nobel dell'economia\""})["total"] == 1);  // phrases with elisions
}

TEST_CASE("one query searches every language, lang: and --lang filter") {
    // The Portillo story is in six languages; five spell the name in Latin letters.
    json all = search({"Portillo"});
    CHECK(sorted(langs(all)) == std::vector<std::string>{"cs", "de", "en", "es", "fr"});
    CHECK(langs(search({"Portillo", "lang:es"})) == std::vector<std::string>{"es"});
    CHECK(langs(search({"--lang", "de", "Portillo"})) == std::vector<std::string>{"de"});
    CHECK(sorted(langs(search({"--lang", "de,fr", "Portillo"}))) == std::vector<std::string>{"de", "fr"});
    CHECK(langs(search({"--lang", "ru", "Портильо"})) == std::vector<std::string>{"ru"});
    CHECK(search({"--lang", "ru", "Portillo"})["total"] == 0);

    RunResult bad = run({search_bin(), "--db", multilingual_db().string(), "--lang", "klingonese", "Portillo"});
    CHECK(bad.status == 2);
    CHECK(bad.err == "morgue-search: 'klingonese' is not a language code (e.g. en, ru)\n");
}

TEST_CASE("the language facet counts every match by language") {
    json j = search({"--facets", "--limit", "1", "Portillo OR Портильо"});
    REQUIRE(j.contains("facets"));
    std::map<std::string, int> counts;
    for (const auto& v : j["facets"]["lang"]) counts[v["value"]] = v["count"];
    CHECK(counts == std::map<std::string, int>{{"cs", 1}, {"de", 1}, {"en", 1}, {"es", 1}, {"fr", 1}, {"ru", 1}});
    json ru = search({"--facets", "--lang", "ru"});  // a filter alone: every Russian article
    CHECK(ru["total"] == 2);
    CHECK(ru["facets"]["lang"] == json::parse(R"([{"value": "ru", "count": 2}])"));
}

TEST_CASE("a stopword is left out only in the languages it is a stopword of") {
    // "unos" is a Spanish stopword, in no article: Spanish articles need not
    // contain it, articles in other languages must.
    CHECK(langs(search({"unos", "Portillo"})) == std::vector<std::string>{"es"});
    CHECK(search({"+unos", "Portillo"})["total"] == 0);   // required: searched for
    CHECK(search({"\"unos Portillo\""})["total"] == 0);   // in a phrase: searched for
    // Left-out stopwords are not marked.
    json es = search({"--lang", "es", "el", "Portillo"});
    CHECK(marked(es) == std::set<std::string>{"Portillo"});
}

TEST_CASE("snippets never split a character or a grapheme cluster") {
    // Devanagari vowel signs and viramas are combining marks: a cut between
    // one and its consonant would show a dotted circle.
    auto starts_with_mark = [](const std::string& s) {
        if (s.size() < 3) return false;
        auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
        if (b(0) != 0xE0 || (b(1) != 0xA4 && b(1) != 0xA5)) return false;
        unsigned cp = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
        return (cp >= 0x0900 && cp <= 0x0903) || (cp >= 0x093A && cp <= 0x094F && cp != 0x093D) ||
               (cp >= 0x0951 && cp <= 0x0957) || cp == 0x0962 || cp == 0x0963;
    };
    for (const char* q : {"पुलिस", "सुरक्षा", "हाईकोर्ट"}) {
        CAPTURE(q);
        json j = search({"--lang", "hi", q});
        REQUIRE(j["total"].get<int>() >= 1);
        std::string s = j["results"][0]["snippet"];
        CHECK(s.find("<mark>" + std::string(q) + "</mark>") != std::string::npos);
        std::string ellipsis = "\xE2\x80\xA6";
        for (std::size_t at = s.find(ellipsis); at != std::string::npos; at = s.find(ellipsis, at + 1)) {
            CHECK_FALSE(starts_with_mark(s.substr(at + ellipsis.size())));
        }
        std::string after_mark = s.substr(s.find("</mark>") + 7);
        CHECK_FALSE(starts_with_mark(after_mark));
    }
}

TEST_CASE("a stated language wins over detection, --lang is the fallback when detection is unsure") {
    TempDir dir;
    auto file = dir.write("feed.jsonl",
                          R"({"id": "a", "lang": "es", "text": "The ministries said nothing."})" "\n"
                          R"({"id": "b", "text": "Los ministerios no dijeron nada sobre la red, que según la policía reclutaba a cientos de jóvenes cubanos para la guerra."})" "\n"
                          R"({"id": "c", "text": "OK 12345"})" "\n"
                          R"({"id": "d", "text": "Los ministerios no dijeron nada."})" "\n");
    auto db = dir / "db";
    RunResult r = run({index_bin(), "--db", db.string(), "--lang", "fr", file.string()});
    CHECK(r.status == 0);
    json all = search_json(db, {"--limit", "10", "NOT zzzqqqzzz"});
    std::map<std::string, json> lang_of;  // by text (the snippet of a query that marks nothing)
    for (const auto& res : all["results"]) lang_of[res["snippet"]] = res["lang"];
    CHECK(lang_of["The ministries said nothing."] == "es");                   // given
    CHECK(lang_of["Los ministerios no dijeron nada sobre la red, que según la policía reclutaba a cientos de "
                  "jóvenes cubanos para la guerra."] == "es");  // detected
    CHECK(lang_of["OK 12345"] == "fr");                         // unsure: --lang
    // Too few letters to tell Spanish from the archive's French: --lang (issue 13).
    CHECK(lang_of["Los ministerios no dijeron nada."] == "fr");

    RunResult explain = run({index_bin(), "--explain", file.string(), "--lang", "fr"});
    CHECK(explain.out.find("language: es    [given]") != std::string::npos);
    CHECK(explain.out.find("language: es    [detected: es, ") != std::string::npos);
    CHECK(explain.out.find("language: fr    [unsure (") != std::string::npos);
    CHECK(explain.out.find("the --lang default]") != std::string::npos);
    CHECK(explain.out.find("language: fr    [detected: es, ") != std::string::npos);
    CHECK(explain.out.find("too short to overrule the --lang default]") != std::string::npos);

    RunResult bad = run({index_bin(), "--db", db.string(), "--lang", "nonsense!", file.string()});
    CHECK(bad.status == 2);
}

TEST_CASE("a stopword of the query's language is no required or rare word in another language's branch") {
    // An English article indexed as Portuguese (as detection took "RIO DE
    // JANEIRO DOCKERS STRIKE"): in the Portuguese branch "by", "the", "in"
    // are no stopwords, yet the query is English.
    TempDir dir;
    auto file = dir.write("feed.jsonl",
                          R"({"id": "rio", "lang": "pt", "title": "RIO DE JANEIRO DOCKERS STRIKE", "text": "Dockers at the port of Rio de Janeiro went on strike over wages."})" "\n"
                          R"({"id": "en1", "lang": "en", "text": "The central bank raised its rates by a quarter point in March."})" "\n"
                          R"({"id": "en2", "lang": "en", "text": "Grain harvest figures were revised by the ministry in April."})" "\n"
                          R"({"id": "pt1", "lang": "pt", "text": "O porto do Rio de Janeiro voltou a funcionar depois da greve."})" "\n");
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--db", db.string(), file.string()}).status == 0);
    json all = search_json(db, {"strike by the dockers in rio de janeiro"});
    REQUIRE(all["total"] == 1);
    CHECK(all["results"][0]["record"] == "rio");
    // With --any, the English stopwords weigh nothing in the Portuguese branch:
    // the article about the strike leads, and no article matches by them alone.
    json any = search_json(db, {"--any", "strike by the dockers in rio de janeiro"});
    REQUIRE(any["total"] == 2);
    CHECK(any["results"][0]["record"] == "rio");
}

TEST_CASE("Reuters-21578 without language labels: English headlines stay English, queries find what they found with the labels [corpora]") {
    TempDir dir;
    auto labelled = dir / "labelled" / "reuters.jsonl";
    fs::create_directories(labelled.parent_path());
    if (!convert_corpus("reuters", labelled)) {
        WARN_MESSAGE(false, "shared corpora not found: Reuters language test not run");
        return;
    }
    // The same records, same file name, without "lang": detection decides.
    auto unlabelled = dir / "unlabelled" / "reuters.jsonl";
    fs::create_directories(unlabelled.parent_path());
    {
        std::ifstream in(labelled);
        std::ofstream out(unlabelled);
        for (std::string line; std::getline(in, line);) {
            json record = json::parse(line);
            record.erase("lang");
            out << record.dump() << "\n";
        }
    }
    auto labelled_db = dir / "labelled.db";
    auto unlabelled_db = dir / "unlabelled.db";
    for (const auto& [file, db] : {std::pair{labelled, labelled_db}, {unlabelled, unlabelled_db}}) {
        RunResult r = run({index_bin(), "--quiet", "--no-stories", "--db", db.string(), file.string()}, {}, "", 1200);
        CHECK(r.status == 0);  // scripts/convert leaves out the one record with neither title nor text
    }
    // Headlines full of foreign names, which CLD2's summary took for Malay and Portuguese.
    for (const char* title : {"MALAYSIA ADVISED TO RAISE CRUDE OIL OUTPUT IN 1988", "RIO DE JANEIRO DOCKERS STRIKE"}) {
        CAPTURE(title);
        json j = search_json(unlabelled_db, {std::string("title:\"") + title + "\""});
        REQUIRE(j["results"].size() >= 1);
        CHECK(j["results"][0]["lang"] == "en");
    }
    // The same results with and without the labels (same records, same ids).
    auto top = [](const fs::path& db, std::vector<std::string> args, int n) {
        args.insert(args.begin(), {"--limit", std::to_string(n)});
        std::vector<std::string> ids;
        json j = search_json(db, args);
        for (const json& r : j["results"]) ids.push_back(r["id"]);
        return ids;
    };
    const std::string q = "strike by the dockers in rio de janeiro";
    std::vector<std::string> all = top(labelled_db, {q}, 10);
    CHECK(all.size() == 2);
    CHECK(top(unlabelled_db, {q}, 10) == all);
    // --any: the same top five. Before the short-text fallback, two one-line briefs taken for
    // Portuguese did not match "de" (a Portuguese stopword) and fell below the fifth.
    std::vector<std::string> labelled_any = top(labelled_db, {"--any", q}, 5);
    REQUIRE(labelled_any.size() == 5);
    CHECK(top(unlabelled_db, {"--any", q}, 5) == labelled_any);
    CHECK(std::vector(labelled_any.begin(), labelled_any.begin() + 2) == all);
    // Every article English: the short ones CLD2 takes for another language
    // ("RIO DE JANEIRO - IBC ESTIMATES ... COFFEE CROP", 54 letters: Portuguese)
    // get the --lang default.
    json langs = search_json(unlabelled_db, {"--facets", "--limit", "0", "date:1980-01-01..2000-12-31"});
    REQUIRE(langs["total"] == 21577);
    REQUIRE(langs["facets"]["lang"].size() == 1);
    CHECK(langs["facets"]["lang"][0]["value"] == "en");
}

TEST_CASE("a long-lived searcher stems for a language first indexed after it opened the archive, once refreshed") {
    TempDir dir;
    fs::path input = dir / "articles.jsonl", db = dir / "archive.db";
    auto write_articles = [&](const std::vector<json>& articles) {
        std::ofstream out(input);
        for (const json& a : articles) out << a.dump() << "\n";
    };
    json english = {{"id", "en1"}, {"lang", "en"}, {"title", "Horses at the fair"},
                    {"text", "The horses were shown at the county fair on Saturday."}};
    json french = {{"id", "fr1"}, {"lang", "fr"}, {"title", "Le cheval de la foire"},
                   {"text", "Le cheval a été présenté à la foire du comté samedi."}};
    write_articles({english});
    REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), input.string()}).status == 0);
    morgue::Searcher kept(db.string());
    morgue::SearchRequest request;
    request.query = "chevaux";  // French: stemmed to "cheval", the word the article has
    CHECK(kept.search(request).total == 0);

    write_articles({english, french});
    REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), input.string()}).status == 0);
    kept.refresh();
    CHECK(kept.search(request).total == 1);
    CHECK(morgue::Searcher(db.string()).search(request).total == 1);
}
