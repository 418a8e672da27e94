#include "analyzer.h"

#include "embedded_data.h"
#include "error.h"
#include "utf8.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <array>
#include <set>
#include <unordered_map>

namespace morgue {

namespace {

struct UTextCloser {
    void operator()(UText* t) const { utext_close(t); }
};

void check(UErrorCode status, const char* what) {
    if (U_FAILURE(status)) throw Error(std::string("ICU: ") + what + ": " + u_errorName(status));
}

bool is_apostrophe(UChar32 c) {
    return c == 0x2019 || c == 0x2018 || c == 0x201B || c == 0x02BC || c == 0x2032 || c == 0xFF07;
}

// Letters that carry no decomposition but are commonly searched for by
// their base letter.
const char* special_latin(UChar32 c) {
    switch (c) {
        case 0x00F8: return "o";   // ø
        case 0x0142: return "l";   // ł
        case 0x0111: return "d";   // đ
        case 0x0127: return "h";   // ħ
        case 0x0167: return "t";   // ŧ
        case 0x0131: return "i";   // dotless ı (Turkish): searched as i
        case 0x00E6: return "ae";  // æ
        case 0x0153: return "oe";  // œ
        default: return nullptr;
    }
}

// Whether combining mark `mark` after a base of script `base` is an accent
// to remove. Cyrillic keeps its letters with marks (й, ї, ў) but loses
// stress accents, and ё becomes е.
bool strip_mark(UScriptCode base, UChar32 base_cp, UChar32 mark) {
    switch (base) {
        case USCRIPT_LATIN:
        case USCRIPT_GREEK:
        case USCRIPT_COMMON:
        case USCRIPT_HEBREW:
        case USCRIPT_ARABIC:
            return true;
        case USCRIPT_CYRILLIC:
            return mark == 0x0301 || mark == 0x0300 || (mark == 0x0308 && (base_cp == 0x0435));
        default:
            return false;
    }
}

// Arabic and Hebrew marks that appear as separate code points in text.
bool is_rtl_point(UChar32 c) {
    return (c >= 0x064B && c <= 0x065F) || c == 0x0670 || c == 0x0640 /* tatweel */ ||
           (c >= 0x0591 && c <= 0x05C7 && u_charType(c) == U_NON_SPACING_MARK);
}

}  // namespace

struct Analyzer::Impl {
    std::unique_ptr<icu::BreakIterator> words;
    const icu::Normalizer2* nfkc_cf = nullptr;
    const icu::Normalizer2* nfd = nullptr;
    const icu::Normalizer2* nfc = nullptr;
    std::unordered_map<UChar32, std::string> fold_cache;
    std::map<std::string, Xapian::Stem, std::less<>> stemmers;
    std::map<std::string, std::set<std::string, std::less<>>, std::less<>> stop_stems;  // by language

    Impl() {
        UErrorCode status = U_ZERO_ERROR;
        words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
        check(status, "word break iterator");
        nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
        check(status, "NFKC_Casefold");
        nfd = icu::Normalizer2::getNFDInstance(status);
        check(status, "NFD");
        nfc = icu::Normalizer2::getNFCInstance(status);
        check(status, "NFC");
    }

    // The folded form of one code point, as UTF-8.
    const std::string& fold_cp(UChar32 c) {
        auto it = fold_cache.find(c);
        if (it != fold_cache.end()) return it->second;
        std::string out;
        if (is_apostrophe(c)) {
            out = "'";
        } else if (is_rtl_point(c)) {
            out = "";
        } else {
            UErrorCode status = U_ZERO_ERROR;
            icu::UnicodeString folded = nfkc_cf->normalize(icu::UnicodeString(c), status);
            if (U_FAILURE(status)) folded = icu::UnicodeString(c);
            icu::UnicodeString decomposed = nfd->normalize(folded, status);
            if (U_FAILURE(status)) decomposed = folded;
            UScriptCode base = USCRIPT_COMMON;
            UChar32 base_cp = 0;
            icu::UnicodeString kept;
            for (int32_t i = 0; i < decomposed.length();) {
                UChar32 d = decomposed.char32At(i);
                i += U16_LENGTH(d);
                if (u_charType(d) == U_NON_SPACING_MARK) {
                    if (strip_mark(base, base_cp, d)) continue;
                } else {
                    UErrorCode s2 = U_ZERO_ERROR;
                    base = uscript_getScript(d, &s2);
                    base_cp = d;
                }
                kept.append(d);
            }
            icu::UnicodeString composed = nfc->normalize(kept, status);
            if (U_FAILURE(status)) composed = kept;
            for (int32_t i = 0; i < composed.length();) {
                UChar32 d = composed.char32At(i);
                i += U16_LENGTH(d);
                if (const char* s = special_latin(d)) {
                    out += s;
                } else if (!is_rtl_point(d)) {
                    utf8::append(out, static_cast<char32_t>(d));
                }
            }
        }
        return fold_cache.emplace(c, std::move(out)).first->second;
    }

