#include "stories.h"

#include "analyzer.h"
#include "document.h"
#include "schema.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <unordered_map>
#include <unordered_set>

namespace morgue {

namespace {

using Op = Xapian::Query::op;

// Stems kept in an article's vector (its heaviest by tf-idf; the weights
// stay divided by the norm of the whole vector, so a cosine misses only the
// products of the light stems). 48 stems of 3 to 5 bytes (VecView), about 4
// with a vocabulary of tens of thousands of stems: 150 bytes an article on
// average on the synthetic corpus.
constexpr std::size_t kVectorStems = 48;
// Stems an article is indexed under (its most distinctive): the postings
// that later articles find it by.
constexpr std::size_t kIndexedStems = 16;
// Candidates sharing the most distinctive stems whose cosine is computed.
constexpr std::size_t kScored = 16;
// Members of a story compared with an article that would join it.
constexpr std::size_t kSampledMembers = 5;
// Postings of one stem appended since its last sort, at most: between these
// two, an eighth of those sorted (sorting costs O(1) a posting, a lookup
// reads at most kMaxUnsorted unsorted).
constexpr std::size_t kMinUnsorted = 128;
constexpr std::size_t kMaxUnsorted = 1024;
// Postings of one stem a lookup reads, at most: for an undated article
// (candidates at any date) the latest, for a dated one the earliest of its
// window. Bounds the cost of a common stem in an archive packed in time.
constexpr std::size_t kScanPostings = 4096;
constexpr double kWeightScale = 65535.0;

// Days since 1970-01-01 of "YYYYMMDD"; kUndatedDay when it is not a date.
std::int32_t day_number(const std::string& yyyymmdd) {
    using namespace std::chrono;
    if (yyyymmdd.size() != 8) return kUndatedDay;
    int y = std::stoi(yyyymmdd.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoi(yyyymmdd.substr(4, 2)));
    unsigned d = static_cast<unsigned>(std::stoi(yyyymmdd.substr(6, 2)));
    year_month_day ymd{year{y} / month{m} / day{d}};
    if (!ymd.ok()) return kUndatedDay;
    return static_cast<std::int32_t>(sys_days{ymd}.time_since_epoch().count());
}

// "YYYYMMDD" of a day number.
std::string yyyymmdd(std::int32_t days) {
    using namespace std::chrono;
    year_month_day ymd{sys_days{std::chrono::days{days}}};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

// Candidates in the database must be within the window, or undated: a
// filter of day terms (a few thousand postings), not a range over the date
// slot, which would read a value of every article in the archive.
Xapian::Query window_filter(std::int32_t day, int days) {
    if (day == kUndatedDay) return Xapian::Query();
    std::vector<Xapian::Query> terms;
    for (int d = -days; d <= days; ++d) terms.emplace_back(schema::day_term(yyyymmdd(day + d)));
    terms.emplace_back(std::string(schema::kTermUndated));
    return Xapian::Query(Op::OP_OR, terms.begin(), terms.end());
}

std::uint64_t parse_key(const std::string& hex) {
    std::uint64_t k = 0;
    std::from_chars(hex.data(), hex.data() + hex.size(), k, 16);
    return k;
}

std::string format_key(std::uint64_t key) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(key));
    return hex;
}

// What the index keeps of every article is mostly in std::deques, which grow
// by chunks without moving what they hold, where a std::vector that doubles
// holds its old and new arrays at once (at a million articles, hundreds of
// MB at the moment of the copy) and may keep half of its capacity unused.
template <class T>
std::size_t bytes_of(const std::deque<T>& d) {
    return d.size() * sizeof(T);
}

// A compact tf-idf vector, as bytes: the number of stems (a varint), then
// for each stem in increasing order of id the difference from the previous
// id (a varint: one to three bytes, mostly two where the vocabulary is tens
// of thousands of stems) and the weight, scaled to 16 bits (two bytes, little-endian).
// About 4 bytes a stem where plain arrays take 6.
struct VecView {
    const std::uint8_t* bytes = nullptr;
};

using Vec = std::vector<std::uint8_t>;

void put_varint(Vec& out, std::uint32_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<std::uint8_t>(v | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(v));
}

std::uint32_t get_varint(const std::uint8_t*& p) {
    std::uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
        std::uint8_t b = *p++;
        v |= std::uint32_t{b & 0x7fu} << shift;
        if (b < 0x80) return v;
    }
}

