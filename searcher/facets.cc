#include "facets.h"

#include "schema.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string_view>

namespace morgue {

namespace {

// ---- Counting ------------------------------------------------------------

// How many matches have each value of one slot: an open-addressing table
// over the distinct values (a few hundred at most for sources and languages,
// a few thousand days for a decade of matches), probed with the value's hash, and the last value's entry
// checked first (consecutive matches often share a month or a language).
// Replaces ValueCountMatchSpy's std::map<std::string>, which compared
// strings down a tree for every match.
class Tally {
public:
    Tally() : slots_(64, kEmpty) {}

    // `n` more matches (one by default) with `value`.
    void add(const std::string& value, Xapian::doccount n = 1) {
        if (last_ < keys_.size() && keys_[last_] == value) {
            counts_[last_] += n;
            return;
        }
        std::size_t mask = slots_.size() - 1;
        for (std::size_t i = std::hash<std::string_view>{}(value) & mask;; i = (i + 1) & mask) {
            std::uint32_t k = slots_[i];
            if (k == kEmpty) {
                last_ = insert(value, i, n);
                return;
            }
            if (keys_[k] == value) {
                counts_[k] += n;
                last_ = k;
                return;
            }
        }
    }

    // In value order (as ValueCountMatchSpy gives them), each count times `scale`.
    // Sorted as (first eight bytes, index) pairs, not by moving strings: the
    // days of a search over decades are thousands of "YYYYMMDD" values, which
    // their first eight bytes order alone (sorting them as strings was 8% of
    // the instructions of a faceted page as a CGI at 200,000 articles).
    std::vector<FacetValue> values(Xapian::doccount scale) const {
        struct Key {
            std::uint64_t prefix;
            std::uint32_t k;
        };
        std::vector<Key> order;
        order.reserve(keys_.size());
        for (std::uint32_t k = 0; k < keys_.size(); ++k) order.push_back(Key{prefix_of(keys_[k]), k});
        std::sort(order.begin(), order.end(), [this](const Key& a, const Key& b) {
            return a.prefix != b.prefix ? a.prefix < b.prefix : keys_[a.k] < keys_[b.k];
        });
        std::vector<FacetValue> out;
        out.reserve(keys_.size());
        for (const Key& key : order) out.push_back(FacetValue{keys_[key.k], counts_[key.k] * scale});
        return out;
    }

private:
    static constexpr std::uint32_t kEmpty = UINT32_MAX;

    // The first eight bytes of `value`, big-endian, zero-padded: two values
    // whose prefixes differ are in the order of their prefixes (as strings
    // compare: bytes unsigned, a shorter value first); equal prefixes say nothing.
    static std::uint64_t prefix_of(const std::string& value) {
        std::uint64_t p = 0;
        for (std::size_t i = 0; i < 8; ++i) {
            p <<= 8;
            if (i < value.size()) p |= static_cast<unsigned char>(value[i]);
        }
        return p;
    }

    std::uint32_t insert(const std::string& value, std::size_t slot, Xapian::doccount n) {
        auto k = static_cast<std::uint32_t>(keys_.size());
        keys_.push_back(value);
        counts_.push_back(n);
        slots_[slot] = k;
        if (keys_.size() * 2 > slots_.size()) rehash();
        return k;
    }

    void rehash() {
        slots_.assign(slots_.size() * 2, kEmpty);
        std::size_t mask = slots_.size() - 1;
        for (std::uint32_t k = 0; k < keys_.size(); ++k) {
            std::size_t i = std::hash<std::string_view>{}(keys_[k]) & mask;
            while (slots_[i] != kEmpty) i = (i + 1) & mask;
            slots_[i] = k;
        }
    }