    // Folds `s` (valid UTF-8) code point by code point, appending to `out`.
    void fold_into(std::string_view s, std::string& out) {
        std::string nfc_copy;
        // Decomposed input ("e" + U+0301) is composed first so that each
        // code point folds as a whole letter.
        for (unsigned char ch : s) {
            if (ch == 0xCC || ch == 0xCD) {  // U+0300..U+036F lead bytes
                UErrorCode status = U_ZERO_ERROR;
                icu::UnicodeString u = icu::UnicodeString::fromUTF8(
                    icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
                icu::UnicodeString n = nfc->normalize(u, status);
                if (U_SUCCESS(status)) {
                    n.toUTF8String(nfc_copy);
                    s = nfc_copy;
                }
                break;
            }
        }
        const auto* p = reinterpret_cast<const uint8_t*>(s.data());
        int32_t len = static_cast<int32_t>(s.size());
        for (int32_t i = 0; i < len;) {
            uint8_t b = p[i];
            if (b < 0x80) {
                out += static_cast<char>(b >= 'A' && b <= 'Z' ? b - 'A' + 'a' : b);
                ++i;
                continue;
            }
            UChar32 c;
            U8_NEXT(p, i, len, c);
            if (c < 0) c = 0xFFFD;
            out += fold_cp(c);
        }
    }

    Xapian::Stem* stemmer(std::string_view lang) {
        auto it = stemmers.find(lang);
        if (it == stemmers.end()) {
            std::string_view name = stemmer_name(lang);
            Xapian::Stem stem;  // "none": no stemmer for this language
            if (!name.empty()) stem = Xapian::Stem(std::string(name));
            it = stemmers.emplace(std::string(lang), stem).first;
        }
        if (it->second.is_none()) return nullptr;
        return &it->second;
    }

    void emit(std::string_view text, std::size_t begin, std::size_t end, Token::Kind kind,
              const std::function<void(const Token&)>& fn) {
        Token tok;
        tok.kind = kind;
        tok.begin = begin;
        tok.end = end;
        fold_into(text.substr(begin, end - begin), tok.term);
        if (tok.term.empty()) return;
        fn(tok);
    }

    // ICU keeps "U.S" and "npr.org" as one word (full stop and colon are
    // MidLetter in UAX #29). Acronyms of single letters are joined ("us"),
    // other dotted words split into their parts, at consecutive positions,
    // so "npr" finds "npr.org".
    void emit_word(std::string_view text, std::size_t begin, std::size_t end,
                   const std::function<void(const Token&)>& fn) {
        std::string_view w = text.substr(begin, end - begin);
        auto is_sep = [](char c) { return c == '.' || c == ':'; };
        bool has_sep = false;
        for (char c : w) has_sep |= is_sep(c);
        if (!has_sep) {
            emit(text, begin, end, Token::Kind::kWord, fn);
            return;
        }
        std::vector<std::pair<std::size_t, std::size_t>> parts;
        bool dots_only = true;
        std::size_t start = begin;
        for (std::size_t i = begin; i <= end; ++i) {
            if (i == end || is_sep(text[i])) {
                if (i < end) dots_only = dots_only && text[i] == '.';
                if (i > start) parts.emplace_back(start, i);
                start = i + 1;
            }
        }
        bool acronym = dots_only && parts.size() > 1;
        for (auto [b, e] : parts) {
            acronym = acronym && e - b == utf8::sequence_length(static_cast<unsigned char>(text[b]));
        }
        if (acronym) {
            Token tok;
            tok.begin = begin;
            tok.end = end;
            for (auto [b, e] : parts) fold_into(text.substr(b, e - b), tok.term);
            if (!tok.term.empty()) fn(tok);
            return;
        }
        for (auto [b, e] : parts) emit(text, b, e, Token::Kind::kWord, fn);
    }
};

Analyzer::Analyzer() : impl_(std::make_unique<Impl>()) {}
Analyzer::~Analyzer() = default;

void Analyzer::tokenize(std::string_view text, const std::function<void(const Token&)>& fn) {
    if (text.empty()) return;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UText, UTextCloser> ut(
        utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status));
    check(status, "utext_openUTF8");
    icu::BreakIterator& bi = *impl_->words;
    bi.setText(ut.get(), status);
    check(status, "BreakIterator::setText");
    int32_t start = bi.first();
    for (int32_t end = bi.next(); end != icu::BreakIterator::DONE; start = end, end = bi.next()) {
        int32_t rule = bi.getRuleStatus();
        auto b = static_cast<std::size_t>(start), e = static_cast<std::size_t>(end);
        if (rule >= UBRK_WORD_IDEO && rule < UBRK_WORD_IDEO_LIMIT) {
            impl_->emit(text, b, e, Token::Kind::kIdeo, fn);
        } else if (rule >= UBRK_WORD_KANA && rule < UBRK_WORD_KANA_LIMIT) {
            impl_->emit(text, b, e, Token::Kind::kIdeo, fn);
        } else if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_LETTER_LIMIT) {
            impl_->emit_word(text, b, e, fn);
        } else if (rule >= UBRK_WORD_NUMBER && rule < UBRK_WORD_NUMBER_LIMIT) {
            impl_->emit(text, b, e, Token::Kind::kNumber, fn);
        }
    }
    // Detach the iterator from the UText before the text goes away.
    bi.setText(icu::UnicodeString());
}

