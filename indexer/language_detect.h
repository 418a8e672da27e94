// Language detection: what language an article's text is in, with CLD2
// (Google's Compact Language Detector 2, from Debian's libcld2). Only the
// indexer detects: the searcher names languages (common/language.h) and
// does not load CLD2, which a process per request (morgue.cgi) would pay
// for at every start.
#pragma once

#include "language.h"

#include <cstddef>
#include <string_view>

namespace morgue {

// Detects the language of `text` (valid UTF-8 plain text; only its first
// kDetectBytes are read). `hint` is an ISO 639-1 code that the source
// declares (an HTML page's lang attribute); it tips close calls, never
// overrides clear evidence. Thread-safe; never throws. About 25 MB/s.
LanguageGuess detect_language(std::string_view text, std::string_view hint = {});

// Bytes of text detection reads: plenty for a reliable answer, and a bound
// on the work for huge records.
inline constexpr std::size_t kDetectBytes = 32 * 1024;

}  // namespace morgue
