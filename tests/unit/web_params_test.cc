// CGI parameter parsing on hostile input: the query string decoder, and the
// checks every parameter goes through before a search runs (handle() with no
// database: a request that passes them gets 503, one that fails them 400).
#include "error.h"
#include "web.h"

#include <doctest/doctest.h>

using namespace morgue;
using morgue::web::Params;

namespace {

// The parameters as "name=value|name=value", or "error: message".
std::string decoded(std::string_view qs) {
    try {
        std::string out;
        for (const auto& [name, value] : web::parse_query_string(qs)) {
            if (!out.empty()) out += "|";
            out += name + "=" + value;
        }
        return out;
    } catch (const UsageError& e) {
        return std::string("error: ") + e.what();
    }
}

// "STATUS body" of the answer to `params` when the database is down.
std::string answer(const Params& params) {
    web::Response r = web::handle(params, nullptr, "morgue.cgi");
    return std::to_string(r.status) + " " + r.body;
}

}  // namespace

TEST_CASE("query strings: decoded, or refused with a reason") {
    struct Row {
        std::string qs;
        std::string expected;
    } rows[] = {
        {"q=a+b&page=2", "q=a b|page=2"},
        {"q=%C3%ADaz", "q=íaz"},
        {"q=%3Cscript%3E", "q=<script>"},
        {"", ""},
        {"&&q=x&", "q=x"},
        {"q", "q="},
        {"=x", "=x"},
        {"q=%", "error: bad percent-encoding in the request"},
        {"q=%4", "error: bad percent-encoding in the request"},
        {"q=%zz", "error: bad percent-encoding in the request"},
        {"q=%FF%FE", "error: the request is not valid UTF-8"},
        {"q=%C3", "error: the request is not valid UTF-8"},
        {"q=%00", std::string("q=") + '\0'},
        {std::string(web::kMaxQueryStringBytes + 1, 'a'), "error: the request is too long"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.qs.substr(0, 40));
        CHECK(decoded(r.qs) == r.expected);
    }
    std::string many;
    for (std::size_t i = 0; i <= web::kMaxParams; ++i) many += "x=1&";
    CHECK(decoded(many) == "error: too many parameters");
}

TEST_CASE("hostile parameter values are refused before any search") {
    struct Row {
        Params params;
        std::string expected;
    } rows[] = {
        {{{"q", "cuba"}}, "503 "},  // passes: only the database is missing
        {{{"q", "cuba"}, {"page", "0"}}, "400 Bad request: page must be a whole number from 1 to 1000"},
        {{{"q", "cuba"}, {"page", "1001"}}, "400 Bad request: page must be a whole number from 1 to 1000"},
        {{{"q", "cuba"}, {"page", "-1"}}, "400 Bad request: page must be a whole number from 1 to 1000"},
        {{{"q", "cuba"}, {"page", "2x"}}, "400 Bad request: page must be a whole number from 1 to 1000"},
        {{{"q", "cuba"}, {"page", "99999999999999999999"}}, "400 Bad request: page must be a whole number from 1 to 1000"},
        {{{"q", "cuba"}, {"sort", "random"}}, "400 Bad request: sort must be relevance, date or oldest"},
        {{{"q", "cuba"}, {"collapse", "2"}}, "400 Bad request: collapse must be a whole number from 0 to 1"},
        {{{"like", "0"}}, "400 Bad request: like '0' is not an article id"},
        {{{"like", "4294967296"}}, "400 Bad request: like '4294967296' is not an article id"},
        {{{"q", std::string(web::kMaxQueryBytes + 1, 'a')}}, "400 Bad request: the query is too long (at most 2048 bytes)"},
        {{{"q", "cuba"}, {"source", std::string(101, 's')}}, "400 Bad request: a source name is too long"},
        {{{"q", "cuba"}, {"format", "xml"}}, "400 Bad request: format must be html, json, csv, jsonl or atom"},
        {{{"asset", "../../etc/passwd"}}, "404 Not found"},
    };
    for (const Row& r : rows) {
        CAPTURE(r.params.front().first);
        CAPTURE(r.params.back().second.substr(0, 40));
        std::string got = answer(r.params);
        CHECK(got.substr(0, r.expected.size()) == r.expected);
    }
    Params sources{{"q", "cuba"}};
    for (std::size_t i = 0; i <= kMaxSources; ++i) sources.emplace_back("source", "s" + std::to_string(i));
    CHECK(answer(sources).rfind("400 Bad request: too many sources (at most 20)", 0) == 0);
}
