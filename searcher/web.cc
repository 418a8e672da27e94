#include "web.h"

#include "error.h"
#include "render.h"
#include "utf8.h"
#include "web_page.h"

#include <charconv>
#include <cstdio>
#include <sstream>

namespace morgue::web {

namespace {

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string decode_component(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= s.size()) throw UsageError("bad percent-encoding in the request");
            int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
            if (hi < 0 || lo < 0) throw UsageError("bad percent-encoding in the request");
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    if (!utf8::is_valid(out)) throw UsageError("the request is not valid UTF-8");
    return out;
}

Response json_response(int status, std::string body) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
    r.headers.emplace_back("Access-Control-Allow-Origin", "*");
    r.body = std::move(body);
    r.body += "\n";
    return r;
}

Response html_response(int status, std::string body) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
    r.body = std::move(body);
    return r;
}

// Every match of `request` (up to kMaxExportRows) as a CSV or JSON Lines
// download. Built whole: a response is one string.
Response export_response(Searcher& searcher, const SearchRequest& request, ExportFormat format) {
    std::ostringstream body;
    write_export_header(body, format);
    Xapian::doccount rows = searcher.each_match(request, [&](const Hit& hit) {
        write_export_row(body, format, hit);
        return hit.rank < kMaxExportRows;
    });
    Response r;
    bool csv = format == ExportFormat::kCsv;
    r.headers.emplace_back("Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
    r.headers.emplace_back("Content-Disposition",
                           std::string("attachment; filename=\"morgue-export.") + (csv ? "csv" : "jsonl") + "\"");
    if (rows >= kMaxExportRows) r.headers.emplace_back("X-Morgue-Export-Limit", std::to_string(kMaxExportRows));
    r.body = std::move(body).str();
    return r;
}

// The only parameters there are; the last of a repeated one wins, but for source.
struct Raw {
    std::optional<std::string> q, page, since, until, sort, collapse, like, doc, format, asset, facets;
    std::vector<std::string> sources;
    std::vector<std::string> langs;
    std::optional<std::string> size;
    std::optional<std::string> story;
    std::optional<std::string> about;
};

Raw collect(const Params& params) {
    Raw raw;
    for (const auto& [name, value] : params) {
        if (name == "q") raw.q = value;
        else if (name == "page") raw.page = value;
        else if (name == "source") raw.sources.push_back(value);
        else if (name == "lang") raw.langs.push_back(value);
        else if (name == "size") raw.size = value;
        else if (name == "story") raw.story = value;
        else if (name == "about") raw.about = value;
        else if (name == "since") raw.since = value;
        else if (name == "until") raw.until = value;
        else if (name == "sort") raw.sort = value;
        else if (name == "collapse") raw.collapse = value;
        else if (name == "like") raw.like = value;
        else if (name == "doc") raw.doc = value;
        else if (name == "format") raw.format = value;
        else if (name == "asset") raw.asset = value;
        else if (name == "facets") raw.facets = value;
        // Unknown parameters are ignored, as web forms and trackers add them.
    }
    return raw;
}

long integer(const std::optional<std::string>& value, const char* name, long min, long max) {
    const std::string& v = *value;
    long n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < min || n > max) {
        throw UsageError(std::string(name) + " must be a whole number from " + std::to_string(min) + " to " +
                         std::to_string(max));
    }
    return n;
}

