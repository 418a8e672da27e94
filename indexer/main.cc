// morgue-index: index article files into a morgue database.
#include "database.h"
#include "error.h"
#include "indexer.h"
#include "reader.h"
#include "render.h"

#include <cxxopts.hpp>
#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

namespace {

// Prints problems as "morgue-index: PATH: message" on stderr.
class Reporter : public morgue::IndexListener {
public:
    explicit Reporter(bool quiet) : quiet_(quiet) {}
    void on_problem(const std::string& path, const std::string& message, bool skipped) override {
        if (quiet_ && !skipped) return;
        std::cerr << "morgue-index: " << path << ": " << message << (skipped ? " (skipped)" : "") << "\n";
    }

private:
    bool quiet_;
};

int explain(const std::string& path, const std::string& lang) {
    if (!std::filesystem::is_regular_file(path)) throw morgue::UsageError("--explain: no such file: " + path);
    bool first = true;
    morgue::FileReport report = morgue::read_articles(path, [&](morgue::Article&& a) {
        if (a.lang.empty()) a.lang = lang;
        if (!first) std::cout << "\n========\n\n";
        first = false;
        morgue::write_explanation(std::cout, a);
    });
    for (const std::string& w : report.warnings) std::cerr << "morgue-index: " << path << ": " << w << "\n";
    if (report.outcome != morgue::FileReport::Outcome::kOk) {
        std::cerr << "morgue-index: " << path << ": " << report.error << "\n";
        return 1;
    }
    return 0;
}

int run(int argc, char** argv) {
    cxxopts::Options options("morgue-index", "Index news articles into a morgue database.");
    options.positional_help("PATH...");
    options.add_options()
        ("db", "database directory (default: $MORGUE_DB, else ./morgue.db)", cxxopts::value<std::string>())
        ("lang", "language of articles that declare none (ISO 639-1)", cxxopts::value<std::string>()->default_value("en"))
        ("explain", "show what extraction finds in FILE (title, date, source, byline, language, clean body, removed lines) and index nothing", cxxopts::value<std::string>(), "FILE")
        ("no-stories", "do not group new articles into stories (faster; --collapse then sees each article alone)")
        ("q,quiet", "print only errors and skipped files")
        ("h,help", "show this help")
        ("version", "show the version")
        ("paths", "files and directories to index", cxxopts::value<std::vector<std::string>>());
    options.parse_positional({"paths"});
    auto args = options.parse(argc, argv);
    if (args.count("help")) {
        std::cout << options.help() << "\nDirectories are read recursively (.txt files).\n";
        return 0;
    }
    if (args.count("version")) {
        std::cout << "morgue-index " << MORGUE_VERSION << " (Xapian " << Xapian::version_string() << ")\n";
        return 0;
    }
    if (args.count("explain")) return explain(args["explain"].as<std::string>(), args["lang"].as<std::string>());
    if (!args.count("paths")) throw morgue::UsageError("nothing to index: give files or directories (see --help)");

    morgue::IndexOptions opts;
    opts.db_path = morgue::resolve_db_path(args.count("db") ? std::optional(args["db"].as<std::string>()) : std::nullopt);
    opts.lang = args["lang"].as<std::string>();
    opts.stories = args.count("no-stories") == 0;
    for (const auto& p : args["paths"].as<std::vector<std::string>>()) opts.inputs.emplace_back(p);

    Reporter reporter(args.count("quiet") > 0);
    morgue::IndexStats s = morgue::run_index(opts, reporter);
    std::size_t articles = s.added + s.updated;
    std::printf("indexed %zu articles from %zu files in %.2f s (%.0f articles/s) into %s: added %zu, updated %zu, skipped %zu\n",
                articles, s.files, s.seconds, s.seconds > 0 ? articles / s.seconds : 0.0, opts.db_path.c_str(),
                s.added, s.updated, s.skipped);
    return s.skipped > 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const cxxopts::exceptions::exception& e) {
        std::cerr << "morgue-index: " << e.what() << " (see --help)\n";
    } catch (const morgue::Error& e) {
        std::cerr << "morgue-index: " << e.what() << "\n";
    } catch (const Xapian::Error& e) {
        std::cerr << "morgue-index: " << e.get_description() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "morgue-index: " << e.what() << "\n";
    }
    return 2;
}
