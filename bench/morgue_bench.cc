// morgue-bench: morgue's side of the benchmarks and of the relevance
// evaluation, in process, through morgue::Searcher (what morgue-search and
// the CGI call).
//   morgue-bench latency --db DB --queries bench/queries.tsv [--reps N]
//   morgue-bench facets --db DB --queries bench/queries.tsv
//   morgue-bench run --db DB --topics TOPICS.tsv [--limit N] [--scheme bm25|bm25plus --delta X --bm25-k1 X --bm25-b X
//                    --fb-docs N --fb-terms N --fb-weight X]
// latency prints one line per timed search (harness.h); run prints a TREC
// run (match any word, no snippets), with the articles' record ids; facets
// counts the facets of every query of the set (facets or not) exactly and as
// searches do (on a sample beyond kExactFacetsUpTo matches) and prints the
// estimates' relative errors: per query, then over the queries estimated.
#include "harness.h"

#include "error.h"
#include "search.h"

#include <cxxopts.hpp>
#include <xapian.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>
#include <map>
#include <set>

namespace {

using morgue::bench::BenchQuery;

// FACETS: switched on by itself once SearchRequest has a `facets` flag (the
// "Search" issue's --facets); until then facet queries are skipped.
template <typename Request>
bool enable_facets(Request& request) {
    if constexpr (requires { request.facets = true; }) {
        request.facets = true;
        return true;
    } else {
        return false;
    }
}

int latency(morgue::Searcher& searcher, const cxxopts::ParseResult& args) {
    std::vector<BenchQuery> queries;
    morgue::SearchRequest probe;
    bool facets = enable_facets(probe);
    for (const BenchQuery& q : morgue::bench::read_queries(args["queries"].as<std::string>())) {
        if (q.facets && !facets) {
            std::cerr << "morgue-bench: " << q.id << ": skipped, this morgue has no facets yet\n";
            continue;
        }
        queries.push_back(q);
    }
    morgue::bench::time_queries(queries, args["reps"].as<int>(), [&](const BenchQuery& q) {
        morgue::SearchRequest req;
        req.query = q.words;
        if (!q.date_from.empty()) req.query += " date:" + q.date_from + ".." + q.date_to;
        if (q.facets) enable_facets(req);
        req.snippet_bytes = q.snippets ? 300 : 0;
        return static_cast<long>(searcher.search(req).total);
    });
    return 0;
}

// Relative errors |estimate - exact| / exact of the `top` values counted
// most often exactly (all when top is 0), appended to `errors`.
void relative_errors(const std::vector<morgue::FacetValue>& exact, const std::vector<morgue::FacetValue>& estimate,
                     std::size_t top, std::vector<double>& errors) {
    std::map<std::string, double> estimated;
    for (const morgue::FacetValue& v : estimate) estimated[v.value] = v.count;
    std::vector<morgue::FacetValue> by_count = exact;
    std::stable_sort(by_count.begin(), by_count.end(),
                     [](const morgue::FacetValue& a, const morgue::FacetValue& b) { return a.count > b.count; });
    if (top && by_count.size() > top) by_count.resize(top);
    for (const morgue::FacetValue& v : by_count) {
        if (v.count > 0) errors.push_back(std::fabs(estimated[v.value] - v.count) / v.count);
    }
}

void print_errors(const char* what, const std::vector<double>& e) {
    double sum = 0, most = 0;
    for (double x : e) sum += x, most = std::max(most, x);
    std::printf(" %s mean %.2f%% max %.2f%% (%zu)", what, e.empty() ? 0.0 : 100 * sum / e.size(), 100 * most, e.size());
}

int facets(morgue::Searcher& searcher, const cxxopts::ParseResult& args) {
    std::vector<double> all_sources, all_years;
    std::size_t estimated = 0;
    std::set<std::string> seen;  // the set repeats queries (with and without snippets, facets): each counts once
    for (const BenchQuery& q : morgue::bench::read_queries(args["queries"].as<std::string>())) {
        morgue::SearchRequest req;
        req.query = q.words;
        if (!q.date_from.empty()) req.query += " date:" + q.date_from + ".." + q.date_to;
        if (!seen.insert(req.query).second) continue;
        req.facets = true;
        req.snippet_bytes = 0;
        req.time_limit = 0;
        morgue::SearchResult sampled = searcher.search(req);
        req.exact_facets_up_to = std::numeric_limits<Xapian::doccount>::max();
        morgue::SearchResult exact = searcher.search(req);
        std::printf("%s\t%-30s\texact matches %u", q.id.c_str(), q.words.c_str(), exact.facets->matches);
        if (!sampled.facets->estimated) {
            std::printf("\texact\n");
            continue;
        }
        std::vector<double> sources, years;
        relative_errors(exact.facets->source, sampled.facets->source, 10, sources);
        relative_errors(exact.facets->year, sampled.facets->year, 0, years);
        std::printf("\testimated %u", sampled.facets->matches);
        print_errors("top-10 sources", sources);
        print_errors("years", years);
        std::printf("\n");
        ++estimated;
        all_sources.insert(all_sources.end(), sources.begin(), sources.end());
        all_years.insert(all_years.end(), years.begin(), years.end());
    }
    std::printf("all estimated (%zu queries):", estimated);
    print_errors("top-10 sources", all_sources);
    print_errors("years", all_years);
    std::printf("\n");
    return 0;
}

int run(morgue::Searcher& searcher, const cxxopts::ParseResult& args) {
    morgue::SearchRequest req;
    req.match_any = true;
    req.snippet_bytes = 0;
    req.limit = args["limit"].as<unsigned>();
    req.time_limit = 0;
    if (args.count("bm25-k1")) req.ranking.k1 = args["bm25-k1"].as<double>();
    if (args.count("bm25-b")) req.ranking.b = args["bm25-b"].as<double>();
    if (args.count("scheme")) {
        std::string scheme = args["scheme"].as<std::string>();
        if (scheme != "bm25" && scheme != "bm25plus") throw morgue::UsageError("--scheme must be bm25 or bm25plus");
        req.ranking.scheme = scheme == "bm25" ? morgue::RankingOptions::Scheme::kBM25
                                              : morgue::RankingOptions::Scheme::kBM25Plus;
    }
    if (args.count("delta")) req.ranking.delta = args["delta"].as<double>();
    if (args.count("fb-docs")) req.ranking.feedback_docs = args["fb-docs"].as<unsigned>();
    if (args.count("fb-terms")) req.ranking.feedback_terms = args["fb-terms"].as<unsigned>();
    if (args.count("fb-weight")) req.ranking.feedback_weight = args["fb-weight"].as<double>();
    for (const auto& topic : morgue::bench::read_topics(args["topics"].as<std::string>())) {
        req.query = topic.text;
        for (const morgue::Hit& h : searcher.search(req).hits) {
            morgue::bench::print_run_line(topic.id, h.article.record, h.rank, h.score, "morgue");
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        cxxopts::Options options("morgue-bench", "morgue's side of scripts/bench and scripts/eval");
        options.add_options()
            ("mode", "latency, facets or run", cxxopts::value<std::string>())
            ("db", "database", cxxopts::value<std::string>())
            ("queries", "query set (bench/queries.tsv)", cxxopts::value<std::string>())
            ("reps", "timed rounds", cxxopts::value<int>()->default_value("10"))
            ("topics", "evaluation topics, id<TAB>text", cxxopts::value<std::string>())
            ("limit", "results per topic", cxxopts::value<unsigned>()->default_value("1000"))
            ("scheme", "bm25 or bm25plus", cxxopts::value<std::string>())
            ("delta", "BM25+ delta", cxxopts::value<double>())
            ("bm25-k1", "BM25 k1", cxxopts::value<double>())
            ("bm25-b", "BM25 b", cxxopts::value<double>())
            ("fb-docs", "feedback documents", cxxopts::value<unsigned>())
            ("fb-terms", "feedback terms", cxxopts::value<unsigned>())
            ("fb-weight", "feedback weight", cxxopts::value<double>())
            ("no-facet-codes", "facets read from value streams at each search (as a CGI's), not from codes kept in memory");
        options.parse_positional({"mode"});
        auto args = options.parse(argc, argv);
        if (!args.count("mode") || !args.count("db")) throw morgue::UsageError("usage: morgue-bench latency|facets|run --db DB ...");
        morgue::Searcher searcher(args["db"].as<std::string>());
        // A long-lived searcher, as FastCGI's: facets from codes kept in memory.
        if (!args.count("no-facet-codes")) searcher.keep_facet_codes();
        std::string mode = args["mode"].as<std::string>();
        if (mode == "latency" && args.count("queries")) return latency(searcher, args);
        if (mode == "facets" && args.count("queries")) return facets(searcher, args);
        if (mode == "run" && args.count("topics")) return run(searcher, args);
        throw morgue::UsageError("latency and facets need --queries, run needs --topics");
    } catch (const Xapian::Error& e) {
        std::cerr << "morgue-bench: " << e.get_description() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "morgue-bench: " << e.what() << "\n";
    }
    return 2;
}
