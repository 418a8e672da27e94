#include "indexer.h"

#include "analyzer.h"
#include "database.h"
#include "document.h"
#include "error.h"
#include "reader.h"
#include "schema.h"
#include "stories.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

namespace morgue {

namespace fs = std::filesystem;

void IndexListener::on_problem(const std::string&, const std::string&, bool) {}
void IndexListener::on_progress(std::size_t, std::size_t, std::size_t) {}

std::vector<fs::path> collect_files(const std::vector<fs::path>& inputs) {
    std::vector<fs::path> files;
    for (const fs::path& input : inputs) {
        std::error_code ec;
        auto status = fs::status(input, ec);
        if (ec || !fs::exists(status)) throw UsageError("no such file or directory: " + input.string());
        if (!fs::is_directory(status)) {
            files.push_back(fs::weakly_canonical(fs::absolute(input)));
            continue;
        }
        // Paths are made absolute and canonical: they are the articles' identities.
        fs::recursive_directory_iterator it(fs::weakly_canonical(fs::absolute(input)),
                                            fs::directory_options::skip_permission_denied, ec),
            end;
        for (; !ec && it != end; it.increment(ec)) {
            if (it->is_regular_file(ec) && format_of(it->path()) != Format::kUnsupported) {
                files.push_back(it->path());
            }
        }
        if (ec) throw Error("cannot walk " + input.string() + ": " + ec.message());
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

namespace {

// Words of a document for the spelling dictionary ("did you mean"): its
// unprefixed terms that are words of three letters or more. Counted per
// document (how many articles use the word), applied in one call per word.
void count_spelling(std::unordered_map<std::string, long>& counts, const Xapian::Document& doc, long delta) {
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string& term = *t;
        auto first = static_cast<unsigned char>(term[0]);
        if (term.size() < 3 || (first < 0x80 && !std::islower(first))) continue;  // prefixed, digits, symbols
        if (term.find_first_of("0123456789") != std::string::npos) continue;
        counts[term] += delta;
    }
}

void apply_spelling(Xapian::WritableDatabase& db, std::unordered_map<std::string, long>& counts) {
    for (const auto& [word, n] : counts) {
        if (n > 0) db.add_spelling(word, static_cast<Xapian::termcount>(n));
        if (n < 0) db.remove_spelling(word, static_cast<Xapian::termcount>(-n));
    }
    counts.clear();
}

}  // namespace

IndexStats run_index(const IndexOptions& options, IndexListener& listener) {
    auto start = std::chrono::steady_clock::now();
    IndexStats stats;
    std::vector<fs::path> files = collect_files(options.inputs);
    Xapian::WritableDatabase db = open_for_writing(options.db_path);
    Analyzer analyzer;
    std::size_t articles = 0;
    std::vector<Xapian::docid> changed;
    std::unordered_map<std::string, long> spelling;
    for (const fs::path& file : files) {
        ++stats.files;
        FileReport report = read_articles(file, [&](Article&& article) {
            if (article.lang.empty()) article.lang = options.lang;
            std::string id = schema::id_term(article.identity());
            Xapian::Document doc = build_document(article, analyzer);
            Xapian::PostingIterator old = db.postlist_begin(id);
            bool exists = old != db.postlist_end(id);
            if (exists) count_spelling(spelling, db.get_document(*old), -1);
            changed.push_back(db.replace_document(id, doc));
            count_spelling(spelling, doc, +1);
            ++(exists ? stats.updated : stats.added);
            stats.bytes += article.body.size();
            ++articles;
        });
        for (const std::string& w : report.warnings) {
            listener.on_problem(file.string(), w, false);
            ++stats.warnings;
        }
        stats.skipped += report.skipped_records;
        if (report.outcome != FileReport::Outcome::kOk) {
            listener.on_problem(file.string(), report.error, true);
            ++stats.skipped;
        }
        listener.on_progress(stats.files, files.size(), articles);
    }
    apply_spelling(db, spelling);
    db.commit();
    if (options.stories) {
        StoryStats st = group_stories(db, changed);
        stats.stories_joined = st.joined;
        db.commit();
    }
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return stats;
}

}  // namespace morgue
