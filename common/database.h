// Opening morgue databases, with errors a user can act on.
#pragma once

#include "shards.h"

#include <xapian.h>

#include <optional>
#include <string>
#include <vector>

namespace morgue {

// The database path: `flag` when given, else $MORGUE_DB, else "./morgue.db".
std::string resolve_db_path(const std::optional<std::string>& flag);

// Opens a database for searching: a database directory, or a stub file
// listing shards (shards.h). Throws DatabaseError ("no database at PATH:
// index some articles first with morgue-index") when it is missing, not a
// Xapian database, built by another schema version, or a shard is down
// (unless shards.partial: then the shards left out are named in
// `unavailable`). `opened`, when given, gets the shards opened, in the
// database's order (the database itself when it is not a stub).
Xapian::Database open_for_reading(const std::string& path, const ShardOptions& shards = {},
                                  std::vector<std::string>* unavailable = nullptr,
                                  std::vector<Xapian::Database>* opened = nullptr);

// Opens (creating it if needed; emptying it first with `overwrite`) a
// database for indexing. Throws DatabaseError at once when another process
// holds the write lock.
Xapian::WritableDatabase open_for_writing(const std::string& path, bool overwrite = false);

}  // namespace morgue
