// End-to-end: facets (and date filters) on Reuters-21578. The one-spy counter counts exactly
// what Xapian's ValueCountMatchSpys count (the counter before it, and what
// remote shards still use); past the bound the counts are estimated, marked
// so, and close to the exact ones; a stub of local shards counts as one
// database; facet codes kept in memory count the same, and follow the
// database when it changes. Phrases match and weigh as before their OP_MAX form.
#include "../support/run.h"

#include "facets.h"
#include "query.h"
#include "schema.h"
#include "search.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <map>
#include <memory>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

constexpr Xapian::doccount kAlwaysExact = std::numeric_limits<Xapian::doccount>::max();

// Reuters indexed once for the tests of this file: one database, and the
// same articles in three local shards behind a stub. Null without the corpora.
struct Reuters {
    TempDir dir;
    fs::path single = dir / "single.db";
    fs::path sharded = dir / "sharded.db";
};

const Reuters* reuters() {
    static std::unique_ptr<Reuters> r = [] {
        auto built = std::make_unique<Reuters>();
        fs::path jsonl = built->dir / "reuters.jsonl";
        if (!convert_corpus("reuters", jsonl)) return std::unique_ptr<Reuters>();
        REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--db", built->single.string(), jsonl.string()}, {}, "", 1200)
                    .status == 0);
        REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--db", built->sharded.string(), "--shard-by", "hash:3",
                     jsonl.string()},
                    {}, "", 1200)
                    .status == 0);
        return built;
    }();
    if (!r) WARN_MESSAGE(false, "shared corpora not found: Reuters facet tests not run");
    return r.get();
}

json as_json(const std::vector<morgue::FacetValue>& values) {
    json out = json::array();
    for (const auto& v : values) out.push_back({v.value, v.count});
    return out;
}

// Every facet, in order, with its counts.
json as_json(const morgue::Facets& f) {
    return {{"source", as_json(f.source)}, {"year", as_json(f.year)},     {"month", as_json(f.month)},
            {"day", as_json(f.day)},       {"lang", as_json(f.lang)},     {"byline", as_json(f.byline)},
            {"matches", f.matches},        {"estimated", f.estimated}};
}

// A faceted search for `words` in `sort` order, facets exact up to `exact_up_to` estimated matches.
morgue::SearchRequest faceted(const char* words, morgue::SortOrder sort, Xapian::doccount exact_up_to) {
    morgue::SearchRequest request;
    request.query = words;
    request.facets = true;
    request.sort = sort;
    request.exact_facets_up_to = exact_up_to;
    return request;
}

// Xapian queries of each kind a search makes: stems, an OR, a phrase-free
// AND, a boolean filter alone, everything.
std::vector<Xapian::Query> queries() {
    using Q = Xapian::Query;
    Q oil(morgue::schema::body_stem_term("en", "oil"));
    Q said(morgue::schema::body_stem_term("en", "said"));
    Q trade(morgue::schema::body_stem_term("en", "trade"));
    Q deficit(morgue::schema::body_stem_term("en", "deficit"));
    Q cocoa(morgue::schema::body_stem_term("en", "cocoa"));
    return {oil,
            said,
            Q(Q::OP_AND, trade, deficit),
            Q(Q::OP_OR, cocoa, oil),
            Q(Q::OP_SCALE_WEIGHT, Q(morgue::schema::month_term("198704")), 0.0),
            Q::MatchAll};
}

}  // namespace

