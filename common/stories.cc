#include "stories.h"

#include "analyzer.h"
#include "document.h"
#include "embedded_data.h"
#include "language.h"
#include "schema.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace morgue {

namespace {

using Op = Xapian::Query::op;
using Vector = std::unordered_map<std::string, double>;

std::string lang_of(const Xapian::Document& doc) {
    std::string lang = doc.get_value(schema::kSlotLang);
    return lang.empty() ? std::string(kDefaultLang) : lang;
}

// Collections smaller than this many articles are treated as if they had
// that many (with the extra articles lacking every term), so that a small
// archive does not give its shared story words an idf near zero.
constexpr double kBackgroundDocs = 1000;

// Stems not worth comparing articles on: the stems of the language's
// stopwords (language.h), and for English a few words every news story uses
// (data/stopwords/en.txt: "said", "also"...).
class StopStems {
public:
    explicit StopStems(Analyzer& analyzer) : analyzer_(analyzer) {}
    bool operator()(std::string_view stem, const std::string& lang) {
        auto it = stems_.find(lang);
        if (it == stems_.end()) it = stems_.emplace(lang, load(lang)).first;
        return it->second.count(std::string(stem)) != 0;
    }

private:
    std::unordered_set<std::string> load(const std::string& lang) {
        std::unordered_set<std::string> out;
        auto add = [&](std::string_view words) {
            for (const Token& t : analyzer_.tokens(words)) {
                std::string s = analyzer_.stem(t, lang);
                out.insert(s.empty() ? t.term : s);
            }
        };
        if (const auto* words = stopwords(lang)) {
            for (const std::string& w : *words) add(w);
        }
        if (lang == "en") {
            std::string_view extra = data::stopwords_en();
            for (std::size_t i = 0; i < extra.size();) {
                std::size_t end = std::min(extra.find('\n', i), extra.size());
                if (extra[i] != '#') add(extra.substr(i, end - i));
                i = end + 1;
            }
        }
        return out;
    }

