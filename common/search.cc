#include "search.h"

#include "database.h"
#include "document.h"
#include "error.h"
#include "language.h"
#include "query.h"
#include "schema.h"

#include <chrono>

namespace morgue {

namespace {
constexpr std::size_t kTitleFallbackBytes = 80;

// Articles in any of `langs`.
Xapian::Query lang_filter(const std::vector<std::string>& langs) {
    std::vector<Xapian::Query> terms;
    for (const std::string& lang : langs) terms.emplace_back(schema::lang_term(lang));
    return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}
}  // namespace

void validate(const SearchRequest& r) {
    if (r.limit > kMaxLimit) throw UsageError("limit must be at most " + std::to_string(kMaxLimit));
    if (r.offset > kMaxOffset) throw UsageError("offset must be at most " + std::to_string(kMaxOffset));
    if (r.time_limit < 0) throw UsageError("time limit must not be negative");
    for (const std::string& lang : r.langs) {
        if (lang.size() != 2 || lang != normalise_language(lang)) {
            throw UsageError("language '" + lang + "' is not an ISO 639-1 code (e.g. en, ru)");
        }
    }
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
    QueryBuilder builder(analyzer_, request.langs.empty() ? languages_in(db_) : request.langs, qopts);
    ParsedQuery parsed = builder.parse(request.query);
    if (!request.langs.empty()) parsed.query = Xapian::Query(Xapian::Query::OP_FILTER, parsed.query, lang_filter(request.langs));

    Xapian::Enquire enquire(db_);
    enquire.set_query(parsed.query);
    enquire.set_weighting_scheme(Xapian::BM25Weight());
    if (request.time_limit > 0) enquire.set_time_limit(request.time_limit);
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
        hit.snippet = highlighter.snippet(hit.article.body, hit.article.lang, request.snippet_bytes);
        result.hits.push_back(std::move(hit));
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace morgue
