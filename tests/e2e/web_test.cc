// End-to-end: morgue.cgi through the CGI protocol (the program run with a
// CGI environment), from a shell, and over HTTP through a real lighttpd
// (scripts/serve) with curl, in CGI and FastCGI modes.
#include "../support/files.h"
#include "../support/run.h"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct CgiResponse {
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body;
    std::string raw;
};

CgiResponse parse(const std::string& raw) {
    CgiResponse r;
    r.raw = raw;
    std::size_t end = raw.find("\r\n\r\n");
    REQUIRE(end != std::string::npos);
    std::string head = raw.substr(0, end);
    r.body = raw.substr(end + 4);
    std::size_t start = 0;
    while (start < head.size()) {
        std::size_t nl = head.find("\r\n", start);
        if (nl == std::string::npos) nl = head.size();
        std::string line = head.substr(start, nl - start);
        start = nl + 2;
        std::size_t colon = line.find(": ");
        if (colon == std::string::npos) continue;
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = line.substr(colon + 2);
    }
    r.status = std::stoi(r.headers["status"]);
    return r;
}

// Runs morgue.cgi as a web server would, on the corpus database.
CgiResponse get(const std::string& query_string, const std::string& method = "GET",
                const std::string& db = corpus_db().string()) {
    RunResult r = run({cgi_bin()}, {{"REQUEST_METHOD", method}, {"QUERY_STRING", query_string}, {"MORGUE_DB", db},
                              {"SCRIPT_NAME", "/morgue.cgi"}});
    REQUIRE(r.status == 0);
    return parse(r.out);
}

}  // namespace

TEST_CASE("CGI: a search page, with the security headers and the original words marked") {
    CgiResponse r = get("q=Diaz-Canel");
    CHECK(r.status == 200);
    CHECK(r.headers["content-type"] == "text/html; charset=utf-8");
    CHECK(r.headers["content-security-policy"].find("default-src 'none'") == 0);
    CHECK(r.headers["x-content-type-options"] == "nosniff");
    CHECK(std::stoul(r.headers["content-length"]) == r.body.size());
    CHECK(r.body.find("value=\"Diaz-Canel\"") != std::string::npos);  // the search box, prefilled
    CHECK(r.body.find(">3 matches") != std::string::npos);  // counted, not estimated: no "About"
    CHECK(r.body.find("About 3") == std::string::npos);
    CHECK(r.body.find("<mark>Díaz</mark>-<mark>Canel</mark>") != std::string::npos);
    CHECK(r.body.find("<svg class=\"histogram\"") != std::string::npos);
    CHECK(r.body.find("href=\"/morgue.cgi?q=Diaz-Canel&amp;source=NPR\"") != std::string::npos);  // a facet link
    // One script, the page's own: no inline script, and the policy allows no other.
    std::size_t script = r.body.find("<script");
    std::string only = "<script src=\"/morgue.cgi?asset=histogram.js\" defer></script>";
    CHECK(r.body.substr(script, only.size()) == only);
    CHECK(r.body.find("<script", script + 1) == std::string::npos);
    CHECK(r.headers["content-security-policy"].find("script-src 'self';") != std::string::npos);
    CgiResponse js = get("asset=histogram.js");
    CHECK(js.status == 200);
    CHECK(js.headers["content-type"] == "text/javascript; charset=utf-8");
    CHECK(js.body.find("a.bar") != std::string::npos);
    CHECK(get("asset=other.js").status == 404);
}

TEST_CASE("CGI: format=json is the same JSON as morgue-search --json") {
    CgiResponse r = get("q=trafficking&format=json");
    CHECK(r.status == 200);
    CHECK(r.headers["content-type"] == "application/json; charset=utf-8");
    json web = json::parse(r.body);
    json cli = search_json(corpus_db(), {"trafficking"});
    CHECK(web["total"] == cli["total"]);
    CHECK(result_names(web) == result_names(cli));
    CHECK(web["results"][0]["snippet"] == cli["results"][0]["snippet"]);
    CHECK(!web.contains("facets"));
    CHECK(json::parse(get("q=trafficking&format=json&facets=1").body).contains("facets"));
}

TEST_CASE("CGI: filters, sort, collapse, like and pages from parameters") {
    json j = json::parse(get("q=cuba&source=bbc&source=NPR&format=json").body);
    CHECK(sorted(result_names(j)) == std::vector<std::string>{"001_d8aa3ce31b691a40", "002_306fba015a5c4372"});
    j = json::parse(get("q=cuba&since=2023-10&format=json").body);
    CHECK(result_names(j) == std::vector<std::string>{"004_d429417838e75d46"});
    j = json::parse(get("q=cuba&sort=date&format=json").body);
    CHECK(result_names(j).front() == "004_d429417838e75d46");
    j = json::parse(get("q=trafficking&collapse=1&format=json").body);
    CHECK(j["results"][0]["versions"] == 5);
    std::string id = json::parse(get("q=cuba&source=bbc&format=json").body)["results"][0]["id"];
    j = json::parse(get("like=" + id + "&format=json").body);
    CHECK(j["total"] == 4);
    CHECK(get("like=2&format=json").status == 400);
    CHECK(get("q=cuba&page=2").body.find("Page 2 is past the end") != std::string::npos);
}

TEST_CASE("CGI: the article view, by id, with the query marked") {
    json j = json::parse(get("q=Rodriguez&format=json").body);
    std::string id = j["results"][0]["id"];
    CgiResponse r = get("doc=" + id + "&q=Rodriguez");
    CHECK(r.status == 200);
    CHECK(r.body.find("\">Rodríguez</mark>") != std::string::npos);  // <mark id="mN">
    CHECK(get("doc=0000000000000").status == 404);
    CHECK(get("doc=999999").status == 400);
}

