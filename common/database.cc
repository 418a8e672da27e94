#include "database.h"

#include "error.h"
#include "schema.h"

#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <thread>

namespace morgue {

std::string resolve_db_path(const std::optional<std::string>& flag) {
    if (flag && !flag->empty()) return *flag;
    if (const char* env = std::getenv("MORGUE_DB"); env != nullptr && *env != '\0') return env;
    return "morgue.db";
}

namespace {

void check_schema(const Xapian::Database& db, const std::string& path) {
    std::string v = db.get_metadata(schema::kMetaSchemaVersion);
    if (v.empty() && db.get_doccount() == 0) return;  // fresh, nothing written yet
    if (v != std::to_string(schema::kSchemaVersion)) {
        throw DatabaseError("database " + path + " was built by another version of morgue (schema " +
                            (v.empty() ? std::string("unknown") : v) + ", expected " +
                            std::to_string(schema::kSchemaVersion) + "); rebuild it with morgue-index --rebuild");
    }
}

}  // namespace

Xapian::Database open_for_reading(const std::string& path, const ShardOptions& shards,
                                  std::vector<std::string>* unavailable, std::vector<Xapian::Database>* opened) {
    if (!std::filesystem::exists(path)) {
        throw DatabaseError("no database at " + path + ": index some articles first (morgue-index --db " + path +
                            " FILES...)");
    }
    for (int attempt = 0;; ++attempt) {
        try {
            if (unavailable) unavailable->clear();
            std::vector<Xapian::Database> parts;
            Xapian::Database db = is_stub_file(path) ? open_stub(path, shards, unavailable, &parts) : Xapian::Database(path);
            if (parts.empty()) parts.push_back(db);
            check_schema(db, path);
            if (opened) *opened = std::move(parts);
            return db;
        } catch (const Xapian::DatabaseOpeningError& e) {
            throw DatabaseError("cannot open database " + path + ": " + e.get_msg());
        } catch (const Xapian::DatabaseCorruptError& e) {
            throw DatabaseError("database " + path + " is corrupt: " + e.get_msg());
        } catch (const Xapian::NetworkError& e) {
            throw DatabaseError("database " + path + ": a shard is not responding: " + e.get_msg());
        } catch (const Xapian::DatabaseError& e) {
            // Opened while a reindex committed or switched generations: open again.
            if (attempt >= 5) throw DatabaseError("cannot read database " + path + ": " + e.get_msg());
            std::this_thread::sleep_for(std::chrono::milliseconds(20 * (attempt + 1)));
        }
    }
}

Xapian::WritableDatabase open_for_writing(const std::string& path, bool overwrite) {
    try {
        Xapian::WritableDatabase db(path, overwrite ? Xapian::DB_CREATE_OR_OVERWRITE : Xapian::DB_CREATE_OR_OPEN);
        check_schema(db, path);
        if (db.get_metadata(schema::kMetaSchemaVersion).empty()) {
            db.set_metadata(schema::kMetaSchemaVersion, std::to_string(schema::kSchemaVersion));
        }
        return db;
    } catch (const Xapian::DatabaseLockError&) {
        throw DatabaseError("database " + path + " is locked: another morgue-index is writing to it");
    } catch (const Xapian::DatabaseOpeningError& e) {
        throw DatabaseError("cannot open database " + path + " for writing: " + e.get_msg());
    } catch (const Xapian::DatabaseCorruptError& e) {
        throw DatabaseError("database " + path + " is corrupt (" + e.get_msg() +
                            (overwrite ? ")" : "): morgue-index --rebuild builds it again"));
    }
}

}  // namespace morgue
