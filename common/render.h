// Renderers: a SearchResult as JSON (the contract shared by morgue-search
// --json, the CGI and scripts; described in docs/JSON.md) or as text for a
// terminal. Search code never formats output itself.
#pragma once

#include "indexer.h"
#include "search.h"
#include "snippet.h"

#include <ostream>
#include <string>

namespace morgue {

// Version of the JSON output; bumped with any incompatible change.
inline constexpr int kJsonVersion = 1;

// The result as one JSON object (UTF-8, no trailing newline).
std::string to_json(const SearchResult& result);

// The strings of `v` with `sep` between them ("BBC, EFE").
std::string join(const std::vector<std::string>& v, std::string_view sep);

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

// A one-line progress bar for indexing, at most `width` columns:
// "[#####-----]  120/5005 files  1,234 articles/s  ETA 0:42".
std::string progress_line(const IndexProgress& progress, std::size_t width);

// What extraction found in an article and why (morgue-index --explain):
// fields with their evidence, the clean body, the removed lines and reasons.
void write_explanation(std::ostream& out, const Article& article);

}  // namespace morgue
