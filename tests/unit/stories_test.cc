// Story placement in memory (indexer/stories.h): each article gets its final
// story before it is written, from the articles placed before it.
#include "document_builder.h"
#include "schema.h"
#include "stories.h"

#include "../support/files.h"

#include <doctest/doctest.h>

using namespace morgue;
using morgue::test::read_file;
using morgue::test::source_path;

namespace {

// Places articles one after another, as the indexer's writer does.
struct Placer {
    Analyzer analyzer;
    StopStems stop{analyzer};
    StoryIndex index{std::nullopt};

    // The story key article `name` is written with.
    std::string place(const std::string& name, const std::string& body, const std::string& date,
                      const std::string& lang = "en") {
        Article a;
        a.path = name;
        a.title = "Version " + name;
        a.body = body;
        a.lang = lang;
        if (!date.empty()) a.date = Date::parse_iso(date);
        Xapian::Document doc = build_document(a, analyzer);
        std::string founded = doc.get_value(schema::kSlotStory);
        index.place(doc, schema::id_term(schema::article_id(a.identity())), sketch_of(doc, stop));
        std::string key = doc.get_value(schema::kSlotStory);
        // Exactly one story term, the value's.
        int terms = 0;
        for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
            if ((*t).rfind(schema::kPrefixStory, 0) == 0) {
                ++terms;
                CHECK(*t == schema::story_term(key));
            }
        }
        CHECK(terms == 1);
        CHECK((key == founded) == (index.stats().joined == joined_before));
        joined_before = index.stats().joined;
        return key;
    }
    std::size_t joined_before = 0;
};

std::string sample(const char* name) { return read_file(source_path(std::string("corpus/") + name)); }

}  // namespace

TEST_CASE("stories in memory: the five sample versions are one story, the late free rewrite by the story as a whole") {
    Placer p;
    // As extracted from the files: 000 and 003 undated, 004 ten weeks after 001 and 002.
    std::string a = p.place("000", sample("000_cc7b64ab0a708bc0.txt"), "");
    CHECK(p.place("001", sample("001_d8aa3ce31b691a40.txt"), "2023-09-05") == a);
    CHECK(p.place("002", sample("002_306fba015a5c4372.txt"), "2023-09-05") == a);
    CHECK(p.place("003", sample("003_34566bfd62d2dca6.txt"), "") == a);
    CHECK(p.place("004", sample("004_d429417838e75d46.txt"), "2023-11-16") == a);
    CHECK(p.index.stats().joined == 4);
    CHECK(p.index.memory() < 64 * 1024);
}

TEST_CASE("stories in memory: the date window, undated articles at any date, one language") {
    std::string text = sample("000_cc7b64ab0a708bc0.txt");
    Placer p;
    std::string a = p.place("a", text, "2023-09-05");
    CHECK(p.place("b", text, "2023-09-19") == a);  // 14 days: in the window
    std::string c = p.place("c", text, "2023-11-20");
    CHECK(c != a);  // two months later: a new story, even word for word
    CHECK(p.place("d", text, "") == a);  // undated: joins the first (the most alike, then the earliest)
    CHECK(p.place("e", text, "2023-11-25") == c);
    CHECK(p.place("f", text, "2023-09-10", "de") != a);  // another language is never compared
}

TEST_CASE("stories in memory: an article alike to nothing founds its own story") {
    Placer p;
    std::string a = p.place("a", sample("000_cc7b64ab0a708bc0.txt"), "2023-09-05");
    std::string b = p.place("b",
                            "The central bank raised its benchmark interest rate by a quarter point on Tuesday, "
                            "citing persistent inflation in housing and services, and signalled further increases.",
                            "2023-09-06");
    CHECK(b != a);
    CHECK(p.index.stats().joined == 0);
}