TEST_CASE("facets on Reuters-21578: exact as Xapian's spies, estimated past the bound, sharded as one database [corpora]") {
    // One case with subcases: CTest runs each case in a process of its own,
    // and indexing Reuters (twice) is what takes the time.
    const Reuters* r = reuters();
    if (!r) return;

    SUBCASE("one match spy counts what Xapian's ValueCountMatchSpys count") {
        for (const fs::path& path : {r->single, r->sharded}) {
            Xapian::Database db(path.string());
            for (const Xapian::Query& q : queries()) {
                CAPTURE(path.filename().string());
                CAPTURE(q.get_description());
                Xapian::Enquire enquire(db);
                enquire.set_query(q);
                morgue::FacetCounter ours(db, false), xapians(db, true);
                ours.attach(enquire);
                xapians.attach(enquire);
                Xapian::MSet mset = enquire.get_mset(0, 10, db.get_doccount());
                json counted = as_json(ours.facets());
                CHECK(counted == as_json(xapians.facets()));
                CHECK(counted["matches"] == mset.get_matches_estimated());
                CHECK(!counted["month"].empty());
                // And in a pass of their own, exactly.
                CHECK(as_json(morgue::count_facets(db, q, 1, false)) == counted);
                CHECK(as_json(morgue::count_facets(db, q, 1, true)) == counted);
            }
        }
    }

    SUBCASE("past the bound: counted on a sample, marked estimated, close to the exact counts") {
        morgue::Searcher searcher(r->single.string());
        for (const char* words : {"said", "oil", "pct OR market"}) {
            CAPTURE(words);
            morgue::SearchRequest request;
            request.query = words;
            request.facets = true;
            request.exact_facets_up_to = kAlwaysExact;
            morgue::SearchResult exact = searcher.search(request);
            REQUIRE(exact.facets);
            CHECK(!exact.facets->estimated);
            CHECK(exact.total_exact);
            CHECK(exact.total == exact.facets->matches);
            REQUIRE(exact.facets->matches > 1000);

            request.exact_facets_up_to = 500;
            morgue::SearchResult sampled = searcher.search(request);
            REQUIRE(sampled.facets);
            CHECK(sampled.facets->estimated);
            CHECK(sampled.hits.size() == exact.hits.size());
            // Deterministic: the same sample every time.
            CHECK(as_json(*searcher.search(request).facets) == as_json(*sampled.facets));
            // Close: the matches and each month with more than a tenth of them.
            auto close = [](double estimate, double count, double tolerance) {
                return std::fabs(estimate - count) <= tolerance * count;
            };
            CHECK(close(sampled.facets->matches, exact.facets->matches, 0.10));
            std::map<std::string, double> months;
            for (const auto& v : sampled.facets->month) months[v.value] = v.count;
            for (const auto& v : exact.facets->month) {
                if (v.count * 10 < exact.facets->matches) continue;
                CAPTURE(v.value);
                CHECK(close(months[v.value], v.count, 0.15));
            }
            REQUIRE(!sampled.facets->source.empty());
            CHECK(sampled.facets->source[0].value == exact.facets->source[0].value);
            CHECK(close(sampled.facets->source[0].count, exact.facets->source[0].count, 0.10));

            // Under the bound: exact, and the same counts as the exact request.
            request.exact_facets_up_to = 2 * exact.facets->matches;  // the matcher's estimate is within that
            CHECK(as_json(*searcher.search(request).facets) == as_json(*exact.facets));
        }
    }

    SUBCASE("a stub of local shards: the same exact counts as one database, estimates close") {
        morgue::Searcher single(r->single.string()), sharded(r->sharded.string());
        for (const char* words : {"said", "oil", "trade deficit", "cocoa OR coffee"}) {
            for (morgue::SortOrder sort : {morgue::SortOrder::kRelevance, morgue::SortOrder::kNewest}) {
                CAPTURE(words);
                CAPTURE(morgue::sort_name(sort));
                morgue::SearchRequest request = faceted(words, sort, kAlwaysExact);
                morgue::SearchResult a = single.search(request), b = sharded.search(request);
                CHECK(as_json(*a.facets) == as_json(*b.facets));
                CHECK(a.total == b.total);
                request.exact_facets_up_to = 500;
                a = single.search(request);
                b = sharded.search(request);
                if (a.facets->matches <= 500) continue;
                CHECK(a.facets->estimated);
                CHECK(b.facets->estimated);
                // Each shard samples its own documents: not the same sample, close counts.
                CHECK(std::fabs(double(a.facets->matches) - b.facets->matches) <= 0.15 * a.facets->matches);
            }
        }
    }

    SUBCASE("facet codes, left by the indexer or built in memory, count what the value streams count") {
        // A copy of the database without the indexer's codes (the same uuid and revision): there,
        // a searcher reads the value streams, or builds codes when it keeps them.
        TempDir copy;
        fs::path streams_db = copy / "streams.db";
        fs::copy(r->single, streams_db, fs::copy_options::recursive);
        REQUIRE(fs::remove(streams_db / morgue::schema::kFacetCodesFile));
        for (const fs::path& path : {r->single, r->sharded}) {
            CAPTURE(path.filename().string());
            Xapian::Database db(path.string());
            std::shared_ptr<const morgue::FacetCodes> built = morgue::FacetCodes::build(db);
            std::shared_ptr<const morgue::FacetCodes> saved = morgue::FacetCodes::load(path.string(), db);
            // Shards have none: Xapian gives match spies each shard's own document ids.
            CHECK((built != nullptr) == (path == r->single));
            CHECK((saved != nullptr) == (path == r->single));
            for (const Xapian::Query& q : built ? queries() : std::vector<Xapian::Query>()) {
                CAPTURE(q.get_description());
                for (Xapian::doccount every : {1u, 7u}) {
                    json streams = as_json(morgue::count_facets(db, q, every, false));
                    CHECK(as_json(morgue::count_facets(db, q, every, false, built)) == streams);
                    CHECK(as_json(morgue::count_facets(db, q, every, false, saved)) == streams);
                }
            }
            // Through searches: in the page's pass, beside it, sampled, in a value sort, the summary.
            bool single = path == r->single;
            morgue::Searcher streams(single ? streams_db.string() : path.string()), saved_codes(path.string()),
                kept(single ? streams_db.string() : path.string());
            kept.keep_facet_codes();
            for (const char* words : {"cocoa", "said", "oil", "trade deficit", "\"interest rates\""}) {
                for (morgue::SortOrder sort : {morgue::SortOrder::kRelevance, morgue::SortOrder::kNewest}) {
                    for (Xapian::doccount bound : {kAlwaysExact, Xapian::doccount{500}}) {
                        CAPTURE(words);
                        CAPTURE(morgue::sort_name(sort));
                        CAPTURE(bound);
                        morgue::SearchRequest request = faceted(words, sort, bound);
                        morgue::SearchResult a = streams.search(request), b = saved_codes.search(request),
                                             c = kept.search(request);
                        REQUIRE(a.facets);
                        REQUIRE(b.facets);
                        REQUIRE(c.facets);
                        CHECK(as_json(*a.facets) == as_json(*b.facets));
                        CHECK(as_json(*a.facets) == as_json(*c.facets));
                        CHECK(a.total == b.total);
                    }
                }
            }
            CHECK(as_json(streams.summary().facets) == as_json(saved_codes.summary().facets));
            CHECK(as_json(streams.summary().facets) == as_json(kept.summary().facets));
        }
        // The program that answers one request a process: the same page with the codes as without.
        for (const char* q : {"q=said", "q=cocoa", "q=trade+deficit"}) {
            CAPTURE(q);
            RunResult with = run({cgi_bin(), q, "format=json", "facets=1"}, {{"MORGUE_DB", r->single.string()}});
            RunResult without = run({cgi_bin(), q, "format=json", "facets=1"}, {{"MORGUE_DB", streams_db.string()}});
            REQUIRE(with.status == 0);
            CHECK(with.out.find("\"facets\"") != std::string::npos);
            CHECK(with.out == without.out);
        }
    }

    SUBCASE("estimated facets in the output: marked in the JSON, an approximately-equal sign before the counts in the text") {
        // Every dated article: more than kExactFacetsUpTo.
        json all = search_json(r->single, {"--facets", "--since", "1987"});
        REQUIRE(all["total"].get<unsigned>() > morgue::kExactFacetsUpTo);
        CHECK(all["facets"]["estimated"] == true);
        json few = search_json(r->single, {"--facets", "cocoa"});
        CHECK(few["facets"]["estimated"] == false);
        CHECK(few["total_exact"] == true);
        RunResult text = run({search_bin(), "--db", r->single.string(), "--facets", "--since", "1987"});
        CHECK(text.status == 0);
        CHECK(text.out.find("Reuters (\u2248") != std::string::npos);
        RunResult exact = run({search_bin(), "--db", r->single.string(), "--facets", "cocoa"});
        CHECK(exact.out.find("\u2248") == std::string::npos);
    }
}

