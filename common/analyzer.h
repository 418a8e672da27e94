// The analysis chain: how text becomes search terms. It is the one place
// that decides what a word is and what counts as the same word, and it is
// used on both sides: by the indexer (document.cc), by the query parser
// (query.cc) and by the highlighter (snippet.cc). What is indexed is what is
// found and what is highlighted because all three call this class.
//
// The chain, per word:
//   1. word segmentation with ICU's word BreakIterator (Unicode UAX #29,
//      dictionary-based for Chinese, Japanese, Thai...), on the original
//      text, so every token keeps its byte offsets into it;
//   2. folding of each word: Unicode NFKC with case folding, accents and
//      other diacritics removed where they are accents (Latin, Greek, Arabic
//      harakat, Hebrew points, Cyrillic stress marks and ё), typographic
//      apostrophes made ASCII, dotted acronyms joined ("U.S." -> "us"),
//      French and Italian elisions taken off ("l'inflation" -> "inflation");
//   3. stemming with the Snowball stemmer of the article's language (the
//      language is a parameter, never assumed); for Korean, the removal of
//      trailing case particles ("외교부는" -> "외교부").
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

// One word of analysed text.
struct Token {
    enum class Kind : std::uint8_t {
        kWord,    // letters, Hangul included: stemmed
        kNumber,  // digits (with inner . , separators): not stemmed
        kIdeo,    // CJK ideographs and kana: not stemmed
    };
    std::string term;       // folded form: the positional term
    std::size_t begin = 0;  // byte offsets of the word in the analysed text
    std::size_t end = 0;
    Kind kind = Kind::kWord;
};

// Words longer than this many bytes (after folding) are not indexed: they
// are almost always encoded data, and Xapian limits a term to ~245 bytes.
inline constexpr std::size_t kMaxWordBytes = 64;

// Not thread-safe: it owns ICU break iterators, Snowball stemmers and a
// folding cache. Create one per thread; construction takes well under a
// millisecond once ICU's data is loaded.
class Analyzer {
public:
    Analyzer();
    ~Analyzer();
    Analyzer(const Analyzer&) = delete;
    Analyzer& operator=(const Analyzer&) = delete;

    // Calls `fn` for each word of `text` (valid UTF-8), in order. Spaces,
    // punctuation and symbols are not words. Offsets are into `text`.
    void tokenize(std::string_view text, const std::function<void(const Token&)>& fn);
    std::vector<Token> tokens(std::string_view text);

    // The stem of `token` in `lang` (ISO 639-1 code, e.g. "en"): the word
    // itself for a language without a Snowball stemmer (or, for "ko", the
    // word without its particle), and an empty string for tokens that are
    // never stemmed (numbers, CJK ideographs and kana).
    std::string stem(const Token& token, std::string_view lang);

    // Folds arbitrary text the way words are folded (case, accents,
    // compatibility forms, apostrophes); other characters are kept.
    std::string fold(std::string_view text);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Typographic quotation marks, apostrophes and dashes mapped to their ASCII
// forms (“ ” „ « » -> ", ‘ ’ -> ', – — − -> -). Used on queries before
// parsing, so “a phrase” is a phrase and Cuba’s equals Cuba's.
std::string ascii_punctuation(std::string_view text);

// Snowball stemmer name for an ISO 639-1 code ("en" -> "english"), or an
// empty string when Xapian has no stemmer for it.
std::string_view stemmer_name(std::string_view lang);

}  // namespace morgue