    std::vector<std::uint32_t> slots_;  // index into keys_, or kEmpty; a power of two long
    std::vector<std::string> keys_;
    std::vector<Xapian::doccount> counts_;
    std::size_t last_ = SIZE_MAX;
};

// ---- Sampling ------------------------------------------------------------

// A 64-bit mix (splitmix64's finaliser): consecutive document ids spread
// evenly, so that a sample by hash follows no pattern of the indexing order.
std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

// The documents whose id hashes to 0 modulo `every`: about one in `every`,
// deterministic, spread over the whole database. Filtering a query by it
// makes the matcher skip (not score, not spy on) the documents left out. In
// a stub of local shards each shard samples its own document ids. Weight 0.
class Sample : public Xapian::PostingSource {
public:
    explicit Sample(Xapian::doccount every) : every_(every) {}

    Xapian::PostingSource* clone() const override { return new Sample(every_); }

    void init(const Xapian::Database& db) override {
        last_ = db.get_lastdocid();
        docs_ = db.get_doccount();
        did_ = 0;
    }

    Xapian::doccount get_termfreq_min() const override { return 0; }
    Xapian::doccount get_termfreq_est() const override { return docs_ / every_; }
    Xapian::doccount get_termfreq_max() const override { return docs_; }

    void next(double) override { advance(did_ + 1); }
    void skip_to(Xapian::docid did, double) override {
        if (did > did_) advance(did);
    }
    bool at_end() const override { return did_ > last_; }
    Xapian::docid get_docid() const override { return static_cast<Xapian::docid>(did_); }

    std::string get_description() const override { return "morgue::Sample(1 in " + std::to_string(every_) + ")"; }

private:
    void advance(std::uint64_t from) {
        did_ = from;
        while (did_ <= last_ && mix(did_) % every_ != 0) ++did_;
    }

