// Searching: a SearchRequest in, a SearchResult out. The one entry point the
// command line and the CGI share; renderers (render.h) turn the result into
// text, JSON or HTML.
#pragma once

#include "analyzer.h"
#include "article.h"
#include "facets.h"
#include "ranking.h"
#include "shards.h"
#include "snippet.h"
#include "story.h"
#include "stored_data.h"

#include <xapian.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

enum class SortOrder {
    kRelevance,  // BM25, best first (default)
    kNewest,     // date, newest first; undated articles last
    kOldest,     // date, oldest first; undated articles last
};

// "relevance", "date" (newest first) or "oldest", or nullopt.
std::optional<SortOrder> parse_sort(std::string_view name);
std::string_view sort_name(SortOrder order);

struct SearchRequest {
    std::string query;                 // may be empty with `like` or a filter: everything matches
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 10;
    bool match_any = false;            // default operator OR instead of AND
    // Filters (never change the ranking).
    std::optional<std::string> since;  // YYYY, YYYY-MM or YYYY-MM-DD, inclusive
    std::optional<std::string> until;  // inclusive: "2023" means up to 2023-12-31
    std::vector<std::string> sources;  // any of them, case-insensitive
    // Languages (ISO 639-1 codes): only articles in any of them, with query
    // words stemmed for them only. Empty: every language.
    std::vector<std::string> langs;
    SortOrder sort = SortOrder::kRelevance;
    bool facets = false;               // count sources, years, months and languages over all matches (facets.h)
    // Facets are counted exactly up to this many matches, beyond on a sample
    // (facets.h); the largest doccount: always exactly (slower).
    Xapian::doccount exact_facets_up_to = kExactFacetsUpTo;
    bool collapse = false;             // one result per story
    std::optional<std::string> like;   // articles most like this one, by article id (relevance feedback)
    double time_limit = 5.0;           // seconds the matcher may run (0: no limit)
    std::size_t snippet_bytes = 300;   // about how long snippets are (0: no snippets)
    RankingOptions ranking;            // weighting, pseudo-relevance feedback (ranking.h)
};

// Limits on requests, checked by validate().
inline constexpr Xapian::doccount kMaxLimit = 1000;
inline constexpr Xapian::doccount kMaxOffset = 100000;
inline constexpr std::size_t kMaxSources = 20;
// A search with results gets a "did you mean" only when the suggestion
// finds at least this many times as many articles.
inline constexpr Xapian::doccount kSuggestWhenFewer = 10;

// `id`, when it has the form of an article id (schema::article_id); else
// throws UsageError saying so, naming it `what` ("like", "doc").
const std::string& checked_article_id(const std::string& id, std::string_view what);

// Throws UsageError when a field of `request` is out of range or malformed.
// Searcher::search() calls it; callers need not.
void validate(const SearchRequest& request);

struct Hit {
    std::string id;             // the article's stable id (schema::article_id)
    Xapian::doccount rank = 0;  // 1-based, over the whole result list
    double score = 0;
    Article article;            // stored fields (body included)
    std::string display_title;  // the title, or the first words of the body
    Marked title_marked;        // display_title with the query's words marked (empty without snippets)
    Marked snippet;
    std::string story;          // story key
    // With collapse: how many articles tell this story in the archive
    // (this one included), and the ids of the others (at most 20).
    Xapian::doccount versions = 1;
    std::vector<std::string> other_versions;
};

// Matches a search counts before it estimates the rest, whatever the page
// size (a page further on counts to its end): totals below this are exact.
inline constexpr Xapian::doccount kCountAtLeast = 1000;

struct SearchResult {
    std::string query;
    Xapian::doccount total = 0;  // estimated number of matches (exact with facets counted exactly)
    bool total_exact = false;    // `total` is a count, not an estimate
    Xapian::doccount offset = 0;
    Xapian::doccount limit = 0;
    std::vector<Hit> hits;
    std::optional<Facets> facets;
    // "Did you mean": the query with unknown words replaced by known ones,
    // when it found nothing or far fewer than the suggestion finds.
    std::optional<std::string> suggestion;
    bool collapsed = false;                 // one hit per story (versions filled in)
    // Shards that were down and left out (only when asked for partial answers):
    // the result is then partial.
    std::vector<std::string> unavailable;
    double seconds = 0;
};

// What an archive holds, for its home page (and its report, archive.h).
struct ArchiveSummary {
    Xapian::doccount articles = 0;
    Xapian::doccount undated = 0;          // articles whose date is unknown
    std::optional<Date> oldest, newest;    // the dated articles' span
    Facets facets;                         // over every article (estimated past kExactFacetsUpTo)
    std::optional<Article> latest;         // the newest dated article
};

