// Indexing: files and directories in, a morgue database out. Incremental,
// crash-safe and parallel:
//
// - An article's identity is its file (and record id within a JSON Lines
//   file). Each file's size, modification time and content hash are kept in
//   the database's metadata: unchanged files are skipped after a stat (or a
//   hash, when only the time changed), changed files are re-read and their
//   articles replaced, articles a file no longer has are deleted, and files
//   that disappeared from the indexed roots are deleted from the index.
// - Commits happen in batches. A file's recorded state, its articles (each
//   with its story, stories.h) and the spelling dictionary are committed
//   together, so a run killed at any moment leaves a database
//   that opens and searches, and running the same command again completes
//   it with nothing lost or doubled.
// - Reading is one thread, parsing and analysis run on `threads` workers,
//   and one writer applies their documents in file order (so document ids
//   do not depend on timing). A full build (a new or empty unsharded
//   database) with `writers` > 1 writes them in parts on that many threads
//   and merges them at the end (parts.h): the same database, compacted,
//   but a killed run starts again from scratch.
#pragma once

#include "run_record.h"
#include "shards.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace morgue {

struct IndexOptions {
    std::string db_path;                        // created when missing
    std::vector<std::filesystem::path> inputs;  // files, and directories walked recursively
    std::string lang = "en";                    // language of articles that declare none
    bool stories = true;                        // place new articles in stories (stories.h)
    bool rebuild = false;                       // start from an empty database
    unsigned threads = 0;                       // analysis threads; 0: one per core
    std::size_t batch = 5000;                   // articles per commit (per part with writers > 1)
    unsigned writers = 1;                       // writer threads of a full build (parts.h)
    std::optional<ShardBy> shard_by;            // write one database per shard (shards.h)
};

struct IndexProgress {
    std::size_t files_done = 0, files_total = 0;
    std::uintmax_t bytes_done = 0, bytes_total = 0;
    std::size_t articles = 0;
    double seconds = 0;
};

// Receives what happens during a run; the programs print it. The default
// implementations ignore everything. Called from the calling thread only.
class IndexListener {
public:
    virtual ~IndexListener() = default;
    // A problem with a file; `skipped` when the file (or a record) was not indexed.
    virtual void on_problem(const std::string& path, const std::string& message, bool skipped);
    // What happened to a file: "added 3", "unchanged", "removed 2"...
    virtual void on_file(const std::string& path, const std::string& what);
    virtual void on_progress(const IndexProgress& progress);
    // Something about the run as a whole ("--writers: an incremental run has one writer").
    virtual void on_notice(const std::string& message);
};

// Files under `inputs` that morgue reads, sorted and canonical (their
// paths are the articles' identities); directories are walked recursively,
// following symbolic links but never round a loop. Problems on the way
// (loops, broken links, unreadable directories) go to `listener` and are
// counted in `skipped`. A missing input throws UsageError.
std::vector<std::filesystem::path> collect_files(const std::vector<std::filesystem::path>& inputs,
                                                 IndexListener& listener, std::size_t& skipped);

// Indexes `options.inputs` into `options.db_path`, and records the run
// there (run_record.h) with its last commit. Throws DatabaseError when
// the database cannot be opened (e.g. another indexer holds its lock) or
// written; bad files are reported to `listener` and counted, never thrown.
IndexStats run_index(const IndexOptions& options, IndexListener& listener);

// Writes the facet codes of the unsharded database at `db_path` as it is
// into its directory (common/facet_codes.h), unless it has those of its
// revision already: every run does at its end; after xapian-compact (another
// database to Xapian, without them) it is the way to have them again. False
// when it can have none (too many document ids). Throws when the database
// cannot be opened or the file cannot be written.
bool write_facet_codes(const std::string& db_path);

}  // namespace morgue
