// UTF-8 at the edges: decoding input bytes into valid UTF-8, truncating
// without splitting a character, escaping for HTML. Everything inside the
// library may assume its text is valid UTF-8 because it passed through
// to_utf8() once, when it was read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace morgue::utf8 {

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values
// above U+10FFFF).
bool is_valid(std::string_view s);

// How to_utf8() turned the input into UTF-8.
enum class Encoding {
    kUtf8,          // valid UTF-8 already (a UTF-8 byte order mark is dropped)
    kUtf16,         // UTF-16 with a byte order mark, converted
    kWindows1252,   // no valid multi-byte sequence at all: a legacy 8-bit file
    kRepaired,      // mostly UTF-8; each invalid byte replaced by U+FFFD
};

struct Decoded {
    std::string text;
    Encoding encoding = Encoding::kUtf8;
    std::size_t invalid_bytes = 0;  // bytes that were not valid UTF-8 (kUtf16: code units that were not UTF-16)
};

// Decodes raw file bytes. Policy (documented in the README): a UTF-8 or
// UTF-16 byte order mark is honoured; valid UTF-8 is kept as is; input with
// invalid bytes but no valid multi-byte sequence is read as Windows-1252
// (which includes Latin-1); anything else keeps its valid UTF-8 and gets
// U+FFFD for each invalid byte. Never fails.
Decoded to_utf8(std::string_view bytes);

// The longest prefix of `s` of at most `max_bytes` bytes that does not split
// a UTF-8 sequence.
std::string_view truncate_bytes(std::string_view s, std::size_t max_bytes);

// `s` without a UTF-8 sequence cut short at its end (after a byte limit).
std::string_view complete_prefix(std::string_view s);

// The longest prefix of `s` (valid UTF-8) of at most `max_bytes` bytes that
// ends on a grapheme cluster boundary (Unicode UAX #29, ICU's character
// break iterator): never between a consonant and its vowel sign or virama,
// a letter and its accent, or the parts of an emoji sequence.
std::string_view truncate_graphemes(std::string_view s, std::size_t max_bytes);

// Length in bytes of the UTF-8 sequence starting with lead byte `c` (1 for
// an invalid lead byte).
std::size_t sequence_length(unsigned char c);

// Appends the UTF-8 encoding of code point `cp` to `out`.
void append(std::string& out, char32_t cp);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view s);

// `s` safe to print on a terminal: control characters and bytes that are
// not UTF-8 become \xNN, and a backslash becomes \\, so a file name can
// neither move the cursor nor hide part of the line.
std::string printable(std::string_view s);

}  // namespace morgue::utf8
