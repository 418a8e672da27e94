// morgue-search: search a morgue database from the command line.
// Exit status, like grep: 0 with results, 1 with none, 2 on error.
#include "cli.h"
#include "database.h"
#include "error.h"
#include "language.h"
#include "program.h"
#include "render.h"
#include "search.h"

#include <cxxopts.hpp>
#include <xapian.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <unistd.h>

namespace {

constexpr const char* kQueryHelp = R"(
Query language (Xapian QueryParser conventions):
  cuba trafficking              articles with all the words (--any: any of them)
  "human trafficking ring"      a phrase
  Diaz-Canel                    hyphenated words are a phrase; accents and case never matter
  cuba OR havana                either;  a AND b;  a NOT b;  a XOR b;  ( ... ) to group
  +cuba -venezuela              required / excluded words
  putin NEAR kremlin            within 10 words (NEAR/5: within 5; ADJ: in order)
  traffick*                     words starting with "traffick"
  title:cuba  title:"foreign ministry"
  quote:"not part of the war"   words the article quotes (inside quotation marks)
  source:bbc                    from BBC (any case); several source: are alternatives
  lang:ru                       articles in Russian (or --lang ru,uk); several lang: are alternatives
  date:2023-09  date:2023-09-01..2023-09-30  date:..2022  date:2020..
Operators are upper case; single words also match their other forms (recruit, recruiting).
Filters (source:, lang:, date:, --since, --until, --source, --lang) never change the ranking.

Exit status: 0 with results, 1 with none, 2 on error.
)";

bool want_color(const std::string& mode) {
    if (mode == "always") return true;
    if (mode == "never") return false;
    if (mode != "auto") throw morgue::UsageError("--color must be auto, always or never");
    const char* no_color = std::getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0');
}

template <typename T>
T non_negative(const cxxopts::ParseResult& args, const char* name) {
    long long v = morgue::cli::number<long long>(args, name);
    if (v < 0) throw morgue::UsageError(std::string("--") + name + " must not be negative");
    return static_cast<T>(v);
}

// The command line's flags.
cxxopts::Options search_options() {
    cxxopts::Options options("morgue-search", "Search a morgue database of news articles.");
    options.positional_help("QUERY...");
    options.add_options()
        ("db", "database directory (default: $MORGUE_DB, else ./morgue.db)", cxxopts::value<std::string>())
        ("json", "print results as JSON (see docs/JSON.md); the same as --format json")
        ("format", "text, json, or an export of every match: csv or jsonl (no limit; --limit and --offset do not apply)",
         cxxopts::value<std::string>()->default_value("text"), "FORMAT")
        ("limit", "results to show", cxxopts::value<std::string>()->default_value("10"))
        ("offset", "results to skip (for the next page)", cxxopts::value<std::string>()->default_value("0"))
        ("any", "match articles with any of the words, not all")
        ("since", "only articles dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)", cxxopts::value<std::string>(), "DATE")
        ("until", "only articles dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD)", cxxopts::value<std::string>(), "DATE")
        ("source", "only articles from NAME (repeatable: any of them)", cxxopts::value<std::vector<std::string>>(), "NAME")
        ("lang", "only articles in these languages (ISO 639-1 codes, comma-separated: ru,uk)", cxxopts::value<std::string>(), "CODES")
        ("sort", "relevance, date (newest first) or oldest; undated articles last", cxxopts::value<std::string>()->default_value("relevance"))
        ("facets", "count matches by source, year, month (day, for short spans) and language")
        ("collapse", "one result per story, with its number of versions")
        ("like", "articles most like article ID (the \"id\" of a result)", cxxopts::value<std::string>(), "ID")
        ("time-limit", "seconds the search may take (0: no limit)", cxxopts::value<std::string>()->default_value("5"))
        ("partial", "with a sharded database: answer from the shards that are up, saying which are not")
        ("shard-timeout", "milliseconds a remote shard may take to answer", cxxopts::value<std::string>()->default_value("10000"))
        ("color", "colour: auto, always or never", cxxopts::value<std::string>()->default_value("auto"))
        ("h,help", "show this help")
        ("version", "show the version")
        ("query", "query words", cxxopts::value<std::vector<std::string>>());
    options.parse_positional({"query"});
    return options;
}

