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
#include <filesystem>
#include <memory>
#include <set>

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

// --since / --until / --source / --lang as one filter query (empty when none).
Xapian::Query request_filter(const SearchRequest& r) {
    std::vector<Xapian::Query> parts;
    std::optional<std::string> lo, hi;
    if (r.since) lo = parse_date_bound(*r.since, false);
    if (r.until) hi = parse_date_bound(*r.until, true);
    if (lo && hi) parts.emplace_back(Op::OP_VALUE_RANGE, schema::kSlotDate, *lo, *hi);
    else if (lo) parts.emplace_back(Op::OP_VALUE_GE, schema::kSlotDate, *lo);
    else if (hi) parts.emplace_back(Op::OP_VALUE_LE, schema::kSlotDate, *hi);
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

std::vector<FacetValue> spy_values(const Xapian::ValueCountMatchSpy& spy) {
    std::vector<FacetValue> out;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) out.push_back(FacetValue{*it, it.get_termfreq()});
    return out;
}

// The stored article of a document this search found. Empty data for it means
// the database was deleted under us (glass opens the document data file only
// when first read, and a missing one reads as empty): a full reindex switched
// generations and removed the one before. That is a DatabaseError, so that
// retrying() opens the path afresh, never "not a morgue article".
Article found_article(const Xapian::Document& doc) {
    if (doc.get_data().empty()) {
        throw Xapian::DatabaseError("the data of document " + std::to_string(doc.get_docid()) +
                                    " is gone (database replaced while reading)");
    }
    return stored_article(doc);
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

void validate(const SearchRequest& r) {
    if (r.limit > kMaxLimit) throw UsageError("limit must be at most " + std::to_string(kMaxLimit));
    if (r.offset > kMaxOffset) throw UsageError("offset must be at most " + std::to_string(kMaxOffset));
    if (r.time_limit < 0) throw UsageError("time limit must not be negative");
    for (const std::string& lang : r.langs) {
        if (lang.size() != 2 || lang != normalise_language(lang)) {
            throw UsageError("language '" + lang + "' is not an ISO 639-1 code (e.g. en, ru)");
        }
    }
    auto check_date = [](const std::optional<std::string>& d, const char* what, bool end) {
        if (d && !parse_date_bound(*d, end)) {
            throw UsageError(std::string(what) + " '" + *d + "' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
        }
    };
    check_date(r.since, "since", false);
    check_date(r.until, "until", true);
    if (r.since && r.until && *parse_date_bound(*r.since, false) > *parse_date_bound(*r.until, true)) {
        throw UsageError("since " + *r.since + " is after until " + *r.until);
    }
    if (r.sources.size() > kMaxSources) throw UsageError("at most " + std::to_string(kMaxSources) + " sources");
    for (const std::string& s : r.sources) {
        if (schema::normalise_source(s).empty()) throw UsageError("source '" + s + "' has no letters or digits");
    }
    bool filtered = r.since || r.until || !r.sources.empty() || !r.langs.empty() || r.like;
    if (r.query.find_first_not_of(" \t\r\n") == std::string::npos && !filtered) {
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
      target_(link_target(db_path)),
      db_(open_for_reading(db_path, shards, &unavailable_)) {}

void Searcher::refresh() {
    std::string target = link_target(path_);
    if (target != target_) {
        db_ = open_for_reading(path_, shard_options_, &unavailable_);
        target_ = target;
        return;
    }
    try {
        db_.reopen();
    } catch (const Xapian::Error&) {
        db_ = open_for_reading(path_, shard_options_, &unavailable_);
    }
}

template <typename F>
auto Searcher::retrying(F&& f) -> decltype(f()) {
    for (int attempt = 0;; ++attempt) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError&) {
            // A reindex committed while we read: reopen at the new revision and retry.
            if (attempt >= 5) throw DatabaseError("database " + path_ + " keeps changing; try again");
            db_.reopen();
        } catch (const Xapian::WildcardError& e) {
            throw QueryError("a wildcard matches too many words (" + e.get_msg() + "); make it longer");
        } catch (const Xapian::DatabaseError& e) {
            // A generation switched and its files deleted under us (scripts/reindex
            // --full twice in a row): open the path afresh once and retry.
            if (attempt >= 1) throw DatabaseError("database " + path_ + ": " + e.get_msg());
            db_ = open_for_reading(path_, shard_options_, &unavailable_);
        } catch (const Xapian::NetworkError& e) {
            // A remote shard went down or is too slow. With partial answers,
            // open the shards again (leaving out those that are down) and retry.
            if (!shard_options_.partial || attempt >= 1) {
                throw DatabaseError("database " + path_ + ": a shard is not responding (" + e.get_msg() + ")");
            }
            db_ = open_for_reading(path_, shard_options_, &unavailable_);
        }
    }
}

SearchResult Searcher::search(const SearchRequest& request) {
    validate(request);
    return retrying([&] { return run(request); });
}

SearchResult Searcher::run(const SearchRequest& request) {
    auto start = std::chrono::steady_clock::now();
    QueryOptions qopts;
    qopts.default_op = request.match_any ? Op::OP_OR : Op::OP_AND;
    // --lang: words are stemmed for those languages only (request_filter keeps their articles).
    std::vector<std::string> langs = request.langs.empty() ? languages_in(db_) : request.langs;
    QueryBuilder builder(analyzer_, langs, qopts);
    ParsedQuery parsed;
    if (request.query.find_first_not_of(" \t\r\n") != std::string::npos) parsed = builder.parse(request.query);

    // Articles like a given one: the best terms of that article (Xapian's
    // ESet over its stems), without the article itself.
    if (request.like) {
        Xapian::Document doc;
        try {
            doc = db_.get_document(*request.like);
        } catch (const Xapian::DocNotFoundError&) {
            throw UsageError("no article with id " + std::to_string(*request.like));
        }
        Article a = found_article(doc);
        std::vector<std::string> stems;
        Xapian::Query like = more_like(db_, *request.like, analyzer_, kLikeTerms, &stems);
        if (like.empty()) {
            // Nothing to go on (an article of words no other has): nothing is like it.
            SearchResult none;
            none.query = request.query;
            none.offset = request.offset;
            none.limit = request.limit;
            return none;
        }
        parsed.match.stems.insert(stems.begin(), stems.end());
        like = Xapian::Query(Op::OP_AND_NOT, like, Xapian::Query(schema::id_term(a.identity())));
        parsed.query = parsed.query.empty() ? like : Xapian::Query(Op::OP_AND_MAYBE, parsed.query, like);
    }
    Xapian::Query filter = request_filter(request);
    Xapian::Query query = parsed.query;
    if (query.empty()) {
        query = filter.empty() ? Xapian::Query::MatchAll : Xapian::Query(Op::OP_SCALE_WEIGHT, filter, 0.0);
    } else if (!filter.empty()) {
        query = Xapian::Query(Op::OP_FILTER, query, filter);
    }

    Xapian::Enquire enquire(db_);
    enquire.set_weighting_scheme(*weighting(request.ranking));
    if (request.time_limit > 0) enquire.set_time_limit(request.time_limit);
    // Before the match spies: feedback's first search must not count in the facets.
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

    // Three spies, as each costs something for every match: sources from the
    // joined list, years summed from the months.
    Xapian::ValueCountMatchSpy sources_spy(schema::kSlotSources), month_spy(schema::kSlotMonth);
    Xapian::ValueCountMatchSpy lang_spy(schema::kSlotLang), byline_spy(schema::kSlotByline);
    // Count at least this far so that small totals are exact, even for a page of nothing.
    Xapian::doccount check_at_least = request.offset + request.limit + 100;
    if (request.facets) {
        // Counted in relevance order: Xapian 1.4's remote backend counts some
        // documents twice when match spies run under a value sort. Sorted
        // searches with facets therefore count in a pass of their own.
        bool separate = request.sort != SortOrder::kRelevance;
        Xapian::Enquire counter(db_);
        Xapian::Enquire& counting = separate ? counter : enquire;
        if (separate) {
            counter.set_query(query);
            if (request.collapse) counter.set_collapse_key(schema::kSlotStory);
        }
        counting.add_matchspy(&sources_spy);
        counting.add_matchspy(&month_spy);
        counting.add_matchspy(&lang_spy);
        counting.add_matchspy(&byline_spy);
        if (separate) counter.get_mset(0, 0, db_.get_doccount());
        else check_at_least = db_.get_doccount();  // count every match, not a sample
    }
    Xapian::MSet mset = enquire.get_mset(request.offset, request.limit, check_at_least);

    SearchResult result;
    result.query = request.query;
    result.total = mset.get_matches_estimated();
    result.offset = request.offset;
    result.limit = request.limit;
    result.collapsed = request.collapse;
    result.unavailable = unavailable_;
    Highlighter highlighter(analyzer_, parsed.match);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
        Hit hit;
        hit.id = *it;
        hit.rank = it.get_rank() + 1;
        hit.score = it.get_weight();
        Xapian::Document doc = it.get_document();
        hit.article = found_article(doc);
        hit.display_title = hit.article.title ? *hit.article.title : first_words(hit.article.body, kTitleFallbackBytes);
        if (request.snippet_bytes > 0) {
            hit.snippet = highlighter.snippet(hit.article.body, hit.article.lang, request.snippet_bytes);
        }
        hit.story = doc.get_value(schema::kSlotStory);
        if (request.collapse && !hit.story.empty()) {
            std::string term = schema::story_term(hit.story);
            hit.versions = std::max<Xapian::doccount>(1, db_.get_termfreq(term));
            for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
                if (*p == hit.id) continue;
                if (hit.other_versions.size() >= kMaxOtherVersions) break;
                hit.other_versions.push_back(*p);
            }
        }
        result.hits.push_back(std::move(hit));
    }

    if (request.facets) {
        Facets f;
        // Each article counts once for each of its sources.
        std::map<std::string, Xapian::doccount> sources;
        for (const FacetValue& v : spy_values(sources_spy)) {
            std::set<std::string_view> names;
            std::string_view list = v.value;
            for (std::size_t i = 0; i <= list.size();) {
                std::size_t end = std::min(list.find(schema::kListSeparator, i), list.size());
                if (end > i) names.insert(list.substr(i, end - i));
                i = end + 1;
            }
            for (std::string_view name : names) sources[std::string(name)] += v.count;
        }
        for (const auto& [name, count] : sources) f.source.push_back(FacetValue{name, count});
        std::stable_sort(f.source.begin(), f.source.end(),
                         [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
        f.month = spy_values(month_spy);
        std::map<std::string, Xapian::doccount> years;  // "YYYY-MM" -> "YYYY"
        for (const FacetValue& m : f.month) years[m.value.substr(0, 4)] += m.count;
        for (const auto& [year, count] : years) f.year.push_back(FacetValue{year, count});
        auto most_first = [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; };
        f.lang = spy_values(lang_spy);
        std::stable_sort(f.lang.begin(), f.lang.end(), most_first);
        f.byline = spy_values(byline_spy);
        std::stable_sort(f.byline.begin(), f.byline.end(), most_first);
        result.facets = std::move(f);
    }

    // Did you mean: words the archive has never seen, replaced by the
    // closest word it has (Xapian's spelling dictionary, built at index time).
    std::string corrected = parsed.normalised;
    bool changed = false;
    for (auto w = parsed.words.rbegin(); w != parsed.words.rend(); ++w) {
        if (db_.term_exists(w->folded)) continue;
        std::string s = db_.get_spelling_suggestion(w->folded);
        if (s.empty() || s == w->folded) continue;
        corrected.replace(w->begin, w->end - w->begin, s);
        changed = true;
    }
    // Only when the query found nothing, or far less than the suggestion
    // would: "recruits" (not a word of the archive, but its stem is) finds
    // what "recruit" finds, and needs no correction.
    if (changed && (result.total == 0 || result.total * kSuggestWhenFewer <= total_of(request, corrected))) {
        result.suggestion = corrected;
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
    return run(count).total;
}

std::optional<Searcher::ArticleView> Searcher::article(Xapian::docid id, const std::string& query) {
    return retrying([&]() -> std::optional<ArticleView> {
        Xapian::Document doc;
        try {
            doc = db_.get_document(id);
        } catch (const Xapian::DocNotFoundError&) {
            return std::nullopt;
        }
        ArticleView view;
        view.article = found_article(doc);
        ParsedQuery parsed;
        if (query.find_first_not_of(" \t\r\n") != std::string::npos) {
            parsed = QueryBuilder(analyzer_, languages_in(db_)).parse(query);
        }
        Highlighter h(analyzer_, parsed.match);
        const std::string& lang = view.article.lang;
        if (view.article.title) view.title = h.mark_all(*view.article.title, lang);
        view.body = h.mark_all(view.article.body, lang);
        return view;
    });
}

}  // namespace morgue