TEST_CASE("CGI: a home page, did-you-mean, a helpful empty state, the style sheet") {
    CgiResponse home = get("");
    CHECK(home.status == 200);
    CHECK(home.body.find("Search 5 archived articles") != std::string::npos);
    CHECK(get("q=trafficing").body.find("Did you mean <a href=\"/morgue.cgi?q=trafficking\">trafficking</a>?") !=
          std::string::npos);
    CgiResponse empty = get("q=zebra");
    CHECK(empty.status == 200);
    CHECK(empty.body.find("No articles match <q>zebra</q>") != std::string::npos);
    CHECK(empty.body.find("Check the spelling") != std::string::npos);
    CgiResponse css = get("asset=style.css");
    CHECK(css.headers["content-type"] == "text/css; charset=utf-8");
    CHECK(css.body.find("mark{") != std::string::npos);
    CHECK(get("asset=../../etc/passwd").status == 404);
}

TEST_CASE("CGI: hostile parameters get a 400 and a plain message") {
    struct Case {
        std::string query;
        std::string message;
    } cases[] = {
        {"q=" + std::string(100 * 1024, 'a'), "Bad request: the request is too long"},
        {"q=" + std::string(3000, 'a'), "Bad request: the query is too long (at most 2048 bytes)"},
        {"q=cuba&page=-1", "Bad request: page must be a whole number from 1 to 1000"},
        {"q=cuba&page=99999999", "Bad request: page must be a whole number from 1 to 1000"},
        {"q=cuba&page=1e3", "Bad request: page must be a whole number from 1 to 1000"},
        {"q=cuba&page=", ""},  // empty means the default: fine
        {"q=%zz", "Bad request: bad percent-encoding in the request"},
        {"q=%", "Bad request: bad percent-encoding in the request"},
        {"q=%FF%FE", "Bad request: the request is not valid UTF-8"},
        {"q=cuba&sort=evil", "Bad request: sort must be relevance, date or oldest"},
        {"q=cuba&collapse=2", "Bad request: collapse must be a whole number from 0 to 1"},
        {"like=0", "Bad request: like '0' is not an article id (13 letters and digits, the \"id\" of a result)"},
        {"q=cuba&since=yesterday", "Bad request: since 'yesterday' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"},
        {"q=cuba&format=xml", "Bad request: format must be html, json, csv, jsonl or atom"},
        {"doc=abc", "Bad request: doc 'abc' is not an article id (13 letters and digits, the \"id\" of a result)"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.query.substr(0, 60));
        CgiResponse r = get(c.query);
        if (c.message.empty()) {
            CHECK(r.status == 200);
            continue;
        }
        CHECK(r.status == 400);
        CHECK(r.headers["content-type"] == "text/plain; charset=utf-8");
        CHECK(r.body == c.message + "\n");
    }
    std::string many = "q=cuba";
    for (int i = 0; i < 25; ++i) many += "&source=s" + std::to_string(i);
    CHECK(get(many).status == 400);
    std::string params = "q=cuba";
    for (int i = 0; i < 100; ++i) params += "&x" + std::to_string(i) + "=1";
    CHECK(get(params).body == "Bad request: too many parameters\n");
    CHECK(get("q=cuba", "POST").status == 405);
    // A query the parser refuses: a 400 page that explains.
    CgiResponse syntax = get("q=%28cuba");
    CHECK(syntax.status == 400);
    CHECK(syntax.body.find("This query cannot be run: unbalanced parenthesis") != std::string::npos);
}

