// Golden tests of document building: every term of a document with its wdf
// and positions, and every value, per row (as Xapian's api_termgen tests do).
#include "document.h"
#include "document_builder.h"
#include "schema.h"

#include "../support/files.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace morgue;
using morgue::test::term_dump;
using morgue::test::value_dump;

namespace {

Article article(std::optional<std::string> title, std::string body, std::string lang = "en") {
    Article a;
    a.path = "corpus/a.txt";
    a.title = std::move(title);
    a.body = std::move(body);
    a.lang = std::move(lang);
    return a;
}

std::string terms_of(const Article& a) {
    Analyzer analyzer;
    return term_dump(build_document(a, analyzer));
}

}  // namespace

TEST_CASE("document terms, golden: words, stems, title, quotes, positions") {
    struct Row {
        const char* what;
        Article article;
        const char* expected;
    } rows[] = {
        {"title and body: the title in S and, at wdf 3 without positions, in the body stream; quotes at their body positions",
         article("Cuba talks", "Cuba said: \"no talks\"."),
         "Len:0\n"
         "Qcorpus/a.txt:0\n"
         "Scuba:1[1]\n"
         "Stalks:1[2]\n"
         "XFcorpus/a.txt:0\n"
         "XG4bbc19f36eb7c7d9:0\n"
         "XQno:1[105]\n"
         "XQtalks:1[106]\n"
         "XUNDATED:0\n"
         "ZSen:cuba:1\n"
         "ZSen:talk:1\n"
         "Zen:cuba:4\n"
         "Zen:no:1\n"
         "Zen:said:1\n"
         "Zen:talk:4\n"
         "cuba:4[103]\n"
         "no:1[105]\n"
         "said:1[104]\n"
         "talks:4[106]\n"},
        {"no title: the body starts at position 1; folding, typographic apostrophes",
         article(std::nullopt, "Díaz-Canel’s visit"),
         "Len:0\n"
         "Qcorpus/a.txt:0\n"
         "XFcorpus/a.txt:0\n"
         "XGf6c66154c0100b01:0\n"
         "XUNDATED:0\n"
         "Zen:canel:1\n"
         "Zen:diaz:1\n"
         "Zen:visit:1\n"
         "canel's:1[2]\n"
         "diaz:1[1]\n"
         "visit:1[3]\n"},
        {"Russian: stems of the article's language",
         article(std::nullopt, "Министерство заявило", "ru"),
         "Lru:0\n"
         "Qcorpus/a.txt:0\n"
         "XFcorpus/a.txt:0\n"
         "XGcc9fc5a6bfc2f942:0\n"
         "XUNDATED:0\n"
         "Zru:заяв:1\n"
         "Zru:министерств:1\n"
         "заявило:1[2]\n"
         "министерство:1[1]\n"},
        {"an over-long word keeps its position but is not indexed",
         article(std::nullopt, "a " + std::string(70, 'x') + " b"),
         "Len:0\n"
         "Qcorpus/a.txt:0\n"
         "XFcorpus/a.txt:0\n"
         "XG585d039c84f25d68:0\n"
         "XUNDATED:0\n"
         "Zen:a:1\n"
         "Zen:b:1\n"
         "a:1[1]\n"
         "b:1[3]\n"},
    };
    // Every row's article is corpus/a.txt: its Q term is that identity's article id.
    const std::string id_term = "Q" + schema::article_id("corpus/a.txt");
    for (const Row& r : rows) {
        CAPTURE(r.what);
        std::string expected = r.expected;
        expected.replace(expected.find("Qcorpus/a.txt"), std::string("Qcorpus/a.txt").size(), id_term);
        CHECK(terms_of(r.article) == expected);
    }
}

TEST_CASE("document filters and values, golden: dates, sources, language, story") {
    Analyzer analyzer;
    Article a = article("Talks", "Cuba said no.");
    a.date = Date::make(2023, 9, 5);
    a.sources = {"BBC News", "Reuters"};
    Xapian::Document doc = build_document(a, analyzer);
    CHECK(term_dump(doc, "D") == "D20230905:0\n");
    CHECK(term_dump(doc, "M") == "M202309:0\n");
    CHECK(term_dump(doc, "Y") == "Y2023:0\n");
    CHECK(term_dump(doc, "XS") == "XSbbcnews:0\nXSreuters:0\n");
    CHECK(term_dump(doc, "XU").empty());  // dated
    std::string story = schema::story_key_for(a.identity(), a.body);
    CHECK(term_dump(doc, "XG") == schema::story_term(story) + ":0\n");
    // Slots 1 (the primary source), 2 (the year) and 3 (the month) are retired: nothing read them.
    CHECK(value_dump(doc) == "0=20230905\n"
                             "4=" + story + "\n"
                             "5=en\n"
                             "6=BBC News\x1fReuters\n"
                             "7=20230905\n");

    Article undated = article(std::nullopt, "Cuba said no.", "");
    Xapian::Document u = build_document(undated, analyzer);
    CHECK(term_dump(u, "L") == "Len:0\n");  // no language: the default
    CHECK(term_dump(u, "XU") == "XUNDATED:0\n");
    CHECK(value_dump(u).find("7=~\n") != std::string::npos);
    CHECK(value_dump(u).find("0=") == std::string::npos);
}

TEST_CASE("the stored data carries the article's id, as its Q term, and data without one (older databases) reads the term") {
    Analyzer analyzer;
    Article a = article("Cuba talks", "Cuba said: \"no talks\".");
    a.relative_path = "corpus/a.txt";
    a.record = "wire-7";
    Xapian::Document doc = build_document(a, analyzer);
    const std::string id = schema::article_id("corpus/a.txt#wire-7");
    CHECK(term_dump(doc, std::string(schema::kPrefixId)) == "Q" + id + ":0\n");
    CHECK(nlohmann::json::parse(doc.get_data())[schema::kDataId] == id);
    CHECK(stored_article(doc, nullptr).id == id);

    const std::string data = doc.get_data();
    nlohmann::json older = nlohmann::json::parse(data);
    older.erase(schema::kDataId);
    doc.set_data(older.dump());
    CHECK(stored_article(doc, nullptr).id == id);  // from the Q term
    doc.remove_term(schema::id_term(id));
    CHECK(stored_article(doc, nullptr).id == "");
    doc.set_data(data);
    CHECK(stored_article(doc, nullptr).id == id);  // from the data alone
}
