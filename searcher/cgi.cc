// morgue.cgi: the web front end. Runs as a CGI program (one request per
// process), as a FastCGI server (libfcgi; the database and its facet codes
// stay open between requests) when started by a FastCGI-capable web server, or from a shell
// with NAME=VALUE arguments (morgue.cgi q=cuba format=json) for testing.
// The database comes from the environment ($MORGUE_DB), never a request.
#include "database.h"
#include "error.h"
#include "program.h"
#include "search.h"
#include "web.h"

#include <fcgiapp.h>
#include <xapian.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>

namespace {

using morgue::web::Response;

// What `morgue.cgi --help` prints, and its man page (help2man) says.
constexpr const char* kHelp = R"(Usage: morgue.cgi [NAME=VALUE...]
The morgue web front end: a search page over a morgue database of news articles,
with facets, stories, an article view and a JSON API.

It runs as a CGI program (one process per request); as a FastCGI server that keeps
the database open between requests when started on a listening socket (by spawn-fcgi,
systemd socket activation, or lighttpd's fastcgi "bin-path"), and with it each article's
facet values as small codes (a few bytes an article, rebuilt when the database changes:
faceted searches at a million articles take half the time; as a CGI, the codes
morgue-index left beside the database when they are of its revision); or from a shell, where
NAME=VALUE arguments (not URL-encoded) are the request's parameters and the response,
headers included, goes to standard output: morgue.cgi q=cuba format=json

Parameters (GET only):
  q=QUERY             the query, in morgue-search's query language
  page=N              results page, from 1 to 1000
  source=NAME         only articles from NAME (repeatable: any of them)
  since=DATE          only articles dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)
  until=DATE          only articles dated on or before DATE
  sort=ORDER          relevance, date (newest first) or oldest
  collapse=1          one result per story, with its other versions
  like=ID             the articles most like article ID
  doc=ID              the article view of article ID
  story=KEY           the page of a story: its versions on a timeline
  about=1             about this archive: what it holds, per year, source and language,
                      and its last indexing run with the files it skipped
  facets=1            with format=json: counts by source, year, month (day, for short spans) and language
  format=json         the JSON of morgue-search --json instead of HTML

Environment:
  MORGUE_DB           the database (never taken from a request; default ./morgue.db)
  MORGUE_PARTIAL      1: with a sharded database, answer from the shards that are up
  MORGUE_SHARD_TIMEOUT_MS  milliseconds a remote shard may take to answer

Every response carries a Content-Security-Policy that allows no script but the
page's own (?asset=histogram.js, which adds range selection to the histogram;
every page works without it), and X-Content-Type-Options and X-Frame-Options
headers. Bad parameters get a 400 with a
one-line message; errors never show paths.

Exit status: 0 when a response was written (whatever its HTTP status), 2 on bad arguments.
)";

// Shard settings from the server's environment: MORGUE_PARTIAL=1 answers
// from the shards that are up; MORGUE_SHARD_TIMEOUT_MS bounds a remote shard.
morgue::ShardOptions shard_options() {
    morgue::ShardOptions o;
    if (const char* p = std::getenv("MORGUE_PARTIAL")) o.partial = std::strcmp(p, "1") == 0;
    if (const char* t = std::getenv("MORGUE_SHARD_TIMEOUT_MS")) {
        long ms = std::atol(t);
        if (ms > 0 && ms < 600000) o.timeout_ms = static_cast<unsigned>(ms);
    }
    o.connect_timeout_ms = std::min(o.connect_timeout_ms, o.timeout_ms);
    return o;
}

std::unique_ptr<morgue::Searcher> open_searcher() {
    try {
        return std::make_unique<morgue::Searcher>(morgue::resolve_db_path(std::nullopt), shard_options());
    } catch (const morgue::Error&) {
        return nullptr;  // the page says the archive is not available
    } catch (const Xapian::Error&) {
        return nullptr;
    }
}

// Whether `host` (a Host header) is a plain host name or address, with a port maybe.
bool plain_host(std::string_view host) {
    if (host.empty() || host.size() > 255) return false;
    return std::all_of(host.begin(), host.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    });
}

// "https://host[:port]" of the request, from its CGI variables (`get` reads
// one, nullptr when unset); empty when it names no plain host.
template <typename Get>
std::string origin_of(Get get) {
    const char* https = get("HTTPS");
    std::string scheme = https && (std::strcmp(https, "on") == 0 || std::strcmp(https, "1") == 0) ? "https" : "http";
    if (const char* host = get("HTTP_HOST"); host && plain_host(host)) return scheme + "://" + host;
    const char* name = get("SERVER_NAME");
    if (!name || !plain_host(name)) return {};
    std::string origin = scheme + "://" + name;
    const char* port = get("SERVER_PORT");
    if (port && plain_host(port) && std::strcmp(port, scheme == "https" ? "443" : "80") != 0) origin += ":" + std::string(port);
    return origin;
}

