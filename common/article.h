// An article as morgue understands it: what extraction finds in a file and
// what the document builder indexes. Fields that were not found are empty;
// nothing is ever guessed.
#pragma once

#include "date.h"

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
    std::string record;                // record id inside the file (JSONL), else empty
    std::optional<std::string> title;  // headline
    std::optional<Date> date;          // publication date
    std::vector<std::string> sources;  // outlets and agencies, display names, first is primary
    std::optional<std::string> byline;
    std::string lang;                  // ISO 639-1 code; empty when unknown
    std::optional<std::string> url;
    std::string body;                  // clean text: what is indexed and shown
    // Photo captions: editorial text, indexed (caption: and plain searches)
    // and shown with the article, but kept out of the body and its snippets.
    std::vector<std::string> captions;
    std::vector<RemovedLine> removed;  // boilerplate taken out of the body
    // Where each extracted field came from ("date" -> "Updated September 5,
    // 2023 at 11:59 AM ET"), for --explain. Not stored in the index.
    std::map<std::string, std::string> evidence;

    // The article's identity in the index: its path, plus "#record" for
    // records of a multi-article file.
    std::string identity() const { return record.empty() ? path : path + "#" + record; }
};

}  // namespace morgue