// Reads a VecView's stems in order.
class VecCursor {
public:
    explicit VecCursor(VecView v) : p_(v.bytes), left_(v.bytes ? get_varint(p_) : 0) {}
    // Steps to the next stem; false at the end.
    bool next() {
        if (left_ == 0) return false;
        --left_;
        id_ += get_varint(p_);
        weight_ = static_cast<std::uint16_t>(p_[0] | p_[1] << 8);
        p_ += 2;
        return true;
    }
    std::uint32_t id() const { return id_; }
    std::uint16_t weight() const { return weight_; }

private:
    const std::uint8_t* p_;
    std::uint32_t left_;
    std::uint32_t id_ = 0;
    std::uint16_t weight_ = 0;
};

double cosine(VecView a, VecView b) {
    std::uint64_t dot = 0;
    VecCursor x(a), y(b);
    bool more = x.next() && y.next();
    while (more) {
        if (x.id() < y.id()) more = x.next();
        else if (x.id() > y.id()) more = y.next();
        else {
            dot += std::uint64_t{x.weight()} * y.weight();
            more = x.next() && y.next();
        }
    }
    return static_cast<double>(dot) / (kWeightScale * kWeightScale);
}

// The encoded vectors of the articles of a run, one after the other in
// blocks that double from 4 KB to 1 MB, never moved (a vector never
// straddles two blocks).
class VecArena {
public:
    // Stores `v`; returns where (for at()).
    std::uint64_t add(const Vec& v) {
        if (blocks_.empty() || used_ + v.size() > block_size_) {
            if (!blocks_.empty()) block_size_ = std::min(block_size_ * 2, kMaxBlock);
            block_size_ = std::max(block_size_, v.size());
            blocks_.push_back(std::make_unique_for_overwrite<std::uint8_t[]>(block_size_));
            bytes_ += block_size_;
            used_ = 0;
        }
        std::copy(v.begin(), v.end(), blocks_.back().get() + used_);
        std::uint64_t at = (std::uint64_t{blocks_.size() - 1} << 32) | used_;
        used_ += v.size();
        return at;
    }
    VecView at(std::uint64_t where) const { return {blocks_[where >> 32].get() + (where & 0xffffffffu)}; }
    std::size_t bytes() const { return bytes_; }

private:
    static constexpr std::size_t kMaxBlock = std::size_t{1} << 20;
    std::vector<std::unique_ptr<std::uint8_t[]>> blocks_;
    std::size_t block_size_ = 4096;
    std::size_t used_ = 0;
    std::size_t bytes_ = 0;
};

// One posting of a stem: an article of this run, and its day.
struct Posting {
    std::int32_t day;
    std::uint32_t article;
    friend bool operator<(const Posting& a, const Posting& b) {
        return a.day != b.day ? a.day < b.day : a.article < b.article;
    }
};

// The postings of one stem: sorted by day (undated first, as kUndatedDay is
// the least), then at most kMaxUnsorted in arrival order.
struct Postings {
    std::vector<Posting> list;
    std::uint32_t sorted = 0;

    void add(Posting p) {
        // Grown by a quarter, not doubled: the postings of all stems are a
        // third of the index, and doubling leaves up to half of them unused.
        if (list.size() == list.capacity()) list.reserve(list.size() + list.size() / 4 + 4);
        list.push_back(p);
        if (list.size() - sorted >= std::clamp<std::size_t>(sorted / 8, kMinUnsorted, kMaxUnsorted)) {
            std::sort(list.begin() + sorted, list.end());
            std::inplace_merge(list.begin(), list.begin() + sorted, list.end());
            sorted = static_cast<std::uint32_t>(list.size());
        }
    }

