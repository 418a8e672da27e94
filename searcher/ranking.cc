#include "ranking.h"

#include "schema.h"

#include <set>
#include <string>
#include <vector>

namespace morgue {

namespace {

// Expansion terms: body stems ("Zen:traffick") of any language, not the
// query's own. Unstemmed words would double-count the stems; title stems
// ("ZSen:…") and filters (dates, sources, ids) are left out.
class FeedbackTerms : public Xapian::ExpandDecider {
public:
    explicit FeedbackTerms(std::set<std::string> exclude) : exclude_(std::move(exclude)) {}
    bool operator()(const std::string& term) const override {
        return schema::is_body_stem(term) && !exclude_.count(term);
    }

private:
    std::set<std::string> exclude_;
};

}  // namespace

std::unique_ptr<Xapian::Weight> weighting(const RankingOptions& o) {
    // k2 = 0, k3 = 1 and min_normlen = 0.5 are Xapian's defaults.
    if (o.scheme == RankingOptions::Scheme::kBM25Plus) {
        return std::make_unique<Xapian::BM25PlusWeight>(o.k1, 0, 1, o.b, 0.5, o.delta);
    }
    return std::make_unique<Xapian::BM25Weight>(o.k1, 0, 1, o.b, 0.5);
}

Xapian::Query with_feedback(Xapian::Enquire& enquire, const Xapian::Query& query, const RankingOptions& o) {
    enquire.set_query(query);
    if (o.feedback_docs == 0 || o.feedback_terms == 0) return query;
    Xapian::MSet top = enquire.get_mset(0, o.feedback_docs);
    if (top.empty()) return query;
    Xapian::RSet rset;
    for (auto it = top.begin(); it != top.end(); ++it) rset.add_document(*it);
    FeedbackTerms decider(std::set<std::string>(query.get_terms_begin(), query.get_terms_end()));
    Xapian::ESet eset = enquire.get_eset(o.feedback_terms, rset, &decider);
    if (eset.empty()) return query;
    std::vector<Xapian::Query> terms;
    for (auto it = eset.begin(); it != eset.end(); ++it) terms.emplace_back(*it);
    Xapian::Query expansion(Xapian::Query::OP_OR, terms.begin(), terms.end());
    // AND_MAYBE: the extra terms only re-rank what the query matches, so
    // filters and AND semantics hold.
    return Xapian::Query(Xapian::Query::OP_AND_MAYBE, query,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, expansion, o.feedback_weight));
}

}  // namespace morgue
