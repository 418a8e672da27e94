// Ranking options (searcher/ranking.h) through morgue::Searcher on a database
// of corpus/ built by the real morgue-index: what the weighting and
// pseudo-relevance feedback change, and what they never change.
#include "../support/run.h"

#include "search.h"

#include <doctest/doctest.h>

#include <set>

using namespace morgue::test;

namespace {

morgue::SearchResult search(const std::string& query, const morgue::RankingOptions& ranking, bool any = false) {
    morgue::Searcher searcher(corpus_db().string());
    morgue::SearchRequest req;
    req.query = query;
    req.match_any = any;
    req.ranking = ranking;
    return searcher.search(req);
}

std::set<std::string> ids(const morgue::SearchResult& r) {
    std::set<std::string> out;
    for (const auto& h : r.hits) out.insert(h.id);
    return out;
}

std::vector<double> scores(const morgue::SearchResult& r) {
    std::vector<double> out;
    for (const auto& h : r.hits) out.push_back(h.score);
    return out;
}

}  // namespace

TEST_CASE("BM25 parameters and BM25+ change the scores, never the matches") {
    morgue::RankingOptions xapian{.k1 = 1, .b = 0.5};
    morgue::RankingOptions plus{.scheme = morgue::RankingOptions::Scheme::kBM25Plus};
    auto base = search("cuba trafficking", xapian);
    REQUIRE(base.hits.size() == 5);
    for (const auto& other : {search("cuba trafficking", {}), search("cuba trafficking", plus)}) {
        CHECK(ids(other) == ids(base));
        CHECK(scores(other) != scores(base));
    }
}

TEST_CASE("pseudo-relevance feedback re-ranks the query's matches and adds none") {
    morgue::RankingOptions none;
    morgue::RankingOptions feedback{.feedback_docs = 2, .feedback_terms = 10, .feedback_weight = 1.0};
    // "rodriguez" alone matches fewer articles than the terms feedback brings in.
    auto plain = search("rodriguez", none);
    auto expanded = search("rodriguez", feedback);
    REQUIRE_FALSE(plain.hits.empty());
    CHECK(plain.total < 5);
    CHECK(ids(expanded) == ids(plain));
    CHECK(scores(expanded) != scores(plain));
    // Filters hold: nothing outside September 2023 comes back.
    auto filtered = search("cuba date:2023-09", feedback);
    CHECK(ids(filtered) == ids(search("cuba date:2023-09", none)));
    // No feedback asked for, or nothing to learn from: one plain search.
    CHECK(scores(search("rodriguez", {.feedback_docs = 2, .feedback_terms = 0})) == scores(plain));
    CHECK(search("zzzunknownword", feedback).hits.empty());
}

TEST_CASE("snippet_bytes 0: no snippets") {
    morgue::Searcher searcher(corpus_db().string());
    morgue::SearchRequest req;
    req.query = "cuba";
    req.snippet_bytes = 0;
    auto r = searcher.search(req);
    REQUIRE_FALSE(r.hits.empty());
    for (const auto& h : r.hits) CHECK(h.snippet.empty());
    req.snippet_bytes = 300;
    CHECK_FALSE(searcher.search(req).hits.front().snippet.empty());
}