    // Calls f(article) for the postings within `days` of `day` and the
    // undated ones; for an undated `day`, for the latest postings of any date.
    template <class F>
    void find(std::int32_t day, int days, F&& f) const {
        auto begin = list.begin(), sorted_end = list.begin() + sorted;
        if (day == kUndatedDay) {
            std::size_t from = list.size() > kScanPostings ? list.size() - kScanPostings : 0;
            for (auto it = list.begin() + static_cast<std::ptrdiff_t>(from); it != list.end(); ++it) f(it->article);
            return;
        }
        auto undated_end = std::lower_bound(begin, sorted_end, Posting{kUndatedDay + 1, 0});
        std::size_t budget = kScanPostings;
        for (auto it = begin; it != undated_end && budget > 0; ++it, --budget) f(it->article);
        auto lo = std::lower_bound(undated_end, sorted_end, Posting{day - days, 0});
        for (auto it = lo; it != sorted_end && it->day <= day + days && budget > 0; ++it, --budget) f(it->article);
        for (auto it = sorted_end; it != list.end(); ++it) {
            if (it->day == kUndatedDay || std::abs(it->day - day) <= days) f(it->article);
        }
    }
};

// A stem of the article being placed.
struct Stem {
    std::uint32_t id;
    double weight;       // tf-idf, as in the vector
    double distinctive;  // weight in the candidate search; 0: not used there
    const std::string* term;
};

// A candidate: an article of this run (`article`), or of the database before it (`docid`).
struct Candidate {
    double sim = 0;
    std::uint32_t article = 0;
    Xapian::docid docid = 0;
    std::string story;  // the database article's story key
};

constexpr std::uint32_t kNone = UINT32_MAX;

// A story of this run: its members (a list threaded through the articles),
// or, when it was in the database before the run, only its key (members are
// read from the database, where this run's members are written too).
struct Story {
    std::uint64_t key;
    std::uint32_t head = kNone, tail = kNone, size = 0;
    bool archived = false;
};

}  // namespace

StorySketch sketch_of(const Xapian::Document& doc, StopStems& stop) {
    StorySketch s;
    s.lang = analysed_lang(doc);
    s.day = day_number(doc.get_value(schema::kSlotDate));
    LanguageBodyStems stems(s.lang);
    auto it = doc.termlist_begin();
    for (it.skip_to(stems.prefix()); it != doc.termlist_end(); ++it) {
        const std::string& term = *it;
        if (term.compare(0, stems.prefix().size(), stems.prefix()) != 0) break;
        if (!stems(term) || stop(std::string_view(term).substr(stems.prefix().size()), s.lang)) continue;
        s.stems.emplace_back(term, it.get_wdf());
    }
    return s;
}

struct StoryIndex::Impl {
    Impl(std::optional<Archive> a, const StoryOptions& o, StoryStats& st)
        : archive(std::move(a)), options(o), stats(st), stop(analyzer) {}

    std::optional<Archive> archive;
    const StoryOptions options;
    StoryStats& stats;
    Analyzer analyzer;  // for the stop stems of database articles
    StopStems stop;

    // The vocabulary: stem ids, and document frequencies (in the database
    // when first seen, plus this run's articles since).
    std::unordered_map<std::string, std::uint32_t> stem_ids;
    std::vector<std::uint32_t> df;
    std::vector<Postings> postings;  // by stem id
    std::vector<std::string> langs;
    double run_docs = 0;