TEST_CASE("CGI: an XSS payload is escaped everywhere it is shown") {
    CgiResponse r = get("q=%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27%3E&source=%3Cb%3E");
    CHECK(r.body.find("<script>") == std::string::npos);
    CHECK(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;") != std::string::npos);
    CHECK(r.body.find("<b>") == std::string::npos);
    json j = json::parse(get("q=%3Cscript%3E&format=json").body);
    CHECK(j["query"] == "<script>");  // JSON carries the text; HTML escapes it
}

TEST_CASE("CGI: the database comes from the environment only, errors never show paths or traces") {
    CgiResponse r = get("q=cuba&db=/etc&MORGUE_DB=/etc&format=json");
    CHECK(r.status == 200);
    CHECK(json::parse(r.body)["total"] == 5);
    CgiResponse missing = get("q=cuba", "GET", "/nonexistent/secret/path");
    CHECK(missing.status == 503);
    CHECK(missing.body.find("The archive is not available right now") != std::string::npos);
    CHECK(missing.body.find("/nonexistent") == std::string::npos);
    CHECK(missing.body.find("Xapian") == std::string::npos);
    CHECK(get("q=cuba&format=json", "GET", "/nonexistent/x").body.find("\"error\"") != std::string::npos);
}

TEST_CASE("CGI from a shell: NAME=VALUE arguments") {
    RunResult r = run({cgi_bin(), "q=Diaz-Canel", "format=json"}, {{"MORGUE_DB", corpus_db().string()}});
    CHECK(r.status == 0);
    CgiResponse resp = parse(r.out);
    CHECK(json::parse(resp.body)["total"] == 3);
    CHECK(run({cgi_bin(), "oops"}, {{"MORGUE_DB", corpus_db().string()}}).status == 2);
}

TEST_CASE("HTTP through lighttpd with curl, as CGI and as FastCGI") {
    for (const char* mode : {"cgi", "fastcgi"}) {
        CAPTURE(mode);
        int port = free_port();
        std::vector<std::string> argv = {(source_dir() / "scripts" / "serve").string(), "--cgi", cgi_bin(), "--port",
                                         std::to_string(port), "--db", corpus_db().string()};
        if (std::string(mode) == "fastcgi") argv.push_back("--fastcgi");
        Background server(argv);
        std::string base = "http://127.0.0.1:" + std::to_string(port);
        REQUIRE(wait_for_http(base + "/morgue.cgi"));
        RunResult page = curl(base + "/morgue.cgi?q=Diaz-Canel");
        CHECK(page.out.rfind("HTTP/1.1 200 OK", 0) == 0);
        CHECK(page.out.find("Content-Security-Policy: default-src 'none'") != std::string::npos);
        CHECK(page.out.find("X-Content-Type-Options: nosniff") != std::string::npos);
        CHECK(page.out.find("<mark>Díaz</mark>") != std::string::npos);
        CHECK(curl_status(base + "/") == 301);
        CHECK(curl_status(base + "/morgue.cgi?q=cuba&page=-1") == 400);
        CHECK(curl_status(base + "/morgue.cgi?q=cuba&page=99999999") == 400);
        CHECK(curl_status(base + "/morgue.cgi?q=" + std::string(100 * 1024, 'a')) >= 400);
        CHECK(curl_status(base + "/morgue.cgi?asset=style.css") == 200);
        // Many requests in a row: the FastCGI process keeps serving.
        for (int i = 0; i < 20; ++i) {
            RunResult j = run({"/usr/bin/curl", "-s", "--max-time", "20", base + "/morgue.cgi?format=json&q=trafficking"});
            CHECK(json::parse(j.out)["total"] == 5);
        }
    }
}

namespace {

// CSV rows (RFC 4180: quoted fields may hold commas, doubled quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(std::string_view text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.back().push_back(std::move(field));
            field.clear();
            rows.emplace_back();
            ++i;
        } else {
            field += c;
        }
    }
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

}  // namespace

TEST_CASE("exports: every match as CSV or JSON Lines, past the page limit, from the CLI and the web [corpora]") {
    TempDir dir;
    auto reuters = dir / "reuters-all.jsonl";
    if (!convert_corpus("reuters", reuters)) {
        WARN_MESSAGE(false, "shared corpora not found: export test not run");
        return;
    }
    // The first 2,000 Reuters articles, and one whose title needs quoting.
    auto file = dir / "reuters.jsonl";
    {
        std::ifstream in(reuters);
        std::ofstream out(file);
        std::string line;
        for (int i = 0; i < 2000 && std::getline(in, line); ++i) out << line << "\n";
        out << R"({"id": "q", "date": "1987-03-01", "title": "Cocoa, \"the brown gold\",\nsaid traders", "text": "Cocoa traders said prices rose."})" "\n";
    }
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--db", db.string(), file.string()}, {}, "", 600).status == 0);

    json counted = search_json(db, {"--limit", "0", "said"});
    REQUIRE(counted["total_exact"] == true);
    long total = counted["total"];
    REQUIRE(total > 1000);  // more than a page can hold (kMaxLimit)

    RunResult csv = run({search_bin(), "--db", db.string(), "--format", "csv", "said"});
    REQUIRE(csv.status == 0);
    REQUIRE(csv.out.rfind("\xEF\xBB\xBF", 0) == 0);  // a byte-order mark, for spreadsheets
    auto rows = parse_csv(std::string_view(csv.out).substr(3));
    REQUIRE(rows.size() == static_cast<std::size_t>(total) + 1);
    CHECK(rows[0] == std::vector<std::string>{"rank", "id", "date", "source", "byline", "title", "url", "lang",
                                              "score", "path"});
    std::set<std::string> ids;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        REQUIRE(rows[i].size() == 10);
        CHECK(rows[i][0] == std::to_string(i));
        ids.insert(rows[i][1]);
    }
    CHECK(ids.size() == static_cast<std::size_t>(total));  // every match once
    // In the order of the search: the first page's ids, then the rest.
    json page = search_json(db, {"--limit", "10", "said"});
    for (std::size_t i = 0; i < 10; ++i) CHECK(rows[i + 1][1] == page["results"][i]["id"]);
    // The quoted title survives the round trip.
    bool found = false;
    for (const auto& r : rows) found = found || r[5] == "Cocoa, \"the brown gold\",\nsaid traders";
    CHECK(found);

    // JSON Lines, newest first: the same articles, dates never rising.
    RunResult jsonl = run({search_bin(), "--db", db.string(), "--format", "jsonl", "--sort", "date", "said"});
    REQUIRE(jsonl.status == 0);
    std::istringstream lines(jsonl.out);
    std::set<std::string> jsonl_ids;
    std::string line, last_date = "9999";
    while (std::getline(lines, line)) {
        json j = json::parse(line);
        jsonl_ids.insert(j["id"].get<std::string>());
        if (j["date"].is_string()) {
            CHECK(j["date"].get<std::string>() <= last_date);
            last_date = j["date"];
        }
    }
    CHECK(jsonl_ids == ids);

    // The web: the same CSV as a download, and a link to it on the results page.
    CgiResponse web = get("q=said&format=csv", "GET", db.string());
    CHECK(web.status == 200);
    CHECK(web.headers["content-type"] == "text/csv; charset=utf-8");
    CHECK(web.headers["content-disposition"].find("attachment") == 0);
    CHECK(web.body == csv.out);
    CHECK(get("q=said", "GET", db.string()).body.find("href=\"/morgue.cgi?q=said&amp;format=csv\" download") !=
          std::string::npos);
    // Over shards (a page of the match at a time): the same rows.
    auto sharded = dir / "sharded.db";
    REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--shard-by", "hash:3", "--db", sharded.string(),
                 file.string()}, {}, "", 600).status == 0);
    RunResult csv_sharded = run({search_bin(), "--db", sharded.string(), "--format", "csv", "said"});
    auto sharded_rows = parse_csv(std::string_view(csv_sharded.out).substr(3));
    REQUIRE(sharded_rows.size() == rows.size());
    std::set<std::string> sharded_ids;
    for (std::size_t i = 1; i < sharded_rows.size(); ++i) sharded_ids.insert(sharded_rows[i][1]);
    CHECK(sharded_ids == ids);
    json sharded_page = search_json(sharded, {"--limit", "10", "said"});
    for (std::size_t i = 0; i < 10; ++i) CHECK(sharded_rows[i + 1][1] == sharded_page["results"][i]["id"]);
    // Nothing found: a header alone, exit status 1.
    RunResult none = run({search_bin(), "--db", db.string(), "--format", "csv", "zzxqwv"});
    CHECK(none.status == 1);
    CHECK(parse_csv(std::string_view(none.out).substr(3)).size() == 1);
    CHECK(run({search_bin(), "--db", db.string(), "--format", "xml", "said"}).status == 2);
}