namespace {

// The documents `filter` matches in `db`, in docid order.
std::vector<Xapian::docid> matching(const Xapian::Database& db, const Xapian::Query& filter) {
    Xapian::Enquire enquire(db);
    enquire.set_query(filter);
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    std::vector<Xapian::docid> out;
    Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
    for (auto it = all.begin(); it != all.end(); ++it) out.push_back(*it);
    return out;
}

}  // namespace

TEST_CASE("date filters on Reuters-21578: the day, month and year terms match what a range over the date slot does [corpora]") {
    const Reuters* r = reuters();
    if (!r) return;
    for (const fs::path& path : {r->single, r->sharded}) {
        Xapian::Database db(path.string());
        auto span = [&db] { return morgue::date_span(db); };
        CHECK(span().first == "19870226");
        using Bound = std::optional<std::string>;
        const std::vector<std::pair<Bound, Bound>> ranges = {
            {"19870301", "19870331"}, {"19870226", "19870226"}, {"19870315", "19870612"}, {"19870101", "19871231"},
            {"19870401", std::nullopt}, {std::nullopt, "19870305"}, {"19870409", "19870409"}, {"19861201", "19870227"},
            {"19880101", std::nullopt}};
        for (const auto& [lo, hi] : ranges) {
            CAPTURE(lo.value_or(".."));
            CAPTURE(hi.value_or(".."));
            std::vector<Xapian::docid> by_terms = matching(db, morgue::date_range_query(lo, hi, span));
            CHECK(by_terms == matching(db, morgue::date_range_query(lo, hi)));
            if (lo != std::optional<std::string>("19880101")) CHECK(!by_terms.empty());
        }
    }
}

