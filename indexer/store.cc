#include "store.h"

#include "database.h"
#include "error.h"
#include "schema.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>

namespace morgue {

namespace fs = std::filesystem;

namespace {

std::string describe(const ShardBy& s) {
    return s.kind == ShardBy::Kind::kYear ? "year" : "hash:" + std::to_string(s.buckets);
}

// A word's frequency in the spelling dictionary: the number of articles
// with it when that is at least kMinSpellingArticles; a word of one article
// is left out (mostly typos and one-off names, each of which would cost the
// spelling table a dozen fragment entries).
Xapian::doccount dictionary_frequency(Xapian::doccount articles) {
    return articles < schema::kMinSpellingArticles ? 0 : articles;
}

// Brings the spelling dictionary entries of `touched` words up to date
// with their term frequencies (this batch included).
void sync_spelling(Xapian::WritableDatabase& db, const std::unordered_map<std::string, long>& touched) {
    std::vector<std::string> words;
    words.reserve(touched.size());
    for (const auto& entry : touched) words.push_back(entry.first);
    std::sort(words.begin(), words.end());
    // Their frequencies in the dictionary now, read in one pass before any is changed.
    std::vector<Xapian::doccount> have(words.size(), 0);
    auto it = db.spellings_begin();
    for (std::size_t i = 0; i < words.size() && it != db.spellings_end(); ++i) {
        it.skip_to(words[i]);
        if (it != db.spellings_end() && *it == words[i]) have[i] = it.get_termfreq();
    }
    for (std::size_t i = 0; i < words.size(); ++i) {
        Xapian::doccount want = dictionary_frequency(db.get_termfreq(words[i]));
        if (want > have[i]) db.add_spelling(words[i], want - have[i]);
        if (want < have[i]) db.remove_spelling(words[i], have[i] - want);
    }
}

}  // namespace

Store::Store(const std::string& path, std::optional<ShardBy> shard_by, bool rebuild) : path_(path) {
    std::string dir = path + ".shards";
    sharded_ = shard_by.has_value() || (is_stub_file(path) && fs::is_directory(dir));
    if (!sharded_) {
        shards_.push_back(std::make_unique<Shard>(Shard{"", open_for_writing(path, rebuild), {}}));
        state_ = shards_[0]->db;
        return;
    }
    if (fs::is_directory(path)) {
        throw DatabaseError(path + " is an unsharded database: give another path to build a sharded one");
    }
    if (rebuild) {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    fs::create_directories(dir);
    state_ = open_for_writing(state_db_path(path));
    std::string stored = state_.get_metadata(schema::kMetaShardBy);
    if (shard_by) {
        if (!stored.empty() && stored != describe(*shard_by)) {
            throw DatabaseError(path + " is sharded by " + stored + ", not " + describe(*shard_by) +
                                ": use --rebuild to change the sharding");
        }
        shard_by_ = *shard_by;
        if (stored.empty()) state_.set_metadata(schema::kMetaShardBy, describe(*shard_by));
    } else {
        auto parsed = ShardBy::parse(stored);
        if (!parsed) throw DatabaseError(path + ": its sharding scheme is missing; rebuild it with --shard-by");
        shard_by_ = *parsed;
    }
    std::vector<std::string> keys;
    for (const auto& e : fs::directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        if (e.is_directory() && e.path() != fs::path(state_db_path(path))) keys.push_back(name);
    }
    std::sort(keys.begin(), keys.end());
    for (const std::string& k : keys) shards_.push_back(std::make_unique<Shard>(Shard{k, open_for_writing(dir + "/" + k), {}}));
    stub_dirty_ = !is_stub_file(path);
}

std::string Store::key_for(std::string_view identity, std::string_view yyyymmdd) const {
    return sharded_ ? shard_by_.key(identity, yyyymmdd) : std::string();
}

std::uint32_t Store::shard_for(const std::string& key) {
    for (std::uint32_t i = 0; i < shards_.size(); ++i) {
        if (shards_[i]->key == key) return i;
    }
    // A new shard (a new year): created now, listed in the stub at the next commit.
    shards_.push_back(std::make_unique<Shard>(Shard{key, open_for_writing(path_ + ".shards/" + key), {}}));
    reader_.reset();
    stub_dirty_ = true;
    return static_cast<std::uint32_t>(shards_.size() - 1);
}

std::optional<DocRef> Store::find(const std::string& term) {
    for (std::uint32_t i = 0; i < shards_.size(); ++i) {
        Xapian::WritableDatabase& db = shards_[i]->db;
        auto it = db.postlist_begin(term);
        if (it != db.postlist_end(term)) return DocRef{i, *it};
    }
    return std::nullopt;
}

std::vector<DocRef> Store::postings(const std::string& term) {
    std::vector<DocRef> refs;
    for (std::uint32_t i = 0; i < shards_.size(); ++i) {
        Xapian::WritableDatabase& db = shards_[i]->db;
        for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) refs.push_back(DocRef{i, *it});
    }
    return refs;
}

Xapian::Document Store::get(const DocRef& ref) { return shards_[ref.shard]->db.get_document(ref.id); }

DocRef Store::put(const std::string& id_term, const Xapian::Document& doc, const std::string& key) {
    std::uint32_t target = shard_for(key);
    if (auto old = find(id_term); old && old->shard != target) remove(*old);  // it moved shards
    return DocRef{target, shards_[target]->db.replace_document(id_term, doc)};
}

void Store::remove(const DocRef& ref) { shards_[ref.shard]->db.delete_document(ref.id); }

void Store::spelling(const DocRef& ref, const std::string& word, long delta) { shards_[ref.shard]->spelling[word] += delta; }

void Store::set_spelling(const std::string& word, Xapian::doccount articles) {
    if (Xapian::doccount f = dictionary_frequency(articles)) state_.add_spelling(word, f);
}

std::string Store::get_metadata(const std::string& key) { return state_.get_metadata(key); }

void Store::set_metadata(const std::string& key, const std::string& value) { state_.set_metadata(key, value); }

std::vector<std::string> Store::metadata_keys(const std::string& prefix) {
    return std::vector<std::string>(state_.metadata_keys_begin(prefix), state_.metadata_keys_end(prefix));
}

void Store::write_stub() {
    std::string tmp = path_ + ".new";
    {
        std::ofstream out(tmp);
        out << "# morgue shards, written by morgue-index (sharded by " << describe(shard_by_)
            << "). Searchers open this file.\n# To serve a shard from another machine, replace its line with\n"
               "# 'remote HOST:PORT' (scripts/shard-server).\n";
        std::string base = fs::path(path_).filename().string() + ".shards/";
        std::vector<std::string> keys;
        for (const auto& s : shards_) keys.push_back(s->key);
        std::sort(keys.begin(), keys.end());
        for (const std::string& k : keys) out << "auto " << base << k << "\n";
        if (!out) throw DatabaseError("cannot write the shard list " + tmp);
    }
    fs::rename(tmp, path_);  // atomic: searchers see the old list or the new one
    stub_dirty_ = false;
}

void Store::commit() {
    for (auto& s : shards_) {
        sync_spelling(s->db, s->spelling);
        s->spelling.clear();
        s->db.commit();
    }
    if (sharded_) {
        if (stub_dirty_ && !shards_.empty()) write_stub();
        state_.commit();
    }
}

Xapian::Database& Store::reader() {
    if (!reader_) {
        Xapian::Database db;
        for (const auto& s : shards_) db.add_database(s->db);
        reader_ = db;
    }
    return *reader_;
}

Xapian::docid Store::combined(const DocRef& ref) const {
    auto n = static_cast<Xapian::docid>(shards_.size());
    return (ref.id - 1) * n + ref.shard + 1;
}

DocRef Store::ref_of(Xapian::docid combined) const {
    auto n = static_cast<Xapian::docid>(shards_.size());
    return DocRef{static_cast<std::uint32_t>((combined - 1) % n), (combined - 1) / n + 1};
}

std::string Store::encode(const DocRef& ref) const {
    return sharded_ ? shards_[ref.shard]->key + ":" + std::to_string(ref.id) : std::to_string(ref.id);
}

std::optional<DocRef> Store::decode(const std::string& s) const {
    std::size_t colon = s.rfind(':');
    std::string key = colon == std::string::npos ? "" : s.substr(0, colon);
    std::string id = colon == std::string::npos ? s : s.substr(colon + 1);
    Xapian::docid n = 0;
    auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
    if (ec != std::errc() || end != id.data() + id.size() || n == 0) return std::nullopt;
    for (std::uint32_t i = 0; i < shards_.size(); ++i) {
        if (shards_[i]->key == key) return DocRef{i, n};
    }
    return std::nullopt;
}

}  // namespace morgue