// Validated state of the page: what links keep or change.
PageState state_of(const Raw& raw) {
    PageState s;
    if (raw.q) {
        if (raw.q->size() > kMaxQueryBytes) {
            throw UsageError("the query is too long (at most " + std::to_string(kMaxQueryBytes) + " bytes)");
        }
        s.q = *raw.q;
    }
    if (raw.page && !raw.page->empty()) s.page = integer(raw.page, "page", 1, kMaxPage);
    for (const std::string& src : raw.sources) {
        if (src.size() > 100) throw UsageError("a source name is too long");
        if (!src.empty()) s.sources.push_back(src);
    }
    if (s.sources.size() > kMaxSources) throw UsageError("too many sources (at most " + std::to_string(kMaxSources) + ")");
    for (const std::string& lang : raw.langs) {
        if (lang.empty()) continue;
        std::string code = normalise_language(lang);
        if (code.empty()) throw UsageError("lang '" + lang.substr(0, 20) + "' is not a language code (e.g. en, ru)");
        if (std::find(s.langs.begin(), s.langs.end(), code) == s.langs.end()) s.langs.push_back(code);
    }
    if (s.langs.size() > kMaxSources) throw UsageError("too many languages");
    if (raw.size && !raw.size->empty()) s.size = integer(raw.size, "size", 1, kMaxPageSize);
    if (raw.since && !raw.since->empty()) s.since = *raw.since;
    if (raw.until && !raw.until->empty()) s.until = *raw.until;
    if (raw.sort && !raw.sort->empty()) {
        auto sort = parse_sort(*raw.sort);
        if (!sort) throw UsageError("sort must be relevance, date or oldest");
        s.sort = *sort;
    }
    if (raw.collapse && !raw.collapse->empty()) s.collapse = integer(raw.collapse, "collapse", 0, 1) == 1;
    if (raw.like && !raw.like->empty()) s.like = checked_article_id(*raw.like, "like");
    return s;
}

SearchRequest request_of(const PageState& s, bool facets) {
    SearchRequest r;
    r.query = s.q;
    r.offset = static_cast<Xapian::doccount>((s.page - 1) * s.size);
    r.limit = static_cast<Xapian::doccount>(s.size);
    r.since = s.since;
    r.until = s.until;
    r.sources = s.sources;
    r.langs = s.langs;
    r.sort = s.sort;
    r.collapse = s.collapse;
    r.like = s.like;
    r.facets = facets;
    r.time_limit = 2.0;  // a web page must answer
    return r;
}

bool empty_request(const PageState& s) {
    return s.q.find_first_not_of(" \t\r\n") == std::string::npos && !s.like && !s.since && !s.until &&
           s.sources.empty() && s.langs.empty();
}

}  // namespace

Response plain_response(int status, const std::string& message) {
    Response r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    r.body = message + "\n";
    return r;
}

Params parse_query_string(std::string_view qs) {
    if (qs.size() > kMaxQueryStringBytes) throw UsageError("the request is too long");
    Params params;
    std::size_t start = 0;
    while (start <= qs.size()) {
        std::size_t end = qs.find('&', start);
        if (end == std::string_view::npos) end = qs.size();
        std::string_view pair = qs.substr(start, end - start);
        start = end + 1;
        if (pair.empty()) continue;
        if (params.size() >= kMaxParams) throw UsageError("too many parameters");
        std::size_t eq = pair.find('=');
        std::string name = decode_component(pair.substr(0, eq));
        std::string value = eq == std::string_view::npos ? std::string() : decode_component(pair.substr(eq + 1));
        params.emplace_back(std::move(name), std::move(value));
    }
    return params;
}