TEST_CASE("facet codes kept by a long-lived searcher follow the database when an incremental run changes it") {
    TempDir dir;
    fs::path input = dir / "articles.jsonl", db = dir / "archive.db";
    // Articles `id_source` (dated March 2024, the day their id's last digit), then `more` as they are.
    auto write_articles = [&](const std::vector<std::pair<std::string, std::string>>& id_source,
                              const std::vector<json>& more = {}) {
        std::ofstream out(input);
        for (const auto& [id, source] : id_source) {
            out << json{{"id", id}, {"source", source}, {"date", "2024-03-0" + id.substr(id.size() - 1)},
                        {"title", "Harbour cranes " + id}, {"text", "The harbour cranes were repaired again, " + id + " said."}}
                       .dump()
                << "\n";
        }
        for (const json& article : more) out << article.dump() << "\n";
    };
    auto sources = [](const morgue::SearchResult& r) {
        std::map<std::string, Xapian::doccount> out;
        for (const auto& v : r.facets->source) out[v.value] = v.count;
        return out;
    };
    write_articles({{"a1", "Herald"}, {"a2", "Herald"}, {"a3", "Courier"}});
    REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), input.string()}).status == 0);

    morgue::Searcher kept(db.string());
    kept.keep_facet_codes();
    morgue::SearchRequest request;
    request.query = "cranes";
    request.facets = true;
    CHECK(sources(kept.search(request)) == std::map<std::string, Xapian::doccount>{{"Courier", 1}, {"Herald", 2}});

    // An article changes its source, another is added: the same document ids, new values.
    write_articles({{"a1", "Herald"}, {"a2", "Gazette"}, {"a3", "Courier"}, {"a4", "Gazette"}});
    REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), input.string()}).status == 0);
    kept.refresh();
    morgue::SearchResult after = kept.search(request);
    CHECK(sources(after) == std::map<std::string, Xapian::doccount>{{"Courier", 1}, {"Gazette", 2}, {"Herald", 1}});
    CHECK(after.total == 4);
    morgue::Searcher fresh(db.string());
    CHECK(as_json(*after.facets) == as_json(*fresh.search(request).facets));

    SUBCASE("articles added after the codes were built count from their values, with the codes' counts") {
        std::shared_ptr<const morgue::FacetCodes> codes = morgue::FacetCodes::build(Xapian::Database(db.string()));
        REQUIRE(codes);
        // New articles on a day the codes have (a1's), before their first and between their days,
        // with a source and bylines they have not: values in both lists, and values between.
        auto more = [](const char* id, const char* source, const char* date, const char* byline) {
            return json{{"id", id}, {"source", source}, {"date", date}, {"byline", byline}, {"title", std::string("Harbour cranes ") + id},
                        {"text", std::string("The harbour cranes were inspected, ") + id + " said."}};
        };
        write_articles({{"a1", "Herald"}, {"a2", "Gazette"}, {"a3", "Courier"}, {"a4", "Gazette"}},
                       {more("b1", "Herald", "2024-03-01", "Ann Lee"), more("b2", "Tribune", "2024-02-20", "Bo Chan"),
                        more("b3", "Gazette", "2024-03-03", "Ann Lee")});
        REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), input.string()}).status == 0);
        Xapian::Database grown(db.string());
        REQUIRE(!codes->covers(grown.get_lastdocid()));
        for (const Xapian::Query& q : {Xapian::Query::MatchAll, Xapian::Query(morgue::schema::body_stem_term("en", "crane"))}) {
            morgue::Facets merged = morgue::count_facets(grown, q, 1, false, codes);
            CHECK(merged.matches == 7);
            CHECK(as_json(merged.day) == json::parse(R"([["2024-02-20",1],["2024-03-01",2],["2024-03-02",1],)"
                                                     R"(["2024-03-03",2],["2024-03-04",1]])"));
            CHECK(as_json(merged.byline) == json::parse(R"([["Ann Lee",2],["Bo Chan",1]])"));
            CHECK(as_json(merged) == as_json(morgue::count_facets(grown, q, 1, false, nullptr)));
        }
    }
}

