// Opening morgue databases, with errors a user can act on.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>

namespace morgue {

// The database path: `flag` when given, else $MORGUE_DB, else "./morgue.db".
std::string resolve_db_path(const std::optional<std::string>& flag);

// Opens a database for searching. Throws DatabaseError ("no database at
// PATH: index some articles first with morgue-index") when it is missing,
// not a Xapian database, or built by another schema version.
Xapian::Database open_for_reading(const std::string& path);

// Opens (creating it if needed; emptying it first with `overwrite`) a
// database for indexing. Throws DatabaseError at once when another process
// holds the write lock.
Xapian::WritableDatabase open_for_writing(const std::string& path, bool overwrite = false);

}  // namespace morgue
