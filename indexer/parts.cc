#include "parts.h"

#include "channel.h"
#include "error.h"
#include "schema.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace morgue {

namespace fs = std::filesystem;

namespace {

// Parts are scratch: a crash means building again, so they are never synced to disk.
constexpr int kPartFlags = Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC;

// Bytes of document data (the stored article) in the parts held in memory
// at once: the one being filled, the one waiting and one per writer. A
// document with its terms and positions, then in Xapian's buffers, takes
// about 20 times its data: 8 MB is about 300 MB of memory at any number
// of writers (measured on Reuters-21578, docs/BENCHMARKS.md). Smaller
// parts would take less, and make a larger index: the compactor copies
// each part's posting list chunks as they are, without joining them.
constexpr std::size_t kDataInMemory = 8u << 20;

// A part on its way to a writer: documents with ids first, first + 1, ...
struct Part {
    std::string path;
    Xapian::docid first = 0;
    std::vector<Xapian::Document> docs;
};

std::string parts_dir(const std::string& db_path) { return db_path + ".parts"; }

// The key in Parts::Impl::ids of the article with id term `id_term`: the bits of its id.
std::uint64_t article_key(const std::string& id_term) {
    std::string_view id = std::string_view(id_term).substr(std::min(id_term.size(), schema::kPrefixId.size()));
    if (id_term.starts_with(schema::kPrefixId) && schema::is_article_id(id)) return schema::article_bits(id);
    return std::hash<std::string>()(id_term);  // (not an id term schema::id_term() makes)
}

// A writer thread's step: the part written, committed and closed, each
// document let go as soon as Xapian has it.
void write_part(Part& part) {
    Xapian::WritableDatabase db(part.path, kPartFlags);
    for (std::size_t i = 0; i < part.docs.size(); ++i) {
        db.replace_document(part.first + static_cast<Xapian::docid>(i), part.docs[i]);
        part.docs[i] = Xapian::Document();
    }
    db.commit();
    db.close();
}

}  // namespace

struct Parts::Impl {
    std::string dir;
    std::size_t part_size;
    std::size_t part_bytes;  // of document data, at most
    std::size_t filling_bytes = 0;
    Channel<Part> to_writers{1};
    std::vector<std::thread> writers;
    std::mutex error_mu;
    std::string error;  // the first writer's failure

    // Article (article_key()) -> document id, this run: a million articles take 40 MB.
    std::unordered_map<std::uint64_t, Xapian::docid> ids;
    Xapian::docid last = 0;
    Part filling;                              // the part being filled
    std::vector<std::string> paths;            // of the parts, in order of their ranges
    std::vector<Xapian::docid> firsts;         // their first ids
    std::optional<Xapian::WritableDatabase> replaced;

    void writer() {
        while (auto part = to_writers.pop()) {
            try {
                write_part(*part);
            } catch (const Xapian::Error& e) {
                fail(part->path + ": " + e.get_description());
            } catch (const std::exception& e) {
                fail(part->path + ": " + e.what());
            }
        }
    }

    void fail(const std::string& why) {
        {
            std::lock_guard lock(error_mu);
            if (error.empty()) error = why;
        }
        to_writers.close();
    }

    void check() {
        std::lock_guard lock(error_mu);
        if (!error.empty()) throw DatabaseError("cannot write a part of the index: " + error);
    }

    void start_part() {
        char name[16];
        std::snprintf(name, sizeof name, "%06zu", paths.size());
        filling.path = dir + "/" + name;
        filling.first = last + 1;
        filling_bytes = 0;
    }

    void send() {
        paths.push_back(filling.path);
        firsts.push_back(filling.first);
        if (!to_writers.push(std::move(filling))) check();
        filling = Part();
    }

    void stop() {
        to_writers.close();
        for (auto& t : writers) t.join();
        writers.clear();
    }