    Xapian::doccount every_;
    std::uint64_t last_ = 0;   // wide: no overflow past the largest docid
    std::uint64_t did_ = 0;
    Xapian::doccount docs_ = 0;
};

// ---- Facets from counts --------------------------------------------------

std::vector<FacetValue> spy_values(const Xapian::ValueCountMatchSpy& spy, Xapian::doccount scale) {
    std::vector<FacetValue> out;
    for (auto it = spy.values_begin(); it != spy.values_end(); ++it) out.push_back(FacetValue{*it, it.get_termfreq() * scale});
    return out;
}

// Two lists of counts in value order as one, the counts of a value in both summed.
std::vector<FacetValue> merged(std::vector<FacetValue> a, std::vector<FacetValue> b) {
    std::vector<FacetValue> out;
    out.reserve(a.size() + b.size());
    auto x = a.begin(), y = b.begin();
    while (x != a.end() || y != b.end()) {
        if (y == b.end() || (x != a.end() && x->value < y->value)) {
            out.push_back(std::move(*x++));
        } else if (x == a.end() || y->value < x->value) {
            out.push_back(std::move(*y++));
        } else {
            out.push_back(FacetValue{std::move(x->value), x->count + y->count});
            ++x, ++y;
        }
    }
    return out;
}

void most_frequent_first(std::vector<FacetValue>& values) {
    std::stable_sort(values.begin(), values.end(),
                     [](const FacetValue& a, const FacetValue& b) { return a.count > b.count; });
}

// Each article counts once for each of its sources (a joined list per article).
std::vector<FacetValue> source_counts(const std::vector<FacetValue>& joined_lists) {
    std::map<std::string, Xapian::doccount> sources;
    for (const FacetValue& v : joined_lists) {
        std::set<std::string_view> names;
        std::string_view list = v.value;
        for (std::size_t i = 0; i <= list.size();) {
            std::size_t end = std::min(list.find(schema::kListSeparator, i), list.size());
            if (end > i) names.insert(list.substr(i, end - i));
            i = end + 1;
        }
        for (std::string_view name : names) sources[std::string(name)] += v.count;
    }
    std::vector<FacetValue> out;
    for (const auto& [name, count] : sources) out.push_back(FacetValue{name, count});
    most_frequent_first(out);
    return out;
}

// Chronological counts summed by the first `chars` characters of their
// values ("YYYY-MM" by "YYYY").
std::vector<FacetValue> summed_by_prefix(const std::vector<FacetValue>& values, std::size_t chars) {
    std::vector<FacetValue> out;
    for (const FacetValue& v : values) {
        std::string_view key = std::string_view(v.value).substr(0, chars);
        if (out.empty() || out.back().value != key) out.push_back(FacetValue{std::string(key), 0});
        out.back().count += v.count;
    }
    return out;
}

// Whether a kSlotDate value is a date ("YYYYMMDD"); a value of another form is left out.
bool is_compact_date(const std::string& d) {
    return d.size() == 8 && std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// kSlotDate's "YYYYMMDD" counts, chronological, as "YYYY-MM-DD".
std::vector<FacetValue> day_counts(const std::vector<FacetValue>& compact_dates) {
    std::vector<FacetValue> out;
    out.reserve(compact_dates.size());
    for (const FacetValue& v : compact_dates) {
        const std::string& d = v.value;
        if (is_compact_date(d)) out.push_back(FacetValue{d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2), v.count});
    }
    return out;
}

// kSlotDate's "YYYYMMDD" counts, chronological, summed by month as "YYYY-MM"
// (without making a string of each day: a search over decades has thousands).
std::vector<FacetValue> month_counts(const std::vector<FacetValue>& compact_dates) {
    std::vector<FacetValue> out;
    for (const FacetValue& v : compact_dates) {
        const std::string& d = v.value;
        if (!is_compact_date(d)) continue;
        if (out.empty() || out.back().value.compare(0, 4, d, 0, 4) != 0 || out.back().value.compare(5, 2, d, 4, 2) != 0) {
            out.push_back(FacetValue{d.substr(0, 4) + "-" + d.substr(4, 2), 0});
        }
        out.back().count += v.count;
    }
    return out;
}

// Whether months "YYYY-MM" from `first` to `last` are at most kDaysWithinMonths.
bool within_day_months(const std::string& first, const std::string& last) {
    auto months = [](const std::string& ym) { return std::stoi(ym.substr(0, 4)) * 12 + std::stoi(ym.substr(5, 2)); };
    return months(last) - months(first) < kDaysWithinMonths;
}

// Facets from each slot's values in value order (dates: kSlotDate's).
Facets facets_from(std::vector<FacetValue> joined_sources, const std::vector<FacetValue>& dates,
                   std::vector<FacetValue> langs, std::vector<FacetValue> bylines) {
    Facets f;
    f.source = source_counts(joined_sources);
    f.month = month_counts(dates);
    f.year = summed_by_prefix(f.month, 4);
    if (!f.month.empty() && within_day_months(f.month.front().value, f.month.back().value)) f.day = day_counts(dates);
    f.lang = std::move(langs);
    most_frequent_first(f.lang);
    f.byline = std::move(bylines);
    most_frequent_first(f.byline);
    return f;
}

}  // namespace

// The values of one slot for the matches, in the order the matcher finds
// them. In one database the matches come in document id order, and a value
// stream walked forward gives them: a match without a value costs a docid
// comparison. Document::get_value() instead costs a B-tree lookup for such
// a match (in Xapian 1.4's glass, a block read each time: a sparse slot such
// as the byline cost a pread() per match). A slot no document has, or where
// every document has the same value, is not read at all. In a stub of shards the matches come shard by shard, in no
// one docid order: there, and should a match ever come out of order,
// Document::get_value().
class SlotReader {
public:
    SlotReader(const Xapian::Database& db, Xapian::valueno slot) : slot_(slot) {
        Xapian::doccount freq = db.get_value_freq(slot);
        unused_ = freq == 0;
        // Every document has the same value (one language, one source): no reads at all.
        if (freq == db.get_doccount() && db.get_value_lower_bound(slot) == db.get_value_upper_bound(slot)) {
            constant_ = db.get_value_lower_bound(slot);
        }
        streamed_ = db.size() == 1 && !unused_ && constant_.empty();
        if (streamed_) {
            it_ = db.valuestream_begin(slot);
            end_ = db.valuestream_end(slot);
        }
    }

