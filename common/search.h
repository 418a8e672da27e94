// Searching: a SearchRequest in, a SearchResult out. The one entry point the
// command line and the CGI share; renderers (render.h) turn the result into
// text, JSON or HTML.
#pragma once

#include "analyzer.h"
#include "article.h"
#include "ranking.h"
#include "snippet.h"

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

namespace morgue {

struct SearchRequest {
    std::string query;
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
    bool match_any = false;          // default operator OR instead of AND
    double time_limit = 5.0;         // seconds the matcher may run (0: no limit)
    std::size_t snippet_bytes = 300; // about how long snippets are (0: no snippets)
    RankingOptions ranking;          // BM25 parameters, pseudo-relevance feedback
};

// Limits on requests, checked by validate().
inline constexpr Xapian::doccount kMaxLimit = 1000;
inline constexpr Xapian::doccount kMaxOffset = 100000;

// Throws UsageError when a field of `request` is out of range.
void validate(const SearchRequest& request);

struct Hit {
    Xapian::docid id = 0;
    Xapian::doccount rank = 0;  // 1-based, over the whole result list
    double score = 0;
    Article article;            // stored fields (body included)
    std::string display_title;  // the title, or the first words of the body
    Marked snippet;
};

struct SearchResult {
    std::string query;
    Xapian::doccount total = 0;  // estimated number of matches
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 0;
    std::vector<Hit> hits;
    double seconds = 0;
};

// Holds an open database. Not thread-safe; cheap to keep for many searches.
class Searcher {
public:
    // Throws DatabaseError when the database cannot be opened.
    explicit Searcher(const std::string& db_path);

    // Throws QueryError for a malformed query or one over the limits
    // (wildcard expansion, time), DatabaseError when the database fails.
    // Retries when the database changes underneath (a reindex).
    SearchResult search(const SearchRequest& request);

    const Xapian::Database& database() const { return db_; }

private:
    SearchResult run(const SearchRequest& request);

    std::string path_;
    Xapian::Database db_;
    Analyzer analyzer_;
};

}  // namespace morgue