TEST_CASE("an Atom feed of every search: valid Atom 1.0, newest first, stable ids, absolute links") {
    auto feed_for = [](const std::string& query_string, const std::string& host) {
        RunResult r = run({cgi_bin()}, {{"REQUEST_METHOD", "GET"}, {"QUERY_STRING", query_string},
                                        {"MORGUE_DB", corpus_db().string()}, {"SCRIPT_NAME", "/morgue.cgi"},
                                        {"HTTP_HOST", host}, {"HTTPS", "on"}});
        REQUIRE(r.status == 0);
        return parse(r.out);
    };
    CgiResponse feed = feed_for("q=Cuba&format=atom", "news.example.org");
    CHECK(feed.status == 200);
    CHECK(feed.headers["content-type"] == "application/atom+xml; charset=utf-8");

    // Valid against RFC 4287's own RELAX NG schema (jing, a real validator)...
    TempDir dir;
    auto xml = dir.write("feed.xml", feed.body);
    RunResult valid = run({"/usr/bin/jing", "-c", (source_dir() / "tests" / "data" / "atom.rnc").string(), xml.string()});
    CAPTURE(valid.out);
    CAPTURE(valid.err);
    CHECK(valid.status == 0);
    // ...and the schema's Schematron rules, which jing does not check: an author, an alternate link.
    CHECK(feed.body.find("<author><name>morgue</name></author>") != std::string::npos);

    // The entries: the dated matches, newest first, each id its article's page by stable id.
    json newest = search_json(corpus_db(), {"--sort", "date", "--limit", "20", "Cuba"});
    std::vector<std::string> expected;
    for (const auto& r : newest["results"]) {
        if (r["date"].is_string()) expected.push_back("https://news.example.org/morgue.cgi?doc=" + r["id"].get<std::string>());
    }
    REQUIRE(expected.size() >= 2);
    std::vector<std::string> ids;
    for (std::size_t at = feed.body.find("<entry>"); at != std::string::npos; at = feed.body.find("<entry>", at + 1)) {
        std::size_t open = feed.body.find("<id>", at) + 4;
        ids.push_back(feed.body.substr(open, feed.body.find("</id>", open) - open));
        CHECK(feed.body.find("<link rel=\"alternate\" type=\"text/html\" href=\"" + ids.back() + "\"/>", at) !=
              std::string::npos);
    }
    CHECK(ids == expected);
    CHECK(feed.body.find("<id>https://news.example.org/morgue.cgi?q=Cuba&amp;sort=date</id>") != std::string::npos);

    // A Host header that is not a host name never reaches the feed.
    CgiResponse hostile = feed_for("q=Cuba&format=atom", "evil.example/<script>");
    CHECK(hostile.status == 200);
    CHECK(hostile.body.find("evil") == std::string::npos);
    // A search that finds nothing is still a valid feed, with no entries.
    auto empty = dir.write("empty.xml", feed_for("q=zzxqwv&format=atom", "news.example.org").body);
    CHECK(run({"/usr/bin/jing", "-c", (source_dir() / "tests" / "data" / "atom.rnc").string(), empty.string()}).status == 0);
    // The results page offers it.
    CHECK(get("q=Cuba").body.find("href=\"/morgue.cgi?q=Cuba&amp;format=atom\" type=\"application/atom+xml\"") !=
          std::string::npos);
}

