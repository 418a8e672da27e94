// The time axis's bucket sizes and slots (time_axis.h), on counts made up
// for each span.
#include "time_axis.h"

#include <doctest/doctest.h>

#include <chrono>
#include <numeric>

using namespace morgue;

namespace {

// Facets as facets.cc gives them for matches on `days` ("YYYY-MM-DD"), each
// counted `count` times: months and years summed, days kept for short spans.
Facets facets_on(const std::vector<std::string>& days, bool keep_days, Xapian::doccount count = 1) {
    Facets f;
    for (const std::string& d : days) {
        for (auto [list, chars] : {std::pair{&f.day, 10}, {&f.month, 7}, {&f.year, 4}}) {
            std::string key = d.substr(0, static_cast<std::size_t>(chars));
            if (list->empty() || list->back().value != key) list->push_back(FacetValue{key, 0});
            list->back().count += count;
        }
    }
    if (!keep_days) f.day.clear();
    return f;
}

Xapian::doccount total(const TimeAxis& axis) {
    return std::accumulate(axis.buckets.begin(), axis.buckets.end(), Xapian::doccount{0},
                           [](Xapian::doccount n, const TimeBucket& b) { return n + b.count; });
}

}  // namespace

TEST_CASE("time axis: days up to 60 days, then weeks from a Monday") {
    TimeAxis days = time_axis(facets_on({"1987-03-01", "1987-03-05", "1987-04-29"}, true, 2));
    CHECK(days.size == BucketSize::kDay);
    CHECK(days.buckets.size() == 60);  // 1 March to 29 April
    CHECK(days.buckets[4].since == "1987-03-05");
    CHECK(days.buckets[4].count == 2);
    CHECK(days.buckets[1].count == 0);
    CHECK(total(days) == 6);

    TimeAxis weeks = time_axis(facets_on({"1987-03-01", "1987-04-30"}, true));
    CHECK(weeks.size == BucketSize::kWeek);
    // 1 March 1987 was a Sunday: its week began on Monday 23 February.
    CHECK(weeks.buckets.front().since == "1987-02-23");
    CHECK(weeks.buckets.front().until == "1987-03-01");
    CHECK(weeks.buckets.front().count == 1);
    CHECK(weeks.buckets.back().since == "1987-04-27");
    CHECK(weeks.buckets.back().count == 1);
    CHECK(weeks.buckets.size() == 10);
    for (const TimeBucket& b : weeks.buckets) {
        CHECK(std::chrono::weekday{std::chrono::sys_days{std::chrono::year{b.first.year} /
                                                         static_cast<unsigned>(b.first.month) /
                                                         static_cast<unsigned>(b.first.day)}} == std::chrono::Monday);
    }
}

TEST_CASE("time axis: months without day counts, years past 60 months, empty buckets between") {
    TimeAxis months = time_axis(facets_on({"2020-01-15", "2020-09-01", "2024-12-31"}, false));
    CHECK(months.size == BucketSize::kMonth);
    CHECK(months.buckets.size() == 60);
    CHECK(months.buckets.front().since == "2020-01");
    CHECK(months.buckets.back().until == "2024-12");
    CHECK(months.buckets.back().last.day == 31);
    CHECK(total(months) == 3);

    TimeAxis years = time_axis(facets_on({"2020-01-15", "2025-01-01"}, false));
    CHECK(years.size == BucketSize::kYear);
    CHECK(years.buckets.size() == 6);
    CHECK(years.buckets[1].since == "2021");
    CHECK(years.buckets[1].count == 0);
    CHECK(total(years) == 2);

    CHECK(time_axis(Facets{}).buckets.empty());  // nothing dated
}

TEST_CASE("time axis: widened to the days asked for while the bucket size stays, ends cut to them") {
    Facets march = facets_on({"1987-03-02", "1987-03-09"}, true);
    TimeAxis days = time_axis(march, Date{1987, 3, 1}, Date{1987, 3, 31});
    CHECK(days.size == BucketSize::kDay);
    CHECK(days.buckets.size() == 31);
    CHECK(days.buckets.front().since == "1987-03-01");
    CHECK(days.buckets.front().count == 0);
    // Two centuries asked for: not drawn, the matches' days are.
    TimeAxis narrow = time_axis(march, Date{1900, 1, 1}, Date{2100, 12, 31});
    CHECK(narrow.size == BucketSize::kDay);
    CHECK(narrow.buckets.size() == 8);

    // Weeks: the first runs from the day asked for, not from its Monday.
    TimeAxis weeks = time_axis(facets_on({"1987-03-02", "1987-05-20"}, true), Date{1987, 3, 1}, Date{1987, 6, 30});
    CHECK(weeks.size == BucketSize::kWeek);
    CHECK(weeks.buckets.front().since == "1987-03-01");
    CHECK(weeks.buckets.front().until == "1987-03-01");
    CHECK(weeks.buckets[1].since == "1987-03-02");
    CHECK(weeks.buckets[1].count == 1);
    CHECK(weeks.buckets.back().until == "1987-06-30");

    // Months: a month cut at the day asked for says so.
    TimeAxis months = time_axis(facets_on({"1987-03-20", "1988-01-02"}, false), Date{1987, 3, 15}, std::nullopt);
    CHECK(months.size == BucketSize::kMonth);
    CHECK(months.buckets.front().since == "1987-03-15");
    CHECK(months.buckets.front().until == "1987-03");
}