    // The value of `doc` into `value`; false when it has none.
    bool read(const Xapian::Document& doc, std::string& value) {
        if (unused_) return false;
        if (!constant_.empty()) {
            if (value != constant_) value = constant_;
            return true;
        }
        Xapian::docid did = doc.get_docid();
        if (!streamed_ || did < last_) {
            value = doc.get_value(slot_);
            return !value.empty();
        }
        last_ = did;
        if (it_ != end_ && it_.get_docid() < did) it_.skip_to(did);
        if (it_ == end_ || it_.get_docid() != did) return false;
        value = *it_;
        return !value.empty();
    }

private:
    Xapian::valueno slot_;
    bool unused_ = false;    // no document has a value in the slot
    std::string constant_;   // every document's value, when they all have the same one
    bool streamed_ = false;  // one database: values from it_
    Xapian::ValueIterator it_, end_;
    Xapian::docid last_ = 0;
};

// One spy for the four slots the facets read (sources, date, language,
// byline; months and years are sums of the dates' days): a match costs at
// most four value reads and four table updates, and no allocation once the
// values are known. With FacetCodes, a match the codes cover costs four
// array reads and four increments instead; the codes' counts join the
// values' at the end.
class FacetCounter::Spy : public Xapian::MatchSpy {
public:
    Spy(const Xapian::Database& db, Xapian::doccount read_at_most, std::shared_ptr<const FacetCodes> codes)
        : read_at_most_(read_at_most),
          slots_{SlotReader(db, FacetCodes::kValueSlots[0]), SlotReader(db, FacetCodes::kValueSlots[1]),
                 SlotReader(db, FacetCodes::kValueSlots[2]), SlotReader(db, FacetCodes::kValueSlots[3])},
          codes_(std::move(codes)) {
        if (codes_) {
            for (std::size_t i = 0; i < kSlots; ++i) code_counts_[i].assign(codes_->size(i), 0);
        }
    }

    void operator()(const Xapian::Document& doc, double) override {
        if (++seen_ > read_at_most_) return;
        if (codes_ && codes_->covers(doc.get_docid())) {
            Xapian::docid did = doc.get_docid();
            for (std::size_t i = 0; i < kSlots; ++i) ++code_counts_[i][codes_->code(did, i)];
            return;
        }
        for (std::size_t i = 0; i < kSlots; ++i) {
            if (slots_[i].read(doc, value_)) tallies_[i].add(value_);
        }
    }

    std::string get_description() const override { return "morgue::FacetCounter::Spy"; }

    bool complete() const { return seen_ <= read_at_most_; }
    Xapian::doccount seen() const { return seen_; }

    Facets facets(Xapian::doccount scale) const {
        return facets_from(values(0, scale), values(1, scale), values(2, scale), values(3, scale));
    }

private:
    static constexpr std::size_t kSlots = FacetCodes::kSlots;

    // Slot `i`'s counts in value order, each times `scale`: the codes' (in
    // the codes' value order, no strings compared) with the values read.
    std::vector<FacetValue> values(std::size_t i, Xapian::doccount scale) const {
        std::vector<FacetValue> read = tallies_[i].values(scale);
        if (!codes_) return read;
        std::vector<FacetValue> coded;
        for (std::size_t k = 0; k + 1 < codes_->size(i); ++k) {
            std::uint32_t c = codes_->in_value_order(i, k);
            if (code_counts_[i][c]) coded.push_back(FacetValue{std::string(codes_->value(i, c)), code_counts_[i][c] * scale});
        }
        if (read.empty()) return coded;
        return merged(std::move(coded), std::move(read));
    }