TEST_CASE("the indexer leaves the facet codes of the revision it wrote, read for that revision only") {
    TempDir dir;
    fs::path input = dir / "articles.jsonl", a = dir / "a.db", b = dir / "b.db";
    {
        std::ofstream out(input);
        for (int i = 1; i <= 9; ++i) {
            out << json{{"id", "n" + std::to_string(i)}, {"source", i % 3 ? "Herald" : "Courier"},
                        {"date", "2024-03-0" + std::to_string(i)}, {"byline", i % 2 ? "Ann Lee" : "Bo Chan"},
                        {"title", "Ferry timetable " + std::to_string(i)},
                        {"text", "The ferry timetable changed again on day " + std::to_string(i) + "."}}
                       .dump()
                << "\n";
        }
    }
    auto index = [&](const fs::path& db) {
        RunResult r = run({index_bin(), "--quiet", "--db", db.string(), input.string()});
        REQUIRE(r.status == 0);
        CHECK(r.err.find("facet codes") == std::string::npos);
    };
    auto read_file = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    auto write_file = [](const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary) << bytes; };
    const fs::path codes_file = a / morgue::schema::kFacetCodesFile;
    const Xapian::Query all = Xapian::Query::MatchAll;

    index(a);
    REQUIRE(fs::exists(codes_file));
    const std::string first = read_file(codes_file);
    Xapian::rev first_revision;
    {
        Xapian::Database db(a.string());
        first_revision = db.get_revision();
        std::shared_ptr<const morgue::FacetCodes> codes = morgue::FacetCodes::load(a.string(), db);
        REQUIRE(codes);
        CHECK(codes->covers(db.get_lastdocid()));
        morgue::Facets counted = morgue::count_facets(db, all, 1, false, codes);
        CHECK(as_json(counted) == as_json(morgue::count_facets(db, all, 1, false)));
        CHECK(as_json(counted.byline) == json::parse(R"([["Ann Lee",5],["Bo Chan",4]])"));
        CHECK(as_json(counted.source) == json::parse(R"([["Herald",6],["Courier",3]])"));
    }

    morgue::SearchRequest request;
    request.query = "ferry";
    request.facets = true;
    auto sources = [](const morgue::SearchResult& r) {
        std::map<std::string, Xapian::doccount> out;
        for (const auto& v : r.facets->source) out[v.value] = v.count;
        return out;
    };

    SUBCASE("searchers and morgue.cgi count with the file: a value changed in it shows") {
        std::string edited = first;
        std::size_t at = edited.find("Courier");
        REQUIRE(at != std::string::npos);
        edited.replace(at, 7, "Cxurier");  // the same length: the header and offsets hold
        write_file(codes_file, edited);
        morgue::Searcher searcher(a.string());
        CHECK(sources(searcher.search(request)) == std::map<std::string, Xapian::doccount>{{"Cxurier", 3}, {"Herald", 6}});
        RunResult cgi = run({cgi_bin(), "q=ferry", "format=json", "facets=1"}, {{"MORGUE_DB", a.string()}});
        REQUIRE(cgi.status == 0);
        CHECK(cgi.out.find("Cxurier") != std::string::npos);
    }

    SUBCASE("another revision of the database: not read; the next run writes them again") {
        // Another writer gives article n3 (from the Courier, dated the 3rd) another source: the codes say Courier still.
        {
            Xapian::WritableDatabase w(a.string(), Xapian::DB_OPEN);
            Xapian::docid did = 0;
            for (auto it = w.valuestream_begin(morgue::schema::kSlotDate); it != w.valuestream_end(morgue::schema::kSlotDate); ++it) {
                if (*it == "20240303") did = it.get_docid();
            }
            REQUIRE(did != 0);
            Xapian::Document doc = w.get_document(did);
            doc.add_value(morgue::schema::kSlotSources, "Gazette");
            w.replace_document(did, doc);
            w.commit();
        }
        CHECK(!morgue::FacetCodes::load(a.string(), Xapian::Database(a.string())));
        std::map<std::string, Xapian::doccount> now{{"Courier", 2}, {"Gazette", 1}, {"Herald", 6}};
        morgue::Searcher searcher(a.string());
        CHECK(sources(searcher.search(request)) == now);  // from the value streams
        index(a);
        Xapian::Database db(a.string());
        std::shared_ptr<const morgue::FacetCodes> codes = morgue::FacetCodes::load(a.string(), db);
        REQUIRE(codes);
        CHECK(as_json(morgue::count_facets(db, all, 1, false, codes)) == as_json(morgue::count_facets(db, all, 1, false)));
        CHECK(sources(morgue::Searcher(a.string()).search(request)) == now);
    }

    SUBCASE("another database at the same revision: not read (its uuid differs)") {
        index(b);
        Xapian::Database db(b.string());
        REQUIRE(db.get_revision() == first_revision);
        write_file(b / morgue::schema::kFacetCodesFile, first);
        CHECK(!morgue::FacetCodes::load(b.string(), db));
    }

    SUBCASE("compacted (another database to Xapian), it has none until morgue-index --facet-codes") {
        fs::path compacted = dir / "compacted.db";
        Xapian::Database(a.string()).compact(compacted.string());
        CHECK(!morgue::FacetCodes::load(compacted.string(), Xapian::Database(compacted.string())));
        RunResult codes = run({index_bin(), "--facet-codes", "--db", compacted.string()});
        CHECK(codes.status == 0);
        CHECK(morgue::FacetCodes::load(compacted.string(), Xapian::Database(compacted.string())));
        CHECK(run({index_bin(), "--facet-codes", "--db", compacted.string(), input.string()}).status == 2);
        fs::path sharded = dir / "sharded.db";
        REQUIRE(run({index_bin(), "--quiet", "--shard-by", "hash:2", "--db", sharded.string(), input.string()}).status == 0);
        RunResult refused = run({index_bin(), "--facet-codes", "--db", sharded.string()});
        CHECK(refused.status == 2);
        CHECK(refused.err.find("sharded") != std::string::npos);
    }

    SUBCASE("a damaged file is not read, and codes out of range never count out of bounds") {
        Xapian::Database db(a.string());
        // Fields of the header (the layout of common/facet_codes.cc: rows_at at byte 32, the slots'
        // headers from byte 96, 40 bytes each: count, width and offset at 0, 4 and 8, where its
        // values' offsets and its value order begin at 16 and 32) made out of bounds, the rest intact.
        auto with_u32 = [&](std::uint64_t at, std::uint32_t v) {
            std::string d = first;
            std::memcpy(d.data() + at, &v, sizeof v);
            return d;
        };
        auto with_u64 = [&](std::uint64_t at, std::uint64_t v) {
            std::string d = first;
            std::memcpy(d.data() + at, &v, sizeof v);
            return d;
        };
        auto u64_at = [&](std::uint64_t at) {
            std::uint64_t v;
            std::memcpy(&v, first.data() + at, sizeof v);
            return v;
        };
        const std::uint64_t slot0 = 96, slot1 = 136;
        REQUIRE(u64_at(slot0 + 16) < first.size());
        for (const std::string& damaged :
             {first.substr(0, first.size() - 1), first.substr(0, 100), std::string("MRGCODE1"), std::string(first.size(), '\xff'),
              "X" + first.substr(1), first + "trailing",
              with_u32(slot0 + 8, 0xFFFFFFFF),                       // a code at an offset past every row
              with_u32(slot0 + 4, 3),                                // three bytes a code
              with_u32(slot1, 0),                                    // no codes, not even 0
              with_u64(32, first.size()),                            // the rows past the end
              with_u32(u64_at(slot0 + 16) + 4, 0xFFFFFFF0),          // values' offsets that go back
              with_u32(u64_at(slot1 + 32), 0)}) {                    // code 0 in the value order
            write_file(codes_file, damaged);
            CHECK(!morgue::FacetCodes::load(a.string(), db));
        }
        // Rows are the end of the file (a byte a slot here: four a document id): every code of
        // articles 8 and 9 made 255, past every slot's codes. They count as without values.
        std::string wild = first;
        for (std::size_t i = wild.size() - 8; i < wild.size(); ++i) wild[i] = '\xff';
        write_file(codes_file, wild);
        std::shared_ptr<const morgue::FacetCodes> codes = morgue::FacetCodes::load(a.string(), db);
        REQUIRE(codes);
        morgue::Facets counted = morgue::count_facets(db, all, 1, false, codes);
        CHECK(counted.matches == 9);
        CHECK(as_json(counted.byline) == json::parse(R"([["Ann Lee",4],["Bo Chan",3]])"));
        CHECK(as_json(counted.source) == json::parse(R"([["Herald",5],["Courier",2]])"));
    }
}

