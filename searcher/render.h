// Renderers: a SearchResult as JSON (the contract shared by morgue-search
// --json, the CGI and scripts; described in docs/JSON.md) or as text for a
// terminal. Search code never formats output itself.
#pragma once

#include "archive.h"
#include "search.h"
#include "snippet.h"
#include "text.h"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace morgue {

// Version of the JSON output; bumped with any incompatible change.
inline constexpr int kJsonVersion = 2;  // 2: string article ids, relative paths

// The result as one JSON object (UTF-8, no trailing newline).
std::string to_json(const SearchResult& result);

// One article as a JSON object {"version", "article": {...}}: what
// morgue.cgi?doc=ID&format=json gives (docs/JSON.md).
std::string article_json(const std::string& id, const Article& article, const std::string& story);

// A story's versions as {"version", "story": {"key", "versions": [...]}}:
// what morgue.cgi?story=KEY&format=json gives (docs/JSON.md).
std::string story_json(const std::string& key, const std::vector<StoryVersion>& versions);

// An archive's report as {"version", "archive": {...}}: what morgue-index
// --status --json prints and morgue.cgi?about=1&format=json gives (docs/JSON.md).
std::string archive_json(const ArchiveReport& report);

// "1.2 MB": a size for people (powers of 1000, as disks are sold).
std::string size_for_people(std::uintmax_t bytes);

// An archive's report for people (morgue-index --status).
void write_archive(std::ostream& out, const ArchiveReport& report);

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

// Exports: every match, one row each, streamed (Searcher::each_match).
// Columns: rank, id, date, source, byline, title, url, lang, score, path.
enum class ExportFormat { kCsv, kJsonLines };
// "csv" or "jsonl", or nullopt.
std::optional<ExportFormat> parse_export_format(std::string_view name);
// CSV (RFC 4180: comma-separated, fields quoted when needed, CRLF line
// ends): the header line. Spreadsheets read it as UTF-8 (a byte-order
// mark leads it).
void write_export_header(std::ostream& out, ExportFormat format);
// One match: a CSV row, or one JSON object and a newline.
void write_export_row(std::ostream& out, ExportFormat format, const Hit& hit);

}  // namespace morgue
