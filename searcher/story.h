// A story as a page: every version of it (the articles grouped into one story
// at index time, indexer/stories.h), earliest first, and for each what it
// shares with the earliest version and what it adds to the ones before.
#pragma once

#include "article.h"

#include <cstddef>
#include <string>
#include <vector>

namespace morgue {

// One version of a story, as the story page shows it.
struct StoryVersion {
    std::string id;  // the article's stable id
    Article article;
    // Share of this version's word 5-grams found in the earliest version
    // (1 for the earliest itself): how much of its text it shares.
    double shared = 1.0;
    // Its sentences found in no earlier version (at most kMaxAddedSentences).
    std::vector<std::string> added;
    std::size_t added_total = 0;  // how many there are in all
};

inline constexpr std::size_t kMaxAddedSentences = 5;
// Versions a story page reads at most (a story is a handful of rewrites; a
// runaway one is cut, the earliest kept).
inline constexpr std::size_t kMaxStoryVersions = 200;

// `versions` (articles with their ids, any order) as a story: sorted by
// date, earliest first (undated last, then by id), each compared with the
// earliest and with those before it.
std::vector<StoryVersion> compare_versions(std::vector<StoryVersion> versions);

// The sentences of `text`: split after '.', '!', '?' (and their CJK forms)
// and at line breaks, trimmed; empty ones left out.
std::vector<std::string> sentences(std::string_view text);

}  // namespace morgue
