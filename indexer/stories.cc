#include "stories.h"

#include "analyzer.h"
#include "schema.h"
#include "similarity.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <unordered_map>

namespace morgue {

namespace {

using Op = Xapian::Query::op;
using Vector = StemVector;

// "YYYYMMDD" shifted by `days`.
std::string shift(const std::string& yyyymmdd, int days) {
    using namespace std::chrono;
    int y = std::stoi(yyyymmdd.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoi(yyyymmdd.substr(4, 2)));
    unsigned d = static_cast<unsigned>(std::stoi(yyyymmdd.substr(6, 2)));
    year_month_day ymd{sys_days{year{y} / month{m} / day{d}} + std::chrono::days{days}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

// Candidates must be within the window, or undated. Day terms, not a range
// over the date slot: the filter is then the few thousand postings of the
// window's days, and the matcher skips through the long posting lists of
// the article's words, where a value range (and "no date" as MatchAll minus
// the dated) would read a value of every article in the archive, for every
// article grouped.
Xapian::Query window_filter(const Xapian::Document& doc, int days) {
    std::string date = doc.get_value(schema::kSlotDate);
    if (date.size() != 8) return Xapian::Query();
    std::vector<Xapian::Query> terms;
    for (int d = -days; d <= days; ++d) terms.emplace_back(schema::day_term(shift(date, d)));
    terms.emplace_back(std::string(schema::kTermUndated));
    return Xapian::Query(Op::OP_OR, terms.begin(), terms.end());
}

// Members of a story compared with an article that would join it.
constexpr int kSampledMembers = 5;

// Stem vectors of documents, computed once per grouping run. References
// stay valid until the next trim().
class VectorCache {
public:
    VectorCache(const Xapian::Database& db, StopStems& stop, DfCache& dfs) : db_(db), stop_(stop), dfs_(dfs) {}
    const Vector& get(Xapian::docid id) {
        auto it = cache_.find(id);
        if (it != cache_.end()) return it->second;
        return cache_.emplace(id, stem_vector(db_, body_stems(db_, id, analysed_lang(db_.get_document(id)), stop_, &dfs_)))
            .first->second;
    }
    const Vector& put(Xapian::docid id, Vector v) { return cache_.insert_or_assign(id, std::move(v)).first->second; }
    // Bounds the memory of a long run.
    void trim() {
        if (cache_.size() > 100000) cache_.clear();
    }

private:
    const Xapian::Database& db_;
    StopStems& stop_;
    DfCache& dfs_;
    std::unordered_map<Xapian::docid, Vector> cache_;
};

// Moves every member of story `from` into story `to`.
void relabel(const Xapian::Database& db, const DocumentWriter& write, const std::string& from, const std::string& to) {
    std::string from_term = schema::story_term(from), to_term = schema::story_term(to);
    std::vector<Xapian::docid> members(db.postlist_begin(from_term), db.postlist_end(from_term));
    for (Xapian::docid id : members) {
        Xapian::Document doc = db.get_document(id);
        doc.remove_term(from_term);
        doc.add_boolean_term(to_term);
        doc.add_value(schema::kSlotStory, to);
        write(id, doc);
    }
}

}  // namespace

StoryStats group_stories(Xapian::WritableDatabase& db, const std::vector<Xapian::docid>& docs,
                         const StoryOptions& options) {
    return group_stories(
        db, docs, [&](Xapian::docid id, const Xapian::Document& doc) { db.replace_document(id, doc); }, options);
}

namespace {

// One grouping run over `db`: the stem vectors and document frequencies it
// has read, and the steps that place one article in a story.
class StoryGrouper {
public:
    StoryGrouper(const Xapian::Database& db, const DocumentWriter& write, const StoryOptions& options)
        : db_(db), write_(write), options_(options), stop_(analyzer_), vectors_(db, stop_, dfs_) {}

    void place(Xapian::docid id) {
        vectors_.trim();
        Xapian::Document doc;
        try {
            doc = db_.get_document(id);
        } catch (const Xapian::DocNotFoundError&) {
            return;  // deleted since
        }
        std::string lang = analysed_lang(doc);
        std::vector<StemStat> body = body_stems(db_, id, lang, stop_, &dfs_);
        std::optional<Xapian::MSet> found = candidates(doc, body);
        if (!found) return;
        const Vector& mine = vectors_.put(id, stem_vector(db_, body));
        for (const auto& [sim, other] : similar(id, lang, mine, *found)) join(id, mine, other);
    }

    const StoryStats& stats() const { return stats_; }

private:
    // The best matches of the article's distinctive stems within its date
    // window; nullopt when it has none.
    std::optional<Xapian::MSet> candidates(const Xapian::Document& doc, const std::vector<StemStat>& body) {
        Xapian::Query query = distinctive_stems_query(db_, body, options_.terms, nullptr);
        if (query.empty()) return std::nullopt;
        Xapian::Query window = window_filter(doc, options_.window_days);
        if (!window.empty()) query = Xapian::Query(Op::OP_FILTER, query, window);
        Xapian::Enquire enquire(db_);
        enquire.set_query(query);
        return enquire.get_mset(0, options_.candidates + 1);
    }

    // The candidates alike enough to join, most similar first.
    std::vector<std::pair<double, Xapian::docid>> similar(Xapian::docid id, const std::string& lang,
                                                          const Vector& mine, const Xapian::MSet& found) {
        std::vector<std::pair<double, Xapian::docid>> out;
        for (auto it = found.begin(); it != found.end(); ++it) {
            if (*it == id || analysed_lang(it.get_document()) != lang) continue;
            ++stats_.compared;
            double sim = cosine(mine, vectors_.get(*it));
            // Below the threshold, the candidate's story as a whole may still be alike enough.
            if (sim < options_.threshold && sim >= options_.group_threshold) {
                sim = std::max(sim, centroid_similarity(mine, id, it.get_document().get_value(schema::kSlotStory)));
            }
            if (sim >= options_.threshold) out.emplace_back(sim, *it);
        }
        std::sort(out.rbegin(), out.rend());
        return out;
    }

    // Merges the stories of `id` and `other` when each is, on average, alike
    // enough to the other's story.
    void join(Xapian::docid id, const Vector& mine, Xapian::docid other) {
        // Read both keys afresh: earlier merges may have changed them.
        std::string a = db_.get_document(id).get_value(schema::kSlotStory);
        std::string b = db_.get_document(other).get_value(schema::kSlotStory);
        if (a == b) return;
        // Average linkage both ways, so that stories do not chain
        // through one borderline pair into unrelated ones.
        if (mean_similarity(mine, b) < options_.group_threshold ||
            mean_similarity(vectors_.get(other), a) < options_.group_threshold) {
            return;
        }
        // Union by size: the smaller story moves into the larger (ties: into the smaller key).
        Xapian::doccount size_a = db_.get_termfreq(schema::story_term(a));
        Xapian::doccount size_b = db_.get_termfreq(schema::story_term(b));
        bool into_a = size_a != size_b ? size_a > size_b : a < b;
        if (into_a) relabel(db_, write_, b, a);
        else relabel(db_, write_, a, b);
        ++stats_.joined;
    }

    // Mean similarity of `v` to (at most kSampledMembers) members of `story`.
    double mean_similarity(const Vector& v, const std::string& story) {
        std::string term = schema::story_term(story);
        double sum = 0;
        int n = 0;
        for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term) && n < kSampledMembers; ++p, ++n) {
            sum += cosine(v, vectors_.get(*p));
        }
        return n ? sum / n : 0.0;
    }

    // Cosine of `v` with the centroid of the members of `story`: how alike
    // the article is to the story as a whole, where the words its members
    // share weigh more than each one's own. From cosines alone:
    // v.(m1+...+mn) / |m1+...+mn|. 0 for a story of one, and for a story of
    // more than kSampledMembers, which is not seen whole (and on Reuters is
    // mostly a series of daily reports, not one story).
    double centroid_similarity(const Vector& v, Xapian::docid self, const std::string& story) {
        std::string term = schema::story_term(story);
        if (db_.get_termfreq(term) > kSampledMembers) return 0.0;
        std::vector<Xapian::docid> members;
        for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
            if (*p != self) members.push_back(*p);
        }
        if (members.size() < 2) return 0.0;
        double dot = 0, norm2 = 0;
        for (std::size_t i = 0; i < members.size(); ++i) {
            const Vector& m = vectors_.get(members[i]);
            dot += cosine(v, m);
            norm2 += 1;
            for (std::size_t j = i + 1; j < members.size(); ++j) norm2 += 2 * cosine(m, vectors_.get(members[j]));
        }
        return dot / std::sqrt(norm2);
    }

    const Xapian::Database& db_;
    const DocumentWriter& write_;
    const StoryOptions& options_;
    Analyzer analyzer_;
    StopStems stop_;
    DfCache dfs_;
    VectorCache vectors_;
    StoryStats stats_;
};

}  // namespace

StoryStats group_stories(const Xapian::Database& db, const std::vector<Xapian::docid>& docs,
                         const DocumentWriter& write, const StoryOptions& options) {
    StoryGrouper grouper(db, write, options);
    for (Xapian::docid id : docs) grouper.place(id);
    return grouper.stats();
}

}  // namespace morgue