    // The articles of this run, by number: vectors (in one arena), day, language, story.
    VecArena vectors;
    std::deque<std::uint64_t> vec_at;
    std::deque<std::int32_t> days;
    // (A vector: read for every posting a candidate search scans, and one byte an article.)
    std::vector<std::uint8_t> lang_of;
    std::deque<std::uint32_t> story_of, next_member;
    std::deque<Story> stories;
    std::unordered_map<std::uint64_t, std::uint32_t> archived_stories;  // key -> index in stories
    // Incremental runs: this run's articles by id term hash (the database sees them too).
    std::unordered_set<std::uint64_t> run_ids;
    std::unordered_map<Xapian::docid, Vec> db_vectors;
    std::size_t layout = 0;

    // Scratch of the candidate search.
    std::vector<float> score;
    std::vector<std::uint32_t> touched;

    double collection() const { return (archive ? archive->doccount : 0) + run_docs + kBackgroundDocs; }

    std::uint32_t intern(const std::string& term) {
        auto [it, fresh] = stem_ids.try_emplace(term, static_cast<std::uint32_t>(df.size()));
        if (fresh) {
            df.push_back(archive ? archive->db().get_termfreq(term) : 0);
            postings.emplace_back();
        }
        return it->second;
    }

    std::uint8_t lang_id(const std::string& lang) {
        auto it = std::find(langs.begin(), langs.end(), lang);
        if (it != langs.end()) return static_cast<std::uint8_t>(it - langs.begin());
        if (langs.size() == 255) return 255;  // (more languages than that share one id: compared by cosine anyway)
        langs.push_back(lang);
        return static_cast<std::uint8_t>(langs.size() - 1);
    }

    VecView vec(std::uint32_t a) const { return vectors.at(vec_at[a]); }

    // The stems of an article with their weights; `count` adds it to the document frequencies.
    std::vector<Stem> weigh(const std::vector<std::pair<std::string, Xapian::termcount>>& terms, bool count) {
        std::vector<Stem> out;
        out.reserve(terms.size());
        for (const auto& [term, wdf] : terms) {
            std::uint32_t id = intern(term);
            if (count) ++df[id];
            out.push_back({id, 0, 0, &term});
        }
        const double n = collection();
        for (std::size_t i = 0; i < out.size(); ++i) {
            double tf = 1 + std::log(static_cast<double>(terms[i].second));
            double f = df[out[i].id];
            out[i].weight = tf * std::log(n / (f + 1));
            // As in distinctive_stems_query(): a stem some other article has, and not one in a tenth of them.
            if (f >= 2 && f <= n / 10) out[i].distinctive = std::max(0.0, tf * std::log(n / f));
        }
        return out;
    }

    // The vector of `stems`: the kVectorStems heaviest, sorted by id.
    static Vec vector_of(std::vector<Stem> stems) {
        std::size_t keep = std::min(kVectorStems, stems.size());
        std::partial_sort(stems.begin(), stems.begin() + static_cast<std::ptrdiff_t>(keep), stems.end(),
                          [](const Stem& a, const Stem& b) { return a.weight > b.weight; });
        stems.resize(keep);
        double norm = 0;
        for (const Stem& s : stems) norm += s.weight * s.weight;
        norm = std::sqrt(norm);
        std::sort(stems.begin(), stems.end(), [](const Stem& a, const Stem& b) { return a.id < b.id; });
        std::erase_if(stems, [&](const Stem& s) { return norm <= 0 || s.weight <= 0; });
        Vec v;
        put_varint(v, static_cast<std::uint32_t>(stems.size()));
        std::uint32_t previous = 0;
        for (const Stem& s : stems) {
            auto weight = static_cast<std::uint16_t>(std::lround(std::min(1.0, s.weight / norm) * kWeightScale));
            put_varint(v, s.id - previous);
            v.push_back(static_cast<std::uint8_t>(weight & 0xff));
            v.push_back(static_cast<std::uint8_t>(weight >> 8));
            previous = s.id;
        }
        return v;
    }

