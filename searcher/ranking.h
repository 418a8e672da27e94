// Ranking: the BM25 parameters and pseudo-relevance feedback searches use.
// Kept apart from search.cc so ranking experiments (bench/, scripts/eval)
// change one struct, not the search code. docs/BENCHMARKS.md gives the
// measurements behind the defaults.
#pragma once

#include <xapian.h>

#include <memory>

namespace morgue {

struct RankingOptions {
    // kBM25: Xapian::BM25Weight, whose idf log((N - n + 0.5) / (n + 0.5)) is
    // lifted to (idf / 2 + 1) below 2, so words in half the articles still
    // weigh 1. kBM25Plus: Xapian::BM25PlusWeight (Lv and Zhai's BM25+), idf
    // log((N + 1) / n), which weighs such words about 0.7 against several
    // for rare ones; `delta` is its lower bound on a matching word's tf part
    // (0: plain BM25 with that idf).
    enum class Scheme { kBM25, kBM25Plus };
    Scheme scheme = Scheme::kBM25;
    double delta = 1.0;
    // BM25 (Xapian::BM25Weight). Xapian's own defaults are k1 = 1, b = 0.5;
    // scripts/eval chose these on TIME and CISI together (docs/BENCHMARKS.md):
    // they raise MAP on both, by 3% and 8%.
    double k1 = 2.0;
    double b = 0.75;
    // Pseudo-relevance feedback: the top `feedback_docs` results of a first
    // search are taken as relevant, Xapian's ESet picks the `feedback_terms`
    // best body stems from them, and a second search ranks the first
    // search's matches with those terms added at `feedback_weight` times
    // their own weight. 0 docs or 0 terms: no feedback (one search).
    unsigned feedback_docs = 0;
    unsigned feedback_terms = 0;
    double feedback_weight = 0.5;
};

// The weighting scheme for `options` (Enquire::set_weighting_scheme copies it).
std::unique_ptr<Xapian::Weight> weighting(const RankingOptions& options);

// `query`, expanded by pseudo-relevance feedback when `options` asks for it,
// else `query` itself. `enquire` must be set up (database, weighting); its
// query is left set to `query`. The expansion never widens the match set:
// the result matches exactly the documents `query` matches (filters and
// required words included), ranked with the extra terms.
// Throws what Xapian throws (DatabaseModifiedError...).
Xapian::Query with_feedback(Xapian::Enquire& enquire, const Xapian::Query& query, const RankingOptions& options);

}  // namespace morgue