// The search the flags ask for. Throws UsageError for a flag out of range;
// Searcher::search validates the rest.
morgue::SearchRequest request_of(const cxxopts::ParseResult& args) {
    morgue::SearchRequest req;
    if (args.count("query")) {
        for (const auto& w : args["query"].as<std::vector<std::string>>()) {
            if (!req.query.empty()) req.query += ' ';
            req.query += w;
        }
    }
    req.limit = non_negative<Xapian::doccount>(args, "limit");
    req.offset = non_negative<Xapian::doccount>(args, "offset");
    req.match_any = args.count("any") > 0;
    if (args.count("since")) req.since = args["since"].as<std::string>();
    if (args.count("until")) req.until = args["until"].as<std::string>();
    if (args.count("source")) req.sources = args["source"].as<std::vector<std::string>>();
    if (args.count("lang")) req.langs = morgue::split_languages(args["lang"].as<std::string>());
    auto sort = morgue::parse_sort(args["sort"].as<std::string>());
    if (!sort) throw morgue::UsageError("--sort must be relevance, date or oldest");
    req.sort = *sort;
    req.facets = args.count("facets") > 0;
    req.collapse = args.count("collapse") > 0;
    if (args.count("like")) req.like = args["like"].as<std::string>();
    req.time_limit = morgue::cli::number<double>(args, "time-limit");
    if (req.query.find_first_not_of(" \t\n") == std::string::npos && !req.like && !req.since && !req.until &&
        req.sources.empty() && req.langs.empty()) {
        throw morgue::UsageError("no query given (see --help)");
    }
    return req;
}

// --format csv|jsonl: every match, streamed. Exit status as for a search.
int export_matches(morgue::Searcher& searcher, const morgue::SearchRequest& req, morgue::ExportFormat format) {
    morgue::write_export_header(std::cout, format);
    Xapian::doccount n = searcher.each_match(req, [&](const morgue::Hit& hit) {
        morgue::write_export_row(std::cout, format, hit);
        return static_cast<bool>(std::cout);  // a closed pipe ends the export
    });
    std::cout.flush();
    return n == 0 ? 1 : 0;
}

int run(int argc, char** argv) {
    cxxopts::Options options = search_options();
    auto args = options.parse(argc, argv);
    if (args.count("help")) {
        std::cout << options.help() << kQueryHelp;
        return 0;
    }
    if (args.count("version")) {
        std::cout << "morgue-search " << MORGUE_VERSION << " (Xapian " << Xapian::version_string() << ")\n";
        return 0;
    }

    morgue::SearchRequest req = request_of(args);
    bool color = want_color(args["color"].as<std::string>());

    morgue::ShardOptions shards;
    shards.partial = args.count("partial") > 0;
    shards.timeout_ms = morgue::cli::number<unsigned>(args, "shard-timeout");
    if (shards.timeout_ms == 0) throw morgue::UsageError("--shard-timeout must be at least 1 millisecond");
    shards.connect_timeout_ms = std::min(shards.connect_timeout_ms, shards.timeout_ms);
    morgue::Searcher searcher(
        morgue::resolve_db_path(args.count("db") ? std::optional(args["db"].as<std::string>()) : std::nullopt), shards);
    std::string format = args.count("json") ? "json" : args["format"].as<std::string>();
    if (auto exported = morgue::parse_export_format(format)) return export_matches(searcher, req, *exported);
    if (format != "text" && format != "json") throw morgue::UsageError("--format must be text, json, csv or jsonl");
    morgue::SearchResult result = searcher.search(req);
    if (format == "json") {
        std::cout << morgue::to_json(result) << "\n";
    } else {
        morgue::write_text(std::cout, result, morgue::TextStyle{color});
    }
    std::cout.flush();
    return result.hits.empty() && result.total == 0 ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    // A closed pipe (morgue-search ... | head) ends output quietly.
    std::signal(SIGPIPE, SIG_IGN);
    return morgue::run_main<cxxopts::exceptions::exception>("morgue-search", [&] { return run(argc, argv); });
}