    // The article's most distinctive stems, most distinctive first.
    std::vector<Stem> distinctive(const std::vector<Stem>& stems, std::size_t n) const {
        std::vector<Stem> out;
        for (const Stem& s : stems) {
            if (s.distinctive > 0) out.push_back(s);
        }
        std::size_t keep = std::min(n, out.size());
        std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(),
                          [](const Stem& a, const Stem& b) {
                              return a.distinctive > b.distinctive || (a.distinctive == b.distinctive && *a.term < *b.term);
                          });
        out.resize(keep);
        return out;
    }

    // Articles of this run sharing the most of `query`'s stems within the
    // window, in `lang`, with their cosines.
    std::vector<Candidate> run_candidates(const std::vector<Stem>& query, std::int32_t day, std::uint8_t lang,
                                          VecView mine) {
        score.resize(days.size(), 0.0f);
        for (const Stem& s : query) {
            postings[s.id].find(day, options.window_days, [&](std::uint32_t a) {
                if (lang_of[a] != lang) return;
                if (score[a] == 0) touched.push_back(a);
                score[a] += static_cast<float>(s.distinctive);
            });
        }
        std::size_t keep = std::min(kScored, touched.size());
        std::partial_sort(touched.begin(), touched.begin() + static_cast<std::ptrdiff_t>(keep), touched.end(),
                          [&](std::uint32_t a, std::uint32_t b) { return score[a] != score[b] ? score[a] > score[b] : a > b; });
        std::vector<Candidate> out;
        for (std::size_t i = 0; i < keep; ++i) out.push_back({cosine(mine, vec(touched[i])), touched[i], 0, {}});
        stats.compared += keep;
        for (std::uint32_t a : touched) score[a] = 0;
        touched.clear();
        return out;
    }

    // The vector of database article `id`, its stems weighed as this run's.
    VecView db_vector(Xapian::docid id) {
        auto it = db_vectors.find(id);
        if (it != db_vectors.end()) return {it->second.data()};
        const Xapian::Database& db = archive->db();
        std::vector<std::pair<std::string, Xapian::termcount>> terms;
        for (const StemStat& s : body_stems(db, id, analysed_lang(db.get_document(id)), stop)) terms.emplace_back(s.term, s.wdf);
        return {db_vectors.emplace(id, vector_of(weigh(terms, false))).first->second.data()};
    }

    // Articles of the database before this run (incremental runs): the best
    // matches of the query stems within the window, as before issue 16.
    std::vector<Candidate> archive_candidates(const std::vector<Stem>& query, std::int32_t day, const std::string& lang,
                                              const std::string& id_term, VecView mine) {
        std::vector<Candidate> out;
        if (!archive || archive->doccount == 0 || query.empty()) return out;
        std::vector<Xapian::Query> parts;
        for (const Stem& s : query) parts.emplace_back(Op::OP_SCALE_WEIGHT, Xapian::Query(*s.term), s.distinctive);
        Xapian::Query q(Op::OP_OR, parts.begin(), parts.end());
        Xapian::Query window = window_filter(day, options.window_days);
        if (!window.empty()) q = Xapian::Query(Op::OP_FILTER, q, window);
        const Xapian::Database& db = archive->db();
        Xapian::Enquire enquire(db);
        enquire.set_query(q);
        Xapian::MSet found = enquire.get_mset(0, static_cast<Xapian::doccount>(options.candidates + 1));
        for (auto it = found.begin(); it != found.end(); ++it) {
            Xapian::Document doc = it.get_document();
            std::string other = schema::id_term(article_id_of(doc));
            if (other == id_term || run_ids.count(std::hash<std::string>()(other)) || analysed_lang(doc) != lang) continue;
            ++stats.compared;
            out.push_back({cosine(mine, db_vector(*it)), 0, *it, doc.get_value(schema::kSlotStory)});
        }
        return out;
    }

    // The story of a candidate (created, as archived, for a database story seen the first time).
    std::uint32_t story_index(const Candidate& c) {
        if (c.docid == 0) return story_of[c.article];
        std::uint64_t key = parse_key(c.story);
        auto [it, fresh] = archived_stories.try_emplace(key, static_cast<std::uint32_t>(stories.size()));
        if (fresh) stories.push_back(Story{key, kNone, kNone, 0, true});
        return it->second;
    }

    // Vectors of (at most kSampledMembers) members of story `s`, first members first.
    std::vector<VecView> members(std::uint32_t s) {
        std::vector<VecView> out;
        const Story& story = stories[s];
        if (!story.archived) {
            for (std::uint32_t a = story.head; a != kNone && out.size() < kSampledMembers; a = next_member[a]) out.push_back(vec(a));
            return out;
        }
        const Xapian::Database& db = archive->db();
        std::string term = schema::story_term(format_key(story.key));
        std::vector<Xapian::docid> ids;
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term) && ids.size() < kSampledMembers; ++p) ids.push_back(*p);
        for (Xapian::docid id : ids) out.push_back(db_vector(id));
        return out;
    }

    std::size_t story_size(std::uint32_t s) const {
        const Story& story = stories[s];
        return story.archived ? archive->db().get_termfreq(schema::story_term(format_key(story.key))) : story.size;
    }

    double mean_similarity(VecView v, std::uint32_t s) {
        std::vector<VecView> m = members(s);
        double sum = 0;
        for (VecView x : m) sum += cosine(v, x);
        return m.empty() ? 0.0 : sum / static_cast<double>(m.size());
    }

    // Cosine of `v` with the centroid of the members of story `s`: how alike
    // the article is to the story as a whole, where the words its members
    // share weigh more than each one's own. From cosines alone:
    // v.(m1+...+mn) / |m1+...+mn|. 0 for a story of one, and for a story of
    // more than kSampledMembers, which is not seen whole (and on Reuters is
    // mostly a series of daily reports, not one story).
    double centroid_similarity(VecView v, std::uint32_t s) {
        if (story_size(s) > kSampledMembers) return 0.0;
        std::vector<VecView> m = members(s);
        if (m.size() < 2) return 0.0;
        double dot = 0, norm2 = 0;
        for (std::size_t i = 0; i < m.size(); ++i) {
            dot += cosine(v, m[i]);
            norm2 += cosine(m[i], m[i]);
            for (std::size_t j = i + 1; j < m.size(); ++j) norm2 += 2 * cosine(m[i], m[j]);
        }
        return norm2 > 0 ? dot / std::sqrt(norm2) : 0.0;
    }

    // The story the article joins: that of its most similar candidate alike
    // enough, whose members it is also alike to on average; kNone for none.
    std::uint32_t choose(std::vector<Candidate>& found, VecView mine) {
        // The most similar first; among equals, this run's first, the earliest first.
        auto by_sim = [](const Candidate& a, const Candidate& b) {
            if (a.sim != b.sim) return a.sim > b.sim;
            return a.docid != b.docid ? a.docid < b.docid : a.article < b.article;
        };
        std::sort(found.begin(), found.end(), by_sim);
        if (found.size() > options.candidates) found.resize(options.candidates);
        for (Candidate& c : found) {
            // Below the threshold, the candidate's story as a whole may still be alike enough.
            if (c.sim < options.threshold && c.sim >= options.group_threshold) {
                c.sim = std::max(c.sim, centroid_similarity(mine, story_index(c)));
            }
        }
        std::sort(found.begin(), found.end(), by_sim);
        for (const Candidate& c : found) {
            if (c.sim < options.threshold) break;
            std::uint32_t s = story_index(c);
            if (mean_similarity(mine, s) >= options.group_threshold) return s;
        }
        return kNone;
    }

    // Adds article `a` (just placed in story `s`) to the index: its vector, and postings under its stems.
    void remember(std::uint32_t a, std::uint32_t s, const Vec& v, const std::vector<Stem>& stems, std::int32_t day) {
        vec_at.push_back(vectors.add(v));
        story_of.push_back(s);
        next_member.push_back(kNone);
        Story& story = stories[s];
        if (story.tail == kNone) story.head = a;
        else next_member[story.tail] = a;
        story.tail = a;
        ++story.size;
        const double n = collection();
        std::vector<Stem> index;
        for (const Stem& st : stems) {
            if (df[st.id] <= n / 10) index.push_back(st);
        }
        std::size_t keep = std::min(kIndexedStems, index.size());
        std::partial_sort(index.begin(), index.begin() + static_cast<std::ptrdiff_t>(keep), index.end(),
                          [](const Stem& x, const Stem& y) { return x.weight > y.weight; });
        for (std::size_t i = 0; i < keep; ++i) postings[index[i].id].add(Posting{day, a});
    }
};

