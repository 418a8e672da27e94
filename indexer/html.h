// News pages in HTML: the article's text and metadata through a real HTML
// parser (gumbo, the HTML5 parsing algorithm), never regular expressions
// over markup.
#pragma once

#include "date.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

struct HtmlPage {
    std::optional<std::string> title;   // og:title, JSON-LD headline, else <title>
    std::optional<Date> date;           // article:published_time, JSON-LD datePublished, <time datetime>...
    std::vector<std::string> sources;   // og:site_name, JSON-LD publisher
    std::optional<std::string> byline;  // meta author, JSON-LD author
    std::optional<std::string> lang;    // <html lang> (primary subtag, lower case)
    std::optional<std::string> url;     // canonical link or og:url
    std::string text;                   // the article's text: paragraphs separated by blank lines
    std::vector<std::string> captions;  // <figcaption>s of the article's figures
    std::vector<std::string> evidence;  // "date: meta article:published_time" ...
    std::vector<std::string> warnings;  // what bounded_html left out
};

// Bounds on the tree gumbo builds (see bounded_html).
inline constexpr std::size_t kMaxHtmlDepth = 256;        // elements open at once
inline constexpr std::size_t kMaxOpenFormatting = 16;    // unclosed <b>, <font>... reopened in every block
inline constexpr std::size_t kMaxHtmlAttributes = 256;   // attributes kept per tag

// `html` with the start tags that would open elements deeper than
// kMaxHtmlDepth (or more than kMaxOpenFormatting unclosed formatting
// elements) left out, and tags cut to kMaxHtmlAttributes attributes; their
// text is kept. Appends one warning per kind of change. Linear time.
std::string bounded_html(std::string_view html, std::vector<std::string>& warnings);

// Parses `html` (valid UTF-8). The text comes from <article>, else <main>,
// else <body>, without scripts, navigation, headers, footers, asides, forms
// and figures; figure captions go to `captions`. Never throws; a page without text has empty `text`.
HtmlPage parse_html(std::string_view html);

}  // namespace morgue
