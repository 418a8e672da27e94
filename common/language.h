// Languages: how language codes are written (ISO 639-1), what detection
// found (LanguageGuess; the detection itself, with CLD2, is the indexer's:
// indexer/language_detect.h), and which words of a language are stopwords.
// Language-specific analysis itself (stemming, Korean particles, elisions)
// is the Analyzer's (analyzer.h); this module only decides and names
// languages.
#pragma once

#include <string>
#include <unordered_set>
#include <string_view>
#include <vector>

namespace morgue {

// The ISO 639-1 code for a language tag or name as found in input: "en",
// "EN", "en-US", "pt_BR", "zh-Hant" -> the lower-case primary subtag ("en",
// "pt", "zh"); legacy codes are modernised ("iw" -> "he", "in" -> "id",
// "ji" -> "yi"); English language names are accepted too ("Russian" ->
// "ru", ICU's English names of the ISO 639-1 languages, in any case). An
// empty string when `tag` names no language.
std::string normalise_language(std::string_view tag);

// A list of languages as a user gives it ("ru,uk", "ru uk", "Russian"),
// each normalised; duplicates dropped. Throws UsageError when an item
// names no language or the list is empty.
std::vector<std::string> split_languages(std::string_view list);

// What detection found in a text.
struct LanguageGuess {
    std::string lang;      // ISO 639-1 code of the most likely language; empty: no idea at all
    int percent = 0;       // share of the text's letters in that language, 0..100
    bool reliable = false; // CLD2's judgment: clearly ahead of the runner-up, on enough text
    std::vector<std::string> found;  // every language CLD2 saw in the text (its top 3), largest share first
    int letters = 0;       // bytes of letters CLD2 scored (no digits, punctuation or spaces)
    bool latin = false;    // most of the text's letters are Latin ones

    // Whether to trust `lang` for the article: CLD2 calls it reliable, or
    // it covers at least kMinUnreliablePercent of the text (CLD2's bar is
    // strict: on the multilingual corpus and Reuters-21578 such guesses
    // were right 3 times out of 3, those below it 6 of 7).
    bool accepted() const { return !lang.empty() && (reliable || percent >= kMinUnreliablePercent); }
    static constexpr int kMinUnreliablePercent = 70;
    // Whether to take `lang` rather than `fallback`, the archive's default
    // language: when accepted(), unless the text is tiny (under
    // kTinyTextLetters letters), in Latin letters, and the fallback is
    // written in them too; or short (under kShortTextLetters) and the
    // fallback is among the languages CLD2 saw in it. A headline and a line
    // or two give CLD2 too little to tell near languages apart:
    // Reuters-21578's "RIO DE JANEIRO - IBC ESTIMATES 1987-88 COFFEE CROP AT
    // 35.2 MLN BAGS" came back as Portuguese, and a Dutch company's
    // earnings table in English as Dutch. Script is surer: a short text in
    // Cyrillic, Arabic or Chinese letters keeps its language in an English
    // archive, and so does a Latin one in a Russian archive.
    bool preferred_to(std::string_view fallback) const;
    static constexpr int kTinyTextLetters = 120;
    static constexpr int kShortTextLetters = 400;
    // "ru, 99% of the text" / "unsure (best guess: en, 40% of the text)" /
    // "unsure (no language recognised)": for --explain.
    std::string describe() const;
};

// Whether `folded` (a word as the Analyzer folds it: lower case, no
// accents) is a stopword of language `lang` (ISO 639-1). Lists: Snowball's,
// in data/stopwords/snowball.tsv; languages without a list have no stopwords. Used
// by the query parser only: the index keeps every word, so phrases with
// stopwords always work. Thread-safe.
bool is_stopword(std::string_view lang, std::string_view folded);

// Whether `lang` has a stopword list.
bool has_stopwords(std::string_view lang);

// The stopwords of `lang`, folded, or nullptr when it has no list.
const std::unordered_set<std::string>* stopwords(std::string_view lang);

}  // namespace morgue
