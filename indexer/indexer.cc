#include "indexer.h"

#include "analyzer.h"
#include "channel.h"
#include "database.h"
#include "document_builder.h"
#include "error.h"
#include "facet_codes.h"
#include "file_state.h"
#include "parts.h"
#include "reader.h"
#include "schema.h"
#include "stories.h"
#include "store.h"
#include "stored_data.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace morgue {

namespace fs = std::filesystem;

void IndexListener::on_problem(const std::string&, const std::string&, bool) {}
void IndexListener::on_file(const std::string&, const std::string&) {}
void IndexListener::on_progress(const IndexProgress&) {}
void IndexListener::on_notice(const std::string&) {}

// ---- Walking the inputs ---------------------------------------------------

namespace {

struct Walker {
    IndexListener& listener;
    std::size_t& skipped;
    std::vector<fs::path>& files;
    std::set<std::pair<dev_t, ino_t>> on_path;  // directories being walked (loop detection)

    void walk_dir(const fs::path& dir) {
        struct stat st;
        if (::stat(dir.c_str(), &st) != 0) return;
        auto id = std::make_pair(st.st_dev, st.st_ino);
        if (!on_path.insert(id).second) {
            listener.on_problem(dir.string(), "symbolic link loop (skipped)", true);
            ++skipped;
            return;
        }
        std::error_code ec;
        std::vector<fs::directory_entry> entries;
        for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
        if (ec) {
            listener.on_problem(dir.string(), "cannot read directory: " + ec.message() + " (skipped)", true);
            ++skipped;
        }
        std::sort(entries.begin(), entries.end());
        for (const fs::directory_entry& e : entries) visit(e.path(), false);
        on_path.erase(id);
    }

    void visit(const fs::path& p, bool explicit_input) {
        std::error_code ec;
        fs::file_status s = fs::status(p, ec);  // follows symbolic links
        if (ec || !fs::exists(s)) {
            std::error_code link_ec;
            if (fs::is_symlink(fs::symlink_status(p, link_ec))) {
                std::string why = ec.value() == ELOOP ? "symbolic link loop"
                                  : ec && ec.value() != ENOENT ? ec.message()
                                                               : "broken symbolic link";
                listener.on_problem(p.string(), why + " (skipped)", true);
                ++skipped;
            }
            return;
        }
        if (fs::is_directory(s)) {
            walk_dir(p);
        } else if (explicit_input || (fs::is_regular_file(s) && format_of(p) != Format::kUnsupported)) {
            // Canonical: a file reached through links has one identity.
            files.push_back(fs::weakly_canonical(fs::absolute(p), ec));
        }
    }
};

}  // namespace

