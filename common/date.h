// Calendar dates of articles: parsing what users and files write, and the
// encodings the schema stores.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace morgue {

struct Date {
    int year = 0;
    int month = 0;  // 1-12
    int day = 0;    // 1-31

    // A real calendar date between 1800-01-01 and 2200-12-31.
    static bool valid(int year, int month, int day);
    static std::optional<Date> make(int year, int month, int day);

    // "2023-09-05", "20230905" and "2023-09-05T11:59:00Z"-style timestamps
    // (the time is ignored). Nothing else.
    static std::optional<Date> parse_iso(std::string_view s);

    std::string iso() const;      // "2023-09-05"
    std::string compact() const;  // "20230905": the value slot and D term
    std::string year_str() const; // "2023"
    std::string month_str() const;// "2023-09"

    friend auto operator<=>(const Date&, const Date&) = default;
};

// Days in month `m` (1-12) of year `y`, leap years counted.
int days_in_month(int y, int m);

// A date or a prefix of one as users type it in filters: "2023",
// "2023-09" or "2023-09-05". `end_of_period` picks the last day the prefix
// covers (for --until and the end of a range) instead of the first.
// Returns the compact "YYYYMMDD" bound, or nullopt when `s` is not one.
std::optional<std::string> parse_date_bound(std::string_view s, bool end_of_period);

// Month number for an English month name or its abbreviation ("Sep",
// "sept.", "September", any case), 0 when it is none.
int month_from_name(std::string_view name);

}  // namespace morgue
