#include "language_detect.h"

#include "utf8.h"

#include <cstdio>  // compact_lang_det.h uses FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <string>

namespace morgue {

namespace {

// ISO 639-1 code of a CLD2 language; empty for its "unknown" values.
std::string code_of(CLD2::Language lang) {
    if (lang == CLD2::UNKNOWN_LANGUAGE || lang == CLD2::TG_UNKNOWN_LANGUAGE) return {};
    return normalise_language(CLD2::LanguageCode(lang));
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

}  // namespace morgue
