// Reading article files: bytes from disk to articles, whatever the format.
// The reader converts every input to valid UTF-8 (utf8::to_utf8) and hands
// each article's raw text to extraction (extract.h).
#pragma once

#include "article.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace morgue {

enum class Format {
    kText,         // .txt: one article per file
    kUnsupported,
};

// The format of `path`, by extension.
Format format_of(const std::filesystem::path& path);

// Files larger than this are read only up to it, with a warning.
inline constexpr std::uintmax_t kMaxFileBytes = 64ull << 20;

// What happened to one file.
struct FileReport {
    enum class Outcome {
        kOk,          // read; its articles were passed on
        kEmpty,       // no text at all (skipped)
        kBinary,      // not text (skipped)
        kUnreadable,  // could not be opened or read (skipped)
        kUnsupported, // not a format morgue reads (skipped)
    };
    Outcome outcome = Outcome::kOk;
    std::vector<std::string> warnings;  // problems that did not stop the file ("line 3: ...")
    std::string error;                  // why it was skipped, when it was
};

// Reads `path` and calls `on_article` for each article in it (one for a
// text file), with path, title, date, source and body filled in by
// extraction. Never throws for a bad file: the report says what happened.
FileReport read_articles(const std::filesystem::path& path,
                         const std::function<void(Article&&)>& on_article);

// Raw bytes of a file, at most `max_bytes`. Throws morgue::Error with the
// system's reason when it cannot be read.
std::string read_bytes(const std::filesystem::path& path, std::uintmax_t max_bytes, bool* truncated);

// True when `bytes` look like binary data rather than text (NUL bytes or
// many control characters near the start).
bool looks_binary(std::string_view bytes);

}  // namespace morgue