std::vector<Token> Analyzer::tokens(std::string_view text) {
    std::vector<Token> out;
    tokenize(text, [&](const Token& t) { out.push_back(t); });
    return out;
}

std::string Analyzer::stem(const Token& token, std::string_view lang) {
    if (token.kind != Token::Kind::kWord) return {};
    Xapian::Stem* s = impl_->stemmer(lang);
    if (s == nullptr) return token.term;  // no stemmer: the word is its own stem
    return (*s)(token.term);
}

bool Analyzer::is_stop_stem(std::string_view stem, std::string_view lang) {
    auto it = impl_->stop_stems.find(lang);
    if (it == impl_->stop_stems.end()) {
        std::set<std::string, std::less<>> stems;
        std::string_view list = lang == "en" ? data::stopwords_en() : std::string_view();
        for (std::size_t line = 0; line < list.size();) {
            std::size_t end = list.find('\n', line);
            if (end == std::string_view::npos) end = list.size();
            std::string_view l = list.substr(line, end - line);
            line = end + 1;
            if (l.empty() || l.front() == '#') continue;
            for (const Token& t : tokens(l)) {
                std::string s = this->stem(t, lang);
                stems.insert(s.empty() ? t.term : s);
            }
        }
        it = impl_->stop_stems.emplace(std::string(lang), std::move(stems)).first;
    }
    return it->second.count(stem) != 0;
}

std::string Analyzer::fold(std::string_view text) {
    std::string out;
    impl_->fold_into(text, out);
    return out;
}

std::string ascii_punctuation(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const auto* p = reinterpret_cast<const uint8_t*>(text.data());
    int32_t len = static_cast<int32_t>(text.size());
    for (int32_t i = 0; i < len;) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(p, i, len, c);
        switch (c) {
            case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x00AB: case 0x00BB:
            case 0x2033: case 0xFF02: case 0x300C: case 0x300D:
                out += '"';
                break;
            case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x02BC: case 0x2032:
            case 0xFF07:
                out += '\'';
                break;
            case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
            case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
                out += '-';
                break;
            default:
                out.append(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
        }
    }
    return out;
}

std::string_view stemmer_name(std::string_view lang) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kStemmers = {{
        {"ar", "arabic"},     {"ca", "catalan"},   {"da", "danish"},     {"de", "german"},
        {"el", "greek"},      {"en", "english"},   {"es", "spanish"},    {"eu", "basque"},
        {"fi", "finnish"},    {"fr", "french"},    {"ga", "irish"},      {"hu", "hungarian"},
        {"hy", "armenian"},   {"id", "indonesian"}, {"it", "italian"},   {"lt", "lithuanian"},
        {"ne", "nepali"},     {"nl", "dutch"},     {"no", "norwegian"},  {"pt", "portuguese"},
        {"ro", "romanian"},   {"ru", "russian"},   {"sv", "swedish"},    {"tr", "turkish"},
    }};
    for (auto [code, name] : kStemmers) {
        if (code == lang) return name;
    }
    return {};
}

}  // namespace morgue
