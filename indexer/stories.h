// Stories: articles that tell the same story (wire copy and its rewrites by
// other outlets), grouped at index time so searches can show one result per
// story (SearchRequest::collapse).
//
// How: for each new or changed article, Xapian finds candidates with the
// article's most distinctive stems (by tf-idf) within a date window (undated
// articles are always candidates); a candidate joins the article's story
// when the cosine similarity of their tf-idf stem vectors reaches a
// threshold (or that of the article and the candidate's story as a whole,
// for a story small enough to be seen whole), and their stories merge when the article and the candidate
// are also similar on average to each other's story members (average
// linkage, so borderline pairs cannot chain unrelated stories). The members
// of the smaller story take the key of the larger, in the kSlotStory value
// and the XG term.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace morgue {

struct StoryOptions {
    // Cosine similarity of tf-idf stem vectors at which two articles are the
    // same story. Measured (docs/STORIES.md): rewrites of one story by
    // different outlets score 0.35-0.6; unrelated articles on the same
    // subject stay under 0.25.
    double threshold = 0.45;
    // Two stories merge only when the article and the candidate are, on
    // average, at least this similar to the other's story members (average
    // linkage: stops chains of borderline pairs).
    double group_threshold = 0.35;
    // Dated articles more than this many days apart are never compared.
    int window_days = 14;
    // Candidates compared per article (the best BM25 matches of its stem query).
    Xapian::doccount candidates = 5;
    // Terms of that query: the article's most distinctive body stems by tf-idf.
    Xapian::termcount terms = 12;
};

struct StoryStats {
    std::size_t compared = 0;  // candidate pairs whose similarity was computed
    std::size_t joined = 0;    // articles that joined another article's story
};

// Groups `docs` (new or changed articles of `db`) into stories, relabelling
// existing stories they join. Writes to `db` but does not commit.
StoryStats group_stories(Xapian::WritableDatabase& db, const std::vector<Xapian::docid>& docs,
                         const StoryOptions& options = {});

// The same over any database that reads what `write` writes (the shards of
// a sharded index seen as one): `write(id, doc)` replaces document `id`.
using DocumentWriter = std::function<void(Xapian::docid, const Xapian::Document&)>;
StoryStats group_stories(const Xapian::Database& db, const std::vector<Xapian::docid>& docs,
                         const DocumentWriter& write, const StoryOptions& options = {});

}  // namespace morgue
