#include "archive.h"

#include "schema.h"
#include "shards.h"

#include <charconv>
#include <filesystem>
#include <limits>

namespace morgue {

namespace fs = std::filesystem;

namespace {

// Bytes of the regular files under `dir` (the database's own files).
std::uintmax_t bytes_under(const fs::path& dir) {
    std::uintmax_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code size_ec;
        if (it->is_regular_file(size_ec)) total += it->file_size(size_ec);
    }
    return total;
}

// A database directory, or a shard stub with its shards and state beside it.
std::uintmax_t bytes_on_disk(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) return bytes_under(path);
    std::uintmax_t stub = fs::file_size(path, ec);
    return (ec ? 0 : stub) + bytes_under(path + ".shards");
}

// The record the indexer keeps with the database, or in the state database
// beside the shards of a sharded one.
std::optional<RunRecord> last_run(const Searcher& searcher) {
    if (!is_stub_file(searcher.path())) {
        return decode_run_record(searcher.database().get_metadata(schema::kMetaLastRun));
    }
    std::string state = state_db_path(searcher.path());
    if (!fs::is_directory(state)) return std::nullopt;  // remote shards, or made by hand
    try {
        return decode_run_record(Xapian::Database(state).get_metadata(schema::kMetaLastRun));
    } catch (const Xapian::DatabaseError&) {
        return std::nullopt;
    }
}

std::optional<int> schema_version(const Xapian::Database& db) {
    std::string v = db.get_metadata(schema::kMetaSchemaVersion);
    int n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
    return n;
}

}  // namespace

ArchiveReport describe_archive(Searcher& searcher, bool exact) {
    ArchiveReport r;
    r.summary = searcher.summary(exact ? std::numeric_limits<Xapian::doccount>::max() : kExactFacetsUpTo);
    r.last_run = last_run(searcher);
    r.bytes = bytes_on_disk(searcher.path());
    r.schema = schema_version(searcher.database());
    r.shards = searcher.database().size();
    return r;
}

}  // namespace morgue
