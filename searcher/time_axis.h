// The time axis of a search's matches: their counts in buckets of a day, a
// week, a month or a year, every bucket from the first with matches to the
// last (empty ones included), the size chosen from the span so that a chart
// of them has a readable number of bars. What the web page's histogram
// draws; each bucket also says the since/until filter that narrows to it.
#pragma once

#include "date.h"
#include "facets.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

enum class BucketSize { kDay, kWeek, kMonth, kYear };

// "day", "week", "month", "year".
std::string_view bucket_name(BucketSize size);

struct TimeBucket {
    Date first, last;  // its first and last day (a week: Monday to Sunday)
    // The filter that narrows a search to it, as since=/until= take it:
    // "1987-03-02" and "1987-03-08" (a day, a week), "1987-03" (a month), "1987" (a year).
    std::string since, until;
    Xapian::doccount count = 0;
};

// The bucket sizes by span (the dated matches' first to last day), each
// giving roughly 8 to 60 bars:
//   up to kMaxDayBuckets days            days   (1 to 60 bars)
//   up to kDaysWithinMonths months       weeks  (9 to 36 bars; Monday to Sunday, ISO 8601)
//   up to kMaxMonthBuckets months        months (9 to 60 bars)
//   longer                               years  (6 or more bars, at most kMaxYearBuckets)
// Days and weeks need Facets::day, which facets.cc keeps for spans of at
// most kDaysWithinMonths months.
inline constexpr int kMaxDayBuckets = 60;
inline constexpr int kMaxMonthBuckets = 60;
inline constexpr int kMaxYearBuckets = 300;

struct TimeAxis {
    BucketSize size = BucketSize::kMonth;
    std::vector<TimeBucket> buckets;  // chronological; empty when no match is dated
};

// The time axis of the counts in `facets`. `from` and `to`, the first and
// last day a search asked for (its since and until), widen the axis to them
// (empty buckets at the ends) when that keeps the bucket size the matches
// alone give: a search of March whose matches start on the 2nd still shows
// the 1st, one from 1900 to 2100 is not drawn as two centuries. Buckets
// that reach past them are cut to them (since, until, first, last), so that
// each bucket's filter finds what it counts.
TimeAxis time_axis(const Facets& facets, std::optional<Date> from = std::nullopt, std::optional<Date> to = std::nullopt);

}  // namespace morgue
