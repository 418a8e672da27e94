// Sharded archives: one Xapian database per shard (a year, or a hash
// bucket), listed in a Xapian stub file that searchers open as one
// database. Shards may be local directories or remote databases served by
// xapian-tcpsrv (scripts/shard-server); Xapian's remote protocol combines
// their statistics, so ranking, facets, sorting and collapsing work across
// shards as on one database.
//
// The stub file format is Xapian's own (one shard a line; # comments):
//   auto PATH              a local database (relative to the stub's directory)
//   remote HOST:PORT       a database served by xapian-tcpsrv
// morgue reads the stub itself (rather than letting Xapian open it) to set
// the remote timeouts and, when asked, to leave out shards that are down.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

struct ShardOptions {
    unsigned timeout_ms = 10000;         // a remote shard slower than this fails the search
    unsigned connect_timeout_ms = 3000;  // a remote shard not accepting in this time is down
    bool partial = false;                // leave out shards that are down instead of failing
};

// One line of a stub file.
struct ShardSpec {
    enum class Kind { kLocal, kRemote } kind = Kind::kLocal;
    std::string path;  // kLocal: resolved against the stub's directory
    std::string host;  // kRemote
    unsigned port = 0;
    std::string name() const;  // "PATH" or "HOST:PORT"
};

// Whether `path` is a stub file (a regular file, not a database directory).
bool is_stub_file(const std::string& path);

// The shards a stub file lists. Throws DatabaseError for a missing file or
// a line it cannot read.
std::vector<ShardSpec> read_stub(const std::string& path);

// Opens every shard of the stub at `path` as one database. A shard that
// cannot be opened throws DatabaseError naming it, unless options.partial:
// then it is left out and named in `unavailable`. `opened`, when given,
// gets the shards opened, in the database's order.
Xapian::Database open_stub(const std::string& path, const ShardOptions& options,
                           std::vector<std::string>* unavailable, std::vector<Xapian::Database>* opened = nullptr);

// The database of a sharded index's run-level metadata (file states, the
// sharding scheme, the last run), beside its shards: "STUB.shards/_state".
std::string state_db_path(const std::string& stub_path);

// How articles are spread over shards: by the year of their date
// ("undated" when they have none), or by a hash of their identity over N
// shards.
struct ShardBy {
    enum class Kind { kNone, kYear, kHash } kind = Kind::kNone;
    unsigned buckets = 0;  // kHash
    // "year" or "hash:N" (2 <= N <= 1024); nullopt when it is neither.
    static std::optional<ShardBy> parse(std::string_view spec);
    // The shard key of an article.
    std::string key(std::string_view identity, std::string_view yyyymmdd) const;
};

}  // namespace morgue
