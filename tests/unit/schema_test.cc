#include "schema.h"

#include "../support/files.h"

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
    std::string doc = test::read_file(test::source_path("docs/SCHEMA.md"));
    REQUIRE(!doc.empty());
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

TEST_CASE("docs/SCHEMA.md names every metadata key") {
    std::string doc = test::read_file(test::source_path("docs/SCHEMA.md"));
    REQUIRE(!doc.empty());
    for (std::string_view key : {std::string_view(schema::kMetaSchemaVersion), schema::kMetaFilePrefix,
                                 std::string_view(schema::kMetaPendingStories), std::string_view(schema::kMetaShardBy),
                                 std::string_view(schema::kMetaLastRun)}) {
        CAPTURE(key);
        CHECK(doc.find("`" + std::string(key)) != std::string::npos);
    }
}

TEST_CASE("term builders: each field's prefix, and stems per language") {
    CHECK(schema::field_term(schema::kPrefixTitle, "cuba") == "Scuba");
    CHECK(schema::field_term("", "cuba") == "cuba");
    CHECK(schema::month_term("202309") == "M202309");
    CHECK(schema::year_term("2023") == "Y2023");
    // An id's bits: the 64 it spells, the first digit holding 4.
    CHECK(schema::article_bits("0000000000001") == 1);
    CHECK(schema::article_bits("000000000000z") == 31);
    CHECK(schema::article_bits("0000000000010") == 32);
    CHECK(schema::article_bits("fzzzzzzzzzzzz") == UINT64_MAX);
    std::string id = schema::article_id("reuters-1");
    CHECK(schema::article_bits(id) != schema::article_bits(schema::article_id("reuters-2")));
    CHECK(schema::day_term("20230905") == "D20230905");
    CHECK(schema::body_stem_term("en", "traffick") == "Zen:traffick");
    CHECK(schema::stem_term(schema::kPrefixTitle, "en", "cuba") == "ZSen:cuba");
    CHECK(schema::lang_stem("Zen:traffick") == "en:traffick");
}

TEST_CASE("body stems are told from title stems and other terms") {
    CHECK(schema::is_body_stem(schema::body_stem_term("en", "traffick")));
    CHECK(schema::is_body_stem(schema::body_stem_term("ru", "министерств")));
    CHECK_FALSE(schema::is_body_stem(schema::stem_term(schema::kPrefixTitle, "en", "cuba")));
    CHECK_FALSE(schema::is_body_stem(schema::stem_term(schema::kPrefixQuote, "en", "war")));
    CHECK_FALSE(schema::is_body_stem("Z"));
    CHECK_FALSE(schema::is_body_stem(schema::id_term("corpus/x.txt")));
    CHECK_FALSE(schema::is_body_stem("zebra"));
}

TEST_CASE("file state keys: the path, or a hash of it when long") {
    CHECK(schema::file_state_key("corpus/a.txt") == std::string(schema::kMetaFilePrefix) + "corpus/a.txt");
    std::string a(300, 'a'), b = a;
    b.back() = 'b';
    CHECK(schema::file_state_key(a).size() < 40);
    CHECK(schema::file_state_key(a) != schema::file_state_key(b));
    CHECK(schema::file_state_key(a).rfind(schema::kMetaFilePrefix, 0) == 0);
}
