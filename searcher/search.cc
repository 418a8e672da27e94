#include "search.h"

#include "database.h"
#include "date.h"
#include "document.h"
#include "error.h"
#include "language.h"
#include "query.h"
#include "schema.h"
#include "similarity.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <new>
#include <optional>
#include <system_error>
#include <utility>

namespace morgue {

namespace {

constexpr std::size_t kTitleFallbackBytes = 80;
constexpr Xapian::termcount kLikeTerms = 30;       // terms of the "more like this" query
constexpr std::size_t kMaxOtherVersions = 20;

using Op = Xapian::Query::op;

Xapian::Query all_of(const std::vector<Xapian::Query>& qs) {
    if (qs.empty()) return Xapian::Query();
    return qs.size() == 1 ? qs.front() : Xapian::Query(Op::OP_AND, qs.begin(), qs.end());
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// The bound `date` (--since or --until) gives, or nullopt when it is not given.
// Throws UsageError when it is not a date.
std::optional<std::string> date_bound(const std::optional<std::string>& date, const char* what, bool end) {
    if (!date) return std::nullopt;
    std::optional<std::string> bound = parse_date_bound(*date, end);
    if (!bound) throw UsageError(std::string(what) + " '" + *date + "' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
    return bound;
}

// The first and last dates of --since and --until (inclusive), either absent.
std::pair<std::optional<std::string>, std::optional<std::string>> request_dates(const SearchRequest& r) {
    return {date_bound(r.since, "since", false), date_bound(r.until, "until", true)};
}

// --since / --until / --source / --lang as one filter query (empty when none).
Xapian::Query request_filter(const SearchRequest& r, const Xapian::Database& db) {
    std::vector<Xapian::Query> parts;
    if (auto [lo, hi] = request_dates(r); lo || hi) parts.push_back(date_range_query(lo, hi, [&db] { return date_span(db); }));
    if (!r.sources.empty()) {
        std::vector<Xapian::Query> any;
        for (const std::string& s : r.sources) any.emplace_back(schema::source_term(s));
        parts.emplace_back(Op::OP_OR, any.begin(), any.end());
    }
    if (!r.langs.empty()) {
        std::vector<Xapian::Query> any;
        for (const std::string& lang : r.langs) any.emplace_back(schema::lang_term(lang));
        parts.emplace_back(Op::OP_OR, any.begin(), any.end());
    }
    return all_of(parts);
}

// The stored article of a document this search found. Empty data for it means
// the database was deleted under us (glass opens the document data file only
// when first read, and a missing one reads as empty): a full reindex switched
// generations and removed the one before. That is a DatabaseError, so that
// retrying() opens the path afresh, never "not a morgue article".
// `dictionary`: its shard's data dictionary (DataDictionaries::of).
Article found_article(const Xapian::Document& doc, const DataDictionary* dictionary) {
    if (doc.get_data().empty()) {
        throw Xapian::DatabaseError("the data of document " + std::to_string(doc.get_docid()) +
                                    " is gone (database replaced while reading)");
    }
    return stored_article(doc, dictionary);
}


// The steps of a search, in the order Searcher::search_once takes them.

// The query string parsed, with words stemmed for the languages searched:
// --lang's (request_filter keeps their articles), else every language of the
// database (`archive_langs`, asked only then). Empty when the query is.
ParsedQuery parse(const SearchRequest& request, Analyzer& analyzer, const Xapian::Database& db,
                  const std::function<const std::vector<std::string>&()>& archive_langs) {
    if (blank(request.query)) return ParsedQuery();
    QueryOptions options;
    options.default_op = request.match_any ? Op::OP_OR : Op::OP_AND;
    options.dates = [&db] { return date_span(db); };
    return QueryBuilder(analyzer, request.langs.empty() ? archive_langs() : request.langs, options).parse(request.query);
}

// Articles like article `id`: the best terms of that article (Xapian's ESet
// over its stems), without the article itself; the stems chosen go into
// `match` for highlighting. Nullopt when there is nothing to go on (an article
// of words no other has): nothing is like it.
std::optional<Xapian::Query> like_query(const std::string& id, MatchTerms& match, Analyzer& analyzer,
                                        const Xapian::Database& db) {
    std::optional<Xapian::docid> docid = find_article(db, id);
    if (!docid) throw UsageError("no article with id " + id);
    std::vector<std::string> stems;
    Xapian::Query like = more_like(db, *docid, analyzer, kLikeTerms, &stems);
    if (like.empty()) return std::nullopt;
    match.stems.insert(stems.begin(), stems.end());
    return Xapian::Query(Op::OP_AND_NOT, like, Xapian::Query(schema::id_term(id)));
}

// The whole query: the parsed one, maybe with articles like another, under
// the request's filters (which never change the ranking). Nullopt when
// nothing can match (--like an article nothing is like).
std::optional<Xapian::Query> assemble(const SearchRequest& request, ParsedQuery& parsed, Analyzer& analyzer,
                                      const Xapian::Database& db) {
    Xapian::Query query = parsed.query;
    if (request.like) {
        // The expansion terms are not marked in snippets: thirty stems of
        // another article marked everywhere make a snippet unreadable. The
        // query's own words still are.
        MatchTerms expansion;
        std::optional<Xapian::Query> like = like_query(*request.like, expansion, analyzer, db);
        if (!like) return std::nullopt;
        query = query.empty() ? *like : Xapian::Query(Op::OP_AND_MAYBE, query, *like);
    }
    Xapian::Query filter = request_filter(request, db);
    if (query.empty()) return filter.empty() ? Xapian::Query::MatchAll : Xapian::Query(Op::OP_SCALE_WEIGHT, filter, 0.0);
    if (filter.empty()) return query;
    return Xapian::Query(Op::OP_FILTER, query, filter);
}

// Weighting, time limit, the query (with pseudo-relevance feedback), sort
// order and collapsing. Before the facet spies are attached: feedback's first
// search must not count in the facets.
void configure(Xapian::Enquire& enquire, const Xapian::Query& query, const SearchRequest& request) {
    enquire.set_weighting_scheme(*weighting(request.ranking));
    if (request.time_limit > 0) enquire.set_time_limit(request.time_limit);
    enquire.set_query(with_feedback(enquire, query, request.ranking));
    switch (request.sort) {
        case SortOrder::kNewest:
            // Descending string order: undated articles (empty value) come last.
            enquire.set_sort_by_value_then_relevance(schema::kSlotDate, true);
            break;
        case SortOrder::kOldest:
            // Ascending, where undated articles have "~", after every date.
            enquire.set_sort_by_value_then_relevance(schema::kSlotDateUndatedLast, false);
            break;
        case SortOrder::kRelevance:
            break;
    }
    if (request.collapse) enquire.set_collapse_key(schema::kSlotStory);
}

// How many matches a page's get_mset() checks at least: kCountAtLeast, or to
// the page's end, so that totals up to it are exact (even for a page of
// nothing) and never depend on the page size.
Xapian::doccount matches_to_check(const SearchRequest& request) {
    return std::max<Xapian::doccount>(kCountAtLeast, request.offset + request.limit);
}

// Whether the database at `path` has remote shards, where Xapian's remote
// protocol runs only what a stock xapian-tcpsrv knows: Xapian's own match
// spies, no posting source of ours.
bool has_remote_shards(const std::string& path) {
    if (!is_stub_file(path)) return false;
    std::vector<ShardSpec> shards = read_stub(path);
    return std::any_of(shards.begin(), shards.end(),
                       [](const ShardSpec& s) { return s.kind == ShardSpec::Kind::kRemote; });
}

// How a search counts its facets (plan_facets).
struct FacetPlan {
    // How many matches the page's pass must check.
    Xapian::doccount check_at_least = 0;
    // Counted in a pass of their own, beside the page's, on one match in this many (1: all);
    // 0 when not (no facets, or remote shards, which count after the page).
    Xapian::doccount aside_every = 0;
};

// Facets in relevance order are counted in the page's own pass when the
// matcher estimates fewer matches than the pass checks anyway
// (matches_to_check), or the database has remote shards (which cannot
// sample, nor run a second pass at the same time): the pass then checks
// every match, one pass for the page and the counts. Otherwise, and in a
// value sort (where Xapian 1.4's remote backend counts some documents
// twice), the page is searched as without facets, its counts serving only
// when it happened to see every match, and the facets are counted in a pass
// of their own (count_facets: exactly up to request.exact_facets_up_to
// estimated matches, beyond on a sample), beside the page's for a local
// database (count_facets_aside), after it with remote shards. A pass of
// their own is unscored, and lets the page's stop early: beside it, a
// search of 30,000 matches takes the longer of the two, not a scored pass
// over every match. Sets `counter` counting in the page's pass, or leaves it empty.
FacetPlan plan_facets(Xapian::Enquire& enquire, const SearchRequest& request, std::optional<FacetCounter>& counter,
                      const Xapian::Database& db, bool remote, const std::shared_ptr<const FacetCodes>& codes) {
    FacetPlan plan;
    plan.check_at_least = matches_to_check(request);
    if (!request.facets) return plan;
    // The matcher's estimate without matching (check_at_least 0): the bounds of the posting lists.
    auto estimate = [&] {
        Xapian::doccount none = 0;
        return enquire.get_mset(none, none, none).get_uncollapsed_matches_estimated();
    };
    if (request.sort != SortOrder::kRelevance) {
        if (!remote) plan.aside_every = facet_sample_every(estimate(), request.exact_facets_up_to);
        return plan;
    }
    Xapian::doccount estimated = remote ? 0 : estimate();
    // Remote shards, or so few matches that the page's pass checks them all anyway: counted there.
    bool in_page = remote || estimated < plan.check_at_least;
    // Else: fewer matches read than the matcher checks for means it saw every match.
    counter.emplace(db, remote, in_page ? db.get_doccount() : plan.check_at_least - 1, codes);
    counter->attach(enquire);
    if (in_page) plan.check_at_least = db.get_doccount();
    else plan.aside_every = facet_sample_every(estimated, request.exact_facets_up_to);
    return plan;
}

// The facets of `query` counted (count_facets) in a thread of its own, on
// `db`, a second handle of the database searched (Searcher::facet_database),
// while the page is searched on the first: a faceted search then takes the
// longer of its two passes, not their sum. Xapian's objects are not shared
// between threads: the handle is the thread's alone until the result is
// taken, and the query goes over serialised; `codes` (immutable) is shared.
std::future<Facets> count_facets_aside(Xapian::Database db, const Xapian::Query& query, Xapian::doccount every,
                                       std::shared_ptr<const FacetCodes> codes) {
    return std::async(std::launch::async, [db = std::move(db), q = query.serialise(), every, codes = std::move(codes)] {
        return count_facets(db, Xapian::Query::unserialise(q), every, false, codes);
    });
}

// A result that says what was asked for, and nothing found yet.
SearchResult page_header(const SearchRequest& request) {
    SearchResult result;
    result.query = request.query;
    result.offset = request.offset;
    result.limit = request.limit;
    return result;
}

// With collapse: how many articles tell the story of `hit` and which others.
void count_versions(Hit& hit, Xapian::docid docid, const Xapian::Database& db) {
    std::string term = schema::story_term(hit.story);
    hit.versions = std::max<Xapian::doccount>(1, db.get_termfreq(term));
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
        if (*p == docid) continue;
        if (hit.other_versions.size() >= kMaxOtherVersions) break;
        hit.other_versions.push_back(article_id_of(db.get_document(*p)));
    }
}

// The hits of the page: stored articles, display titles, snippets, stories.
std::vector<Hit> build_hits(const Xapian::MSet& mset, const SearchRequest& request, const MatchTerms& match,
                            Analyzer& analyzer, const Xapian::Database& db, DataDictionaries& dictionaries) {
    std::vector<Hit> hits;
    Highlighter highlighter(analyzer, match);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.rank = it.get_rank() + 1;
        hit.score = it.get_weight();
        Xapian::Document doc = it.get_document();
        hit.article = found_article(doc, dictionaries.of(*it));
        hit.id = hit.article.id;
        hit.display_title = hit.article.title ? *hit.article.title : first_words(hit.article.body, kTitleFallbackBytes);
        if (request.snippet_bytes > 0) {
            hit.snippet = highlighter.snippet(hit.article.body, hit.article.lang, request.snippet_bytes);
            hit.title_marked = highlighter.mark_all(hit.display_title, hit.article.lang);
        }
        // Collapsed by story, the match carries its key: no value to read.
        hit.story = request.collapse ? it.get_collapse_key() : doc.get_value(schema::kSlotStory);
        if (request.collapse && !hit.story.empty()) count_versions(hit, *it, db);
        hits.push_back(std::move(hit));
    }
    return hits;
}

// Did you mean: words the archive has never seen, replaced by the closest
// word it has (Xapian's spelling dictionary, built at index time); nullopt
// when every word is known or has no suggestion.
std::optional<std::string> suggest(const ParsedQuery& parsed, const Xapian::Database& db) {
    std::string corrected = parsed.normalised;
    bool changed = false;
    for (auto w = parsed.words.rbegin(); w != parsed.words.rend(); ++w) {
        if (db.term_exists(w->folded)) continue;
        std::string s = db.get_spelling_suggestion(w->folded);
        if (s.empty() || s == w->folded) continue;
        corrected.replace(w->begin, w->end - w->begin, s);
        changed = true;
    }
    if (!changed) return std::nullopt;
    return corrected;
}

// A match as an export first notes it: which document, its weight, its date.
struct MatchRef {
    Xapian::docid docid;
    float weight;
    std::uint32_t date;  // YYYYMMDD; 0 when undated
};

// Notes every match the matcher visits.
class MatchCollector : public Xapian::MatchSpy {
public:
    explicit MatchCollector(std::vector<MatchRef>& out) : out_(out) {}
    void operator()(const Xapian::Document& doc, double wt) override {
        std::string d = doc.get_value(schema::kSlotDate);
        std::uint32_t date = 0;
        if (d.size() == 8 && d.find_first_not_of("0123456789") == std::string::npos) {
            date = static_cast<std::uint32_t>(std::stoul(d));
        }
        out_.push_back({doc.get_docid(), static_cast<float>(wt), date});
    }

private:
    std::vector<MatchRef>& out_;
};

// `matches` in the order of `sort`: by weight (ties by document), newest or
// oldest first (undated last; ties by weight).
void sort_matches(std::vector<MatchRef>& matches, SortOrder sort) {
    auto by_weight = [](const MatchRef& a, const MatchRef& b) {
        return a.weight != b.weight ? a.weight > b.weight : a.docid < b.docid;
    };
    auto dated_first = [](const MatchRef& a, const MatchRef& b) { return (a.date != 0) > (b.date != 0); };
    std::stable_sort(matches.begin(), matches.end(), [&](const MatchRef& a, const MatchRef& b) {
        if (sort == SortOrder::kRelevance || a.date == b.date) return by_weight(a, b);
        if (a.date == 0 || b.date == 0) return dated_first(a, b);
        return sort == SortOrder::kNewest ? a.date > b.date : a.date < b.date;
    });
}

// Every match of `enquire`, in its order, a page at a time (where no spy
// can run).
void collect_in_pages(Xapian::Enquire& enquire, std::vector<MatchRef>& out) {
    constexpr Xapian::doccount kPage = 1000;
    for (Xapian::doccount offset = 0;; offset += kPage) {
        Xapian::MSet page = enquire.get_mset(offset, kPage);
        for (auto it = page.begin(); it != page.end(); ++it) {
            out.push_back({*it, static_cast<float>(it.get_weight()), 0});
        }
        if (page.size() < kPage) return;
    }
}

// A hit as an export gives it: the stored article, no snippet.
Hit export_hit(const Xapian::Document& doc, const DataDictionary* dictionary, Xapian::doccount rank, double weight) {
    Hit hit;
    hit.rank = rank;
    hit.score = weight;
    hit.article = found_article(doc, dictionary);
    hit.id = hit.article.id;
    hit.display_title = hit.article.title ? *hit.article.title : first_words(hit.article.body, kTitleFallbackBytes);
    hit.story = doc.get_value(schema::kSlotStory);
    return hit;
}

}  // namespace


std::optional<SortOrder> parse_sort(std::string_view name) {
    if (name == "relevance") return SortOrder::kRelevance;
    if (name == "date" || name == "newest") return SortOrder::kNewest;
    if (name == "oldest") return SortOrder::kOldest;
    return std::nullopt;
}

std::string_view sort_name(SortOrder order) {
    switch (order) {
        case SortOrder::kNewest: return "date";
        case SortOrder::kOldest: return "oldest";
        default: return "relevance";
    }
}

const std::string& checked_article_id(const std::string& id, std::string_view what) {
    if (!schema::is_article_id(id)) {
        throw UsageError(std::string(what) + " '" + id + "' is not an article id (" +
                         std::to_string(schema::kArticleIdChars) + " letters and digits, the \"id\" of a result)");
    }
    return id;
}

void validate(const SearchRequest& r) {
    if (r.limit > kMaxLimit) throw UsageError("limit must be at most " + std::to_string(kMaxLimit));
    if (r.offset > kMaxOffset) throw UsageError("offset must be at most " + std::to_string(kMaxOffset));
    if (r.time_limit < 0) throw UsageError("time limit must not be negative");
    for (const std::string& lang : r.langs) {
        if (lang.size() != 2 || lang != normalise_language(lang)) {
            throw UsageError("language '" + lang + "' is not an ISO 639-1 code (e.g. en, ru)");
        }
    }
    if (auto [lo, hi] = request_dates(r); lo && hi && *lo > *hi) {
        throw UsageError("since " + *r.since + " is after until " + *r.until);
    }
    if (r.sources.size() > kMaxSources) throw UsageError("at most " + std::to_string(kMaxSources) + " sources");
    for (const std::string& s : r.sources) {
        if (schema::normalise_source(s).empty()) throw UsageError("source '" + s + "' has no letters or digits");
    }
    if (r.like) checked_article_id(*r.like, "like");
    bool filtered = r.since || r.until || !r.sources.empty() || !r.langs.empty() || r.like;
    if (blank(r.query) && !filtered) {
        throw UsageError("no query given");
    }
}

namespace {
std::string link_target(const std::string& path) {
    std::error_code ec;
    auto target = std::filesystem::read_symlink(path, ec);
    return ec ? std::string() : target.string();
}
}  // namespace

Searcher::Searcher(const std::string& db_path, const ShardOptions& shards)
    : path_(db_path),
      shard_options_(shards),
      target_(link_target(db_path)) {
    open();
}

void Searcher::open() {
    std::vector<Xapian::Database> shards;
    db_ = open_for_reading(path_, shard_options_, &unavailable_, &shards);
    dictionaries_ = DataDictionaries(std::move(shards));
    remote_ = has_remote_shards(path_);
    facet_db_.reset();
    facet_codes_.reset();
    languages_.reset();
}

std::optional<Xapian::Database> Searcher::facet_database() {
    if (!facet_db_) facet_db_ = open_for_reading(path_, shard_options_);
    else facet_db_->reopen();
    // Another set of shards (the stub changed since db_ was opened, a shard left out came back).
    if (facet_db_->size() != db_.size()) return std::nullopt;
    try {
        // db_ is older (not refreshed), or another database (a generation switched) at the same revision.
        if (facet_db_->get_revision() != db_.get_revision() || facet_db_->get_uuid() != db_.get_uuid()) {
            return std::nullopt;
        }
    } catch (const Xapian::InvalidOperationError&) {
        // Local shards behind a stub have no one revision: a commit between the two handles'
        // opening would count the facets a few articles apart.
    }
    return *facet_db_;
}

void Searcher::refresh() {
    std::string target = link_target(path_);
    if (target != target_) {
        open();
        target_ = target;
        return;
    }
    try {
        reopen();
    } catch (const Xapian::Error&) {
        open();
    }
}

void Searcher::reopen() {
    if (db_.reopen()) {
        facet_codes_.reset();
        languages_.reset();
        dictionaries_.forget();
    }
}

const std::vector<std::string>& Searcher::languages() {
    if (!languages_) languages_ = languages_in(db_);
    return *languages_;
}

void Searcher::keep_facet_codes() {
    keep_facet_codes_ = true;
    try {
        facet_codes();
    } catch (const Xapian::Error&) {
        // Built at the first faceted search instead, which reports what is wrong.
    }
}

std::shared_ptr<const FacetCodes> Searcher::facet_codes() {
    if (remote_) return nullptr;  // (and FacetCodes turns down local shards)
    if (!facet_codes_) {
        // The indexer's, when they are of this revision: mapped, not built (a CGI counts codes too).
        facet_codes_ = FacetCodes::load(path_, db_);
    }
    if (!*facet_codes_ && keep_facet_codes_) {
        try {
            facet_codes_ = FacetCodes::build(db_);
        } catch (const std::bad_alloc&) {
            keep_facet_codes_ = false;  // not the memory for them: faceted searches read the values, as without
        }
    }
    return *facet_codes_;
}

template <typename F>
auto Searcher::retrying(F&& f) -> decltype(f()) {
    for (int attempt = 0;; ++attempt) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError&) {
            // A reindex committed while we read: reopen at the new revision and retry.
            if (attempt >= 5) throw DatabaseError("database " + path_ + " keeps changing; try again");
            reopen();
        } catch (const Xapian::WildcardError& e) {
            throw QueryError("a wildcard matches too many words (" + e.get_msg() + "); make it longer");
        } catch (const Xapian::DatabaseError& e) {
            // A generation switched and its files deleted under us (scripts/reindex
            // --full twice in a row): open the path afresh once and retry.
            if (attempt >= 1) throw DatabaseError("database " + path_ + ": " + e.get_msg());
            open();
        } catch (const Xapian::NetworkError& e) {
            // A remote shard went down or is too slow. With partial answers,
            // open the shards again (leaving out those that are down) and retry.
            if (!shard_options_.partial || attempt >= 1) {
                throw DatabaseError("database " + path_ + ": a shard is not responding (" + e.get_msg() + ")");
            }
            open();
        }
    }
}

