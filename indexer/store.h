// The index an indexing run writes: one database, or a set of shards
// (shards.h) behind a stub file. The indexer and story grouping write
// through this class and never need to know which.
//
// Sharded layout for a database path DB:
//   DB                    the stub file searchers open ("auto DB.shards/KEY" a line)
//   DB.shards/KEY/        one database per shard key (a year, or a hash bucket)
//   DB.shards/_state/     a database of metadata only: each file's state and the
//                         sharding scheme
// An article lives in exactly one shard; when its key changes (its date was
// corrected) it moves. Commits write the shards first and the state last, so
// a crash in between only makes the next run read some files again.
#pragma once

#include "shards.h"

#include <xapian.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace morgue {

// Where a document is: its shard (0 for an unsharded database) and its
// document id there. Stable while a run adds shards (combined document ids
// are not).
struct DocRef {
    std::uint32_t shard = 0;
    Xapian::docid id = 0;
    friend bool operator==(const DocRef&, const DocRef&) = default;
};

struct DocRefHash {
    std::size_t operator()(const DocRef& r) const { return std::hash<std::uint64_t>()((std::uint64_t{r.shard} << 32) | r.id); }
};

class Store {
public:
    // Opens `path` for writing: a database directory, or with `shard_by`
    // (or when `path` is already a shard stub) a set of shards. `rebuild`
    // empties it first. Throws DatabaseError (locked, another schema, a
    // different sharding than before without `rebuild`).
    Store(const std::string& path, std::optional<ShardBy> shard_by, bool rebuild);

    bool sharded() const { return sharded_; }
    // Shards (1 when unsharded): combined document ids change with it.
    std::size_t shard_count() const { return shards_.size(); }

    // The shard key of an article (empty when unsharded).
    std::string key_for(std::string_view identity, std::string_view yyyymmdd) const;

    // Where the (unique) document with boolean term `term` is.
    std::optional<DocRef> find(const std::string& term);
    // Every document with `term`, in every shard.
    std::vector<DocRef> postings(const std::string& term);
    Xapian::Document get(const DocRef& ref);

    // Writes the document identified by `id_term` into the shard for `key`,
    // removing it from any other shard. Returns where it is now.
    DocRef put(const std::string& id_term, const Xapian::Document& doc, const std::string& key);
    void remove(const DocRef& ref);

    // A word whose number of articles changed by `delta` (added or removed
    // articles): its spelling dictionary entry is brought up to date with its
    // term frequency at the next commit (per shard; schema::kMinSpellingArticles).
    void spelling(const DocRef& ref, const std::string& word, long delta);
    // A full build in parts (parts.h): `word` is in `articles` articles of
    // the whole database; its dictionary entry follows the same rule. Unsharded only.
    void set_spelling(const std::string& word, Xapian::doccount articles);

    // Run-level metadata (file states).
    std::string get_metadata(const std::string& key);
    void set_metadata(const std::string& key, const std::string& value);
    // Keys of metadata starting with `prefix`.
    std::vector<std::string> metadata_keys(const std::string& prefix);

    // Commits every shard, then the metadata.
    void commit();

    // All shards as one database (sees uncommitted changes), and the
    // mapping between its document ids and DocRefs (valid until a shard is
    // added).
    Xapian::Database& reader();
    Xapian::docid combined(const DocRef& ref) const;
    DocRef ref_of(Xapian::docid combined) const;

    // "KEY:ID": a reference that survives across runs.
    std::string encode(const DocRef& ref) const;
    std::optional<DocRef> decode(const std::string& s) const;

private:
    struct Shard {
        std::string key;
        Xapian::WritableDatabase db;
        std::unordered_map<std::string, long> spelling;
    };

    std::uint32_t shard_for(const std::string& key);
    void write_stub();

    std::string path_;
    bool sharded_ = false;
    ShardBy shard_by_;
    std::vector<std::unique_ptr<Shard>> shards_;
    Xapian::WritableDatabase state_;  // the metadata: shards_[0].db when unsharded
    std::optional<Xapian::Database> reader_;
    bool stub_dirty_ = false;
};

}  // namespace morgue