namespace {

// Every match of `query` in `db` with its BM25 weight (as the searcher weighs by default).
std::map<Xapian::docid, double> weighed(const Xapian::Database& db, const Xapian::Query& query) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(*morgue::weighting(morgue::RankingOptions()));
    std::map<Xapian::docid, double> out;
    Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
    for (auto it = all.begin(); it != all.end(); ++it) out[*it] = it.get_weight();
    return out;
}

}  // namespace

TEST_CASE("phrases on Reuters-21578: the body's or the title's, the same articles and weights as the words filtered by either phrase [corpora]") {
    const Reuters* r = reuters();
    if (!r) return;
    Xapian::Database db(r->single.string());
    morgue::Analyzer analyzer;
    morgue::QueryBuilder builder(analyzer, {"en"});
    using Q = Xapian::Query;
    for (const char* text : {"\"interest rates\"", "\"crude oil\"", "\"new york\"", "\"said it\"", "\"the bank of\"",
                             "\"net profit for the year\"", "opec NEAR/3 output"}) {
        CAPTURE(text);
        // The form before: the articles with the words, filtered by the body's phrase or the title's.
        auto old_form = [](std::vector<std::string> words, Q::op op, Xapian::termcount window) {
            std::vector<Q> body, title;
            for (const std::string& w : words) {
                body.emplace_back(w);
                title.emplace_back(std::string(morgue::schema::kPrefixTitle) + w);
            }
            return Q(Q::OP_FILTER, Q(Q::OP_AND, body.begin(), body.end()),
                     Q(Q::OP_OR, Q(op, body.begin(), body.end(), window), Q(op, title.begin(), title.end(), window)));
        };
        Q before;
        std::string t = text;
        if (t == "opec NEAR/3 output") before = old_form({"opec", "output"}, Q::OP_NEAR, 3);
        else {
            std::vector<std::string> words;
            for (const morgue::Token& tok : analyzer.tokens(t.substr(1, t.size() - 2))) words.push_back(tok.term);
            before = old_form(words, Q::OP_PHRASE, static_cast<Xapian::termcount>(words.size()));
        }
        std::map<Xapian::docid, double> now = weighed(db, builder.parse(text).query);
        CHECK(!now.empty());
        CHECK(now == weighed(db, before));
    }
}

