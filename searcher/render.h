// Renderers: a SearchResult as JSON (the contract shared by morgue-search
// --json, the CGI and scripts; described in docs/JSON.md) or as text for a
// terminal. Search code never formats output itself.
#pragma once

#include "search.h"
#include "snippet.h"
#include "text.h"

#include <ostream>
#include <string>

namespace morgue {

// Version of the JSON output; bumped with any incompatible change.
inline constexpr int kJsonVersion = 2;  // 2: string article ids, relative paths

// The result as one JSON object (UTF-8, no trailing newline).
std::string to_json(const SearchResult& result);

// Marked text as HTML: escaped, matched words in <mark>...</mark>.
std::string to_html(const Marked& marked);

// An error as the JSON object {"version":1,"error":"..."}.
std::string error_json(const std::string& message);

struct TextStyle {
    bool color = false;  // ANSI colours for a terminal
};

// Facet counts for people, with a histogram of matches by month.
void write_facets(std::ostream& out, const Facets& facets, const TextStyle& style);

// The result for people: rank, title, date, source, path, snippet.
void write_text(std::ostream& out, const SearchResult& result, const TextStyle& style);

}  // namespace morgue
