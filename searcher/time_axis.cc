#include "time_axis.h"

#include <chrono>
#include <cstdlib>
#include <algorithm>

namespace morgue {

namespace {

using Days = std::chrono::sys_days;

Days days_of(const Date& d) {
    return Days{std::chrono::year{d.year} / std::chrono::month{static_cast<unsigned>(d.month)} /
                std::chrono::day{static_cast<unsigned>(d.day)}};
}

Date date_of(Days days) {
    std::chrono::year_month_day ymd{days};
    return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// A facet value "YYYY-MM-DD", "YYYY-MM" or "YYYY" as the first day it names.
Date first_day(const std::string& value) {
    Date d{std::atoi(value.substr(0, 4).c_str()), 1, 1};
    if (value.size() >= 7) d.month = std::atoi(value.substr(5, 2).c_str());
    if (value.size() >= 10) d.day = std::atoi(value.substr(8, 2).c_str());
    return d;
}

// Months from year 0, for counting months between two.
int month_index(const Date& d) { return d.year * 12 + d.month - 1; }

Date last_day_of_month(int year, int month) {
    auto last = std::chrono::year_month_day_last{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                                                 std::chrono::last};
    return Date{year, month, static_cast<int>(static_cast<unsigned>(last.day()))};
}

// Buckets of `days` days from `start`, enough to reach `end`, counting `values` (days).
std::vector<TimeBucket> day_buckets(Days start, Days end, int days, const std::vector<FacetValue>& values) {
    std::vector<TimeBucket> out;
    for (Days d = start; d <= end; d += std::chrono::days{days}) {
        TimeBucket b;
        b.first = date_of(d);
        b.last = date_of(d + std::chrono::days{days - 1});
        b.since = b.first.iso();
        b.until = b.last.iso();
        out.push_back(std::move(b));
    }
    for (const FacetValue& v : values) {
        auto i = static_cast<std::size_t>((days_of(first_day(v.value)) - start).count() / days);
        if (i < out.size()) out[i].count += v.count;
    }
    return out;
}

std::vector<TimeBucket> month_buckets(int first, int last, const std::vector<FacetValue>& months) {
    std::vector<TimeBucket> out;
    for (int m = first; m <= last; ++m) {
        TimeBucket b;
        b.first = Date{m / 12, m % 12 + 1, 1};
        b.last = last_day_of_month(b.first.year, b.first.month);
        b.since = b.until = b.first.month_str();
        out.push_back(std::move(b));
    }
    for (const FacetValue& v : months) {
        auto i = static_cast<std::size_t>(month_index(first_day(v.value)) - first);
        if (i < out.size()) out[i].count += v.count;
    }
    return out;
}

std::vector<TimeBucket> year_buckets(int first, int last, const std::vector<FacetValue>& years) {
    std::vector<TimeBucket> out;
    for (int y = first; y <= std::min(last, first + kMaxYearBuckets - 1); ++y) {
        TimeBucket b;
        b.first = Date{y, 1, 1};
        b.last = Date{y, 12, 31};
        b.since = b.until = b.first.year_str();
        out.push_back(std::move(b));
    }
    for (const FacetValue& v : years) {
        auto i = static_cast<std::size_t>(std::atoi(v.value.c_str()) - first);
        if (i < out.size()) out[i].count += v.count;
    }
    return out;
}

}  // namespace

std::string_view bucket_name(BucketSize size) {
    switch (size) {
        case BucketSize::kDay: return "day";
        case BucketSize::kWeek: return "week";
        case BucketSize::kMonth: return "month";
        case BucketSize::kYear: return "year";
    }
    return "month";
}

namespace {

// The bucket size for the days from `first` to `last`, by the thresholds of
// time_axis.h; `days`: whether day counts are at hand.
BucketSize size_for(Days first, Days last, bool days) {
    int months = month_index(date_of(last)) - month_index(date_of(first)) + 1;
    if (days && months <= kDaysWithinMonths) return (last - first).count() < kMaxDayBuckets ? BucketSize::kDay : BucketSize::kWeek;
    return months <= kMaxMonthBuckets ? BucketSize::kMonth : BucketSize::kYear;
}

// The buckets at the ends cut to the days asked for, so that each counts
// and links to what it draws: a week from Monday 23 February for a search
// since 1 March 1987 is 1 March alone.
void clip(std::vector<TimeBucket>& buckets, std::optional<Date> from, std::optional<Date> to) {
    for (TimeBucket& b : buckets) {
        if (from && b.first < *from && *from <= b.last) {
            b.first = *from;
            b.since = from->iso();
        }
        if (to && b.first <= *to && *to < b.last) {
            b.last = *to;
            b.until = to->iso();
        }
    }
}

}  // namespace

TimeAxis time_axis(const Facets& f, std::optional<Date> from, std::optional<Date> to) {
    TimeAxis axis;
    if (f.month.empty()) return axis;
    bool days = !f.day.empty();
    // The matches' span: their first and last days, or months.
    Days first = days_of(first_day(days ? f.day.front().value : f.month.front().value));
    Days last = days ? days_of(first_day(f.day.back().value))
                     : days_of(last_day_of_month(first_day(f.month.back().value).year, first_day(f.month.back().value).month));
    axis.size = size_for(first, last, days);
    // Widened to what was asked, when the bucket size stays.
    Days wide_first = from ? std::min(first, days_of(*from)) : first, wide_last = to ? std::max(last, days_of(*to)) : last;
    if (size_for(wide_first, wide_last, days) == axis.size) first = wide_first, last = wide_last;
    switch (axis.size) {
        case BucketSize::kDay:
            axis.buckets = day_buckets(first, last, 1, f.day);
            break;
        case BucketSize::kWeek:
            // From the Monday of the first day's week.
            axis.buckets = day_buckets(first - (std::chrono::weekday{first} - std::chrono::Monday), last, 7, f.day);
            break;
        case BucketSize::kMonth:
            axis.buckets = month_buckets(month_index(date_of(first)), month_index(date_of(last)), f.month);
            break;
        case BucketSize::kYear:
            axis.buckets = year_buckets(date_of(first).year, date_of(last).year, f.year);
            break;
    }
    clip(axis.buckets, from, to);
    return axis;
}

}  // namespace morgue
