#include "utf8.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/utext.h>

#include <array>
#include <memory>

namespace morgue::utf8 {

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is invalid.
std::size_t valid_sequence_at(std::string_view s, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = s.size() - i;
    auto cont = [&](std::size_t k) { return (b(i + k) & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) return n >= 2 && cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || !cont(1) || !cont(2)) return 0;
        if (c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
        if (c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || !cont(1) || !cont(2) || !cont(3)) return 0;
        if (c == 0xF0 && b(i + 1) < 0x90) return 0;   // overlong
        if (c == 0xF4 && b(i + 1) >= 0x90) return 0;  // > U+10FFFF
        return 4;
    }
    return 0;
}

// Windows-1252 code points for bytes 0x80-0x9F (0 where undefined: those
// bytes map to the C1 control of the same value, as Latin-1 does).
constexpr std::array<char32_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// `bytes` (UTF-16 without its byte order mark) as UTF-8; counts the code
// units (or odd trailing byte) replaced by U+FFFD in `invalid`.
std::string from_utf16(std::string_view bytes, bool big_endian, std::size_t& invalid) {
    std::string out;
    out.reserve(bytes.size());
    auto unit = [&](std::size_t i) -> char32_t {
        auto hi = static_cast<unsigned char>(bytes[big_endian ? i : i + 1]);
        auto lo = static_cast<unsigned char>(bytes[big_endian ? i + 1 : i]);
        return static_cast<char32_t>(hi << 8 | lo);
    };
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        char32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
            char32_t v = unit(i + 2);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                append(out, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                i += 2;
                continue;
            }
        }
        bool unpaired = u >= 0xD800 && u <= 0xDFFF;
        if (unpaired) ++invalid;
        append(out, unpaired ? 0xFFFD : u);
    }
    if (i < bytes.size()) {
        append(out, 0xFFFD);  // odd trailing byte
        ++invalid;
    }
    return out;
}

}  // namespace

std::size_t sequence_length(unsigned char c) {
    if (c < 0xC0) return 1;
    if (c < 0xE0) return 2;
    if (c < 0xF0) return 3;
    if (c < 0xF8) return 4;
    return 1;
}

void append(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool is_valid(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        std::size_t n = valid_sequence_at(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

Decoded to_utf8(std::string_view bytes) {
    Decoded d;
    if (bytes.size() >= 2) {
        auto b0 = static_cast<unsigned char>(bytes[0]);
        auto b1 = static_cast<unsigned char>(bytes[1]);
        if ((b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF)) {
            d.text = from_utf16(bytes.substr(2), b0 == 0xFE, d.invalid_bytes);
            d.encoding = Encoding::kUtf16;
            return d;
        }
    }
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);

    std::size_t invalid = 0, multibyte = 0;
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t n = valid_sequence_at(bytes, i);
        if (n == 0) {
            ++invalid;
            ++i;
        } else {
            multibyte += n > 1;
            i += n;
        }
    }
    d.invalid_bytes = invalid;
    if (invalid == 0) {
        d.text.assign(bytes);
        return d;
    }
    d.text.reserve(bytes.size() + invalid * 2);
    if (multibyte == 0) {
        d.encoding = Encoding::kWindows1252;
        for (unsigned char c : bytes) {
            char32_t cp = c;
            if (c >= 0x80 && c <= 0x9F && kCp1252High[c - 0x80] != 0) cp = kCp1252High[c - 0x80];
            append(d.text, cp);
        }
        return d;
    }
    d.encoding = Encoding::kRepaired;
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t n = valid_sequence_at(bytes, i);
        if (n == 0) {
            append(d.text, 0xFFFD);
            ++i;
        } else {
            d.text.append(bytes.substr(i, n));
            i += n;
        }
    }
    return d;
}

std::string_view truncate_bytes(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    return s.substr(0, end);
}

std::string_view complete_prefix(std::string_view s) {
    std::size_t i = s.size();
    while (i > 0 && s.size() - i < 3 && (static_cast<unsigned char>(s[i - 1]) & 0xC0) == 0x80) --i;
    if (i == 0) return s;
    auto lead = static_cast<unsigned char>(s[i - 1]);
    if (lead >= 0xC0 && s.size() - (i - 1) < sequence_length(lead)) return s.substr(0, i - 1);
    return s;
}

std::string_view truncate_graphemes(std::string_view s, std::size_t max_bytes) {
    std::string_view cut = truncate_bytes(s, max_bytes);
    if (cut.size() == s.size() || cut.empty()) return cut;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UText, decltype(&utext_close)> text(
        utext_openUTF8(nullptr, s.data(), static_cast<int64_t>(s.size()), &status), &utext_close);
    std::unique_ptr<icu::BreakIterator> chars(icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) return cut;  // no ICU data: code point boundaries are the best we have
    chars->setText(text.get(), status);
    if (U_FAILURE(status)) return cut;
    // The last boundary at or before the cut (offsets are UTF-8 byte offsets with a UTF-8 UText).
    int32_t end = chars->isBoundary(static_cast<int32_t>(cut.size())) ? static_cast<int32_t>(cut.size())
                                                                       : chars->preceding(static_cast<int32_t>(cut.size()));
    if (end == icu::BreakIterator::DONE || end < 0) end = 0;
    return s.substr(0, static_cast<std::size_t>(end));
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string printable(std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    auto escape = [&](unsigned char c) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    };
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = sequence_length(c);
        if (c < 0x20 || c == 0x7F) {
            escape(c);
            ++i;
        } else if (c == '\\') {
            out += "\\\\";
            ++i;
        } else if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
        } else if (n > 1 && i + n <= s.size() && is_valid(s.substr(i, n))) {
            std::string_view seq = s.substr(i, n);
            // C1 controls (U+0080..U+009F) act on terminals too.
            if (n == 2 && c == 0xC2 && static_cast<unsigned char>(seq[1]) < 0xA0) {
                escape(c);
                escape(static_cast<unsigned char>(seq[1]));
            } else {
                out += seq;
            }
            i += n;
        } else {
            escape(c);
            ++i;
        }
    }
    return out;
}

}  // namespace morgue::utf8