SearchResult Searcher::search(const SearchRequest& request) {
    validate(request);
    return retrying([&] { return search_once(request); });
}

SearchResult Searcher::search_once(const SearchRequest& request) {
    auto start = std::chrono::steady_clock::now();
    ParsedQuery parsed = parse(request, analyzer_, db_, [this]() -> const std::vector<std::string>& { return languages(); });
    std::optional<Xapian::Query> query = assemble(request, parsed, analyzer_, db_);
    if (!query) return page_header(request);
    Xapian::Enquire enquire(db_);
    configure(enquire, *query, request);
    std::optional<FacetCounter> counter;
    std::shared_ptr<const FacetCodes> codes = request.facets ? facet_codes() : nullptr;
    FacetPlan plan = plan_facets(enquire, request, counter, db_, remote_, codes);
    std::future<Facets> aside;
    if (plan.aside_every) {
        if (std::optional<Xapian::Database> second = facet_database()) {
            try {
                aside = count_facets_aside(std::move(*second), *query, plan.aside_every, codes);
            } catch (const std::system_error&) {
                // No thread to be had: counted after the page.
            }
        }
    }
    auto matching = std::chrono::steady_clock::now();
    Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, plan.check_at_least);
    // A time limit reached lowers how many matches the matcher checks.
    bool timed_out = request.time_limit > 0 &&
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - matching).count() >= request.time_limit;

    SearchResult result = page_header(request);
    result.total = mset.get_matches_estimated();
    result.total_exact = mset.get_matches_lower_bound() == mset.get_matches_upper_bound();
    result.collapsed = request.collapse;
    result.unavailable = unavailable_;
    result.hits = build_hits(mset, request, parsed.match, analyzer_, db_, dictionaries_);
    if (request.facets) {
        bool in_page = counter && counter->complete() && !timed_out;
        if (in_page) {
            result.facets = counter->facets();
        } else if (aside.valid()) {
            result.facets = aside.get();
        } else {  // after the page: remote shards exactly, else as the matcher now estimates
            Xapian::doccount every =
                remote_ ? 1 : facet_sample_every(mset.get_uncollapsed_matches_estimated(), request.exact_facets_up_to);
            result.facets = count_facets(db_, *query, every, remote_, codes);
        }
        if (mset.get_uncollapsed_matches_lower_bound() == mset.get_uncollapsed_matches_upper_bound()) {
            scale_to(*result.facets, mset.get_uncollapsed_matches_estimated());
        }
        // Counted exactly: the total is that count (before collapsing).
        if (!result.facets->estimated && !request.collapse) {
            result.total = result.facets->matches;
            result.total_exact = true;
        }
    }
    // Did you mean: only when the query found nothing, or far less than the
    // suggestion would ("recruits", not a word of the archive but its stem
    // is, finds what "recruit" finds and needs no correction).
    std::optional<std::string> suggestion = suggest(parsed, db_);
    if (suggestion && (result.total == 0 || result.total * kSuggestWhenFewer <= total_of(request, *suggestion))) {
        result.suggestion = std::move(suggestion);
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

Xapian::doccount Searcher::total_of(const SearchRequest& request, const std::string& query) {
    SearchRequest count = request;
    count.query = query;
    count.offset = 0;
    count.limit = 0;
    count.facets = false;
    count.snippet_bytes = 0;
    return search_once(count).total;
}

ArchiveSummary Searcher::summary(Xapian::doccount exact_up_to) {
    return retrying([&] {
        ArchiveSummary s;
        s.articles = db_.get_doccount();
        if (s.articles == 0) return s;
        s.undated = db_.get_termfreq(std::string(schema::kTermUndated));
        auto day = [](const std::string& v) -> std::optional<Date> {
            if (v.size() != 8) return std::nullopt;
            return Date::parse_iso(v.substr(0, 4) + "-" + v.substr(4, 2) + "-" + v.substr(6, 2));
        };
        s.oldest = day(db_.get_value_lower_bound(schema::kSlotDate));
        s.newest = day(db_.get_value_upper_bound(schema::kSlotDate));
        s.facets = count_facets(db_, Xapian::Query::MatchAll, remote_ ? 1 : facet_sample_every(s.articles, exact_up_to), remote_,
                                facet_codes());
        if (s.facets.estimated) scale_to(s.facets, s.articles);
        Xapian::Enquire newest(db_);
        newest.set_query(Xapian::Query::MatchAll);
        newest.set_sort_by_value(schema::kSlotDate, true);
        Xapian::MSet top = newest.get_mset(0, 1);
        if (!top.empty()) s.latest = found_article(top.begin().get_document(), dictionaries_.of(*top.begin()));
        return s;
    });
}

std::vector<StoryVersion> Searcher::story(const std::string& key) {
    bool hex = key.size() == 16 && key.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex) throw UsageError("story '" + key.substr(0, 40) + "' is not a story key (16 hex digits, a result's \"story\")");
    std::vector<StoryVersion> versions = retrying([&] {
        std::vector<StoryVersion> found;
        std::string term = schema::story_term(key);
        for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
            if (found.size() >= 4 * kMaxStoryVersions) break;  // a bound on a runaway story
            Xapian::Document doc = db_.get_document(*p);
            StoryVersion v;
            v.article = found_article(doc, dictionaries_.of(*p));
            v.id = v.article.id;
            found.push_back(std::move(v));
        }
        return found;
    });
    return compare_versions(std::move(versions));
}