// One request, whatever the transport. `method` empty: parameters come from argv.
Response answer(const char* method, const char* query_string, const char* script, const std::string& origin,
                morgue::Searcher* searcher, const morgue::web::Params* argv_params) {
    try {
        morgue::web::Params params;
        if (argv_params != nullptr) {
            params = *argv_params;
        } else {
            std::string m = method ? method : "";
            if (m != "GET" && m != "HEAD") {
                Response r = morgue::web::plain_response(405, "Method not allowed: use GET");
                r.headers.emplace_back("Allow", "GET, HEAD");
                return r;
            }
            params = morgue::web::parse_query_string(query_string ? query_string : "");
        }
        return morgue::web::handle(params, searcher, script && *script ? script : "morgue.cgi", origin);
    } catch (const morgue::UsageError& e) {
        return morgue::web::plain_response(400, std::string("Bad request: ") + e.what());
    } catch (...) {
        // Never a stack trace or an internal path in a response.
        return morgue::web::plain_response(500, "Internal error");
    }
}

std::string output(const Response& r, const char* method) {
    std::string out = r.cgi();
    if (method && std::strcmp(method, "HEAD") == 0) out.resize(out.find("\r\n\r\n") + 4);
    return out;
}

// The searcher of a long-lived server: faceted searches count the facet
// codes it keeps in memory. Null when the database cannot be opened.
std::unique_ptr<morgue::Searcher> open_server_searcher() {
    std::unique_ptr<morgue::Searcher> searcher = open_searcher();
    if (searcher) searcher->keep_facet_codes();
    return searcher;
}

int fastcgi() {
    FCGX_Init();
    FCGX_Request request;
    FCGX_InitRequest(&request, 0, 0);
    // Opened before the first request, which would otherwise wait for the facet codes.
    std::unique_ptr<morgue::Searcher> searcher = open_server_searcher();
    while (FCGX_Accept_r(&request) >= 0) {
        const char* method = FCGX_GetParam("REQUEST_METHOD", request.envp);
        if (searcher) {
            try {
                searcher->refresh();
            } catch (...) {
                searcher.reset();
            }
        }
        if (!searcher) searcher = open_server_searcher();
        std::string origin = origin_of([&](const char* name) { return FCGX_GetParam(name, request.envp); });
        Response r = answer(method, FCGX_GetParam("QUERY_STRING", request.envp),
                            FCGX_GetParam("SCRIPT_NAME", request.envp), origin, searcher.get(), nullptr);
        std::string out = output(r, method);
        FCGX_PutStr(out.data(), static_cast<int>(out.size()), request.out);
        FCGX_Finish_r(&request);
    }
    return 0;
}

// From a shell: NAME=VALUE arguments, not URL-encoded.
morgue::web::Params argv_params(int argc, char** argv) {
    morgue::web::Params params;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::size_t eq = arg.find('=');
        if (eq == std::string::npos) throw morgue::UsageError("arguments are NAME=VALUE (e.g. q=cuba format=json; see --help)");
        params.emplace_back(arg.substr(0, eq), arg.substr(eq + 1));
    }
    return params;
}

// One request as a CGI program, from the environment or (from a shell) argv.
int cgi(int argc, char** argv) {
    const char* method = std::getenv("REQUEST_METHOD");
    std::optional<morgue::web::Params> from_argv;
    if (method == nullptr) {
        if (argc == 2 && std::strcmp(argv[1], "--help") == 0) {
            std::cout << kHelp;
            return 0;
        }
        if (argc == 2 && std::strcmp(argv[1], "--version") == 0) {
            std::cout << "morgue.cgi " << MORGUE_VERSION << " (Xapian " << Xapian::version_string() << ")\n";
            return 0;
        }
        from_argv = argv_params(argc, argv);
    }
    std::unique_ptr<morgue::Searcher> searcher = open_searcher();
    std::string origin = origin_of([](const char* name) { return std::getenv(name); });
    Response r = answer(method, std::getenv("QUERY_STRING"), std::getenv("SCRIPT_NAME"), origin, searcher.get(),
                        from_argv ? &*from_argv : nullptr);
    std::string out = output(r, method);
    std::cout.write(out.data(), static_cast<std::streamsize>(out.size()));
    std::cout.flush();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    return morgue::run_main("morgue.cgi", [&] { return FCGX_IsCGI() ? cgi(argc, argv) : fastcgi(); });
}