    // Each replaced article over its first version, in the part its id is in.
    void apply_replacements() {
        if (!replaced) return;
        replaced->commit();
        std::size_t open = paths.size();
        std::optional<Xapian::WritableDatabase> part;
        for (auto it = replaced->postlist_begin(""); it != replaced->postlist_end(""); ++it) {
            auto k = static_cast<std::size_t>(std::upper_bound(firsts.begin(), firsts.end(), *it) - firsts.begin() - 1);
            if (k != open) {
                if (part) part->commit();
                part.emplace(paths[k], Xapian::DB_OPEN | Xapian::DB_NO_SYNC);
                open = k;
            }
            part->replace_document(*it, replaced->get_document(*it));
        }
        if (part) part->commit();
        replaced->close();
        replaced.reset();
    }
};

Parts::Parts(const std::string& db_path, unsigned writers, std::size_t part_size) : impl_(std::make_unique<Impl>()) {
    impl_->dir = parts_dir(db_path);
    impl_->part_size = part_size;
    impl_->part_bytes = kDataInMemory / (writers + 2);
    fs::create_directories(impl_->dir);
    impl_->start_part();
    for (unsigned i = 0; i < writers; ++i) impl_->writers.emplace_back([this] { impl_->writer(); });
}

Parts::~Parts() { impl_->stop(); }

bool Parts::remove_leftovers(const std::string& db_path) {
    std::error_code ec;
    return fs::remove_all(parts_dir(db_path), ec) > 0;
}

std::pair<Xapian::docid, bool> Parts::docid_for(const std::string& id_term) {
    auto [it, added] = impl_->ids.try_emplace(article_key(id_term), impl_->last + 1);
    if (added) ++impl_->last;
    return {it->second, !added};
}

void Parts::add(Xapian::docid id, Xapian::Document&& doc, std::size_t data_bytes) {
    Impl& m = *impl_;
    if (id >= m.filling.first) {
        std::size_t i = id - m.filling.first;
        if (i < m.filling.docs.size()) {
            m.filling.docs[i] = std::move(doc);  // the same identity again, still in the part being filled
            return;
        }
        m.filling_bytes += data_bytes;
        m.filling.docs.push_back(std::move(doc));
        if (m.filling.docs.size() >= m.part_size || m.filling_bytes >= m.part_bytes) {
            m.send();
            m.start_part();
        }
        return;
    }
    // Its first version has gone to a writer: it is put over it before the merge.
    if (!m.replaced) m.replaced.emplace(m.dir + "/replaced", kPartFlags);
    m.replaced->replace_document(id, doc);
}

void Parts::finish() {
    Impl& m = *impl_;
    if (!m.filling.docs.empty()) m.send();
    m.stop();
    m.check();
    m.apply_replacements();
}

void Parts::for_each_word(const std::function<void(const std::string&, Xapian::doccount)>& f) const {
    if (impl_->paths.empty()) return;
    Xapian::Database all;
    for (const std::string& p : impl_->paths) all.add_database(Xapian::Database(p));
    auto it = all.allterms_begin();
    for (it.skip_to("a"); it != all.allterms_end(); ++it) f(*it, it.get_termfreq());
}

void Parts::merge_into(const std::string& db_path) {
    Impl& m = *impl_;
    if (!m.paths.empty()) {
        std::string merged = m.dir + "/merged";
        {
            Xapian::Database sources(db_path);  // first: the metadata and the spelling dictionary
            for (const std::string& p : m.paths) sources.add_database(Xapian::Database(p));
            unsigned flags = Xapian::DBCOMPACT_NO_RENUMBER | Xapian::Compactor::FULL;
            if (m.paths.size() > 3) flags |= Xapian::DBCOMPACT_MULTIPASS;
            sources.compact(merged, flags);
        }
        // A crash between the renames leaves no database: the next run builds it again.
        fs::rename(db_path, m.dir + "/empty");
        fs::rename(merged, db_path);
    }
    std::error_code ec;
    fs::remove_all(m.dir, ec);
}

}  // namespace morgue