std::string url_encode(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

std::string_view status_text(int status) {
    switch (status) {
        case 200: return "OK";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 404: return "Not Found";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Unknown";
    }
}

std::string Response::cgi() const {
    std::string out = "Status: " + std::to_string(status) + " " + std::string(status_text(status)) + "\r\n";
    // Security headers on every response.
    out += "Content-Security-Policy: default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; "
           "form-action 'self'; "
           "base-uri 'none'; frame-ancestors 'none'\r\n";
    out += "X-Content-Type-Options: nosniff\r\n";
    out += "Referrer-Policy: no-referrer\r\n";
    out += "X-Frame-Options: DENY\r\n";
    for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    out += body;
    return out;
}

// The page's style sheet or script (?asset=NAME), cached for a day.
Response asset_response(const std::string& name) {
    bool css = name == "style.css";
    if (!css && name != "histogram.js") return plain_response(404, "Not found");
    Response r;
    r.headers.emplace_back("Content-Type", css ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
    r.headers.emplace_back("Cache-Control", "public, max-age=86400");
    r.body = std::string(css ? stylesheet() : histogram_script());
    return r;
}

// The newest matches of the search of `state` as an Atom feed.
Response feed_response(Searcher& searcher, const PageState& state, std::string_view script, std::string_view origin) {
    SearchRequest request = request_of(state, false);
    request.sort = SortOrder::kNewest;
    request.offset = 0;
    request.limit = kFeedEntries;
    Response r;
    r.headers.emplace_back("Content-Type", "application/atom+xml; charset=utf-8");
    r.body = atom_feed(origin.empty() ? "http://localhost" : origin, script, state, searcher.search(request));
    return r;
}

Response handle(const Params& params, Searcher* searcher, std::string_view script, std::string_view origin) {
    Raw raw = collect(params);
    bool json = raw.format && *raw.format == "json";
    std::optional<ExportFormat> exported = raw.format ? parse_export_format(*raw.format) : std::nullopt;
    bool atom = raw.format && *raw.format == "atom";
    if (raw.format && !json && !exported && !atom && *raw.format != "html" && !raw.format->empty()) {
        return plain_response(400, "Bad request: format must be html, json, csv, jsonl or atom");
    }
    if (raw.asset) return asset_response(*raw.asset);
    PageState state;
    try {
        state = state_of(raw);
    } catch (const UsageError& e) {
        return json ? json_response(400, error_json(e.what())) : plain_response(400, std::string("Bad request: ") + e.what());
    }
    if (searcher == nullptr) {
        const char* msg = "The archive is not available right now. Please try again later.";
        return json ? json_response(503, error_json(msg)) : html_response(503, message_page(script, state, msg));
    }
    try {
        if (raw.doc && !raw.doc->empty()) {
            std::string id = checked_article_id(*raw.doc, "doc");
            auto view = searcher->article(id, state.q);
            if (!view) {
                return json ? json_response(404, error_json("no such article"))
                            : html_response(404, message_page(script, state, "There is no such article."));
            }
            if (json) return json_response(200, article_json(id, view->article, view->story));
            std::vector<StoryVersion> versions;
            if (view->versions > 1) versions = searcher->story(view->story);
            return html_response(200, article_page(script, state, id, *view, versions));
        }
        if (raw.story && !raw.story->empty()) {
            std::vector<StoryVersion> versions = searcher->story(*raw.story);
            if (versions.empty()) {
                return json ? json_response(404, error_json("no such story"))
                            : html_response(404, message_page(script, state, "There is no such story."));
            }
            if (json) return json_response(200, story_json(*raw.story, versions));
            return html_response(200, story_page(script, state, *raw.story, versions));
        }
        if (raw.about && !raw.about->empty()) {
            ArchiveReport report = describe_archive(*searcher, false);
            if (json) return json_response(200, archive_json(report));
            return html_response(200, about_page(script, report));
        }
        if (empty_request(state)) {
            if (json) return json_response(400, error_json("no query given"));
            return html_response(200, home_page(script, searcher->summary()));
        }
        if (exported) return export_response(*searcher, request_of(state, false), *exported);
        if (atom) return feed_response(*searcher, state, script, origin);
        // Pages always show facets; the JSON API counts them when asked (facets=1).
        SearchRequest request = request_of(state, !json || (raw.facets && *raw.facets == "1"));
        SearchResult result = searcher->search(request);
        if (json) return json_response(200, to_json(result));
        // Titles of the other versions of each story shown, and of the article liked.
        std::map<std::string, std::string> titles;
        if (state.like) {
            if (auto v = searcher->article(*state.like, "")) {
                titles.emplace(*state.like, v->article.title ? *v->article.title : first_words(v->article.body, 80));
            }
        }
        for (const Hit& h : result.hits) {
            for (const std::string& other : h.other_versions) {
                if (auto v = searcher->article(other, "")) {
                    const Article& a = v->article;
                    std::string label = a.title ? *a.title : std::string("(untitled)");
                    if (!a.sources.empty()) label += " — " + a.sources.front();
                    titles.emplace(other, std::move(label));
                }
            }
        }
        return html_response(200, results_page(script, state, result, titles));
    } catch (const UsageError& e) {
        return json ? json_response(400, error_json(e.what())) : plain_response(400, std::string("Bad request: ") + e.what());
    } catch (const QueryError& e) {
        return json ? json_response(400, error_json(e.what()))
                    : html_response(400, message_page(script, state, std::string("This query cannot be run: ") + e.what()));
    } catch (const DatabaseError&) {
        const char* msg = "The archive is not available right now. Please try again later.";
        return json ? json_response(503, error_json(msg)) : html_response(503, message_page(script, state, msg));
    }
}

}  // namespace morgue::web
