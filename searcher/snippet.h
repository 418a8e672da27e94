// Snippets and highlighting: which words of a text a query matched, marked
// on the text as written. Uses the Analyzer, so whatever variant matched
// (case, accents, apostrophes, stem) is marked in its original form: a
// query for Diaz-Canel marks "Díaz-Canel".
#pragma once

#include "analyzer.h"
#include "query.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace morgue {

// A run of text, marked when it is a matched word. Whitespace inside is
// collapsed to single spaces; "…" fragments show elided text.
struct Fragment {
    std::string text;
    bool mark = false;
};
using Marked = std::vector<Fragment>;

class Highlighter {
public:
    // `terms` come from the parsed query; both references must outlive this.
    Highlighter(Analyzer& analyzer, const MatchTerms& terms);

    // The passage of `text` (in language `lang`) of at most about
    // `max_bytes` bytes that holds the most distinct matched words, marked,
    // with "…" where text was cut. Without matches, the start of the text.
    // Never splits a character; cuts at word boundaries.
    Marked snippet(std::string_view text, std::string_view lang, std::size_t max_bytes = 300);

    // All of `text` with every matched word marked (the article view).
    Marked mark_all(std::string_view text, std::string_view lang);

private:
    bool matches(const Token& token, std::string_view lang);
    // matches(), remembered: a word is stemmed once, not at each of its
    // occurrences in the texts of a page (stemming every word was most of a
    // one-process request's work).
    bool matches_once(const Token& token, std::string_view lang);
    // For each token, whether it is a matched word or part of a matched phrase.
    std::vector<bool> hits(const std::vector<Token>& tokens, std::string_view lang);
    Marked build(std::string_view text, const std::vector<Token>& tokens, const std::vector<bool>& hit,
                 std::size_t from, std::size_t to, bool collapse_space);

    Analyzer& analyzer_;
    const MatchTerms& terms_;
    std::unordered_map<std::string, bool> matched_;  // matches_once(): language, kind and word -> match
};

// The first words of `text`, at most `max_bytes`, cut at a word boundary
// with "…" when cut (titles for articles that have none).
std::string first_words(std::string_view text, std::size_t max_bytes);

}  // namespace morgue
