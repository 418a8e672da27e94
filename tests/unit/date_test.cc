#include "date.h"

#include <doctest/doctest.h>

using morgue::Date;

TEST_CASE("ISO dates and timestamps parse, other text does not") {
    CHECK(Date::parse_iso("2023-09-05")->iso() == "2023-09-05");
    CHECK(Date::parse_iso("20230905")->iso() == "2023-09-05");
    CHECK(Date::parse_iso("2023-09-05T11:59:00Z")->iso() == "2023-09-05");
    CHECK_FALSE(Date::parse_iso("2023-02-30"));
    CHECK_FALSE(Date::parse_iso("2023-13-01"));
    CHECK_FALSE(Date::parse_iso("05/09/2023"));
    CHECK_FALSE(Date::parse_iso("2023-09-05x"));
    CHECK_FALSE(Date::parse_iso(""));
    CHECK(Date::parse_iso("2024-02-29"));
    CHECK_FALSE(Date::parse_iso("2023-02-29"));
}

TEST_CASE("date bounds: a year, a month or a day, as start or end of the period") {
    CHECK(*morgue::parse_date_bound("2023", false) == "20230101");
    CHECK(*morgue::parse_date_bound("2023", true) == "20231231");
    CHECK(*morgue::parse_date_bound("2023-09", false) == "20230901");
    CHECK(*morgue::parse_date_bound("2023-09", true) == "20230930");
    CHECK(*morgue::parse_date_bound("2024-02", true) == "20240229");
    CHECK(*morgue::parse_date_bound("2023-09-05", true) == "20230905");
    CHECK_FALSE(morgue::parse_date_bound("2023-9", false));
    CHECK_FALSE(morgue::parse_date_bound("September", false));
    CHECK_FALSE(morgue::parse_date_bound("2023-09-31", false));
    CHECK_FALSE(morgue::parse_date_bound("", false));
}

TEST_CASE("month names") {
    CHECK(morgue::month_from_name("September") == 9);
    CHECK(morgue::month_from_name("sept.") == 9);
    CHECK(morgue::month_from_name("Sep") == 9);
    CHECK(morgue::month_from_name("MAY") == 5);
    CHECK(morgue::month_from_name("Monday") == 0);
    CHECK(morgue::month_from_name("ma") == 0);
}
