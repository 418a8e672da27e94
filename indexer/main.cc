// morgue-index: index article files into a morgue database.
// Exit status: 0 when everything was indexed, 1 when a file or record was
// skipped (with --strict: also when anything was warned about), 2 on an
// error that stopped the run.
#include "archive.h"
#include "cli.h"
#include "database.h"
#include "error.h"
#include "indexer.h"
#include "language.h"
#include "program.h"
#include "reader.h"
#include "render.h"
#include "report.h"
#include "shards.h"

#include <cxxopts.hpp>
#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <unistd.h>

namespace {

// Prints problems as "morgue-index: PATH: message" on stderr, and a
// progress bar when stderr is a terminal.
class Reporter : public morgue::IndexListener {
public:
    Reporter(bool quiet, bool verbose) : quiet_(quiet), verbose_(verbose), tty_(isatty(STDERR_FILENO) && !quiet) {}
    ~Reporter() override { clear(); }

    void on_problem(const std::string& path, const std::string& message, bool skipped) override {
        if (quiet_ && !skipped) return;
        clear();
        std::cerr << "morgue-index: " << morgue::utf8::printable(path) << ": " << morgue::utf8::printable(message) << "\n";
    }
    void on_file(const std::string& path, const std::string& what) override {
        if (!verbose_) return;
        clear();
        std::cerr << "morgue-index: " << morgue::utf8::printable(path) << ": " << morgue::utf8::printable(what) << "\n";
    }
    void on_notice(const std::string& message) override {
        if (quiet_) return;
        clear();
        std::cerr << "morgue-index: " << morgue::utf8::printable(message) << "\n";
    }
    void on_progress(const morgue::IndexProgress& p) override {
        if (!tty_) return;
        std::string line = morgue::progress_line(p, 72);
        std::cerr << "\r" << line << "\033[K" << std::flush;
        shown_ = true;
    }

private:
    void clear() {
        if (shown_) std::cerr << "\r\033[K" << std::flush;
        shown_ = false;
    }
    bool quiet_, verbose_, tty_;
    bool shown_ = false;
};

int explain(const std::string& path, const std::string& lang) {
    if (!std::filesystem::is_regular_file(path)) throw morgue::UsageError("--explain: no such file: " + path);
    bool first = true;
    morgue::FileReport report = morgue::read_articles(path, [&](morgue::Article&& a) {
        morgue::settle_language(a, lang);
        if (!first) std::cout << "\n========\n\n";
        first = false;
        morgue::write_explanation(std::cout, a);
    });
    for (const std::string& w : report.warnings) {
        std::cerr << "morgue-index: " << morgue::utf8::printable(path) << ": " << morgue::utf8::printable(w) << "\n";
    }
    if (report.outcome != morgue::FileReport::Outcome::kOk) {
        std::cerr << "morgue-index: " << morgue::utf8::printable(path) << ": " << morgue::utf8::printable(report.error) << "\n";
        return 1;
    }
    return 0;
}

// --status: what the archive holds and what its last run did (archive.h),
// for people or as JSON; every count exact.
int status(const std::string& db_path, bool json) {
    morgue::Searcher searcher(db_path);
    morgue::ArchiveReport report = morgue::describe_archive(searcher, true);
    if (json) {
        std::cout << morgue::archive_json(report) << "\n";
    } else {
        morgue::write_archive(std::cout, report);
    }
    return 0;
}

// run_index, with a database Xapian cannot read (a damaged file: "EOF
// reading block 9") named and the way out said.
morgue::IndexStats index_into(const morgue::IndexOptions& opts, Reporter& reporter) {
    try {
        return morgue::run_index(opts, reporter);
    } catch (const Xapian::DatabaseLockError&) {
        throw;
    } catch (const Xapian::DatabaseError& e) {
        throw morgue::DatabaseError("database " + opts.db_path + " is damaged (" + e.get_msg() + ")" +
                                    (opts.rebuild ? "" : ": morgue-index --rebuild builds it again"));
    }
}

// --facet-codes: the codes of an unsharded database, written again.
int facet_codes(const std::string& db_path) {
    if (morgue::is_stub_file(db_path)) throw morgue::UsageError("--facet-codes: " + db_path + " is sharded, and sharded indexes have none");
    if (!morgue::write_facet_codes(db_path)) {
        std::printf("%s: too many document ids for facet codes; searches read the values\n", db_path.c_str());
        return 0;
    }
    std::printf("the facet codes of %s are those of its revision\n", db_path.c_str());
    return 0;
}

int run(int argc, char** argv) {
    cxxopts::Options options("morgue-index", "Index news articles into a morgue database.");
    options.positional_help("PATH...");
    options.add_options()
        ("db", "database directory (default: $MORGUE_DB, else ./morgue.db)", cxxopts::value<std::string>())
        ("lang", "language of articles that state none and whose language detection is unsure of (ISO 639-1)", cxxopts::value<std::string>()->default_value("en"))
        ("rebuild", "start from an empty database instead of updating it")
        ("threads", "analysis threads (default: one per core)", cxxopts::value<std::string>()->default_value("0"))
        ("batch", "articles per commit (with --writers: per part)", cxxopts::value<std::string>()->default_value("5000"))
        ("writers", "writer threads for a full build (a new or empty database, or --rebuild): the articles are written in parts and merged into a compacted database; a killed run starts again from scratch", cxxopts::value<std::string>()->default_value("1"))
        ("shard-by", "write one database per shard: year, or hash:N (N buckets); DB becomes a stub file listing them", cxxopts::value<std::string>(), "SCHEME")
        ("no-stories", "do not group new articles into stories (faster; --collapse then sees each article alone)")
        ("status", "show what the database holds (articles, span, sources, years, languages, size, schema) and what its last indexing run did, skipped files included; index nothing")
        ("json", "with --status: as JSON (docs/JSON.md)")
        ("facet-codes", "write the database's facet codes as it is, beside its tables (every run does; after xapian-compact, which leaves them behind, this does) and index nothing")
        ("explain", "show what extraction finds in FILE (title, date, source, byline, language, clean body, removed lines) and index nothing", cxxopts::value<std::string>(), "FILE")
        ("strict", "exit with status 1 on any warning, not only when something was skipped")
        ("q,quiet", "print only skipped files and errors; no progress bar")
        ("v,verbose", "print what happens to each file")
        ("h,help", "show this help")
        ("version", "show the version")
        ("paths", "files and directories to index", cxxopts::value<std::vector<std::string>>());
    options.parse_positional({"paths"});
    auto args = options.parse(argc, argv);
    if (args.count("help")) {
        std::cout << options.help()
                  << "\nDirectories are read recursively (.txt, .jsonl/.json, .html). Updates are incremental:\n"
                     "unchanged files are skipped, changed ones re-read, vanished ones removed from the index.\n"
                     "--status shows what the database holds and what its last run did (skipped files too).\n"
                     "Exit status: 0 all indexed, 1 something skipped (--strict: or warned about), 2 error.\n";
        return 0;
    }
    if (args.count("version")) {
        std::cout << "morgue-index " << MORGUE_VERSION << " (Xapian " << Xapian::version_string() << ")\n";
        return 0;
    }
    std::string lang = morgue::normalise_language(args["lang"].as<std::string>());
    if (lang.empty()) throw morgue::UsageError("--lang: '" + args["lang"].as<std::string>() + "' is not a language code (e.g. en, ru)");
    if (args.count("explain")) return explain(args["explain"].as<std::string>(), lang);
    std::string db_path = morgue::resolve_db_path(args.count("db") ? std::optional(args["db"].as<std::string>()) : std::nullopt);
    if (args.count("json") && !args.count("status")) throw morgue::UsageError("--json goes with --status");
    if (args.count("status")) {
        if (args.count("paths")) throw morgue::UsageError("--status indexes nothing: give no files or directories");
        return status(db_path, args.count("json") > 0);
    }
    if (args.count("facet-codes")) {
        if (args.count("paths")) throw morgue::UsageError("--facet-codes indexes nothing: give no files or directories");
        return facet_codes(db_path);
    }
    if (!args.count("paths")) throw morgue::UsageError("nothing to index: give files or directories (see --help)");

    morgue::IndexOptions opts;
    opts.db_path = db_path;
    opts.lang = lang;
    opts.stories = args.count("no-stories") == 0;
    opts.rebuild = args.count("rebuild") > 0;
    opts.threads = morgue::cli::number<unsigned>(args, "threads");
    opts.batch = morgue::cli::number<std::size_t>(args, "batch");
    opts.writers = morgue::cli::number<unsigned>(args, "writers");
    if (args.count("shard-by")) {
        opts.shard_by = morgue::ShardBy::parse(args["shard-by"].as<std::string>());
        if (!opts.shard_by) throw morgue::UsageError("--shard-by must be year or hash:N (N from 2 to 1024)");
    }
    if (opts.threads > 64) throw morgue::UsageError("--threads must be at most 64");
    if (opts.writers == 0 || opts.writers > 64) throw morgue::UsageError("--writers must be from 1 to 64");
    if (opts.batch == 0) throw morgue::UsageError("--batch must be at least 1");
    for (const auto& p : args["paths"].as<std::vector<std::string>>()) opts.inputs.emplace_back(p);

    Reporter reporter(args.count("quiet") > 0, args.count("verbose") > 0);
    morgue::IndexStats s = index_into(opts, reporter);
    std::size_t articles = s.added + s.updated;
    std::printf("indexed %zu articles from %zu files in %.2f s (%.0f articles/s, %.1f MB/s) into %s: "
                "added %zu, updated %zu, unchanged %zu, removed %zu, skipped %zu\n",
                articles, s.files, s.seconds, s.seconds > 0 ? articles / s.seconds : 0.0,
                s.seconds > 0 ? static_cast<double>(s.bytes) / 1e6 / s.seconds : 0.0, opts.db_path.c_str(), s.added,
                s.updated, s.unchanged, s.removed, s.skipped);
    if (s.skipped > 0) return 1;
    if (args.count("strict") && s.warnings > 0) return 1;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    return morgue::run_main<cxxopts::exceptions::exception>("morgue-index", [&] { return run(argc, argv); });
}