// Holds an open database. Not thread-safe; cheap to keep for many searches.
class Searcher {
public:
    // Throws DatabaseError when the database cannot be opened. `shards`:
    // timeouts for remote shards, and whether to answer from the shards
    // that are up when some are down (SearchResult::unavailable says which).
    explicit Searcher(const std::string& db_path, const ShardOptions& shards = {});

    // Throws QueryError for a malformed query or one over the limits
    // (wildcard expansion, time), UsageError for a bad request (validate()),
    // DatabaseError when the database fails. Retries when the database
    // changes underneath (a reindex).
    SearchResult search(const SearchRequest& request);

    // The article with id `id` (schema::article_id) and its query matches
    // marked over its whole body (the article view), or nullopt when there is
    // no such article.
    struct ArticleView {
        Article article;
        std::string story;  // its story key
        Xapian::doccount versions = 1;  // articles of that story, this one included
        Marked title;
        Marked body;
    };
    std::optional<ArticleView> article(const std::string& id, const std::string& query);

    // What the archive holds: counts, span, sources, years, languages;
    // the counts exact up to `exact_up_to` articles, estimated beyond.
    ArchiveSummary summary(Xapian::doccount exact_up_to = kExactFacetsUpTo);

    // The versions of story `key` (a result's "story"), earliest first and
    // compared (story.h); empty when no article has that story. Throws
    // UsageError when `key` is not a story key.
    std::vector<StoryVersion> story(const std::string& key);

    // Every match of `request`, in its order, given to `each` as a hit
    // without snippet (offset, limit, facets and collapse do not apply; the
    // time limit applies to the match): what exports stream (render.h's CSV
    // and JSON Lines). One pass of the matcher notes each match's document,
    // weight and date (16 bytes a match); then the articles are read in
    // order, one at a time. Over shards, the match runs a page of 1,000 at
    // a time instead (each page a new match: slower for huge exports). Stops early when `each` returns false. Returns
    // how many hits `each` was given. Throws what search() throws.
    Xapian::doccount each_match(const SearchRequest& request, const std::function<bool(const Hit&)>& each);

    const Xapian::Database& database() const { return db_; }
    // The database path it opened (a directory, a shard stub or a link to either).
    const std::string& path() const { return path_; }

    // Brings a long-lived searcher up to date before a request: reopens at
    // the latest revision, or opens afresh when the database path (a
    // scripts/reindex generation link) now points to another generation.
    void refresh();

    // For a long-lived searcher (FastCGI, a benchmark): faceted searches
    // count facet codes (facet_codes.h: a few bytes a document id) even when
    // the database has none of its revision from the indexer: they are built
    // in memory now, and again at the first faceted search after the database
    // changed. One local database only (not shards); a process that answers
    // one request (a CGI) would only pay for building them, and counts the
    // indexer's codes when they are of the revision it opened, else reads the
    // value streams. Without the memory for them, faceted searches go on
    // reading value streams.
    void keep_facet_codes();

private:
    // One attempt at search(), which retrying() repeats when the database changes.
    SearchResult search_once(const SearchRequest& request);
    // How many articles `query` finds with the filters of `request`.
    Xapian::doccount total_of(const SearchRequest& request, const std::string& query);
    template <typename F>
    auto retrying(F&& f) -> decltype(f());
    // (Re)opens path_.
    void open();
    // Reopens db_ at the latest revision; the facet codes, languages and data dictionaries go if it may have changed.
    void reopen();
    // The languages of db_'s articles (languages_in), read once for each
    // revision opened: a search that needs them (a query without --lang)
    // then costs no B-tree lookups for them.
    const std::vector<std::string>& languages();
    // The facet codes of db_: the indexer's when they are of its revision,
    // else built when kept (keep_facet_codes); null with shards, too many
    // articles, or neither.
    std::shared_ptr<const FacetCodes> facet_codes();
    // A second handle of the database, at the revision of db_, for the facets
    // counted beside the page (count_facets_aside): opened when first needed,
    // reopened at each call (local databases: plan_facets never asks with
    // remote shards). Nullopt when db_ has not been refreshed to the latest revision.
    std::optional<Xapian::Database> facet_database();

    std::string path_;
    ShardOptions shard_options_;
    std::string target_;  // what path_ linked to when opened (empty when not a link)
    std::vector<std::string> unavailable_;  // shards left out (partial answers)
    Xapian::Database db_;
    bool remote_ = false;  // db_ has remote shards (facets are then counted as Xapian's remote protocol allows)
    std::optional<Xapian::Database> facet_db_;  // facet_database()'s
    bool keep_facet_codes_ = false;
    // facet_codes()'s, for db_ as it is open (nullopt: not looked for yet).
    std::optional<std::shared_ptr<const FacetCodes>> facet_codes_;
    std::optional<std::vector<std::string>> languages_;  // languages()'s, for db_ as it is open
    DataDictionaries dictionaries_;  // of db_'s shards, to read the stored articles with
    Analyzer analyzer_;
};

}  // namespace morgue
