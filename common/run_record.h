// The record of an indexing run: what morgue-index counted, when it ran,
// and which files it skipped and why. The indexer keeps the last run's in
// the database metadata (schema::kMetaLastRun; for a sharded index, in its
// state database, shards.h state_db_path()), written with the run's last
// commit, so a run that was killed never records itself as finished; the
// status report and the About page (searcher/archive.h) read it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

// What an indexing run did, as counted by morgue-index.
struct IndexStats {
    std::size_t files = 0;      // files looked at
    std::size_t added = 0;      // articles new to the index
    std::size_t updated = 0;    // articles replaced (their file changed)
    std::size_t unchanged = 0;  // files skipped because they did not change
    std::size_t removed = 0;    // articles deleted (gone from their file, or their file gone)
    std::size_t skipped = 0;    // files skipped (binary, empty, unreadable...) and bad records left out
    std::size_t warnings = 0;   // problems that did not stop a file
    std::uintmax_t bytes = 0;   // bytes of the files read
    std::size_t stories_joined = 0;  // articles that joined another's story
    double seconds = 0;
};

// A file (or a record of one) a run did not index.
struct SkippedFile {
    std::string path;    // relative to the indexed root, never absolute (encode() makes it printable: utf8::printable)
    std::string reason;  // "binary file, not text", "line 3: malformed JSON (...) (record skipped)"...
};

// The skipped files a record keeps at most (the first ones; the total is kept too).
inline constexpr std::size_t kMaxSkippedRecorded = 100;

struct RunRecord {
    std::string started;   // UTC, ISO 8601: "2026-12-07T03:41:22Z"
    std::string finished;  // UTC, ISO 8601: when its last commit began
    std::string version;   // morgue's (MORGUE_VERSION)
    IndexStats stats;      // stats.seconds: how long it took
    std::vector<SkippedFile> skipped_files;  // the first kMaxSkippedRecorded
    std::size_t skipped_total = 0;           // skipped files and records reported, all of them
};

// `t` as UTC ISO 8601 to the second: "2026-12-07T03:41:22Z".
std::string utc_iso8601(std::chrono::system_clock::time_point t);

// The record as its metadata value: a JSON object (docs/SCHEMA.md). Never throws.
std::string encode(const RunRecord& record);

// A metadata value back to its record; nullopt when it is empty or not one.
std::optional<RunRecord> decode_run_record(std::string_view value);

}  // namespace morgue
