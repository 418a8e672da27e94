// The stored data deflated with a data dictionary (common/stored_data.h):
// the data of real articles (the bundled corpus and the multilingual test
// articles) made into documents, deflated and read back.
#include "document_builder.h"
#include "error.h"
#include "stored_data.h"

#include "../support/files.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

using namespace morgue;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The data build_document() stores for each article of the corpus and of
// tests/data/multilingual, in a fixed order.
std::vector<std::string> articles_data() {
    std::vector<Article> articles;
    std::vector<fs::path> corpus;
    for (const auto& e : fs::directory_iterator(test::source_path("corpus"))) corpus.push_back(e.path());
    std::sort(corpus.begin(), corpus.end());
    for (const fs::path& f : corpus) {
        Article a;
        a.relative_path = "corpus/" + f.filename().string();
        a.body = test::read_file(f);
        a.lang = "en";
        articles.push_back(a);
    }
    std::vector<fs::path> jsonl;
    for (const auto& e : fs::directory_iterator(test::source_path("tests/data/multilingual"))) {
        if (e.path().extension() == ".jsonl") jsonl.push_back(e.path());
    }
    std::sort(jsonl.begin(), jsonl.end());
    for (const fs::path& f : jsonl) {
        std::ifstream in(f);
        int line = 0;
        for (std::string text; std::getline(in, text);) {
            json record = json::parse(text);
            Article a;
            a.relative_path = f.filename().string();
            a.record = std::to_string(++line);
            a.title = record.value("title", "");
            a.body = record.value("text", "");
            a.lang = f.stem().string();
            articles.push_back(a);
        }
    }
    Analyzer analyzer;
    std::vector<std::string> data;
    for (const Article& a : articles) data.push_back(build_document(a, analyzer).get_data());
    return data;
}

std::size_t zlib_alone(const std::string& s) {
    uLongf n = compressBound(static_cast<uLong>(s.size()));
    std::string out(n, '\0');
    REQUIRE(compress2(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(s.data()),
                      static_cast<uLong>(s.size()), Z_DEFAULT_COMPRESSION) == Z_OK);
    return n;
}

}  // namespace

TEST_CASE("stored data deflated with a dictionary of the first articles' data: smaller, read back exactly") {
    std::vector<std::string> data = articles_data();
    REQUIRE(data.size() > 30);
    std::string all;
    for (const std::string& d : data) all += d;
    REQUIRE(all.size() > DataDictionary::kBytes + 4096);

    // Less than the dictionary's length of data makes none (the data stays plain).
    CHECK(!dictionary_from(std::string_view(all).substr(0, DataDictionary::kBytes - 1)));
    std::optional<std::string> bytes = dictionary_from(all);
    REQUIRE(bytes);
    CHECK(bytes->size() == DataDictionary::kBytes);
    CHECK(all.ends_with(*bytes));

    DataDictionary dictionary(*bytes);
    std::size_t deflated_bytes = 0, alone_bytes = 0;
    for (const std::string& d : data) {
        CAPTURE(d.substr(0, 80));
        CHECK(!is_deflated(d));
        CHECK(data_json(d, nullptr) == d);  // plain JSON: itself
        std::string deflated = dictionary.deflated(d);
        CHECK(is_deflated(deflated));
        CHECK(data_json(deflated, &dictionary) == d);
        deflated_bytes += deflated.size();
        alone_bytes += zlib_alone(d);
    }
    // Each article deflated alone (as Xapian does) is larger than with the dictionary.
    CHECK(deflated_bytes < alone_bytes);

    std::string one = dictionary.deflated(data.front());
    // Without the dictionary, with another, cut short: an error, never other text.
    CHECK_THROWS_AS(data_json(one, nullptr), Error);
    DataDictionary other(std::string(all, 0, DataDictionary::kBytes));
    CHECK_THROWS_AS(other.inflated(one), Error);
    CHECK_THROWS_AS(dictionary.inflated(one.substr(0, one.size() - 5)), Error);
    std::string flipped = one;
    flipped[flipped.size() / 2] ^= 0x10;
    CHECK_THROWS_AS(dictionary.inflated(flipped), Error);

    // A reader whose first article was deflated with another dictionary still reads its own
    // (each reader keeps a stream primed with the first header it met; others take the long way).
    DataDictionary fresh(*bytes);
    CHECK_THROWS_AS(fresh.inflated(other.deflated(data.front())), Error);
    CHECK(fresh.inflated(one) == data.front());
    CHECK(fresh.inflated(dictionary.deflated(data.back())) == data.back());
}
