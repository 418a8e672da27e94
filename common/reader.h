// Reading article files: bytes from disk to articles, whatever the format.
// Every input is converted to valid UTF-8 once, here (utf8::to_utf8); the
// article text then goes through extraction (extract.h), and fields a
// format gives explicitly (JSON fields, HTML metadata) win over extracted
// ones.
#pragma once

#include "article.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

enum class Format {
    kText,         // .txt: one article per file
    kJson,         // .jsonl, .ndjson, .json: one article per line (or a JSON array / one object)
    kHtml,         // .html, .htm: one article per page
    kUnsupported,
};

// The format of `path` by its extension (kUnsupported when unknown).
Format format_of(const std::filesystem::path& path);

// The format of a file with an unknown extension, by its content.
Format sniff_format(std::string_view text);

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
        kMalformed,   // nothing usable in it (e.g. a JSON array that does not parse)
    };
    Outcome outcome = Outcome::kOk;
    std::vector<std::string> warnings;  // problems that did not stop the file ("line 3: ...")
    std::size_t skipped_records = 0;    // records of a multi-article file left out
    std::string error;                  // why it was skipped, when it was
};

// Reads `path` and calls `on_article` for each article in it, with path,
// record, title, date, sources, byline, lang, url and body filled in as
// far as they are known. A bad record of a JSON Lines file is reported (with
// its line) and skipped; the rest of the file is read. Never throws for a
// bad file: the report says what happened.
FileReport read_articles(const std::filesystem::path& path, const std::function<void(Article&&)>& on_article);

// Raw bytes of a file, at most `max_bytes`. Throws morgue::Error with the
// system's reason when it cannot be read.
std::string read_bytes(const std::filesystem::path& path, std::uintmax_t max_bytes, bool* truncated);

// True when `bytes` look like binary data rather than text (NUL bytes or
// many control characters near the start).
bool looks_binary(std::string_view bytes);

}  // namespace morgue