TEST_CASE("facets counted beside the page never mix two sets of shards: a shard added after the searcher opened the stub [corpora]") {
    TempDir dir;
    fs::path jsonl = dir / "reuters.jsonl", extra = dir / "1988.jsonl", db = dir / "archive.db";
    if (!convert_corpus("reuters", jsonl)) {
        WARN_MESSAGE(false, "shared corpora not found: not run");
        return;
    }
    // Reuters is all 1987: one shard behind the stub, which facet codes accept.
    REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--shard-by", "year", "--db", db.string(), jsonl.string()}, {}, "",
                1200)
                .status == 0);
    morgue::SearchRequest request;
    request.query = "said";
    request.facets = true;
    request.exact_facets_up_to = kAlwaysExact;  // counted beside the page, on a second handle
    morgue::SearchResult before = morgue::Searcher(db.string()).search(request);
    REQUIRE(before.facets);
    REQUIRE(before.facets->matches > 1000);
    // Opened now, its second handle opened at its first faceted search: after the stub changed.
    morgue::Searcher kept(db.string());
    kept.keep_facet_codes();

    // A year more: a second shard, listed in the stub; the searcher's handle still has the one it opened.
    {
        std::ofstream out(extra);
        for (int i = 0; i < 200; ++i) {
            out << json{{"id", "later-" + std::to_string(i)}, {"source", "Gazette"}, {"date", "1988-01-15"},
                        {"title", "Later report " + std::to_string(i)}, {"text", "The minister said little, again."}}
                       .dump()
                << "\n";
        }
    }
    REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--db", db.string(), extra.string()}, {}, "", 1200).status == 0);
    kept.refresh();
    morgue::SearchResult after = kept.search(request);
    REQUIRE(after.facets);
    // As the articles the page was searched in (the first shard's), not another set's ids read with its codes.
    CHECK(as_json(*after.facets) == as_json(*before.facets));
    CHECK(after.total == before.total);
}
