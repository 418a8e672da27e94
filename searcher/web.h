// The web front end's logic, independent of how requests arrive (CGI,
// FastCGI, a shell): parameters in, a complete HTTP response out. morgue.cgi
// is a thin main over handle(); tests call it the same way.
//
// Parameters (GET, or NAME=VALUE arguments from a shell):
//   q            the query (at most kMaxQueryBytes)
//   page         1..kMaxPage
//   source       repeatable: any of them
//   lang         repeatable: ISO 639-1 codes, any of them
//   size         results per page, 1..kMaxPageSize (default kPageSize)
//   since, until YYYY, YYYY-MM or YYYY-MM-DD
//   sort         relevance | date | oldest
//   collapse     1: one result per story
//   like         an article id: articles like it
//   doc          an article id: the article view
//   story        a story key: the story's page (its versions on a timeline)
//   about        1: "About this archive" (archive.h): what it holds, its last indexing run
//   format       html (default) | json | csv | jsonl (every match, up to
//                kMaxExportRows, as a download) | atom (a feed of the newest
//                matches)
//   asset        style.css (the pages' style sheet) or histogram.js (the histogram's range selection)
// Anything out of range is a 400 with a plain message; the database path
// comes from the server's environment, never from a parameter.
#pragma once

#include "search.h"

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace morgue::web {

inline constexpr std::size_t kMaxQueryBytes = 2048;
inline constexpr std::size_t kMaxQueryStringBytes = 16384;
inline constexpr std::size_t kMaxParams = 64;
inline constexpr long kMaxPage = 1000;
inline constexpr Xapian::doccount kPageSize = 10;
inline constexpr long kMaxPageSize = 100;  // size=N: results per page
// Rows of a web export (format=csv|jsonl) at most; morgue-search --format
// has no limit.
inline constexpr Xapian::doccount kMaxExportRows = 100000;

// Decoded request parameters, in order, repeated names allowed.
using Params = std::vector<std::pair<std::string, std::string>>;

// Parses an application/x-www-form-urlencoded string ("q=a+b&page=2").
// Throws UsageError on bad percent-encoding, invalid UTF-8, or more than
// kMaxParams parameters or kMaxQueryStringBytes bytes.
Params parse_query_string(std::string_view qs);

// Percent-encodes a value for a URL query component.
std::string url_encode(std::string_view s);

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // besides Status
    std::string body;
    // The response as CGI output: "Status: ...\r\nName: value\r\n...\r\n\r\nbody".
    std::string cgi() const;
};

// A plain-text response (errors).
Response plain_response(int status, const std::string& message);

// Answers one request against `searcher` (which may be null when the
// database could not be opened: the page then says the archive is not
// available). `script` is the URL path of the CGI, for links.
// `origin` ("https://news.example.org"), when known, makes the links of
// feeds absolute; else they are relative to http://localhost.
Response handle(const Params& params, Searcher* searcher, std::string_view script, std::string_view origin = {});

// The reason phrase for an HTTP status code.
std::string_view status_text(int status);

}  // namespace morgue::web
