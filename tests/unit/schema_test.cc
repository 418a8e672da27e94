#include "schema.h"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

using namespace morgue;

TEST_CASE("article ids: 13 base32 characters from the identity, the same every time, distinct") {
    std::string long_a(500, 'a'), long_b = long_a;
    long_b.back() = 'b';
    std::set<std::string> ids;
    for (const std::string& identity : {std::string("corpus/x.txt"), std::string("corpus/y.txt"),
                                        std::string("feed.jsonl#1"), std::string("feed.jsonl#2"), long_a, long_b}) {
        CAPTURE(identity.substr(0, 20));
        std::string id = schema::article_id(identity);
        CHECK(id == schema::article_id(identity));
        CHECK(schema::is_article_id(id));
        CHECK(schema::id_term(id) == "Q" + id);
        ids.insert(id);
    }
    CHECK(ids.size() == 6);
    for (const char* bad : {"", "abc", "0000000000000x", "000000000000i", "000000000000O", "z000000000000", "../../etc/pwd"}) {
        CAPTURE(bad);
        CHECK(!schema::is_article_id(bad));
    }
    CHECK(schema::is_article_id("0000000000000"));
    CHECK(schema::is_article_id("fzzzzzzzzzzzz"));  // the largest: 2^64 - 1
}

TEST_CASE("fields are found case-insensitively") {
    REQUIRE(schema::find_field("TITLE") != nullptr);
    CHECK(schema::find_field("title")->prefix == schema::kPrefixTitle);
    CHECK(schema::find_field("nosuch") == nullptr);
}

TEST_CASE("source names normalise for filters") {
    CHECK(schema::normalise_source("BBC News") == "bbcnews");
    CHECK(schema::source_term("NPR") == schema::source_term("npr"));
}

TEST_CASE("docs/SCHEMA.md describes every query field and prefix") {
    std::ifstream in(std::string(MORGUE_SOURCE_DIR) + "/docs/SCHEMA.md");
    REQUIRE(in.good());
    std::stringstream ss;
    ss << in.rdbuf();
    std::string doc = ss.str();
    for (const schema::Field& f : schema::fields()) {
        CAPTURE(f.name);
        CHECK(doc.find("`" + std::string(f.name) + ":") != std::string::npos);
    }
    for (std::string_view p : {schema::kPrefixId, schema::kPrefixFile, schema::kPrefixTitle, schema::kPrefixQuote,
                               schema::kPrefixSource, schema::kPrefixDay, schema::kPrefixMonth, schema::kPrefixYear,
                               schema::kPrefixLang, schema::kPrefixStory}) {
        CAPTURE(p);
        CHECK(doc.find("`" + std::string(p) + "`") != std::string::npos);
    }
}