    Analyzer& analyzer_;
    std::unordered_map<std::string, std::unordered_set<std::string>> stems_;
};

// A body stem of a document (not a stop word), with its within-document and
// document frequencies: read once per article, for both its vector and its
// candidate query (each document frequency is a B-tree lookup).
struct StemStat {
    std::string term;
    Xapian::termcount wdf;
    Xapian::doccount df;
};

// Document frequencies already looked up in this grouping run (the database
// does not change under it but for story terms), so that comparing articles
// costs a hash lookup per word rather than a B-tree lookup.
class DfCache {
public:
    template <class Lookup>
    Xapian::doccount get(const std::string& term, Lookup&& lookup) {
        auto it = df_.find(term);
        if (it != df_.end()) return it->second;
        if (df_.size() > 2000000) df_.clear();  // bounds memory on huge vocabularies
        Xapian::doccount df = lookup();
        df_.emplace(term, df);
        return df;
    }

private:
    std::unordered_map<std::string, Xapian::doccount> df_;
};

std::vector<StemStat> body_stems(const Xapian::Database& db, Xapian::docid id, const std::string& lang, StopStems& stop,
                                 DfCache* dfs = nullptr) {
    std::vector<StemStat> out;
    BodyStems stems(lang);
    auto it = db.termlist_begin(id);
    for (it.skip_to(stems.prefix()); it != db.termlist_end(id); ++it) {
        const std::string& term = *it;
        if (term.compare(0, stems.prefix().size(), stems.prefix()) != 0) break;
        if (!stems(term) || stop(std::string_view(term).substr(stems.prefix().size()), lang)) continue;
        Xapian::doccount df = dfs ? dfs->get(term, [&] { return it.get_termfreq(); }) : it.get_termfreq();
        out.push_back({term, it.get_wdf(), df});
    }
    return out;
}

// tf-idf weights of a document's body stems (not stop words), unit length.
Vector stem_vector(const Xapian::Database& db, const std::vector<StemStat>& stems) {
    Vector v;
    const double n = static_cast<double>(db.get_doccount()) + kBackgroundDocs;
    double norm = 0;
    for (const StemStat& s : stems) {
        double w = (1 + std::log(static_cast<double>(s.wdf))) * std::log(n / (static_cast<double>(s.df) + 1));
        v.emplace(s.term, w);
        norm += w * w;
    }
    norm = std::sqrt(norm);
    if (norm > 0) {
        for (auto& [t, w] : v) w /= norm;
    }
    return v;
}

Vector stem_vector(const Xapian::Database& db, Xapian::docid id, const std::string& lang, StopStems& stop) {
    return stem_vector(db, body_stems(db, id, lang, stop));
}

double cosine(const Vector& a, const Vector& b) {
    const Vector& small = a.size() < b.size() ? a : b;
    const Vector& large = a.size() < b.size() ? b : a;
    double dot = 0;
    for (const auto& [t, w] : small) {
        auto it = large.find(t);
        if (it != large.end()) dot += w * it->second;
    }
    return dot;
}

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
        return cache_.emplace(id, stem_vector(db_, body_stems(db_, id, lang_of(db_.get_document(id)), stop_, &dfs_)))
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

// Candidate-finding terms: the article's most distinctive body stems by
// tf-idf, weighted, among those some other article has too. (Not Xapian's
// ESet: over several databases, local or remote, Xapian 1.4 gives an empty
// ESet for documents outside the last one.)
Xapian::Query more_like_with(const Xapian::Database& db, const std::vector<StemStat>& body, Xapian::termcount terms,
                             std::vector<std::string>* stems) {
    // As in stem_vector: at least kBackgroundDocs articles, or in a small archive
    // the words every article shares (the story's own) would weigh nothing.
    // Nor a stem in more than a tenth of them: it tells no story apart, and its
    // long posting list would make every such query read much of the archive
    // (undated articles search without a date window).
    const double n = static_cast<double>(db.get_doccount()) + kBackgroundDocs;
    std::vector<std::pair<double, std::string>> weighted;
    for (const StemStat& s : body) {
        if (s.df < 2 || s.df > n / 10) continue;
        double w = (1 + std::log(static_cast<double>(s.wdf))) * std::log(n / s.df);
        if (w > 0) weighted.emplace_back(w, s.term);
    }
    std::size_t keep = std::min<std::size_t>(terms, weighted.size());
    std::partial_sort(weighted.begin(), weighted.begin() + static_cast<std::ptrdiff_t>(keep), weighted.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
    std::vector<Xapian::Query> parts;
    for (std::size_t i = 0; i < keep; ++i) {
        parts.emplace_back(Op::OP_SCALE_WEIGHT, Xapian::Query(weighted[i].second), weighted[i].first);
        if (stems) stems->push_back(weighted[i].second.substr(schema::kStemMarker.size()));  // "Zen:x" -> "en:x"
    }
    if (parts.empty()) return Xapian::Query();
    return Xapian::Query(Op::OP_OR, parts.begin(), parts.end());
}

}  // namespace

Xapian::Query more_like(const Xapian::Database& db, Xapian::docid id, Analyzer& analyzer, Xapian::termcount terms,
                        std::vector<std::string>* stems) {
    StopStems stop(analyzer);
    return more_like_with(db, body_stems(db, id, lang_of(db.get_document(id)), stop), terms, stems);
}

double story_similarity(const Xapian::Database& db, Xapian::docid a, Xapian::docid b) {
    std::string la = lang_of(db.get_document(a)), lb = lang_of(db.get_document(b));
    if (la != lb) return 0;
    Analyzer analyzer;
    StopStems stop(analyzer);
    return cosine(stem_vector(db, a, la, stop), stem_vector(db, b, lb, stop));
}

StoryStats group_stories(Xapian::WritableDatabase& db, const std::vector<Xapian::docid>& docs,
                         const StoryOptions& options) {
    return group_stories(
        db, docs, [&](Xapian::docid id, const Xapian::Document& doc) { db.replace_document(id, doc); }, options);
}

StoryStats group_stories(const Xapian::Database& db, const std::vector<Xapian::docid>& docs,
                         const DocumentWriter& write, const StoryOptions& options) {
    StoryStats stats;
    Analyzer analyzer;
    StopStems stop(analyzer);
    DfCache dfs;
    VectorCache vectors(db, stop, dfs);
    // Mean similarity of `v` to (at most kSampledMembers) members of `story`.
    auto mean_similarity = [&](const Vector& v, const std::string& story) {
        std::string term = schema::story_term(story);
        double sum = 0;
        int n = 0;
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term) && n < kSampledMembers; ++p, ++n) {
            sum += cosine(v, vectors.get(*p));
        }
        return n ? sum / n : 0.0;
    };
    for (Xapian::docid id : docs) {
        vectors.trim();
        Xapian::Document doc;
        try {
            doc = db.get_document(id);
        } catch (const Xapian::DocNotFoundError&) {
            continue;  // deleted since
        }
        std::string lang = lang_of(doc);
        std::vector<StemStat> body = body_stems(db, id, lang, stop, &dfs);
        Xapian::Query query = more_like_with(db, body, options.terms, nullptr);
        if (query.empty()) continue;
        Xapian::Enquire enquire(db);
        Xapian::Query window = window_filter(doc, options.window_days);
        if (!window.empty()) query = Xapian::Query(Op::OP_FILTER, query, window);
        enquire.set_query(query);
        Xapian::MSet candidates = enquire.get_mset(0, options.candidates + 1);

        const Vector& mine = vectors.put(id, stem_vector(db, body));
        // Most similar candidates first.
        std::vector<std::pair<double, Xapian::docid>> similar;
        for (auto it = candidates.begin(); it != candidates.end(); ++it) {
            if (*it == id || lang_of(it.get_document()) != lang) continue;
            ++stats.compared;
            double sim = cosine(mine, vectors.get(*it));
            if (sim >= options.threshold) similar.emplace_back(sim, *it);
        }
        std::sort(similar.rbegin(), similar.rend());
        for (const auto& [sim, other] : similar) {
            // Read both keys afresh: earlier merges may have changed them.
            std::string a = db.get_document(id).get_value(schema::kSlotStory);
            std::string b = db.get_document(other).get_value(schema::kSlotStory);
            if (a == b) continue;
            // Average linkage both ways, so that stories do not chain
            // through one borderline pair into unrelated ones.
            if (mean_similarity(mine, b) < options.group_threshold ||
                mean_similarity(vectors.get(other), a) < options.group_threshold) {
                continue;
            }
            // Union by size: the smaller story moves into the larger (ties: into the smaller key).
            Xapian::doccount size_a = db.get_termfreq(schema::story_term(a));
            Xapian::doccount size_b = db.get_termfreq(schema::story_term(b));
            bool into_a = size_a != size_b ? size_a > size_b : a < b;
            if (into_a) relabel(db, write, b, a);
            else relabel(db, write, a, b);
            ++stats.joined;
        }
    }
    return stats;
}

}  // namespace morgue
