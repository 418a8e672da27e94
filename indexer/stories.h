// Stories: articles that tell the same story (wire copy and its rewrites by
// other outlets), grouped at index time so searches can show one result per
// story (SearchRequest::collapse).
//
// How: the writer places each article in a story just before writing it, so
// that it is written once, with its final story key (kSlotStory value and XG
// term). A StoryIndex holds, for the articles of this run, each one's
// compact tf-idf vector (its top stems as small integer ids and quantised
// weights) and an inverted index of its most distinctive stems, each posting
// carrying the article's day: candidates are the articles that share the new
// article's most distinctive stems within its date window (undated articles
// are always candidates). Articles already in the database before the run
// are found with one Xapian query per new article (incremental runs only).
// An article joins the story of its most similar candidate when the cosine
// of their vectors reaches a threshold (or that of the article and the
// candidate's story as a whole, for a story small enough to be seen whole)
// and it is also similar on average to that story's members (average
// linkage, so borderline pairs cannot chain unrelated stories). Stories
// never merge: no article is ever rewritten to change its story.
#pragma once

#include "similarity.h"

#include <xapian.h>

#include <climits>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace morgue {

struct StoryOptions {
    // Cosine similarity of tf-idf stem vectors at which two articles are the
    // same story. Measured (docs/STORIES.md): rewrites of one story by
    // different outlets score 0.35-0.6; unrelated articles on the same
    // subject stay under 0.25.
    double threshold = 0.45;
    // An article joins a story only when it is, on average, at least this
    // similar to the story's members (average linkage: stops chains of
    // borderline pairs).
    double group_threshold = 0.35;
    // Dated articles more than this many days apart are never compared.
    int window_days = 14;
    // Candidates compared per article: the most similar of those that share
    // the most of its distinctive stems.
    std::size_t candidates = 5;
    // The article's most distinctive body stems (by tf-idf) that find its candidates.
    std::size_t terms = 12;
};

struct StoryStats {
    std::size_t compared = 0;  // candidate pairs whose similarity was computed
    std::size_t joined = 0;    // articles that joined another article's story
};

// What grouping needs of an article, computed by the analysis workers: its
// language, day and body stems (without stop stems) with their
// within-document frequencies.
struct StorySketch {
    std::string lang;
    std::int32_t day = 0;  // days since 1970-01-01; kUndatedDay when unknown
    std::vector<std::pair<std::string, Xapian::termcount>> stems;
};
inline constexpr std::int32_t kUndatedDay = INT32_MIN;

// The sketch of a built document (document_builder.h).
StorySketch sketch_of(const Xapian::Document& doc, StopStems& stop);

// The database as it was before the run, for an incremental run: what a
// StoryIndex needs to find and compare the articles already there.
struct Archive {
    // The database (all shards as one; it also sees this run's writes).
    std::function<const Xapian::Database&()> db;
    // Its article count when the run started.
    Xapian::doccount doccount = 0;
    // Changes when the database's document ids do (a shard was added).
    std::function<std::size_t()> layout;
};

// The stories of one indexing run. Not thread-safe: the writer owns it.
class StoryIndex {
public:
    // `archive` is empty for a new or rebuilt database.
    explicit StoryIndex(std::optional<Archive> archive, const StoryOptions& options = {});
    ~StoryIndex();
    StoryIndex(const StoryIndex&) = delete;
    StoryIndex& operator=(const StoryIndex&) = delete;

    // Places the article with id term `id_term` in a story, before it is
    // written: sets the kSlotStory value and the XG term of `doc` (which
    // arrives with the key of the story it would found alone) and remembers
    // it for the articles that follow.
    void place(Xapian::Document& doc, const std::string& id_term, StorySketch&& sketch);

    const StoryStats& stats() const { return stats_; }
    // Bytes held for the articles seen so far (vectors, postings, stories).
    std::size_t memory() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    StoryStats stats_;
};

}  // namespace morgue
