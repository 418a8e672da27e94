#include "language.h"

#include "analyzer.h"
#include "embedded_data.h"
#include "error.h"
#include "utf8.h"

#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
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

// ISO 639-1 code of a CLD2 language; empty for its "unknown" values.
std::string code_of(CLD2::Language lang) {
    if (lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE) return {};
    return normalise_language(CLD2::LanguageCode(lang));
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

// CLD2 refuses text that is not "interchange-valid" UTF-8: a single C0 or
// C1 control character (U+0085, U+0093: Windows-1252 quotes mis-decoded
// upstream, common in news feeds) or noncharacter makes it give up on the
// whole text. They carry no language, so they become spaces; the copy is
// made only when there is one.
std::string_view interchange_valid(std::string_view text, std::string& copy) {
    auto bad_at = [&](std::size_t i) -> std::size_t {  // bytes of a bad character at i, else 0
        auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
        if (b(0) < 0x20 && b(0) != '\t' && b(0) != '\n' && b(0) != '\r') return 1;
        if (b(0) == 0x7F) return 1;
        if (b(0) == 0xC2 && i + 1 < text.size() && b(1) >= 0x80 && b(1) <= 0x9F) return 2;
        if (b(0) == 0xEF && i + 2 < text.size() &&
            ((b(1) == 0xB7 && b(2) >= 0x90 && b(2) <= 0xAF) || (b(1) == 0xBF && b(2) >= 0xBE))) {
            return 3;
        }
        return 0;
    };
    std::size_t i = 0;
    while (i < text.size() && bad_at(i) == 0) ++i;
    if (i == text.size()) return text;
    copy.assign(text.substr(0, i));
    while (i < text.size()) {
        if (std::size_t n = bad_at(i); n != 0) {
            copy += ' ';
            i += n;
        } else {
            copy += text[i++];
        }
    }
    return copy;
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
        // Three letters: only when CLD2 knows it as a language (ISO 639-2
        // codes such as "eng" are not ISO 639-1).
        if (code.size() == 2) return code;
    }
    // A language name ("Russian", "ENGLISH"); CLD2 knows names and codes.
    std::string upper(tag);
    for (char& c : upper) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    CLD2::Language lang = CLD2::GetLanguageFromName(upper.c_str());
    if (lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE) return {};
    std::string code = primary_subtag(CLD2::LanguageCode(lang));
    return code.size() == 2 ? code : std::string();
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

// Whether most letters of `text` (valid UTF-8) are Latin.
bool mostly_latin(std::string_view text) {
    std::size_t latin = 0, other = 0;
    for (std::size_t i = 0; i < text.size();) {
        UChar32 c;
        U8_NEXT(text.data(), i, text.size(), c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode status = U_ZERO_ERROR;
        (uscript_getScript(c, &status) == USCRIPT_LATIN ? latin : other) += 1;
    }
    return latin > other;
}

}  // namespace

bool LanguageGuess::preferred_to(std::string_view fallback) const {
    if (!accepted()) return false;
    if (lang == fallback || letters >= kShortTextLetters) return true;
    if (letters < kTinyTextLetters && latin && written_in_latin(fallback)) return false;
    return std::find(found.begin(), found.end(), fallback) == found.end();
}

LanguageGuess detect_language(std::string_view text, std::string_view hint) {
    LanguageGuess guess;
    std::string copy;
    text = interchange_valid(utf8::truncate_bytes(text, kDetectBytes), copy);
    if (text.empty()) return guess;
    std::string hint_code = normalise_language(hint);
    CLD2::CLDHints hints{hint_code.empty() ? nullptr : hint_code.c_str(), nullptr, CLD2::UNKNOWN_ENCODING,
                         CLD2::UNKNOWN_LANGUAGE};
    CLD2::Language top3[3];
    int percent3[3];
    double scores3[3];
    int text_bytes = 0;
    bool reliable = false;
    int valid_prefix = 0;
    CLD2::Language lang = CLD2::ExtDetectLanguageSummaryCheckUTF8(
        text.data(), static_cast<int>(text.size()), /*is_plain_text=*/true, &hints, /*flags=*/0, top3, percent3,
        scores3, /*resultchunkvector=*/nullptr, &text_bytes, &reliable, &valid_prefix);
    // CLD2's summary language is not always the one with most of the text:
    // it passes over English when another language has a share of it,
    // taking English for web page furniture. In an article the English is
    // the text: "MALAYSIA ADVISED TO RAISE CRUDE OIL OUTPUT" (82% English,
    // 17% Malay by CLD2's own count) came back as Malay, as did 15 more of
    // Reuters-21578's English articles; in the multilingual corpus the two
    // never differ. So the answer is the language with the largest share.
    if (!code_of(lang).empty() && !code_of(top3[0]).empty()) lang = top3[0];
    guess.lang = code_of(lang);
    guess.reliable = reliable;
    guess.letters = text_bytes;
    guess.latin = mostly_latin(text);
    for (int i = 0; i < 3; ++i) {
        if (top3[i] == lang) guess.percent = percent3[i];
        std::string code = code_of(top3[i]);
        if (!code.empty() && percent3[i] > 0) guess.found.push_back(code);
    }
    return guess;
}

bool is_stopword(std::string_view lang, std::string_view folded) {
    const std::unordered_set<std::string>* words = stop_list(lang);
    return words != nullptr && words->count(std::string(folded)) != 0;
}

bool has_stopwords(std::string_view lang) { return find_stop_list(lang) != nullptr; }

const std::unordered_set<std::string>* stopwords(std::string_view lang) { return stop_list(lang); }

}  // namespace morgue
