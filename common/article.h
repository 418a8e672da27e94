// An article as morgue understands it: what extraction finds in a file and
// what the document builder indexes. Fields that were not found are empty;
// nothing is ever guessed.
#pragma once

#include "date.h"
#include "language.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace morgue {

// A line taken out of the text as page furniture, and why (--explain).
struct RemovedLine {
    std::string text;
    std::string reason;
};

struct Article {
    std::string path;                  // the file it came from
    // `path` relative to the directory holding the indexed root it was found
    // under ("corpus/2023/a.txt" for `morgue-index corpus/`): what the index
    // stores and shows. Set by the indexer; empty elsewhere (--explain).
    std::string relative_path;
    std::string record;                // record id inside the file (JSONL), else empty
    std::string id;                    // stable id (schema::article_id), when read back from the index
    std::optional<std::string> title;  // headline
    std::optional<Date> date;          // publication date
    std::vector<std::string> sources;  // outlets and agencies, display names, first is primary
    std::optional<std::string> byline;
    std::string lang;                  // ISO 639-1 code; empty when unknown
    // What language detection found, when the input stated no language;
    // settle_language() (indexer/reader.h) decides between it and the
    // archive's default.
    std::optional<LanguageGuess> detected;
    std::optional<std::string> url;
    std::string body;                  // clean text: what is indexed and shown
    // Photo captions: editorial text, indexed (caption: and plain searches)
    // and shown with the article, but kept out of the body and its snippets.
    std::vector<std::string> captions;
    std::vector<RemovedLine> removed;  // boilerplate taken out of the body
    // Where each extracted field came from ("date" -> "Updated September 5,
    // 2023 at 11:59 AM ET"), for --explain. Not stored in the index.
    std::map<std::string, std::string> evidence;

    // The file as stored and shown: the relative path when known.
    const std::string& stored_path() const { return relative_path.empty() ? path : relative_path; }

    // The article's identity, from which its id is made: the stored path,
    // plus "#record" for the records of a multi-article file (the record's
    // own "id", else its line). Not the "id" alone: feeds reuse ids (the
    // WMT news sets give a story and its translations the same one). Never
    // an absolute path, so ids survive moving the archive.
    std::string identity() const { return record.empty() ? stored_path() : stored_path() + "#" + record; }
};

}  // namespace morgue