Xapian::doccount Searcher::each_match(const SearchRequest& request, const std::function<bool(const Hit&)>& each) {
    SearchRequest all = request;
    all.offset = 0;
    all.limit = 0;
    all.facets = false;
    all.collapse = false;
    validate(all);
    std::vector<MatchRef> matches = retrying([&] {
        std::vector<MatchRef> found;
        ParsedQuery parsed = parse(all, analyzer_, db_, [this]() -> const std::vector<std::string>& { return languages(); });
        std::optional<Xapian::Query> query = assemble(all, parsed, analyzer_, db_);
        if (!query) return found;
        Xapian::Enquire enquire(db_);
        configure(enquire, *query, all);
        // A spy sees each shard's own document numbers, and remote shards
        // run no spy of ours: over shards, pages of the match, in order.
        if (db_.size() != 1) {
            collect_in_pages(enquire, found);
            return found;
        }
        MatchCollector collector(found);
        enquire.add_matchspy(&collector);
        enquire.get_mset(0, 0, db_.get_doccount());
        sort_matches(found, all.sort);
        return found;
    });
    Xapian::doccount given = 0;
    for (const MatchRef& m : matches) {
        std::optional<Hit> hit = retrying([&]() -> std::optional<Hit> {
            try {
                return export_hit(db_.get_document(m.docid), dictionaries_.of(m.docid), given + 1, m.weight);
            } catch (const Xapian::DocNotFoundError&) {
                return std::nullopt;  // deleted since the match
            }
        });
        if (!hit) continue;
        ++given;
        if (!each(*hit)) break;
    }
    return given;
}

std::optional<Searcher::ArticleView> Searcher::article(const std::string& id, const std::string& query) {
    return retrying([&]() -> std::optional<ArticleView> {
        std::optional<Xapian::docid> docid = find_article(db_, id);
        if (!docid) return std::nullopt;
        ArticleView view;
        Xapian::Document doc = db_.get_document(*docid);
        view.article = found_article(doc, dictionaries_.of(*docid));
        view.story = doc.get_value(schema::kSlotStory);
        if (!view.story.empty()) view.versions = std::max<Xapian::doccount>(1, db_.get_termfreq(schema::story_term(view.story)));
        ParsedQuery parsed;
        if (!blank(query)) {
            parsed = QueryBuilder(analyzer_, languages()).parse(query);
        }
        Highlighter h(analyzer_, parsed.match);
        const std::string& lang = view.article.lang;
        if (view.article.title) view.title = h.mark_all(*view.article.title, lang);
        view.body = h.mark_all(view.article.body, lang);
        return view;
    });
}

}  // namespace morgue
