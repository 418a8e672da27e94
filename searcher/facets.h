// Facets: counts by source, year, month and language over every match of a
// search, from the value slots the indexer fills (schema.h).
#pragma once

#include <xapian.h>

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
    std::vector<FacetValue> lang;    // ISO 639-1 codes, most frequent first
    std::vector<FacetValue> byline;  // bylines as extracted, most frequent first
};

// Counts the facets of the matches an Enquire visits. Four match spies, as
// each costs something for every match: sources from the joined list, years
// summed from the months. Must outlive the get_mset() calls it counts in.
class FacetCounter {
public:
    FacetCounter();
    FacetCounter(const FacetCounter&) = delete;
    FacetCounter& operator=(const FacetCounter&) = delete;

    // Counts in the next get_mset() of `enquire` (as many matches as it checks).
    void attach(Xapian::Enquire& enquire);

    // What has been counted.
    Facets facets() const;

private:
    Xapian::ValueCountMatchSpy sources_;
    Xapian::ValueCountMatchSpy months_;
    Xapian::ValueCountMatchSpy langs_;
    Xapian::ValueCountMatchSpy bylines_;
};

}  // namespace morgue
