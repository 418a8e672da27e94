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

// French and Italian elided articles and pronouns: "l'", "d'", "qu'",
// "dell'", "un'"... (folded, without the apostrophe). "l'inflation" is
// indexed and searched as "inflation", as Lucene's ElisionFilter does; an
// English word before an apostrophe is never one of these ("o'clock",
// "don't", "Cuba's" are kept whole).
bool is_elision(std::string_view s) {
    static constexpr std::string_view kElisions[] = {
        "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
        "quelqu",                                                                   // French
        "all", "dall", "dell", "nell", "sull", "coll", "un", "quest", "quell", "nessun", "alcun", "ciascun",
        "tutt", "sant", "bell", "anch", "gl", "senz", "com", "dov", "cos"};         // Italian
    if (s.size() > 7) return false;
    std::string lower(s);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c < 'a' || c > 'z') return false;
    }
    for (std::string_view e : kElisions) {
        if (e == lower) return true;
    }
    return false;
}

// Bytes of a leading elision in `word` ("l'" in "l'inflation", "dell’" in
// "dell’Unione"), apostrophe included; 0 when there is none.
std::size_t elision_bytes(std::string_view word) {
    for (std::size_t i = 1; i < word.size() && i <= 7; ++i) {
        std::size_t apostrophe = 0;
        if (word[i] == '\'') {
            apostrophe = 1;
        } else if (word.substr(i, 3) == "\xE2\x80\x99" || word.substr(i, 3) == "\xE2\x80\x98") {
            apostrophe = 3;
        } else if (word.substr(i, 2) == "\xCA\xBC") {
            apostrophe = 2;
        }
        if (apostrophe == 0) continue;
        if (i + apostrophe >= word.size() || !is_elision(word.substr(0, i))) return 0;
        return i + apostrophe;
    }
    return 0;
}

// Korean: ICU gives whole eojeol (a word with its particles attached:
// "외교부는", "the foreign ministry" + topic particle), so "외교부" would
// not find it. This "stemmer" takes the common case and postpositional
// particles off the end, longest first; a one-syllable particle only
// when two syllables stay, so short nouns that end like one ("나이",
// "age") keep their last syllable. A heuristic, not a morphological
// analyser: verb endings are left as they are.
class KoreanParticles : public Xapian::StemImplementation {
public:
    std::string operator()(const std::string& word) override {
        // Hangul syllables are 3 bytes each in UTF-8 (U+AC00..U+D7A3).
        if (word.size() < 6 || word.size() % 3 != 0) return word;
        for (std::size_t i = 0; i < word.size(); i += 3) {
            char32_t cp = static_cast<char32_t>(((word[i] & 0x0F) << 12) | ((word[i + 1] & 0x3F) << 6) |
                                                (word[i + 2] & 0x3F));
            if ((static_cast<unsigned char>(word[i]) & 0xF0) != 0xE0 || cp < 0xAC00 || cp > 0xD7A3) return word;
        }
        static constexpr std::string_view kParticles[] = {
            "에서는", "에게서", "으로서", "으로써", "에서도", "까지는", "부터는", "이라는", "에서", "에게", "한테",
            "께서",   "으로",   "까지",   "부터",   "처럼",   "보다",   "마저",   "조차",   "이나",   "이며",
            "와는",   "과는",   "에는",   "에도",   "로서",   "로써",   "라는",   "은",     "는",     "이",
            "가",     "을",     "를",     "의",     "에",     "로",     "와",     "과",     "도",     "만"};
        for (std::string_view p : kParticles) {
            std::size_t keep = p.size() == 3 ? 6 : 3;  // syllables that must stay, in bytes
            if (word.size() >= p.size() + keep && word.compare(word.size() - p.size(), p.size(), p) == 0) {
                return word.substr(0, word.size() - p.size());
            }
        }
        return word;
    }
    std::string get_description() const override { return "korean-particles"; }
};

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
                    // A mark on its own (how Indic vowel signs, viramas and
                    // Hebrew points come) takes its own script, so that
                    // only accents are stripped, never Devanagari letters.
                    if (base_cp == 0) {
                        UErrorCode s2 = U_ZERO_ERROR;
                        UScriptCode own = uscript_getScript(d, &s2);
                        if (own != USCRIPT_INHERITED) base = own;
                    }
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
            if (lang == "ko") {
                stem = Xapian::Stem(new KoreanParticles);  // reference-counted by Xapian::Stem
            } else if (!name.empty()) {
                try {
                    stem = Xapian::Stem(std::string(name));
                } catch (const Xapian::InvalidArgumentError&) {
                    // A Xapian built without this stemmer: words are their own stems.
                }
            }
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
        begin += elision_bytes(text.substr(begin, end - begin));
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
    // Xapian 1.4's Snowball stemmers (Xapian::Stem::get_available_languages();
    // Greek and Hindi came later, with Snowball 2).
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 24> kStemmers = {{
        {"ar", "arabic"},     {"ca", "catalan"},   {"da", "danish"},     {"de", "german"},
        {"ta", "tamil"},      {"en", "english"},   {"es", "spanish"},    {"eu", "basque"},
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
