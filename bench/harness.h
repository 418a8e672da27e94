// What the in-process benchmark programs (morgue-bench, xapian-peer) share:
// reading the committed query set and evaluation topics, timing a search
// function over them, and printing results for bench/*.py to read.
// Programs for benchmarks only: not part of morgue_common, not run by CTest.
#pragma once

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace morgue::bench {

// One line of bench/queries.tsv:
//   id  category  words  date(FROM..TO, YYYY-MM-DD, or -)  facets(0/1)  snippets(0/1)
struct BenchQuery {
    std::string id, category, words, date_from, date_to;
    bool facets = false, snippets = false;
};

// An evaluation topic: "id<TAB>text" per line (bench/eval.py writes them).
struct Topic {
    std::string id, text;
};

inline std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out(1);
    for (char c : line) {
        if (c == '\t') out.emplace_back();
        else out.back() += c;
    }
    return out;
}

inline std::vector<BenchQuery> read_queries(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<BenchQuery> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto f = split_tabs(line);
        if (f.size() != 6) throw std::runtime_error(path + ": want 6 tab-separated fields: " + line);
        BenchQuery q{f[0], f[1], f[2], "", "", f[4] == "1", f[5] == "1"};
        if (auto dots = f[3].find(".."); f[3] != "-" && dots != std::string::npos) {
            q.date_from = f[3].substr(0, dots);
            q.date_to = f[3].substr(dots + 2);
        }
        out.push_back(q);
    }
    return out;
}

inline std::vector<Topic> read_topics(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<Topic> out;
    std::string line;
    while (std::getline(in, line)) {
        auto f = split_tabs(line);
        if (f.size() == 2) out.push_back({f[0], f[1]});
    }
    return out;
}

// "YYYY-MM-DD" -> "YYYYMMDD" (the value slot encoding of both morgue and the
// Xapian peer).
inline std::string compact_date(const std::string& iso) {
    std::string out;
    for (char c : iso) {
        if (c != '-') out += c;
    }
    return out;
}

// Runs every query `reps` times after one untimed warm-up round, and prints
// one line per timed execution: "id<TAB>category<TAB>milliseconds<TAB>total".
// `search` returns the number of matches (estimated) for the query.
inline void time_queries(const std::vector<BenchQuery>& queries, int reps,
                         const std::function<long(const BenchQuery&)>& search) {
    for (const auto& q : queries) search(q);
    for (int r = 0; r < reps; ++r) {
        for (const auto& q : queries) {
            auto start = std::chrono::steady_clock::now();
            long total = search(q);
            double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            std::printf("%s\t%s\t%.4f\t%ld\n", q.id.c_str(), q.category.c_str(), ms, total);
        }
    }
}

// A TREC run line: "qid Q0 docno rank score tag".
inline void print_run_line(const std::string& qid, const std::string& docno, unsigned rank, double score,
                           const char* tag) {
    std::printf("%s Q0 %s %u %.6f %s\n", qid.c_str(), docno.c_str(), rank, score, tag);
}

}  // namespace morgue::bench
