// Reading article files: bytes from disk to articles, whatever the format.
// Every input is converted to valid UTF-8 once, here (utf8::to_utf8); the
// article text then goes through extraction (extract.h), and fields a
// format gives explicitly (JSON fields, HTML metadata) win over extracted
// ones.
//
// Reading is split in two so the indexer can parse in parallel:
// read_pieces() reads a file into pieces in order (bounded memory: a JSON
// Lines file of any size is read in blocks of whole lines), and
// parse_piece() turns one piece into articles.
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

// A single-article file (text, HTML) is read up to this many bytes; the
// rest is left out with a warning.
inline constexpr std::size_t kMaxArticleBytes = 4u << 20;
// A JSON array (or one pretty-printed object) is parsed whole, up to this.
inline constexpr std::size_t kMaxJsonDocumentBytes = 64u << 20;
// JSON Lines are read in blocks of whole lines of about this size (the unit
// of parallel work); a line longer than kMaxArticleBytes is skipped with a
// warning.
inline constexpr std::size_t kBlockBytes = 256u << 10;

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
    std::size_t articles = 0;           // articles passed on
    std::string error;                  // why it was skipped, when it was
    bool changed_while_read = false;    // size or time changed during reading: read it again next time

    // Folds a piece's report into this file's report.
    void merge(const FileReport& piece);
};

// What a file's content was when it was read, for incremental indexing.
struct FileStamp {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t hash = 0;  // XXH3 of the bytes
    friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

// Size and modification time of `path` (hash left 0); nullopt when it
// cannot be stat'ed.
std::optional<FileStamp> stat_file(const std::filesystem::path& path);

// XXH3 hash of the content of `path`; nullopt when it cannot be read.
std::optional<std::uint64_t> hash_file(const std::filesystem::path& path);

// A piece of a file: the whole text of a single-article file, a block of
// whole lines of a JSON Lines file, or a whole JSON document.
struct Piece {
    Format format = Format::kText;
    std::string text;             // valid UTF-8
    std::size_t first_line = 1;   // line number of the piece's first line in the file
    bool json_document = false;   // kJson: a whole array or object, not JSON Lines
};

// Reads `path` into pieces, in order, calling `on_piece` for each; fills
// `stamp` (size and time before reading, hash of all bytes). Never throws
// for a bad file: the report says what happened (warnings about encoding,
// truncation, a change during reading).
FileReport read_pieces(const std::filesystem::path& path, FileStamp& stamp,
                       const std::function<void(Piece&&)>& on_piece);

// Parses one piece of the file at `path` into articles (extraction
// included), calling `on_article` for each; a bad JSON record is reported
// with its line number in the returned report and skipped.
FileReport parse_piece(const Piece& piece, const std::string& path, const std::function<void(Article&&)>& on_article);

// Both, for one whole file (morgue-index --explain, tests).
FileReport read_articles(const std::filesystem::path& path, const std::function<void(Article&&)>& on_article);

// Gives an article that states no language one: what detection found
// (Article::detected) when LanguageGuess::preferred_to() the archive's
// default `default_lang` (morgue-index --lang), else the default. Notes the
// choice in the article's evidence (--explain).
void settle_language(Article& a, const std::string& default_lang);

// True when `bytes` look like binary data rather than text (NUL bytes or
// many control characters near the start).
bool looks_binary(std::string_view bytes);

}  // namespace morgue
