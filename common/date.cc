#include "date.h"

#include <array>
#include <cctype>
#include <cstdio>

namespace morgue {

namespace {

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Reads exactly `n` digits at s[pos].
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

}  // namespace

int days_in_month(int y, int m) {
    static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

bool Date::valid(int year, int month, int day) {
    return year >= 1800 && year <= 2200 && month >= 1 && month <= 12 && day >= 1 &&
           day <= days_in_month(year, month);
}

std::optional<Date> Date::make(int year, int month, int day) {
    if (!valid(year, month, day)) return std::nullopt;
    return Date{year, month, day};
}

std::optional<Date> Date::parse_iso(std::string_view s) {
    auto y = digits(s, 0, 4);
    if (!y) return std::nullopt;
    std::optional<int> m, d;
    std::size_t end;
    if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
        m = digits(s, 5, 2);
        d = digits(s, 8, 2);
        end = 10;
    } else {
        m = digits(s, 4, 2);
        d = digits(s, 6, 2);
        end = 8;
    }
    if (!m || !d) return std::nullopt;
    // Allow a time part after 'T' or a space; nothing else may follow.
    if (s.size() > end && s[end] != 'T' && s[end] != ' ' && s[end] != 't') return std::nullopt;
    return make(*y, *m, *d);
}

std::string Date::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::string Date::compact() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", year, month, day);
    return buf;
}

std::string Date::year_str() const { return iso().substr(0, 4); }
std::string Date::month_str() const { return iso().substr(0, 7); }

std::optional<std::string> parse_date_bound(std::string_view s, bool end_of_period) {
    auto y = digits(s, 0, 4);
    if (!y || s.size() == 5 || s.size() > 10) return std::nullopt;
    int month = end_of_period ? 12 : 1, day = 0;
    if (s.size() > 4) {
        if (s[4] != '-') return std::nullopt;
        auto m = digits(s, 5, 2);
        if (!m || (s.size() != 7 && s.size() != 10)) return std::nullopt;
        month = *m;
        if (s.size() == 10) {
            if (s[7] != '-') return std::nullopt;
            auto d = digits(s, 8, 2);
            if (!d) return std::nullopt;
            day = *d;
        }
    }
    if (month < 1 || month > 12 || *y < 1000) return std::nullopt;
    if (day == 0) day = end_of_period ? days_in_month(*y, month) : 1;
    if (day > days_in_month(*y, month)) return std::nullopt;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d", *y, month, day);
    return std::string(buf);
}

int month_from_name(std::string_view name) {
    static constexpr std::array<std::string_view, 12> kNames = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    std::string lower;
    for (char c : name) {
        if (c == '.') continue;
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (lower.size() < 3) return 0;
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (lower == kNames[i] || lower == kNames[i].substr(0, 3) ||
            (lower == "sept" && i == 8)) {
            return static_cast<int>(i + 1);
        }
    }
    return 0;
}

}  // namespace morgue
