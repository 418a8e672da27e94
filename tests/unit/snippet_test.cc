#include "query.h"
#include "render.h"
#include "snippet.h"

#include <doctest/doctest.h>

using namespace morgue;

namespace {

std::string highlight(std::string_view query, std::string_view text, std::size_t max_bytes = 300) {
    Analyzer a;
    ParsedQuery p = QueryBuilder(a, {"en"}).parse(query);
    Highlighter h(a, p.match);
    return to_html(h.snippet(text, "en", max_bytes));
}

}  // namespace

TEST_CASE("the original words are marked, whatever variant matched") {
    CHECK(highlight("Diaz-Canel", "President Miguel Díaz-Canel met Putin.") ==
          "President Miguel <mark>Díaz</mark>-<mark>Canel</mark> met Putin.");
    CHECK(highlight("Rodriguez", "Bruno Rodríguez Parilla") == "Bruno <mark>Rodríguez</mark> Parilla");
    CHECK(highlight("cuba's", "Cuba’s foreign ministry") == "<mark>Cuba’s</mark> foreign ministry");
    CHECK(highlight("recruit", "recruiting and recruitment") ==
          "<mark>recruiting</mark> and <mark>recruitment</mark>");
    CHECK(highlight("CUBA", "cuba") == "<mark>cuba</mark>");
    CHECK(highlight("traffick*", "trafficking ring") == "<mark>trafficking</mark> ring");
}

TEST_CASE("phrase words are marked only where the phrase occurs") {
    CHECK(highlight("\"human trafficking ring\"", "a ring; a human trafficking ring.") ==
          "a ring; a <mark>human</mark> <mark>trafficking</mark> <mark>ring</mark>.");
}

TEST_CASE("snippets are escaped HTML") {
    CHECK(highlight("script", "<script>alert(1)</script>") ==
          "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;");
}

TEST_CASE("a long text is cut around the best passage, at word boundaries") {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "filler words here. ";
    text += "Havana said Cuba uncovered the ring. ";
    for (int i = 0; i < 100; ++i) text += "more filler text. ";
    std::string s = highlight("cuba havana", text, 120);
    CHECK(s.find("<mark>Havana</mark> said <mark>Cuba</mark>") != std::string::npos);
    CHECK(s.rfind("…", 0) == 0);                     // starts with an ellipsis
    CHECK(s.size() < 220);
}

TEST_CASE("without matches the snippet is the start of the text") {
    std::string s = highlight("zebra", "Cuba has uncovered a ring. More text follows here.", 30);
    CHECK(s.rfind("Cuba has uncovered", 0) == 0);
}

TEST_CASE("CJK snippets mark whole words and never split a character") {
    std::string s = highlight("外交部", "古巴外交部表示");
    CHECK(s == "古巴<mark>外交部</mark>表示");
}

TEST_CASE("first_words cuts at a word boundary") {
    CHECK(first_words("Cuba has uncovered a human trafficking ring", 20) == "Cuba has uncovered a…");
    CHECK(first_words("short", 20) == "short");
    CHECK(first_words("Díaz Díaz Díaz", 6) == "Díaz…");
}