StoryIndex::StoryIndex(std::optional<Archive> archive, const StoryOptions& options)
    : impl_(std::make_unique<Impl>(std::move(archive), options, stats_)) {
}

StoryIndex::~StoryIndex() = default;

void StoryIndex::place(Xapian::Document& doc, const std::string& id_term, StorySketch&& sketch) {
    Impl& m = *impl_;
    if (m.days.size() > UINT32_MAX - 2) return;  // (more articles than one run indexes: founds its own)
    const std::uint32_t a = static_cast<std::uint32_t>(m.days.size());
    if (m.archive && m.archive->layout() != m.layout) {
        m.layout = m.archive->layout();
        m.db_vectors.clear();  // keyed by document ids that changed
    }
    // Bounds the memory of a long run; here, never while views of the vectors are held.
    if (m.db_vectors.size() > 100000) m.db_vectors.clear();
    m.run_docs += 1;
    std::vector<Stem> stems = m.weigh(sketch.stems, true);
    Vec mine = Impl::vector_of(stems);
    std::uint8_t lang = m.lang_id(sketch.lang);
    std::vector<Stem> query = m.distinctive(stems, m.options.terms);
    const VecView me{mine.data()};
    std::vector<Candidate> found = m.run_candidates(query, sketch.day, lang, me);
    for (Candidate& c : m.archive_candidates(query, sketch.day, sketch.lang, id_term, me)) found.push_back(std::move(c));
    std::uint32_t s = m.choose(found, me);

    std::string own = doc.get_value(schema::kSlotStory);
    if (s == kNone && m.archive && m.archive->doccount > 0 && m.archive->db().get_termfreq(schema::story_term(own)) > 0) {
        s = m.story_index(Candidate{0, 0, 1, own});  // its story from an earlier run (an article rewritten unchanged)
    } else if (s == kNone) {
        s = static_cast<std::uint32_t>(m.stories.size());
        m.stories.push_back(Story{parse_key(own)});
    } else {
        std::string key = format_key(m.stories[s].key);
        if (key != own) {
            doc.remove_term(schema::story_term(own));
            doc.add_boolean_term(schema::story_term(key));
            doc.add_value(schema::kSlotStory, key);
            ++stats_.joined;
        }
    }
    m.days.push_back(sketch.day);
    m.lang_of.push_back(lang);
    m.remember(a, s, mine, stems, sketch.day);
    if (m.archive && m.archive->doccount > 0) m.run_ids.insert(std::hash<std::string>()(id_term));
}

std::size_t StoryIndex::memory() const {
    const Impl& m = *impl_;
    std::size_t bytes = m.vectors.bytes() + bytes_of(m.vec_at) + bytes_of(m.days) + m.lang_of.capacity() +
                        bytes_of(m.story_of) + bytes_of(m.next_member) + bytes_of(m.stories) + m.df.capacity() * 4 +
                        m.postings.capacity() * sizeof(Postings) + m.score.capacity() * 4;
    for (const Postings& p : m.postings) bytes += p.list.capacity() * sizeof(Posting);
    for (const auto& [term, id] : m.stem_ids) bytes += term.capacity() + 48;
    return bytes;
}

}  // namespace morgue
