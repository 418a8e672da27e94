// Indexing: files and directories in, a morgue database out.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace morgue {

struct IndexOptions {
    std::string db_path;                        // created when missing
    std::vector<std::filesystem::path> inputs;  // files, and directories walked recursively
    std::string lang = "en";                    // language of articles that declare none
    bool stories = true;                        // group new articles into stories (stories.h)
};

struct IndexStats {
    std::size_t files = 0;      // files looked at
    std::size_t added = 0;      // articles new to the index
    std::size_t updated = 0;    // articles replaced
    std::size_t skipped = 0;    // files skipped (binary, empty, unreadable...) and bad records left out
    std::size_t warnings = 0;   // problems that did not stop a file
    std::size_t bytes = 0;      // bytes of text indexed
    std::size_t stories_joined = 0;  // articles that joined another's story
    double seconds = 0;
};

// Receives what happens during a run; the programs print it. The default
// implementations ignore everything.
class IndexListener {
public:
    virtual ~IndexListener() = default;
    // A problem with one file; `skipped` when the file was not indexed.
    virtual void on_problem(const std::string& path, const std::string& message, bool skipped);
    // After each file.
    virtual void on_progress(std::size_t files_done, std::size_t files_total, std::size_t articles);
};

// Files under `inputs` that morgue reads, sorted; directories are walked
// recursively. A missing input throws UsageError.
std::vector<std::filesystem::path> collect_files(const std::vector<std::filesystem::path>& inputs);

// Indexes `options.inputs` into `options.db_path`. Throws DatabaseError when
// the database cannot be opened or written; bad files are reported to
// `listener` and counted in the stats, never thrown.
IndexStats run_index(const IndexOptions& options, IndexListener& listener);

}  // namespace morgue
