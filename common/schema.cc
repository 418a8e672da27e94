#include "schema.h"

#include "utf8.h"

#include <xxhash.h>

#include <array>
#include <cstdint>
#include <cstdio>

namespace morgue::schema {

namespace {

constexpr std::array kFields = {
    Field{"title", kPrefixTitle, FieldKind::kText, "words in the headline: title:cuba, title:\"foreign ministry\""},
    Field{"quote", kPrefixQuote, FieldKind::kText,
          "words inside quotation marks in the article: quote:\"not part of the war\", quote:war (as written)", false},
    Field{"caption", kPrefixCaption, FieldKind::kText, "words in photo captions: caption:lavrov"},
    Field{"byline", kPrefixByline, FieldKind::kText, "words in the byline: byline:peralta"},
    Field{"source", kPrefixSource, FieldKind::kBoolean, "publisher or agency, any case: source:bbc"},
    Field{"lang", kPrefixLang, FieldKind::kBoolean, "language code: lang:en"},
    Field{"story", kPrefixStory, FieldKind::kBoolean, "the versions of one story: story:3f1c0a9b2e4d5f60 (a result's \"story\")"},
    Field{"date", "", FieldKind::kDateRange,
          "date or range, open ends allowed: date:2023-09, date:2023-09-01..2023-09-30, date:..2022"},
};

std::uint64_t fnv1a64(std::string_view s) {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    return h;
}

// prefix + value, where an over-long value keeps a readable head and gets a
// hash of the whole appended, so distinct values stay distinct.
std::string bounded_term(std::string_view prefix, std::string_view value) {
    std::string term(prefix);
    if (prefix.size() + value.size() <= kMaxTermBytes) {
        term += value;
        return term;
    }
    constexpr std::size_t kHashChars = 1 + 16;
    std::size_t head = kMaxTermBytes - prefix.size() - kHashChars;
    term += utf8::truncate_bytes(value, head);
    char hex[kHashChars + 1];
    std::snprintf(hex, sizeof hex, "#%016llx", static_cast<unsigned long long>(fnv1a64(value)));
    term += hex;
    return term;
}

}  // namespace

std::span<const Field> fields() { return kFields; }

const Field* find_field(std::string_view name) {
    for (const Field& f : kFields) {
        if (f.name.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size() && same; ++i) {
            char c = name[i];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            same = c == f.name[i];
        }
        if (same) return &f;
    }
    return nullptr;
}

namespace {
// Crockford's base32 alphabet, lower case: no i, l, o, u to misread.
constexpr std::string_view kBase32 = "0123456789abcdefghjkmnpqrstvwxyz";
}  // namespace

std::string article_id(std::string_view identity) {
    std::uint64_t h = XXH3_64bits(identity.data(), identity.size());
    std::string id(kArticleIdChars, '0');
    for (std::size_t i = kArticleIdChars; i-- > 0; h >>= 5) id[i] = kBase32[h & 31];
    return id;
}

bool is_article_id(std::string_view s) {
    return s.size() == kArticleIdChars && s.find_first_not_of(kBase32) == std::string_view::npos &&
           kBase32.find(s[0]) < 16;  // 13 x 5 bits hold 64: the first digit has 4
}

std::uint64_t article_bits(std::string_view id) {
    std::uint64_t bits = 0;
    for (char c : id) bits = bits << 5 | kBase32.find(c);
    return bits;
}

std::string id_term(std::string_view article_id) {
    std::string t(kPrefixId);
    t += article_id;
    return t;
}

std::string file_term(std::string_view path) { return bounded_term(kPrefixFile, path); }

std::string field_term(std::string_view prefix, std::string_view word) {
    std::string t(prefix);
    t += word;
    return t;
}

std::string stem_term(std::string_view prefix, std::string_view lang, std::string_view stem) {
    std::string t(kStemMarker);
    t += prefix;
    t += lang;
    t += ':';
    t += stem;
    return t;
}

std::string body_stem_term(std::string_view lang, std::string_view stem) { return stem_term("", lang, stem); }

bool is_body_stem(std::string_view term) {
    return term.size() > kStemMarker.size() + 1 && term.substr(0, kStemMarker.size()) == kStemMarker &&
           term[kStemMarker.size()] >= 'a' && term[kStemMarker.size()] <= 'z';
}

std::string_view lang_stem(std::string_view body_stem) { return body_stem.substr(kStemMarker.size()); }

std::string normalise_source(std::string_view source) {
    std::string out;
    for (unsigned char c : source) {
        if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            out += static_cast<char>(c);
        }
    }
    return out;
}

std::string source_term(std::string_view source) {
    return bounded_term(kPrefixSource, normalise_source(source));
}

std::string lang_term(std::string_view lang) { return field_term(kPrefixLang, lang); }

std::string story_term(std::string_view story_key) { return field_term(kPrefixStory, story_key); }

std::string day_term(std::string_view yyyymmdd) { return field_term(kPrefixDay, yyyymmdd); }

std::string month_term(std::string_view yyyymm) { return field_term(kPrefixMonth, yyyymm); }

std::string year_term(std::string_view yyyy) { return field_term(kPrefixYear, yyyy); }

std::string file_state_key(std::string_view path) {
    std::string key(kMetaFilePrefix);
    if (path.size() <= 200) return key + std::string(path);
    char hex[20];
    std::snprintf(hex, sizeof hex, "#%016llx", static_cast<unsigned long long>(XXH3_64bits(path.data(), path.size())));
    return key + hex;
}

std::string story_key_for(std::string_view identity, std::string_view text) {
    std::string both(identity);
    both += '\0';
    both += text;
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(both)));
    return hex;
}

}  // namespace morgue::schema
