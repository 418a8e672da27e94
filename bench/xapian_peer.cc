// xapian-peer: the Xapian Omega peer's in-process side, on a database built
// by scriptindex with bench/omega.index. It searches the way Omega and quest
// do (Xapian::QueryParser, English stemming, STEM_SOME, Xapian's default
// BM25), adding what morgue's bench queries ask for: a date range on value
// slot 0, source, year and month facets (ValueCountMatchSpy, counted over
// every match), snippets (MSet::snippet, about 300 bytes).
//   xapian-peer latency --db DB --queries bench/queries.tsv [--reps N]
//   xapian-peer run --db DB --topics TOPICS.tsv [--limit N] [--stemmer LANG]
// --stemmer must be the one scriptindex -s used (default english; "none").
#include "harness.h"

#include <xapian.h>

#include <iostream>
#include <memory>

namespace {

using morgue::bench::BenchQuery;

// A field of scriptindex's document data ("name=value" lines).
std::string data_field(const std::string& data, const std::string& name) {
    std::string key = name + "=";
    for (std::size_t at = 0; at < data.size();) {
        std::size_t nl = data.find('\n', at);
        if (nl == std::string::npos) nl = data.size();
        if (data.compare(at, key.size(), key) == 0) return data.substr(at + key.size(), nl - at - key.size());
        at = nl + 1;
    }
    return {};
}

Xapian::QueryParser parser(const Xapian::Database& db, Xapian::Query::op default_op,
                           const std::string& stemmer = "english") {
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem(stemmer));
    qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
    qp.set_default_op(default_op);
    qp.add_prefix("title", "S");
    return qp;
}

constexpr unsigned kFlags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_WILDCARD;

int latency(Xapian::Database& db, const std::string& queries, int reps) {
    Xapian::QueryParser qp = parser(db, Xapian::Query::OP_AND);
    Xapian::Stem stem("english");
    Xapian::Enquire enquire(db);
    std::size_t sink = 0;
    morgue::bench::time_queries(morgue::bench::read_queries(queries), reps, [&](const BenchQuery& q) {
        Xapian::Query query = qp.parse_query(q.words, kFlags);
        if (!q.date_from.empty()) {
            query = Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query(Xapian::Query::OP_VALUE_RANGE, 0,
                                                morgue::bench::compact_date(q.date_from),
                                                morgue::bench::compact_date(q.date_to)));
        }
        enquire.set_query(query);
        enquire.clear_matchspies();
        std::unique_ptr<Xapian::ValueCountMatchSpy> sources, years, months;
        if (q.facets) {
            sources = std::make_unique<Xapian::ValueCountMatchSpy>(1);
            years = std::make_unique<Xapian::ValueCountMatchSpy>(2);
            months = std::make_unique<Xapian::ValueCountMatchSpy>(3);
            enquire.add_matchspy(sources.get());
            enquire.add_matchspy(years.get());
            enquire.add_matchspy(months.get());
        }
        Xapian::MSet mset = enquire.get_mset(0, 10, q.facets ? db.get_doccount() : 0);
        std::size_t bytes = 0;
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            std::string data = it.get_document().get_data();
            if (q.snippets) bytes += mset.snippet(data_field(data, "text"), 300, stem).size();
        }
        if (q.facets) {
            for (auto it = sources->top_values_begin(10); it != sources->top_values_end(10); ++it) bytes += (*it).size();
            for (auto it = years->values_begin(); it != years->values_end(); ++it) bytes += (*it).size();
            for (auto it = months->values_begin(); it != months->values_end(); ++it) bytes += (*it).size();
        }
        sink += bytes;  // keeps the snippet and facet work from being optimised away
        return static_cast<long>(mset.get_matches_estimated());
    });
    std::cerr << "xapian-peer: " << sink << " bytes of snippets and facets\n";
    return 0;
}

int run(Xapian::Database& db, const std::string& topics, unsigned limit, const std::string& stemmer) {
    Xapian::QueryParser qp = parser(db, Xapian::Query::OP_OR, stemmer);
    Xapian::Enquire enquire(db);
    for (const auto& topic : morgue::bench::read_topics(topics)) {
        enquire.set_query(qp.parse_query(topic.text, kFlags));
        Xapian::MSet mset = enquire.get_mset(0, limit);
        for (auto it = mset.begin(); it != mset.end(); ++it) {
            morgue::bench::print_run_line(topic.id, data_field(it.get_document().get_data(), "id"),
                                          it.get_rank() + 1, it.get_weight(), "xapian");
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::string mode = argc > 1 ? argv[1] : "", db_path, queries, topics, stemmer = "english";
        int reps = 10;
        unsigned limit = 1000;
        for (int i = 2; i + 1 < argc; i += 2) {
            std::string flag = argv[i], value = argv[i + 1];
            if (flag == "--db") db_path = value;
            else if (flag == "--queries") queries = value;
            else if (flag == "--topics") topics = value;
            else if (flag == "--reps") reps = std::stoi(value);
            else if (flag == "--stemmer") stemmer = value;
            else if (flag == "--limit") limit = static_cast<unsigned>(std::stoul(value));
            else throw std::runtime_error("unknown flag " + flag);
        }
        Xapian::Database db(db_path);
        if (mode == "latency" && !queries.empty()) return latency(db, queries, reps);
        if (mode == "run" && !topics.empty()) return run(db, topics, limit, stemmer);
        std::cerr << "usage: xapian-peer latency --db DB --queries FILE [--reps N] | run --db DB --topics FILE\n";
    } catch (const Xapian::Error& e) {
        std::cerr << "xapian-peer: " << e.get_description() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "xapian-peer: " << e.what() << "\n";
    }
    return 2;
}
