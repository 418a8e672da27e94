// Facets: counts by source, year, month, day and language over every match
// of a search, from the value slots the indexer fills (schema.h). Exact up to
// kExactFacetsUpTo matches; beyond, counted on a sample of the documents and
// scaled (Facets::estimated).
#pragma once

#include "facet_codes.h"

#include <xapian.h>

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace morgue {

struct FacetValue {
    std::string value;
    Xapian::doccount count = 0;
};

// Counts over every matching article, not just the page shown.
struct Facets {
    std::vector<FacetValue> source;  // most frequent first
    std::vector<FacetValue> year;    // chronological
    std::vector<FacetValue> month;   // chronological, "YYYY-MM"
    // Chronological, "YYYY-MM-DD": only when the dated matches span at most
    // kDaysWithinMonths calendar months (a time axis of days or weeks), else empty.
    std::vector<FacetValue> day;
    std::vector<FacetValue> lang;    // ISO 639-1 codes, most frequent first
    std::vector<FacetValue> byline;  // bylines as extracted, most frequent first
    // Counted on a sample of the matches and scaled: every count is an
    // estimate, and values rare among the matches may be missing.
    bool estimated = false;
    // The matches counted (an estimate when `estimated`).
    Xapian::doccount matches = 0;
};

// Facets are counted exactly when a search finds at most this many articles
// (by the matcher's estimate); beyond, on a sample of between half this many
// and this many of them, scaled to the whole.
inline constexpr Xapian::doccount kExactFacetsUpTo = 20000;

// Facets::day is given when the dated matches fall within this many calendar
// months (the months from the first to the last with matches); beyond, days
// are counted all the same (months and years are their sums) but not kept.
inline constexpr int kDaysWithinMonths = 8;

// Counts the facets of the matches an Enquire visits. Local databases: one
// match spy that reads each facet's value once per match (from value streams
// walked forward, in one database) and counts it in a flat hash table. Databases with remote shards: Xapian's own
// ValueCountMatchSpys, the only spies a stock xapian-tcpsrv can run (a string
// map per value per match: slower). With FacetCodes of the database, the local
// spy reads a match's codes instead of its values. Must outlive the get_mset()
// calls it counts in.
class FacetCounter {
public:
    // `db`: the database searched. `remote`: it has remote shards.
    // `read_at_most`: after this many matches the local spy only counts
    // matches (complete() is then false), so that a search which goes on
    // checking matches pays little for it. `codes`: the database's FacetCodes, or null.
    FacetCounter(const Xapian::Database& db, bool remote,
                 Xapian::doccount read_at_most = std::numeric_limits<Xapian::doccount>::max(),
                 std::shared_ptr<const FacetCodes> codes = nullptr);
    ~FacetCounter();
    FacetCounter(const FacetCounter&) = delete;
    FacetCounter& operator=(const FacetCounter&) = delete;

    // Counts in the next get_mset() of `enquire` (as many matches as it checks).
    void attach(Xapian::Enquire& enquire);

    // Whether every match counted was read (not past read_at_most).
    bool complete() const;

    // What has been counted, each count multiplied by `scale` (the inverse
    // of the sampling rate).
    Facets facets(Xapian::doccount scale = 1) const;

private:
    class Spy;
    struct XapianSpies;
    std::unique_ptr<Spy> spy_;              // local databases
    std::unique_ptr<XapianSpies> xapian_;   // with remote shards
};

// Estimated facets scaled again to `matches`, the exact number of matches
// when the matcher knows it (a ratio estimate: the sample's share of each
// value times the whole, closer than the sample's counts times its rate).
void scale_to(Facets& facets, Xapian::doccount matches);

// How many documents a search estimated to find `estimated_matches` counts
// the facets of one of: 1 (all of them) up to `exact_up_to` matches, else
// enough to count between half of `exact_up_to` and `exact_up_to` matches.
Xapian::doccount facet_sample_every(Xapian::doccount estimated_matches,
                                    Xapian::doccount exact_up_to = kExactFacetsUpTo);

// The facets of every match of `query` in `db`, counted in a pass of their
// own: exactly when `every` is 1; else on the documents whose id hashes to 0
// modulo `every` (a deterministic sample of about one in `every`) and scaled
// by `every`. `remote` (the database has remote shards): `every` must be 1,
// as a stock xapian-tcpsrv cannot run the sample's posting source. `codes`:
// the database's FacetCodes, or null.
Facets count_facets(const Xapian::Database& db, const Xapian::Query& query, Xapian::doccount every, bool remote,
                    std::shared_ptr<const FacetCodes> codes = nullptr);

}  // namespace morgue