TEST_CASE("web: the language facet and filter, page size, first and last pages, a page past the end, an article as JSON") {
    TempDir dir;
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), (source_dir() / "tests" / "data" / "multilingual").string()})
                .status == 0);
    // Languages, as the CLI's facet counts them, and each a link that filters to it.
    json counted = search_json(db, {"--facets", "--limit", "0", "date:2000..2030"});
    REQUIRE(counted["facets"]["lang"].size() > 5);
    CgiResponse page = get("q=date%3A2000..2030", "GET", db.string());
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<h2>Languages</h2>") != std::string::npos);
    for (const auto& v : counted["facets"]["lang"]) {
        std::string code = v["value"];
        CAPTURE(code);
        CHECK(page.body.find("href=\"/morgue.cgi?q=date%3A2000..2030&amp;lang=" + code + "\">" + code +
                             "</a> <span class=\"count\">" + std::to_string(v["count"].get<int>()) + "</span>") !=
              std::string::npos);
    }
    // lang=ru: Russian articles only, as --lang ru finds them, with a chip that removes the filter.
    json russian = search_json(db, {"--lang", "ru", "date:2000..2030"});
    CgiResponse ru = get("q=date%3A2000..2030&lang=ru&format=json", "GET", db.string());
    CHECK(json::parse(ru.body)["total"] == russian["total"]);
    CHECK(get("q=date%3A2000..2030&lang=Russian", "GET", db.string()).body.find("language: ru") != std::string::npos);
    CHECK(get("q=cuba&lang=%21%21", "GET", db.string()).status == 400);

    // size=N results a page; pages link to the first and the last.
    json sized = json::parse(get("q=date%3A2000..2030&size=3&format=json", "GET", db.string()).body);
    CHECK(sized["results"].size() == 3);
    CHECK(get("q=cuba&size=0").status == 400);
    CHECK(get("q=cuba&size=101").status == 400);
    long total = counted["total"];
    CgiResponse middle = get("q=date%3A2000..2030&size=1&page=7", "GET", db.string());  // pages 3 to 12 shown
    CHECK(middle.body.find("href=\"/morgue.cgi?q=date%3A2000..2030&amp;size=1\">« First</a>") != std::string::npos);
    CHECK(middle.body.find("&amp;page=" + std::to_string(total) + "&amp;size=1\">Last »</a>") != std::string::npos);
    // A page past the end says how many there are and links to the last page.
    CgiResponse past = get("q=date%3A2000..2030&size=2&page=" + std::to_string(total), "GET", db.string());
    CHECK(past.status == 200);
    CHECK(past.body.find("is past the end") != std::string::npos);
    CHECK(past.body.find(std::to_string(total) + " articles match") != std::string::npos);

    // An article by id, as JSON: every stored field, no server path.
    std::string id = russian["results"][0]["id"];
    json article = json::parse(get("doc=" + id + "&format=json", "GET", db.string()).body);
    CHECK(article["article"]["id"] == id);
    CHECK(article["article"]["lang"] == "ru");
    CHECK(!article["article"]["body"].get<std::string>().empty());
    CHECK(article["article"]["path"] == "multilingual/ru.jsonl");
    json missing = json::parse(get("doc=0000000000000&format=json", "GET", db.string()).body);
    CHECK(missing["error"] == "no such article");
}

TEST_CASE("web: the query's words are marked in result headlines too") {
    std::string page = get("q=trafficking").body;
    CHECK(page.find("\">Cuba says it dismantled human <mark>trafficking</mark> ring recruiting") != std::string::npos);
    // Words of a phrase, as written (accents and case kept).
    CHECK(get("q=diaz-canel").body.find("<mark>") != std::string::npos);
}

TEST_CASE("web: similar articles name the article they are like, and mark no expansion terms") {
    json found = search_json(corpus_db(), {"Diaz-Canel"});
    std::string id = found["results"][0]["id"];
    std::string title = found["results"][0]["title"].is_string() ? found["results"][0]["title"].get<std::string>() : "";
    std::string page = get("like=" + id).body;
    CHECK(page.find("<li>like “") != std::string::npos);
    if (!title.empty()) CHECK(page.find("like “" + title.substr(0, 20)) != std::string::npos);
    CHECK(page.find("<mark>") == std::string::npos);  // thirty stems of another article, marked nowhere
    // With words of its own, the query's words are marked, and only they.
    std::string both = get("like=" + id + "&q=russia").body;
    CHECK(both.find("<mark>Russia</mark>") != std::string::npos);
}

TEST_CASE("web: the article view counts the query's matches and links to each") {
    json found = search_json(corpus_db(), {"Diaz-Canel"});
    std::string id = found["results"][0]["id"];
    std::string page = get("doc=" + id + "&q=cuba").body;
    std::size_t marks = 0;
    for (std::size_t at = page.find("<mark id=\"m"); at != std::string::npos; at = page.find("<mark id=\"m", at + 1)) ++marks;
    REQUIRE(marks >= 2);
    CHECK(page.find(std::to_string(marks) + " matches of your search:") != std::string::npos);
    for (std::size_t i = 1; i <= std::min<std::size_t>(marks, 30); ++i) {
        CHECK(page.find("<a href=\"#m" + std::to_string(i) + "\">") != std::string::npos);
        CHECK(page.find("<mark id=\"m" + std::to_string(i) + "\">") != std::string::npos);
    }
    CHECK(get("doc=" + id).body.find("matches of your search") == std::string::npos);  // no query, no list
}

TEST_CASE("web: the byline facet searches by byline, and a second click takes it away") {
    std::string page = get("q=cuba").body;
    REQUIRE(page.find("<h2>Bylines</h2>") != std::string::npos);
    std::string link = "href=\"/morgue.cgi?q=cuba+byline%3A%22Eyder+Peralta%22\">Eyder Peralta</a>";
    REQUIRE(page.find(link) != std::string::npos);
    json by = json::parse(get("q=cuba+byline%3A%22Eyder+Peralta%22&format=json").body);
    REQUIRE(by["total"] == 1);
    CHECK(by["results"][0]["byline"] == "Eyder Peralta");
    std::string narrowed = get("q=cuba+byline%3A%22Eyder+Peralta%22").body;
    CHECK(narrowed.find("class=\"active\" aria-current=\"true\" href=\"/morgue.cgi?q=cuba\">Eyder Peralta") !=
          std::string::npos);
}

