#include "error.h"
#include "query.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <set>

using namespace morgue;

namespace {

std::string describe(std::string_view q, std::vector<std::string> langs = {"en"}, bool any = false) {
    Analyzer a;
    QueryOptions o;
    if (any) o.default_op = Xapian::Query::OP_OR;
    return QueryBuilder(a, langs, o).parse(q).query.get_description();
}

std::string error_of(std::string_view q) {
    Analyzer a;
    try {
        QueryBuilder(a, {"en"}).parse(q);
    } catch (const QueryError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("query syntax, golden descriptions") {
    struct Row {
        const char* query;
        const char* expected;
    } rows[] = {
        {"cuba", "Query(Zen:cuba)"},
        {"Cuba trafficking", "Query((Zen:cuba AND Zen:traffick))"},
        // A phrase of the body is the body's or the title's (the title's body-stream words have no positions).
        {"\"human trafficking ring\"", "Query(((human PHRASE 3 trafficking PHRASE 3 ring) MAX ((human AND trafficking AND ring) FILTER (Shuman PHRASE 3 Strafficking PHRASE 3 Sring))))"},
        {"“human trafficking”", "Query(((human PHRASE 2 trafficking) MAX ((human AND trafficking) FILTER (Shuman PHRASE 2 Strafficking))))"},
        {"Díaz-Canel", "Query(((diaz PHRASE 2 canel) MAX ((diaz AND canel) FILTER (Sdiaz PHRASE 2 Scanel))))"},
        {"Diaz-Canel", "Query(((diaz PHRASE 2 canel) MAX ((diaz AND canel) FILTER (Sdiaz PHRASE 2 Scanel))))"},
        {"Cuba’s", "Query(Zen:cuba)"},
        {"\"Cubans\"", "Query(cubans)"},
        {"cuba OR havana", "Query((Zen:cuba OR Zen:havana))"},
        {"cuba AND havana", "Query((Zen:cuba AND Zen:havana))"},
        {"cuba NOT havana", "Query((Zen:cuba AND_NOT Zen:havana))"},
        {"cuba AND NOT havana", "Query((Zen:cuba AND_NOT Zen:havana))"},
        {"cuba XOR havana", "Query((Zen:cuba XOR Zen:havana))"},
        {"a OR b c", "Query((Zen:a OR (Zen:b AND Zen:c)))"},
        {"(a OR b) c", "Query(((Zen:a OR Zen:b) AND Zen:c))"},
        {"+cuba -venezuela", "Query((Zen:cuba AND_NOT Zen:venezuela))"},
        {"-venezuela", "Query((<alldocuments> AND_NOT Zen:venezuela))"},
        {"NOT venezuela", "Query((<alldocuments> AND_NOT Zen:venezuela))"},
        {"putin NEAR kremlin", "Query(((putin NEAR 10 kremlin) MAX ((putin AND kremlin) FILTER (Sputin NEAR 10 Skremlin))))"},
        {"putin NEAR/3 kremlin", "Query(((putin NEAR 3 kremlin) MAX ((putin AND kremlin) FILTER (Sputin NEAR 3 Skremlin))))"},
        {"putin ADJ/3 kremlin", "Query(((putin PHRASE 3 kremlin) MAX ((putin AND kremlin) FILTER (Sputin PHRASE 3 Skremlin))))"},
        {"traffick*", "Query(WILDCARD SYNONYM traffick)"},
        {"title:cuba", "Query(ZSen:cuba)"},
        {"title:\"foreign ministry\"", "Query((Sforeign PHRASE 2 Sministry))"},
        {"title:(cuba OR russia)", "Query((ZSen:cuba OR ZSen:russia))"},
        {"quote:\"not part of the war\"",
         "Query((XQnot PHRASE 5 XQpart PHRASE 5 XQof PHRASE 5 XQthe PHRASE 5 XQwar))"},
        {"quote:\"the war\"", "Query((XQthe PHRASE 2 XQwar))"},
        {"quote:(talks NEAR/3 havana)", "Query((XQtalks NEAR 3 XQhavana))"},
        {"cuba source:BBC", "Query((Zen:cuba FILTER XSbbc))"},
        {"cuba source:bbc source:npr", "Query((Zen:cuba FILTER (XSbbc OR XSnpr)))"},
        {"cuba source:bbc lang:en", "Query((Zen:cuba FILTER (Len AND XSbbc)))"},
        {"source:bbc", "Query(0 * XSbbc)"},
        {"cuba date:2023-09", "Query((Zen:cuba FILTER VALUE_RANGE 0 20230901 20230930))"},
        {"cuba date:2023-09-01..2023-09-30", "Query((Zen:cuba FILTER VALUE_RANGE 0 20230901 20230930))"},
        {"cuba date:..2022", "Query((Zen:cuba FILTER VALUE_LE 0 20221231))"},
        {"cuba date:2020..", "Query((Zen:cuba FILTER VALUE_GE 0 20200101))"},
        {"2023", "Query(2023)"},
        {"古巴外交部", "Query(((古巴 PHRASE 2 外交部) MAX ((古巴 AND 外交部) FILTER (S古巴 PHRASE 2 S外交部))))"},
        {"and", "Query(Zen:and)"},                 // lower-case operators are words
        {"http://npr.org", "Query(((http PHRASE 3 npr PHRASE 3 org) MAX ((http AND npr AND org) FILTER (Shttp PHRASE 3 Snpr PHRASE 3 Sorg))))"},  // unknown field: text
    };
    for (const Row& r : rows) {
        CAPTURE(r.query);
        CHECK(describe(r.query) == r.expected);
    }
}

TEST_CASE("--any makes the default operator OR, +words are still required") {
    CHECK(describe("cuba havana", {"en"}, true) == "Query((Zen:cuba OR Zen:havana))");
    CHECK(describe("+cuba havana", {"en"}, true) == "Query((Zen:cuba AND_MAYBE Zen:havana))");
}

TEST_CASE("single words match their stems in every language of the index") {
    CHECK(describe("ministerios", {"en", "es"}) == "Query((Zen:ministerio SYNONYM Zes:ministeri))");
    CHECK(describe("cuba", {"en", "es"}) == "Query((Zen:cuba SYNONYM Zes:cub))");
}

TEST_CASE("malformed queries are refused with a reason") {
    CHECK(error_of("(cuba") == "unbalanced parenthesis: '(' without ')'");
    CHECK(error_of("cuba)") == "unbalanced parenthesis: ')' without '('");
    CHECK(error_of("cuba AND") == "AND needs something to search for on both sides");
    CHECK(error_of("OR cuba") == "OR needs something to search for on both sides");
    CHECK(error_of("cuba NEAR") == "NEAR and ADJ need a word on each side");
    CHECK(error_of("date:yesterday").find("bad date 'yesterday'") == 0);
    CHECK(error_of("date:2024..2023") == "date range 2024..2023 ends before it starts");
    CHECK(error_of("").find("nothing to search for") == 0);
    CHECK(error_of("!!! ---").find("nothing to search for") == 0);
    CHECK(error_of("*") == "a wildcard needs the start of a word before '*'");
    CHECK(error_of(std::string(10000, 'a')).find("query too long") == 0);
    std::string many;
    for (int i = 0; i < 300; ++i) many += "w" + std::to_string(i) + " ";
    CHECK(error_of(many).find("query too long") == 0);
    CHECK(error_of("cuba") == "no error");
}

TEST_CASE("parentheses nested too deep are refused, not a stack overflow") {
    std::string deep = std::string(7000, '(') + "cuba";  // 7,004 bytes: under the length limit
    CHECK(error_of(deep) == "parentheses nested too deep (at most 32)");
    CHECK(error_of(std::string(7000, '(')) == "parentheses nested too deep (at most 32)");
    CHECK(error_of("title:" + std::string(100, '(') + "cuba") == "parentheses nested too deep (at most 32)");
    CHECK(error_of(std::string(32, '(') + "cuba" + std::string(32, ')')) == "no error");
}

TEST_CASE("match terms for highlighting") {
    Analyzer a;
    ParsedQuery p = QueryBuilder(a, {"en"}).parse("Diaz-Canel trafficking \"foreign ministry\" recruit*");
    CHECK(p.match.stems.count("en:traffick") == 1);
    CHECK(p.match.exact.count("trafficking") == 1);
    REQUIRE(p.match.phrases.size() == 2);
    CHECK(p.match.phrases[0] == std::vector<std::string>{"diaz", "canel"});
    CHECK(p.match.phrases[1] == std::vector<std::string>{"foreign", "ministry"});
    CHECK(p.match.wildcards == std::vector<std::string>{"recruit"});
    REQUIRE(p.words.size() == 1);
    CHECK(p.words[0].folded == "trafficking");
}

TEST_CASE("stopwords are left out per language, never from phrases, never when +required or alone") {
    struct Row {
        std::vector<std::string> langs;
        const char* query;
        const char* expected;
    } rows[] = {
        {{"en"}, "the war", "Query(Zen:war)"},
        {{"en"}, "the", "Query(Zen:the)"},                      // nothing else: kept
        {{"en"}, "the who", "Query((Zen:the AND Zen:who))"},   // only stopwords: all kept
        {{"en"}, "+the war", "Query((Zen:the AND Zen:war))"},  // required: kept
        {{"en"}, "\"the war\"", "Query(((the PHRASE 2 war) MAX ((the AND war) FILTER (Sthe PHRASE 2 Swar))))"},  // phrase: kept
        {{"en"}, "title:(the war)", "Query(ZSen:war)"},
        // "war" is a German stopword: German articles need not contain it
        // (and get no weight from it); English ones must.
        {{"de", "en"}, "war crimes", "Query(((Zen:war OR 0 * Lde) AND (Zde:crim SYNONYM Zen:crime)))"},
        {{"de", "en"}, "war", "Query((Zde:war SYNONYM Zen:war))"},
        {{"es", "fr"}, "ministerio de defensa", "Query(((Zes:ministeri SYNONYM Zfr:ministerio) AND (Zes:defens SYNONYM Zfr:defens)))"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.query);
        CHECK(describe(r.query, r.langs) == r.expected);
    }
    CHECK(describe("the war", {"de", "en"}, true) == "Query((Zde:the OR Zen:war))");
    CHECK(describe("war crimes", {"de", "en"}, true) == "Query((Zen:war OR (Zde:crim SYNONYM Zen:crime)))");
}

TEST_CASE("stopwords are not highlighted where they were left out") {
    Analyzer a;
    ParsedQuery p = QueryBuilder(a, {"en", "es"}).parse("ministerio de defensa");
    CHECK(p.match.exact.count("de") == 0);
    CHECK(p.match.stems.count("es:de") == 0);
    CHECK(p.match.stems.count("en:de") == 1);  // not an English stopword
    CHECK(p.match.exact.count("defensa") == 1);
}

namespace {

std::string yyyymmdd(std::chrono::sys_days d) {
    std::chrono::year_month_day ymd{d};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buf;
}

std::chrono::sys_days day_of(const std::string& yyyymmdd) {
    using namespace std::chrono;
    return sys_days{year{std::stoi(yyyymmdd.substr(0, 4))} / std::stoi(yyyymmdd.substr(4, 2)) /
                    std::stoi(yyyymmdd.substr(6, 2))};
}

// Every day from `lo` to `hi`, inclusive.
std::multiset<std::string> days_between(const std::string& lo, const std::string& hi) {
    std::multiset<std::string> out;
    for (auto d = day_of(lo); d <= day_of(hi); d += std::chrono::days{1}) out.insert(yyyymmdd(d));
    return out;
}

// The days a date filter's terms stand for: each day of a Y, M or D term, as often as terms cover it.
std::multiset<std::string> days_covered(const Xapian::Query& q) {
    std::multiset<std::string> out;
    for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) {
        std::string term = *t, value = term.substr(1);
        std::multiset<std::string> days;
        if (term[0] == 'Y') days = days_between(value + "0101", value + "1231");
        else if (term[0] == 'M') days = days_between(value + "01", yyyymmdd(std::chrono::sys_days{std::chrono::year_month_day_last(
                                                          std::chrono::year{std::stoi(value.substr(0, 4))},
                                                          std::chrono::month_day_last{std::chrono::month(std::stoi(value.substr(4, 2)))})}));
        else if (term[0] == 'D') days = {value};
        else FAIL("not a date term: " << term);
        out.insert(days.begin(), days.end());
    }
    return out;
}

}  // namespace

TEST_CASE("date ranges: day, month and year terms cover every day of the range once, and no other") {
    const DateSpan archive{"19851231", "20260101"};
    auto span = [&] { return archive; };
    const std::vector<std::string> dates = {"19860101", "19870226", "19870228", "19870301", "19871231", "19880101",
                                            "19880229", "19880301", "19991130", "20000101", "20000229", "20001231",
                                            "20231015", "20231031", "20251201", "20251231"};
    std::size_t most_terms = 0;
    for (std::size_t i = 0; i < dates.size(); ++i) {
        for (std::size_t j = i; j < dates.size(); ++j) {
            Xapian::Query q = date_range_query(dates[i], dates[j], span);
            CAPTURE(dates[i]);
            CAPTURE(dates[j]);
            CHECK(days_covered(q) == days_between(dates[i], dates[j]));
            // (get_terms_begin() gives each term once: no term is there twice either.)
            std::size_t terms = std::distance(q.get_terms_begin(), q.get_terms_end());
            CHECK(q.get_subquery(0).get_num_subqueries() == (terms == 1 ? 0 : terms));
            most_terms = std::max(most_terms, terms);
        }
    }
    CHECK(most_terms <= 30 + 11 + 40 + 11 + 30);
    // Open ends run to the archive's first or last date; a range is cut to them.
    CHECK(days_covered(date_range_query(std::nullopt, std::string("19860310"), span)) == days_between("19851231", "19860310"));
    CHECK(days_covered(date_range_query(std::string("20251130"), std::nullopt, span)) == days_between("20251130", "20260101"));
    CHECK(days_covered(date_range_query(std::string("19000101"), std::string("19860105"), span)) ==
          days_between("19851231", "19860105"));
    CHECK(date_range_query(std::string("19000101"), std::nullopt, span).get_description() ==
          "Query(0 * (<alldocuments> AND_NOT XUNDATED))");
    // No article in the range: the range over the slot (Xapian answers it from the slot's bounds).
    CHECK(date_range_query(std::string("19000101"), std::string("19501231"), span).get_description() ==
          "Query(VALUE_RANGE 0 19000101 19501231)");
    CHECK(date_range_query(std::string("20000101"), std::nullopt, [] { return DateSpan{}; }).get_description() ==
          "Query(VALUE_GE 0 20000101)");  // nothing is dated
    // Whole months and years are one term each; the filter adds no weight.
    CHECK(date_range_query(std::string("19870301"), std::string("19880229"), span).get_description() ==
          "Query(0 * (M198703 OR M198704 OR M198705 OR M198706 OR M198707 OR M198708 OR M198709 OR M198710 OR "
          "M198711 OR M198712 OR M198801 OR M198802))");
    CHECK(date_range_query(std::string("19871231"), std::string("19890101"), span).get_description() ==
          "Query(0 * (D19871231 OR D19890101 OR Y1988))");
}

TEST_CASE("date ranges in queries: terms when the archive's dates are known") {
    Analyzer a;
    QueryOptions o;
    o.dates = [] { return DateSpan{"20230101", "20231231"}; };
    CHECK(QueryBuilder(a, {"en"}, o).parse("cuba date:2023-09").query.get_description() ==
          "Query((Zen:cuba FILTER 0 * M202309))");
    CHECK(QueryBuilder(a, {"en"}, o).parse("cuba date:2023-03..2023-05").query.get_description() ==
          "Query((Zen:cuba FILTER 0 * (M202303 OR M202304 OR M202305)))");
    // The whole archive: every dated article.
    CHECK(QueryBuilder(a, {"en"}, o).parse("cuba date:2023").query.get_description() ==
          "Query((Zen:cuba FILTER 0 * (<alldocuments> AND_NOT XUNDATED)))");
    CHECK(QueryBuilder(a, {"en"}, o).parse("cuba date:2023-12-30..").query.get_description() ==
          "Query((Zen:cuba FILTER 0 * (D20231230 OR D20231231)))");
}