    Xapian::doccount read_at_most_;
    Xapian::doccount seen_ = 0;
    SlotReader slots_[kSlots];
    std::array<Tally, kSlots> tallies_;
    std::string value_;  // reused: no allocation per match
    std::shared_ptr<const FacetCodes> codes_;
    std::array<std::vector<Xapian::doccount>, kSlots> code_counts_;  // by code, with codes_
};

struct FacetCounter::XapianSpies {
    Xapian::ValueCountMatchSpy sources{schema::kSlotSources};
    Xapian::ValueCountMatchSpy dates{schema::kSlotDate};
    Xapian::ValueCountMatchSpy langs{schema::kSlotLang};
    Xapian::ValueCountMatchSpy bylines{schema::kSlotByline};
};

FacetCounter::FacetCounter(const Xapian::Database& db, bool remote, Xapian::doccount read_at_most,
                           std::shared_ptr<const FacetCodes> codes) {
    // Codes are by the document ids of one database: over shards, a spy sees each shard's own.
    if (db.size() != 1) codes.reset();
    if (remote) xapian_ = std::make_unique<XapianSpies>();
    else spy_ = std::make_unique<Spy>(db, read_at_most, std::move(codes));
}

FacetCounter::~FacetCounter() = default;

void FacetCounter::attach(Xapian::Enquire& enquire) {
    if (spy_) {
        enquire.add_matchspy(spy_.get());
        return;
    }
    enquire.add_matchspy(&xapian_->sources);
    enquire.add_matchspy(&xapian_->dates);
    enquire.add_matchspy(&xapian_->langs);
    enquire.add_matchspy(&xapian_->bylines);
}

bool FacetCounter::complete() const { return !spy_ || spy_->complete(); }

Facets FacetCounter::facets(Xapian::doccount scale) const {
    Facets f = spy_ ? spy_->facets(scale)
                    : facets_from(spy_values(xapian_->sources, scale), spy_values(xapian_->dates, scale),
                                  spy_values(xapian_->langs, scale), spy_values(xapian_->bylines, scale));
    f.matches = (spy_ ? spy_->seen() : xapian_->sources.get_total()) * scale;
    f.estimated = scale > 1;
    return f;
}

void scale_to(Facets& facets, Xapian::doccount matches) {
    if (!facets.estimated || facets.matches == 0) return;
    double ratio = static_cast<double>(matches) / facets.matches;
    for (auto* values : {&facets.source, &facets.year, &facets.month, &facets.day, &facets.lang, &facets.byline}) {
        for (FacetValue& v : *values) v.count = static_cast<Xapian::doccount>(std::lround(v.count * ratio));
    }
    facets.matches = matches;
}

Xapian::doccount facet_sample_every(Xapian::doccount estimated_matches, Xapian::doccount exact_up_to) {
    if (estimated_matches <= exact_up_to) return 1;
    exact_up_to = std::max<Xapian::doccount>(exact_up_to, 1);
    return (estimated_matches + exact_up_to - 1) / exact_up_to;
}

Facets count_facets(const Xapian::Database& db, const Xapian::Query& query, Xapian::doccount every, bool remote,
                    std::shared_ptr<const FacetCodes> codes) {
    if (remote && every != 1) throw Xapian::InvalidArgumentError("facets of remote shards are not sampled");
    Xapian::Enquire enquire(db);
    enquire.set_weighting_scheme(Xapian::BoolWeight());  // counting: no scores to compute
    if (every > 1) {
        Xapian::Query sample((new Sample(every))->release());
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query, sample));
    } else {
        enquire.set_query(query);
    }
    FacetCounter counter(db, remote, std::numeric_limits<Xapian::doccount>::max(), std::move(codes));
    counter.attach(enquire);
    enquire.get_mset(0, 0, db.get_doccount());
    return counter.facets(every);
}

}  // namespace morgue