TEST_CASE("web: the advanced search form keeps what is in force, and quick ranges are date links") {
    std::string closed = get("q=cuba").body;
    CHECK(closed.find("<details class=\"advanced\"><summary>Advanced search</summary>") != std::string::npos);
    std::string page = get("q=cuba&since=2023-09&source=BBC&source=NPR&lang=en&sort=oldest").body;
    CHECK(page.find("<details class=\"advanced\" open>") != std::string::npos);
    CHECK(page.find("name=\"since\" value=\"2023-09\"") != std::string::npos);
    CHECK(page.find("name=\"source\" value=\"BBC\" placeholder") != std::string::npos);
    CHECK(page.find("<input type=\"hidden\" name=\"source\" value=\"NPR\">") != std::string::npos);
    CHECK(page.find("name=\"lang\" value=\"en\"") != std::string::npos);
    CHECK(page.find("<option value=\"oldest\" selected>") != std::string::npos);
    CHECK(page.find("\">this year</a>") != std::string::npos);
    // The form's empty fields are no filters.
    json plain = json::parse(get("q=cuba&since=&until=&source=&lang=&sort=relevance&format=json").body);
    CHECK(plain["total"] == json::parse(get("q=cuba&format=json").body)["total"]);
}

namespace {

// One slot of a page's histogram: its since/until filter, its count (0 for an
// empty slot), and the link of a bar.
struct AxisSlot {
    std::string since, until, href;
    long count = 0;
};

std::vector<AxisSlot> axis_slots(const std::string& page) {
    static const std::regex slot(
        "<a class=\"bar[^\"]*\" href=\"([^\"]*)\" data-since=\"([^\"]*)\" data-until=\"([^\"]*)\"[^>]*"
        "aria-label=\"[^\"]*: ([0-9,]+) match|<rect class=\"empty\" data-since=\"([^\"]*)\" data-until=\"([^\"]*)\"");
    std::vector<AxisSlot> out;
    for (std::sregex_iterator it(page.begin(), page.end(), slot), end; it != end; ++it) {
        const std::smatch& m = *it;
        AxisSlot s;
        if (m[1].matched) {
            s.href = m[1];
            s.since = m[2];
            s.until = m[3];
            std::string digits = m[4];
            digits.erase(std::remove(digits.begin(), digits.end(), ','), digits.end());
            s.count = std::stol(digits);
        } else {
            s.since = m[5];
            s.until = m[6];
        }
        out.push_back(s);
    }
    return out;
}

// The first (or, with `end`, the last) day of "YYYY", "YYYY-MM" or "YYYY-MM-DD".
std::chrono::sys_days day_of(const std::string& period, bool end) {
    using namespace std::chrono;
    year y{std::stoi(period.substr(0, 4))};
    if (period.size() == 4) return end ? sys_days{y / December / 31} : sys_days{y / January / 1};
    month m{static_cast<unsigned>(std::stoi(period.substr(5, 2)))};
    if (period.size() == 7) return end ? sys_days{y / m / last} : sys_days{y / m / 1};
    return sys_days{y / m / day{static_cast<unsigned>(std::stoi(period.substr(8, 2)))}};
}

// The histogram of the results page of `query_string` on `db` checked
// against the CLI: every slot (empty ones too) holds what morgue-search
// counts for its since/until, the slots follow each other without gap or
// overlap, together they hold every dated match of the search (`cli`: its
// words and filters for morgue-search), and each bar links to its period.
// Returns the slots.
std::vector<AxisSlot> checked_axis(const fs::path& db, const std::string& query_string, const std::string& words,
                                   std::vector<std::string> cli = {}) {
    std::string page = get(query_string, "GET", db.string()).body;
    std::vector<AxisSlot> slots = axis_slots(page);
    REQUIRE(!slots.empty());
    long sum = 0;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        const AxisSlot& s = slots[i];
        CAPTURE(s.since);
        CHECK(day_of(s.since, false) <= day_of(s.until, true));
        if (i > 0) CHECK(day_of(s.since, false) == day_of(slots[i - 1].until, true) + std::chrono::days{1});
        json counted = search_json(db, {"--facets", "--limit", "0", "--since", s.since, "--until", s.until, words});
        CHECK(counted["total_exact"] == true);
        CHECK(counted["total"] == s.count);
        if (s.count > 0) CHECK(s.href.find("since=" + s.since + "&amp;until=" + s.until) != std::string::npos);
        sum += s.count;
    }
    cli.insert(cli.begin(), {"--facets", "--limit", "0"});
    cli.push_back(words);
    json all = search_json(db, cli);
    long dated = 0;
    for (const json& m : all["facets"]["month"]) dated += m["count"].get<long>();
    CHECK(sum == dated);
    return slots;
}

}  // namespace


