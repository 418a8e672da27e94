#include "search.h"

#include "database.h"
#include "document.h"
#include "error.h"
#include "query.h"

#include <chrono>

namespace morgue {

namespace {
constexpr std::size_t kTitleFallbackBytes = 80;
}

void validate(const SearchRequest& r) {
    if (r.limit > kMaxLimit) throw UsageError("limit must be at most " + std::to_string(kMaxLimit));
    if (r.offset > kMaxOffset) throw UsageError("offset must be at most " + std::to_string(kMaxOffset));
    if (r.time_limit < 0) throw UsageError("time limit must not be negative");
}

Searcher::Searcher(const std::string& db_path) : path_(db_path), db_(open_for_reading(db_path)) {}

SearchResult Searcher::search(const SearchRequest& request) {
    for (int attempt = 0;; ++attempt) {
        try {
            return run(request);
        } catch (const Xapian::DatabaseModifiedError&) {
            if (attempt >= 5) throw DatabaseError("database " + path_ + " keeps changing; try again");
            db_.reopen();
        } catch (const Xapian::WildcardError& e) {
            throw QueryError("a wildcard matches too many words (" + e.get_msg() + "); make it longer");
        } catch (const Xapian::DatabaseError& e) {
            throw DatabaseError("database " + path_ + ": " + e.get_msg());
        }
    }
}

SearchResult Searcher::run(const SearchRequest& request) {
    auto start = std::chrono::steady_clock::now();
    validate(request);
    QueryOptions qopts;
    qopts.default_op = request.match_any ? Xapian::Query::OP_OR : Xapian::Query::OP_AND;
    QueryBuilder builder(analyzer_, languages_in(db_), qopts);
    ParsedQuery parsed = builder.parse(request.query);

    Xapian::Enquire enquire(db_);
    enquire.set_weighting_scheme(*weighting(request.ranking));
    if (request.time_limit > 0) enquire.set_time_limit(request.time_limit);
    enquire.set_query(with_feedback(enquire, parsed.query, request.ranking));
    Xapian::MSet mset = enquire.get_mset(request.offset, request.limit);

    SearchResult result;
    result.query = request.query;
    result.total = mset.get_matches_estimated();
    result.offset = request.offset;
    result.limit = request.limit;
    Highlighter highlighter(analyzer_, parsed.match);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.id = *it;
        hit.rank = it.get_rank() + 1;
        hit.score = it.get_weight();
        hit.article = stored_article(it.get_document());
        hit.display_title = hit.article.title ? *hit.article.title : first_words(hit.article.body, kTitleFallbackBytes);
        if (request.snippet_bytes > 0) {
            hit.snippet = highlighter.snippet(hit.article.body, hit.article.lang, request.snippet_bytes);
        }
        result.hits.push_back(std::move(hit));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace morgue
