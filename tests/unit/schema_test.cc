#include "schema.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace morgue;

TEST_CASE("long ids are hashed below Xapian's term limit and stay distinct") {
    std::string a(500, 'a'), b = a;
    b.back() = 'b';
    CHECK(schema::id_term(a).size() <= schema::kMaxTermBytes);
    CHECK(schema::id_term(a) != schema::id_term(b));
    CHECK(schema::id_term("corpus/x.txt") == "Qcorpus/x.txt");
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
                               schema::kPrefixCaption, schema::kPrefixByline,
                               schema::kPrefixSource, schema::kPrefixDay, schema::kPrefixMonth, schema::kPrefixYear,
                               schema::kPrefixLang, schema::kPrefixStory}) {
        CAPTURE(p);
        CHECK(doc.find("`" + std::string(p) + "`") != std::string::npos);
    }
}
