#include "language.h"

#include "analyzer.h"
#include "embedded_data.h"
#include "error.h"
#include "utf8.h"

#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <unordered_set>

namespace morgue {

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// Primary subtag of a well-formed tag ("en-US" -> "en"), modernised; empty
// when `tag` is not a tag.
std::string primary_subtag(std::string_view tag) {
    std::size_t end = tag.find_first_of("-_");
    std::string_view primary = tag.substr(0, end);
    if (primary.size() < 2 || primary.size() > 3) return {};
    for (char c : primary) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return {};
    }
    std::string code = lower_ascii(primary);
    if (code == "iw") return "he";
    if (code == "in") return "id";
    if (code == "ji") return "yi";
    if (code == "jw") return "jv";
    return code;
}

// One language's stopwords: its line of data/stopwords/snowball.tsv, folded
// the first time the language is asked for (a search needs the languages of
// its index, and a process per request should not fold every list).
struct StopList {
    std::string_view lang;
    std::string_view words;  // as written in the file, separated by spaces
    std::once_flag once;
    std::unordered_set<std::string> folded;
};

// The lines of data/stopwords/snowball.tsv, unfolded (std::deque: a
// once_flag does not move).
std::deque<StopList> index_stopwords() {
    std::deque<StopList> lists;
    std::string_view tsv = data::stopwords_snowball_tsv();
    while (!tsv.empty()) {
        std::size_t nl = tsv.find('\n');
        std::string_view line = tsv.substr(0, nl);
        tsv.remove_prefix(nl == std::string_view::npos ? tsv.size() : nl + 1);
        std::size_t tab = line.find('\t');
        if (line.empty() || line.front() == '#' || tab == std::string_view::npos) continue;
        StopList& list = lists.emplace_back();
        list.lang = line.substr(0, tab);
        list.words = line.substr(tab + 1);
    }
    return lists;
}

// The words of `list`, each folded the way the Analyzer folds query words,
// so "à" in the French list is "a".
void fold_stopwords(StopList& list) {
    Analyzer analyzer;
    for (const Token& t : analyzer.tokens(list.words)) list.folded.insert(t.term);
}

// A language name as compared: lower case, "_" as a space.
std::string name_key(std::string_view name) {
    std::string key = lower_ascii(name);
    std::replace(key.begin(), key.end(), '_', ' ');
    return key;
}

// The ISO 639-1 code of an English language name ("Russian", "ENGLISH",
// "norwegian_nynorsk": ICU's English display names of its two-letter
// languages), or empty. Walks ICU's ~180 two-letter languages: only for a
// name, never for a code.
std::string code_of_language_name(std::string_view name) {
    std::string key = name_key(name);
    for (const char* const* code = uloc_getISOLanguages(); *code != nullptr; ++code) {
        if (std::strlen(*code) != 2) continue;
        icu::UnicodeString display;
        icu::Locale(*code).getDisplayLanguage(icu::Locale::getEnglish(), display);
        std::string english;
        if (name_key(display.toUTF8String(english)) == key) return primary_subtag(*code);
    }
    return {};
}

// The list of `lang`, folded or not yet, or nullptr when it has none.
StopList* find_stop_list(std::string_view lang) {
    static std::deque<StopList> lists = index_stopwords();  // thread-safe initialisation
    for (StopList& list : lists) {
        if (list.lang == lang) return &list;
    }
    return nullptr;
}

// The folded stopwords of `lang`, or nullptr when it has no list. Thread-safe.
const std::unordered_set<std::string>* stop_list(std::string_view lang) {
    StopList* list = find_stop_list(lang);
    if (list == nullptr) return nullptr;
    std::call_once(list->once, fold_stopwords, std::ref(*list));
    return &list->folded;
}

}  // namespace

std::string normalise_language(std::string_view tag) {
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.empty() || tag.size() > 64) return {};
    if (std::string code = primary_subtag(tag); !code.empty()) {
        // Three letters ("eng", ISO 639-2) are not ISO 639-1 codes.
        if (code.size() == 2) return code;
    }
    return code_of_language_name(tag);
}

std::vector<std::string> split_languages(std::string_view list) {
    std::vector<std::string> langs;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find_first_of(", ", start);
        if (end == std::string_view::npos) end = list.size();
        std::string_view item = list.substr(start, end - start);
        start = end + 1;
        if (item.empty()) continue;
        std::string code = normalise_language(item);
        if (code.empty()) throw UsageError("'" + std::string(item) + "' is not a language code (e.g. en, ru)");
        if (std::find(langs.begin(), langs.end(), code) == langs.end()) langs.push_back(code);
    }
    if (langs.empty()) throw UsageError("no language given (e.g. en, ru)");
    return langs;
}

std::string LanguageGuess::describe() const {
    std::string pct = std::to_string(percent) + "% of " + std::to_string(letters) + " letters";
    for (std::size_t i = 0; i < found.size(); ++i) {
        if (found[i] != lang) pct += (pct.find("also") == std::string::npos ? ", also " : " and ") + found[i];
    }
    if (accepted()) return "detected: " + lang + ", " + pct + (reliable ? "" : " (below CLD2's reliability bar)");
    if (lang.empty()) return "unsure (no language recognised)";
    return "unsure (best guess: " + lang + ", " + pct + ")";
}

namespace {

// Whether language `code` (ISO 639-1) is written in Latin letters (ICU's
// scripts of the locale; "sr" has both).
bool written_in_latin(std::string_view code) {
    UScriptCode scripts[8];
    UErrorCode status = U_ZERO_ERROR;
    int n = uscript_getCode(std::string(code).c_str(), scripts, 8, &status);
    if (U_FAILURE(status)) return false;
    return std::find(scripts, scripts + n, USCRIPT_LATIN) != scripts + n;
}

}  // namespace

bool LanguageGuess::preferred_to(std::string_view fallback) const {
    if (!accepted()) return false;
    if (lang == fallback || letters >= kShortTextLetters) return true;
    if (letters < kTinyTextLetters && latin && written_in_latin(fallback)) return false;
    return std::find(found.begin(), found.end(), fallback) == found.end();
}

bool is_stopword(std::string_view lang, std::string_view folded) {
    const std::unordered_set<std::string>* words = stop_list(lang);
    return words != nullptr && words->count(std::string(folded)) != 0;
}

bool has_stopwords(std::string_view lang) { return find_stop_list(lang) != nullptr; }

const std::unordered_set<std::string>* stopwords(std::string_view lang) { return stop_list(lang); }

}  // namespace morgue