TEST_CASE("web: the histogram is a true time axis, empty slots between, years for long spans") {
    // corpus/: matches from September to November 2023, a span of weeks, none in October.
    std::string page = get("q=trafficking").body;
    CHECK(page.find("Matches by week") != std::string::npos);
    std::vector<AxisSlot> weeks = checked_axis(corpus_db(), "q=trafficking", "trafficking");
    CHECK(std::count_if(weeks.begin(), weeks.end(), [](const AxisSlot& s) { return s.count == 0; }) >= 4);
    CHECK(page.find("<title>week of 2 Oct 2023: no matches</title>") != std::string::npos);
    auto count = [](const std::string& s, const std::string& what) {
        std::size_t n = 0;
        for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
        return n;
    };
    CHECK(count(page, "<line class=\"tick\"") == 2);  // October, November
    CHECK(page.find(">Oct</text>") != std::string::npos);

    // Over decades: a slot a year, the empty ones included, ticks at decades.
    TempDir dir;
    auto file = dir.write("feed.jsonl",
                          R"({"id": "a", "date": "1987-03-02", "title": "Harbour strike", "text": "Dockers strike at the harbour."})" "\n"
                          R"({"id": "b", "date": "1999-06-01", "title": "Harbour strike again", "text": "Dockers strike at the harbour again."})" "\n"
                          R"({"id": "c", "date": "2012-11-20", "title": "Harbour strike ends", "text": "The dockers' strike at the harbour ends."})" "\n");
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), file.string()}).status == 0);
    std::string years = get("q=harbour", "GET", db.string()).body;
    CHECK(years.find("Matches by year") != std::string::npos);
    CHECK(count(years, "<a class=\"bar\"") == 3);
    CHECK(count(years, "<rect class=\"empty\"") == 2012 - 1987 + 1 - 3);
    CHECK(count(years, "<line class=\"tick\"") == 3);  // 1990, 2000, 2010
    std::vector<AxisSlot> slots = checked_axis(db, "q=harbour", "harbour");
    CHECK(slots.size() == 2012 - 1987 + 1);
    CHECK(slots[0].since == "1987");
}

TEST_CASE("web: the histogram's buckets adapt to the span: days, weeks, months, each as the CLI counts it [corpora]") {
    TempDir dir;
    auto reuters = dir / "reuters-all.jsonl";
    if (!convert_corpus("reuters", reuters)) {
        WARN_MESSAGE(false, "shared corpora not found: time axis test not run");
        return;
    }
    // Every tenth Reuters article: February to October 1987, with days, weeks and months without any.
    auto file = dir / "reuters.jsonl";
    {
        std::ifstream in(reuters);
        std::ofstream out(file);
        std::string line;
        for (int i = 0; std::getline(in, line); ++i) {
            if (i % 10 == 0) out << line << "\n";
        }
    }
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--db", db.string(), file.string()}, {}, "", 600).status == 0);
    auto has_empty = [](const std::vector<AxisSlot>& slots) {
        return std::any_of(slots.begin(), slots.end(), [](const AxisSlot& s) { return s.count == 0; });
    };

    // A month: a bar a day, days without matches as empty slots.
    std::string days_qs = "q=said&since=1987-03-01&until=1987-03-31";
    CHECK(get(days_qs, "GET", db.string()).body.find("Matches by day") != std::string::npos);
    std::vector<AxisSlot> days = checked_axis(db, days_qs, "said", {"--since", "1987-03-01", "--until", "1987-03-31"});
    CHECK(days.size() == 31);  // the month asked for, whichever days have matches
    CHECK(has_empty(days));
    for (const AxisSlot& s : days) CHECK((s.since.size() == 10 && s.since == s.until));
    // The JSON's facets have the same days (facets.day, for short spans only).
    json j = json::parse(get(days_qs + "&format=json&facets=1", "GET", db.string()).body);
    REQUIRE(j["facets"].contains("day"));
    std::size_t dated = 0;
    for (const AxisSlot& s : days) dated += s.count > 0;
    CHECK(j["facets"]["day"].size() == dated);
    const AxisSlot& first = *std::find_if(days.begin(), days.end(), [](const AxisSlot& s) { return s.count > 0; });
    CHECK(j["facets"]["day"][0]["value"] == first.since);

    // Four months: weeks, Monday to Sunday.
    std::string weeks_qs = "q=said&since=1987-03&until=1987-06";
    CHECK(get(weeks_qs, "GET", db.string()).body.find("Matches by week") != std::string::npos);
    std::vector<AxisSlot> weeks = checked_axis(db, weeks_qs, "said", {"--since", "1987-03", "--until", "1987-06"});
    // Cut to the months asked for at the ends: 1 March 1987 was a Sunday, 30 June a Tuesday.
    CHECK(weeks.front().since == "1987-03-01");
    CHECK(weeks.front().until == "1987-03-01");
    CHECK(weeks.back().since == "1987-06-29");
    CHECK(weeks.back().until == "1987-06-30");
    CHECK(weeks.size() > 8);
    CHECK(has_empty(weeks));  // May
    for (std::size_t i = 1; i + 1 < weeks.size(); ++i) {
        CHECK(std::chrono::weekday{day_of(weeks[i].since, false)} == std::chrono::Monday);
        CHECK(day_of(weeks[i].until, true) == day_of(weeks[i].since, false) + std::chrono::days{6});
    }

    // Everything: months, May and July to September empty; no days in the JSON.
    CHECK(get("q=said", "GET", db.string()).body.find("Matches by month") != std::string::npos);
    std::vector<AxisSlot> months = checked_axis(db, "q=said", "said");
    CHECK(months.size() == 9);  // February to October
    CHECK(has_empty(months));
    CHECK(!json::parse(get("q=said&format=json&facets=1", "GET", db.string()).body)["facets"].contains("day"));

    // A day narrowed to: its one bar is the filter in force, and its link takes the filter away.
    std::string one = get("q=said&since=" + first.since + "&until=" + first.until, "GET", db.string()).body;
    CHECK(one.find("<a class=\"bar active\" href=\"/morgue.cgi?q=said\"") != std::string::npos);
}