std::vector<fs::path> collect_files(const std::vector<fs::path>& inputs, IndexListener& listener,
                                    std::size_t& skipped) {
    std::vector<fs::path> files;
    Walker walker{listener, skipped, files, {}};
    for (const fs::path& input : inputs) {
        std::error_code ec;
        if (!fs::exists(fs::symlink_status(input, ec))) throw UsageError("no such file or directory: " + input.string());
        walker.visit(fs::absolute(input), true);
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

// ---- Per-file state in the database metadata ------------------------------

namespace {

std::map<std::string, FileState> load_states(Store& store) {
    std::map<std::string, FileState> states;
    for (const std::string& key : store.metadata_keys(std::string(schema::kMetaFilePrefix))) {
        if (auto s = decode(store.get_metadata(key))) states.emplace(s->path, *s);
    }
    return states;
}

bool under(const std::string& path, const std::vector<std::string>& roots) {
    for (const std::string& r : roots) {
        if (path == r || (path.size() > r.size() && path.compare(0, r.size(), r) == 0 && path[r.size()] == '/')) {
            return true;
        }
    }
    return false;
}

// The inputs as the canonical paths the files found under them have.
std::vector<std::string> canonical_roots(const std::vector<fs::path>& inputs) {
    std::vector<std::string> roots;
    for (const fs::path& in : inputs) {
        std::error_code ec;
        roots.push_back(fs::weakly_canonical(fs::absolute(in), ec).string());
    }
    return roots;
}

// `file` relative to the directory holding the first root it is under
// ("/srv/corpus/a/b.txt" under "/srv/corpus": "corpus/a/b.txt"; a root that
// is a file: its name); its name alone when under none (reached through a
// link from outside). Never absolute: the index does not depend on where
// the archive is.
std::string relative_to_roots(const std::string& file, const std::vector<std::string>& roots) {
    for (const std::string& root : roots) {
        if (!under(file, {root})) continue;
        std::size_t slash = root.find_last_of('/');
        return file.substr(slash == std::string::npos ? 0 : slash + 1);
    }
    return fs::path(file).filename().string();
}

// ---- The run's record -----------------------------------------------------

// Passes what happens on to the program's listener, and keeps what the run's
// record (run_record.h) says besides the counts: when it started, and the
// files and records skipped, by their paths relative to the roots.
class RunRecorder : public IndexListener {
public:
    RunRecorder(IndexListener& next, const std::vector<fs::path>& inputs)
        : next_(next), roots_(canonical_roots(inputs)), started_(std::chrono::system_clock::now()) {}

    void on_problem(const std::string& path, const std::string& message, bool skipped) override {
        if (skipped) note_skipped(path, message);
        next_.on_problem(path, message, skipped);
    }
    void on_file(const std::string& path, const std::string& what) override { next_.on_file(path, what); }
    void on_progress(const IndexProgress& progress) override { next_.on_progress(progress); }
    void on_notice(const std::string& message) override { next_.on_notice(message); }

    // The record of the run, finishing now, that counted `stats`.
    RunRecord record(const IndexStats& stats) const {
        RunRecord r;
        r.started = utc_iso8601(started_);
        r.finished = utc_iso8601(std::chrono::system_clock::now());
        r.version = MORGUE_VERSION;
        r.stats = stats;
        r.skipped_files = skipped_;
        r.skipped_total = skipped_total_;
        return r;
    }

private:
    void note_skipped(const std::string& path, std::string reason) {
        ++skipped_total_;
        if (skipped_.size() >= kMaxSkippedRecorded) return;
        constexpr std::string_view kSuffix = " (skipped)";  // said by being in the list
        if (reason.ends_with(kSuffix)) reason.resize(reason.size() - kSuffix.size());
        // A message quoting a path (a system error) quotes it relative to the roots too.
        for (const std::string& root : roots_) {
            std::string above = root.substr(0, root.find_last_of('/') + 1);
            if (above.size() <= 1) continue;
            for (std::size_t at; (at = reason.find(above)) != std::string::npos;) reason.erase(at, above.size());
        }
        skipped_.push_back({relative_to_roots(path, roots_), std::move(reason)});
    }

    IndexListener& next_;
    std::vector<std::string> roots_;
    std::chrono::system_clock::time_point started_;
    std::vector<SkippedFile> skipped_;
    std::size_t skipped_total_ = 0;
};

// ---- The pipeline ---------------------------------------------------------

// One article ready for the writer.
struct Prepared {
    std::string id_term;
    std::string identity;
    std::string date;  // YYYYMMDD or empty: with the identity, decides the shard
    Xapian::Document doc;
    std::size_t data_bytes = 0;         // of its data as JSON (before any deflating)
    std::vector<std::string> spelling;  // words for the spelling dictionary
    StorySketch sketch;                 // what story grouping needs (when stories are on)
};

// Whether a term goes in the spelling dictionary ("did you mean"): an
// unprefixed word of three letters or more.
bool is_spelling_word(const std::string& term) {
    auto first = static_cast<unsigned char>(term[0]);
    if (term.size() < 3 || (first < 0x80 && !std::islower(first))) return false;  // prefixed, digits, symbols
    return term.find_first_of("0123456789") == std::string::npos;
}

// A document's words for the spelling dictionary.
std::vector<std::string> spelling_words(const Xapian::Document& doc) {
    std::vector<std::string> words;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        if (is_spelling_word(*t)) words.push_back(*t);
    }
    return words;
}

// What the reader thread hands on, in file order.
struct Work {
    std::size_t seq = 0;
    std::size_t file = 0;  // index into the list of files to read
    enum class Kind { kPiece, kEndOfFile, kUnchanged } kind = Kind::kPiece;
    Piece piece;
    FileReport report;  // kEndOfFile: the reading report
    FileStamp stamp;    // kEndOfFile, kUnchanged
    // Filled in by a worker for kPiece:
    std::vector<Prepared> articles;
    FileReport parsed;
};

// One article made ready for the writer: its document, analysed, and the
// words it gives the spelling dictionary. The step where a file's text
// becomes documents, beside build_document. Throws what build_document throws.
// `stop` (stories on) also gives it the sketch story grouping places it by.
// With a data dictionary its data is deflated (stored_data.h).
Prepared prepare_article(Article&& a, const std::string& default_lang, Analyzer& analyzer, StopStems* stop,
                         const DataDictionary* dictionary) {
    settle_language(a, default_lang);
    Prepared p;
    p.identity = a.identity();
    p.id_term = schema::id_term(schema::article_id(p.identity));
    if (a.date) p.date = a.date->compact();
    p.doc = build_document(a, analyzer);
    p.data_bytes = p.doc.get_data().size();
    if (dictionary) {
        try {
            p.doc.set_data(dictionary->deflated(p.doc.get_data()));
        } catch (const Error&) {
            // zlib failed (out of memory): left plain, for the writer to deflate or fail the run,
            // not this file's articles dropped as malformed.
        }
    }
    p.spelling = spelling_words(p.doc);
    if (stop) p.sketch = sketch_of(p.doc, *stop);
    return p;
}

// A worker's step: the piece of `path` in `w` parsed into prepared articles.
// An error in the piece makes it malformed (its articles left out), never
// the run failed.
void analyse_piece(Work& w, const std::string& path, const std::vector<std::string>& roots,
                   const std::string& default_lang, Analyzer& analyzer, StopStems* stop,
                   const DataDictionary* dictionary) {
    auto fail = [&](const std::string& why) {
        w.articles.clear();
        w.parsed.outcome = FileReport::Outcome::kMalformed;
        w.parsed.error = "cannot index: " + why;
    };
    try {
        w.parsed = parse_piece(w.piece, path, [&](Article&& a) {
            a.relative_path = relative_to_roots(path, roots);
            w.articles.push_back(prepare_article(std::move(a), default_lang, analyzer, stop, dictionary));
        });
    } catch (const std::exception& e) {
        fail(e.what());
    } catch (const Xapian::Error& e) {
        fail(e.get_description());
    }
    w.piece.text.clear();
    w.piece.text.shrink_to_fit();
}

// A file to read, with what is known of it from the last run.
struct ToRead {
    fs::path path;
    std::optional<std::uint64_t> old_hash;  // of the content indexed before, if any
};

// When only the time of `t` changed: its stamp with the (same) hash; else nullopt.
std::optional<FileStamp> same_content(const ToRead& t) {
    if (!t.old_hash) return std::nullopt;
    auto h = hash_file(t.path);
    auto st = stat_file(t.path);
    if (!h || !st || *h != *t.old_hash) return std::nullopt;
    st->hash = *h;
    return st;
}

// The reader's step for file number `i`: unchanged, or its pieces then its
// end. Any exception while reading makes the file unreadable, never the run
// failed. False when the channel was closed (the run is stopping).
bool read_file(const ToRead& t, std::size_t i, std::size_t& seq, Channel<Work>& out) {
    if (auto stamp = same_content(t)) {
        Work w;
        w.seq = seq++;
        w.file = i;
        w.kind = Work::Kind::kUnchanged;
        w.stamp = *stamp;
        return out.push(std::move(w));
    }
    Work end;
    try {
        end.report = read_pieces(t.path, end.stamp, [&](Piece&& piece) {
            Work w;
            w.seq = seq++;
            w.file = i;
            w.piece = std::move(piece);
            out.push(std::move(w));
        });
    } catch (const std::exception& e) {
        end.report.outcome = FileReport::Outcome::kUnreadable;
        end.report.error = std::string("cannot read: ") + e.what();
    }
    end.seq = seq++;
    end.file = i;
    end.kind = Work::Kind::kEndOfFile;
    return out.push(std::move(end));
}

// What the writer keeps about a file while its pieces arrive.
struct FileProgress {
    FileReport report;
    std::unordered_set<DocRef, DocRefHash> seen;  // its articles indexed in this run
};

// Whether what was read of a file says what is in it, so that its articles
// it no longer has may be deleted. A file that could not be read or parsed
// keeps its articles.
bool read_completely(FileReport::Outcome outcome) {
    return outcome != FileReport::Outcome::kUnreadable && outcome != FileReport::Outcome::kMalformed;
}

class IndexingRun {
public:
    IndexingRun(const IndexOptions& options, RunRecorder& listener) : options_(options), listener_(listener) {}

    IndexStats run() {
        start_ = std::chrono::steady_clock::now();
        std::vector<fs::path> files = collect_files(options_.inputs, listener_, stats_.skipped);
        roots_ = canonical_roots(options_.inputs);
        store_.emplace(options_.db_path, options_.shard_by, options_.rebuild);
        sharded_ = store_->sharded();
        states_ = load_states(*store_);
        open_data_dictionary();
        // Left by an indexer from before issue 16, which grouped after writing: its
        // articles keep the stories they have.
        if (!store_->get_metadata(schema::kMetaPendingStories).empty()) store_->set_metadata(schema::kMetaPendingStories, "");
        if (options_.stories) stories_.emplace(archive());
        choose_writers();
        stats_.files = files.size();
        progress_.files_total = files.size();

        pipeline(to_read(files));
        remove_vanished(files);
        if (stories_) stats_.stories_joined = stories_->stats().joined;
        if (parts_) {
            merge_parts();
        } else {
            record_run();
            commit();
        }
        stories_.reset();  // its memory, before the codes'
        save_facet_codes();
        stats_.seconds = elapsed();
        return stats_;
    }

private:
    const IndexOptions& options_;
    RunRecorder& listener_;
    IndexStats stats_;
    IndexProgress progress_;
    std::optional<Store> store_;
    bool sharded_ = false;  // store_'s, read once: merge_parts() closes the store before the run's end
    std::vector<std::string> roots_;  // the inputs, canonical
    std::map<std::string, FileState> states_;
    std::optional<StoryIndex> stories_;  // when grouping stories
    std::optional<Parts> parts_;         // a full build by several writers
    std::size_t uncommitted_ = 0;
    // The data dictionary (stored_data.h): the database's, or, when it has
    // none, made from the data of its last articles and of the first ones
    // this run writes (first_data_, store_data); the workers deflate with
    // it. Sharded databases have none: each shard would need it.
    mutable std::mutex dictionary_mu_;
    std::shared_ptr<const DataDictionary> dictionary_;
    std::string first_data_;
    std::chrono::steady_clock::time_point start_;

    double elapsed() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

    void open_data_dictionary() {
        if (sharded_) return;
        std::string bytes = store_->get_metadata(schema::kMetaDataDictionary);
        if (!bytes.empty()) {
            dictionary_ = std::make_shared<const DataDictionary>(std::move(bytes));
            return;
        }
        first_data_ = last_articles_data(store_->reader());
        if (std::optional<std::string> made = dictionary_from(first_data_)) adopt_dictionary(std::move(*made));
    }

    // The data of the database's last articles, in document order, up to
    // about a dictionary's length: a database indexed a few articles a run,
    // or before dictionaries, learns from what it has. Looks at a bounded
    // number of document ids (deleted ones leave gaps).
    static std::string last_articles_data(const Xapian::Database& db) {
        constexpr Xapian::docid kMaxLooked = 1000;
        std::vector<std::string> data;
        std::size_t bytes = 0;
        Xapian::docid last = db.get_lastdocid();
        for (Xapian::docid id = last; id > 0 && last - id < kMaxLooked && bytes < DataDictionary::kBytes; --id) {
            try {
                std::string d = db.get_document(id).get_data();
                if (d.empty() || is_deflated(d)) continue;
                bytes += d.size();
                data.push_back(std::move(d));
            } catch (const Xapian::DocNotFoundError&) {
            }
        }
        std::string out;
        for (auto it = data.rbegin(); it != data.rend(); ++it) out += *it;
        return out;
    }

    // Makes `bytes` the database's data dictionary (its metadata, committed
    // with the articles deflated by it) and the workers'.
    void adopt_dictionary(std::string bytes) {
        store_->set_metadata(schema::kMetaDataDictionary, bytes);
        std::lock_guard lock(dictionary_mu_);
        dictionary_ = std::make_shared<const DataDictionary>(std::move(bytes));
        first_data_ = std::string();
    }

    std::shared_ptr<const DataDictionary> data_dictionary() const {
        std::lock_guard lock(dictionary_mu_);
        return dictionary_;
    }

    // An article's data as stored: deflated with the data dictionary (by a
    // worker, else here), or, until there is one, plain and learnt from: the
    // data of the first articles written makes the dictionary. Within a run,
    // which articles are deflated depends only on their order, never on the
    // workers' timing. Throws Error when zlib fails (the run fails).
    void store_data(Prepared& p) {
        std::string data = p.doc.get_data();
        if (is_deflated(data)) return;
        if (!dictionary_) {
            if (sharded_) return;  // each shard would need it: plain
            first_data_ += data;
            std::optional<std::string> bytes = dictionary_from(first_data_);
            if (!bytes) return;
            adopt_dictionary(std::move(*bytes));
        }
        p.doc.set_data(dictionary_->deflated(data));
    }

    // Decides per file: unchanged (by size and time: reported now), or to read.
    std::vector<ToRead> to_read(const std::vector<fs::path>& files) {
        std::vector<ToRead> out;
        for (const fs::path& f : files) {
            std::string path = f.string();
            auto stamp = stat_file(f);
            auto st = states_.find(path);
            if (stamp) progress_.bytes_total += stamp->size;
            if (stamp && st != states_.end() && st->second.stamp.size == stamp->size &&
                st->second.stamp.mtime_ns == stamp->mtime_ns) {
                unchanged(st->second);
                continue;
            }
            out.push_back(ToRead{f, st != states_.end() ? std::optional(st->second.stamp.hash) : std::nullopt});
        }
        return out;
    }

    void report_progress() {
        progress_.articles = stats_.added + stats_.updated;
        progress_.seconds = elapsed();
        listener_.on_progress(progress_);
    }

    void put_state(const FileState& s) {
        auto it = states_.find(s.path);
        if (it != states_.end() && encode(it->second) == encode(s)) return;  // nothing to write
        store_->set_metadata(schema::file_state_key(s.path), encode(s));
        states_[s.path] = s;
    }

    void unchanged(const FileState& s) {
        ++progress_.files_done;
        progress_.bytes_done += s.stamp.size;
        if (s.ok) {
            ++stats_.unchanged;
            listener_.on_file(s.path, "unchanged");
        } else {
            // A bad file stays bad until it changes: not read again, still reported.
            ++stats_.skipped;
            listener_.on_problem(s.path, s.error + " (skipped; unchanged since)", true);
        }
    }

    // Deletes the articles of `path` not in `keep`; returns how many.
    std::size_t delete_articles(const std::string& path, const std::unordered_set<DocRef, DocRefHash>& keep) {
        std::vector<DocRef> gone;
        for (const DocRef& r : store_->postings(schema::file_term(path))) {
            if (!keep.count(r)) gone.push_back(r);
        }
        for (const DocRef& r : gone) {
            for (const std::string& w : spelling_words(store_->get(r))) store_->spelling(r, w, -1);
            store_->remove(r);
        }
        stats_.removed += gone.size();
        return gone.size();
    }

    // What story grouping reads of the articles indexed before this run: none for a new database.
    std::optional<Archive> archive() {
        Xapian::doccount n = store_->reader().get_doccount();
        if (n == 0) return std::nullopt;
        return Archive{[this]() -> const Xapian::Database& { return store_->reader(); }, n,
                       [this] { return store_->shard_count(); }};
    }

    // The run's record, written with its last commit: a run killed before
    // that leaves the record of the run before it. An unchanged run records itself too.
    void record_run() {
        IndexStats s = stats_;
        s.seconds = elapsed();
        store_->set_metadata(schema::kMetaLastRun, encode(listener_.record(s)));
    }

    // Parts (parts.h) for a full build of an unsharded database with more
    // than one writer; any other run has one writer, and says so when more were asked for.
    void choose_writers() {
        if (!sharded_ && Parts::remove_leftovers(options_.db_path)) {
            listener_.on_notice("removed the parts of an unfinished build (" + options_.db_path + ".parts)");
        }
        if (options_.writers <= 1) return;
        std::string writers = "--writers " + std::to_string(options_.writers) + ": ";
        if (sharded_) {
            listener_.on_notice(writers + "a sharded index is written by one writer");
        } else if (store_->reader().get_doccount() > 0 || !states_.empty()) {
            listener_.on_notice(writers + "only a full build (a new or empty database, or --rebuild) has several; one writer updates");
        } else {
            parts_.emplace(options_.db_path, options_.writers, options_.batch);
        }
    }

    void commit() {
        store_->commit();
        uncommitted_ = 0;
    }

    // Its story before it is written: written once, never relabelled.
    void place(Prepared& p) {
        if (stories_) stories_->place(p.doc, p.id_term, std::move(p.sketch));
    }

    void write(Prepared& p, FileProgress& fp) {
        store_data(p);
        auto [ref, replaced] = parts_ ? write_to_part(p) : write_to_store(p);
        fp.seen.insert(ref);
        ++(replaced ? stats_.updated : stats_.added);
    }

    // Written now, committed every `batch` articles; true when it replaced an article.
    std::pair<DocRef, bool> write_to_store(Prepared& p) {
        std::optional<DocRef> old = store_->find(p.id_term);
        if (old) {
            for (const std::string& w : spelling_words(store_->get(*old))) store_->spelling(*old, w, -1);
        }
        place(p);
        DocRef ref = store_->put(p.id_term, p.doc, store_->key_for(p.identity, p.date));
        for (const std::string& w : p.spelling) store_->spelling(ref, w, +1);
        if (++uncommitted_ >= options_.batch) commit();
        return {ref, old.has_value()};
    }

    // Handed to a writer thread with the document id one writer would give it.
    std::pair<DocRef, bool> write_to_part(Prepared& p) {
        auto [id, replaced] = parts_->docid_for(p.id_term);
        place(p);
        parts_->add(id, std::move(p.doc), p.data_bytes);
        return {DocRef{0, id}, replaced};
    }

    // The facet codes of the database as the run leaves it (write_facet_codes),
    // for searchers that answer one request (morgue.cgi) to count instead of
    // reading value streams. Sharded databases have none. Without them
    // searches read the values: a failure is a notice.
    void save_facet_codes() {
        if (sharded_) return;
        try {
            write_facet_codes(options_.db_path);
        } catch (const Xapian::Error& e) {
            listener_.on_notice("facet codes not written (searches read the values instead): " + e.get_description());
        } catch (const std::exception& e) {
            listener_.on_notice(std::string("facet codes not written (searches read the values instead): ") + e.what());
        }
    }

    // The end of a build in parts: the spelling dictionary from the words
    // of all the parts (the article counts of the whole run), the metadata
    // committed to the database, then the parts merged into it.
    void merge_parts() {
        parts_->finish();
        parts_->for_each_word([&](const std::string& term, Xapian::doccount articles) {
            if (is_spelling_word(term)) store_->set_spelling(term, articles);
        });
        record_run();  // the merge after it is a few percent of a build
        store_->commit();
        store_.reset();  // closed: the merged database takes its place
        parts_->merge_into(options_.db_path);
        parts_.reset();
    }

    void end_of_file(const fs::path& f, FileProgress& fp, const FileStamp& stamp) {
        const std::string path = f.string();
        FileReport& r = fp.report;
        if (r.outcome == FileReport::Outcome::kOk && r.articles == 0) {
            r.outcome = FileReport::Outcome::kEmpty;
            r.error = r.skipped_records > 0 ? "no usable record" : "no articles in it";
        }
        for (const std::string& w : r.warnings) {
            listener_.on_problem(path, w, w.find("(record skipped)") != std::string::npos);
        }
        stats_.warnings += r.warnings.size() - std::min(r.warnings.size(), r.skipped_records);
        stats_.skipped += r.skipped_records;
        ++progress_.files_done;
        progress_.bytes_done += stamp.size;
        stats_.bytes += stamp.size;
        if (r.outcome == FileReport::Outcome::kUnreadable) {
            // Maybe passing trouble: keep what was indexed, try again next run.
            listener_.on_problem(path, r.error + " (skipped)", true);
            ++stats_.skipped;
            return;
        }
        std::size_t removed = read_completely(r.outcome) ? delete_articles(path, fp.seen) : 0;
        FileState s{path, stamp, r.outcome == FileReport::Outcome::kOk, r.error};
        if (r.changed_while_read) s.stamp = FileStamp{};  // read it again next time
        put_state(s);
        if (!s.ok) {
            // A file none of whose records was usable is named once, by its records' reasons.
            if (r.skipped_records == 0) listener_.on_problem(path, r.error + " (skipped)", true);
            ++stats_.skipped;
        } else {
            listener_.on_file(path, "indexed " + std::to_string(fp.seen.size()) + " articles" +
                                        (removed ? ", removed " + std::to_string(removed) : ""));
        }
        report_progress();
    }

    // Reading, analysis and writing, as in the header: one reader thread,
    // `threads` workers, and this thread writing in file order.
    void pipeline(const std::vector<ToRead>& files) {
        if (files.empty()) return;
        unsigned threads = options_.threads ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
        Channel<Work> to_workers(threads * 4);
        Channel<Work> to_writer(threads * 4);
        std::thread reader([&] {
            std::size_t seq = 0;
            for (std::size_t i = 0; i < files.size(); ++i) {
                if (!read_file(files[i], i, seq, to_workers)) return;
            }
            to_workers.close();
        });
        std::vector<std::thread> workers;
        std::mutex done_mu;
        unsigned running = threads;
        for (unsigned k = 0; k < threads; ++k) {
            workers.emplace_back([&] {
                analyse(files, to_workers, to_writer);
                std::lock_guard lock(done_mu);
                if (--running == 0) to_writer.close();
            });
        }
        try {
            write_in_order(files, to_writer);
        } catch (...) {
            to_workers.close();
            to_writer.close();
            reader.join();
            for (auto& t : workers) t.join();
            throw;
        }
        reader.join();
        for (auto& t : workers) t.join();
    }

    // A worker: pieces from `in` analysed, everything passed on to `out`.
    void analyse(const std::vector<ToRead>& files, Channel<Work>& in, Channel<Work>& out) const {
        Analyzer analyzer;
        StopStems stop(analyzer);
        StopStems* for_stories = options_.stories ? &stop : nullptr;
        while (auto w = in.pop()) {
            if (w->kind == Work::Kind::kPiece) {
                std::shared_ptr<const DataDictionary> dictionary = data_dictionary();
                analyse_piece(*w, files[w->file].path.string(), roots_, options_.lang, analyzer, for_stories,
                              dictionary.get());
            }
            if (!out.push(std::move(*w))) break;
        }
    }

    // The writer: work from `in`, applied in sequence order.
    void write_in_order(const std::vector<ToRead>& files, Channel<Work>& in) {
        std::map<std::size_t, Work> early;
        std::size_t next = 0;
        std::unordered_map<std::size_t, FileProgress> open_files;
        while (auto w = in.pop()) {
            early.emplace(w->seq, std::move(*w));
            for (auto it = early.find(next); it != early.end(); it = early.find(next)) {
                apply(it->second, files[it->second.file].path, open_files);
                early.erase(it);
                ++next;
            }
        }
    }

    void apply(Work& work, const fs::path& f, std::unordered_map<std::size_t, FileProgress>& open_files) {
        switch (work.kind) {
            case Work::Kind::kUnchanged: {
                FileState s = states_[f.string()];
                s.stamp = work.stamp;
                put_state(s);
                unchanged(s);
                break;
            }
            case Work::Kind::kPiece: {
                FileProgress& fp = open_files[work.file];
                fp.report.merge(work.parsed);
                for (Prepared& p : work.articles) write(p, fp);
                break;
            }
            case Work::Kind::kEndOfFile: {
                FileProgress& fp = open_files[work.file];
                work.report.merge(fp.report);
                fp.report = std::move(work.report);
                end_of_file(f, fp, work.stamp);
                open_files.erase(work.file);
                break;
            }
        }
    }

    // Articles of files that were indexed under the given roots but are gone.
    void remove_vanished(const std::vector<fs::path>& files) {
        std::unordered_set<std::string> present;
        for (const fs::path& f : files) present.insert(f.string());
        std::vector<std::string> gone;
        for (const auto& [path, state] : states_) {
            if (!present.count(path) && under(path, roots_)) gone.push_back(path);
        }
        for (const std::string& path : gone) {
            std::size_t n = delete_articles(path, {});
            store_->set_metadata(schema::file_state_key(path), "");
            states_.erase(path);
            listener_.on_file(path, "gone: removed " + std::to_string(n) + " articles");
        }
    }
};

}  // namespace

bool write_facet_codes(const std::string& db_path) {
    Xapian::Database db(db_path);
    if (FacetCodes::load(db_path, db)) return true;  // already those of this revision
    std::shared_ptr<const FacetCodes> codes = FacetCodes::build(db);
    if (!codes) return false;
    codes->save(db_path);
    return true;
}

IndexStats run_index(const IndexOptions& options, IndexListener& listener) {
    RunRecorder recorder(listener, options.inputs);
    return IndexingRun(options, recorder).run();
}

}  // namespace morgue