TEST_CASE("web: a story as a page, its versions on a timeline with what each shares and adds, and story: searches") {
    // corpus/ is five versions of one story (docs/STORIES.md).
    json collapsed = search_json(corpus_db(), {"--collapse", "trafficking"});
    REQUIRE(collapsed["results"].size() == 1);
    std::string key = collapsed["results"][0]["story"];
    REQUIRE(collapsed["results"][0]["versions"] == 5);

    // story:KEY finds its versions, and only them.
    json within = search_json(corpus_db(), {"story:" + key});
    CHECK(within["total"] == 5);
    CHECK(search_json(corpus_db(), {"story:" + key + " Lavrov"})["total"] == 1);

    json story = json::parse(get("story=" + key + "&format=json").body);
    const json& versions = story["story"]["versions"];
    REQUIRE(versions.size() == 5);
    // Earliest first, undated last; the first shares all its text with itself and adds nothing.
    std::string last_date;
    bool undated_seen = false;
    for (const auto& v : versions) {
        if (v["date"].is_null()) {
            undated_seen = true;
            continue;
        }
        CHECK_FALSE(undated_seen);
        CHECK(v["date"].get<std::string>() >= last_date);
        last_date = v["date"];
    }
    CHECK(versions[0]["shared"] == 1.0);
    CHECK(versions[0]["added_total"] == 0);
    for (std::size_t i = 1; i < versions.size(); ++i) {
        CHECK(versions[i]["shared"].get<double>() < 1.0);
        CHECK(versions[i]["added_total"].get<int>() >= versions[i]["added"].size());
    }
    // Each added sentence is in its version's text and in no earlier version's.
    std::vector<std::string> bodies;
    for (const auto& v : versions) {
        json a = json::parse(get("doc=" + v["id"].get<std::string>() + "&format=json").body);
        bodies.push_back(a["article"]["body"]);
    }
    for (std::size_t i = 1; i < versions.size(); ++i) {
        for (const auto& s : versions[i]["added"]) {
            std::string sentence = s;
            CAPTURE(sentence);
            CHECK(bodies[i].find(sentence) != std::string::npos);
            for (std::size_t j = 0; j < i; ++j) CHECK(bodies[j].find(sentence) == std::string::npos);
        }
    }

    CgiResponse page = get("story=" + key);
    CHECK(page.status == 200);
    CHECK(page.body.find("5 versions of one story, earliest first") != std::string::npos);
    CHECK(page.body.find("The earliest version.") != std::string::npos);
    CHECK(page.body.find("of its text with the earliest version") != std::string::npos);
    CHECK(page.body.find("href=\"/morgue.cgi?q=story%3A" + key + "&amp;sort=oldest\">Search within this story") !=
          std::string::npos);
    // Results and articles link to it.
    CHECK(get("q=trafficking&collapse=1").body.find("href=\"/morgue.cgi?story=" + key + "\">5 versions — see the story") !=
          std::string::npos);
    // An article page lists the story's other versions, earliest first, each a link to its article.
    std::string second = versions[1]["id"];
    std::string article = get("doc=" + second).body;
    CHECK(article.find("4 other versions of this story") != std::string::npos);
    CHECK(article.find("All 5 versions on the story's timeline") != std::string::npos);
    std::size_t last_at = 0;
    for (const auto& v : versions) {
        std::size_t at = article.find("<li><a href=\"/morgue.cgi?doc=" + v["id"].get<std::string>() + "&amp;q=\">");
        if (v["id"] == second) {
            CHECK(at == std::string::npos);  // not itself
            continue;
        }
        CHECK(at != std::string::npos);
        CHECK(at > last_at);
        last_at = at;
    }
    CHECK(article.find("The earliest version.") != std::string::npos);
    // Bad and unknown keys.
    CHECK(get("story=nonsense").status == 400);
    CHECK(get("story=0000000000000000").status == 404);
    CHECK(json::parse(get("story=0000000000000000&format=json").body)["error"] == "no such story");
}

TEST_CASE("web: the home page describes the archive, and its example searches come from it and find something") {
    TempDir dir;
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), (source_dir() / "tests" / "data" / "multilingual").string()})
                .status == 0);
    for (const std::filesystem::path& archive : {corpus_db(), db}) {
        CAPTURE(archive);
        std::string home = get("", "GET", archive.string()).body;
        CHECK(home.find("<p class=\"span\">") != std::string::npos);
        std::vector<std::string> examples;
        for (std::size_t at = home.find("<li><a href=\"/morgue.cgi?q="); at != std::string::npos;
             at = home.find("<li><a href=\"/morgue.cgi?q=", at + 1)) {
            std::size_t from = at + std::string("<li><a href=\"/morgue.cgi?").size();
            examples.push_back(home.substr(from, home.find('"', from) - from));
        }
        CHECK(examples.size() >= 3);
        for (const std::string& qs : examples) {
            CAPTURE(qs);
            std::string query = qs;
            for (std::size_t amp; (amp = query.find("&amp;")) != std::string::npos;) query.replace(amp, 5, "&");
            json found = json::parse(get(query + "&format=json", "GET", archive.string()).body);
            CHECK(found["total"].get<long>() >= 1);
        }
    }
    // The sample archive: its span and its sources.
    std::string sample = get("").body;
    CHECK(sample.find("from 5 September 2023 to 16 November 2023") != std::string::npos);
    CHECK(sample.find("2 of them undated") != std::string::npos);
}
