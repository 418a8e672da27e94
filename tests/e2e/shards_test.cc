// End-to-end: sharded archives — indexing by year or hash into shards
// behind a stub file, three xapian-tcpsrv shard servers on 127.0.0.1, and
// the same answers as one database; a server stopped or frozen mid-run
// gives a clear error or, asked for, a partial answer — never a hang.
#include "document.h"
#include "schema.h"
#include "search.h"
#include "stored_data.h"

#include "../support/run.h"

#include <doctest/doctest.h>

#include <algorithm>

#include <arpa/inet.h>
#include <csignal>
#include <fstream>
#include <netinet/in.h>
#include <set>
#include <sstream>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {


bool listening(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    return ok;
}

// Three shard servers for the shards of `stub`, and a stub listing them remotely.
struct Cluster {
    std::vector<std::unique_ptr<Background>> servers;
    std::vector<int> ports;
    fs::path stub;

    Cluster(const fs::path& local_stub, const fs::path& remote_stub) : stub(remote_stub) {
        std::ofstream out(remote_stub);
        for (const auto& e : fs::directory_iterator(local_stub.string() + ".shards")) {
            if (e.path().filename() == "_state") continue;
            int port = free_port();
            servers.push_back(std::make_unique<Background>(std::vector<std::string>{
                (source_dir() / "scripts" / "shard-server").string(), "--port", std::to_string(port), e.path().string()}));
            ports.push_back(port);
            out << "remote 127.0.0.1:" << port << "\n";
        }
        for (int port : ports) {
            for (int i = 0; i < 100 && !listening(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
};

// Each result as "score identity" (score rounded). Results with equal scores
// come in document id order, and document ids differ between one database
// and shards, so ties are compared as sets: the scores in order, and the
// identities of every result scoring above the last one shown.
struct Page {
    std::vector<std::string> scores;
    std::set<std::string> above_last;
    friend bool operator==(const Page&, const Page&) = default;
};

Page page_of(const json& j) {
    Page p;
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& r : j["results"]) {
        char score[32];
        std::snprintf(score, sizeof score, "%.3f", r["score"].get<double>());
        rows.emplace_back(score, r["path"].get<std::string>() + "#" + r.value("record", std::string()));
        p.scores.push_back(score);
    }
    for (const auto& [score, id] : rows) {
        if (score != rows.back().first) p.above_last.insert(id + " " + score);
    }
    return p;
}

const std::vector<std::vector<std::string>> kQueries = {
    {"trafficking"},
    {"\"human trafficking\""},
    {"Cuba", "Russia"},
    {"Diaz-Canel"},
    {"quote:\"not part of the war\""},
    {"--sort", "date", "Cuba"},
    {"--sort", "oldest", "Cuba"},
    {"--since", "2023-09", "--until", "2023-09", "Cuba"},
    {"source:bbc OR source:npr"},
};

// The same query on both: same total, same results in the same order with the same scores, same facets.
void same_answers(const fs::path& single, const fs::path& sharded, const std::vector<std::vector<std::string>>& queries) {
    for (const auto& q : queries) {
        std::vector<std::string> args = {"--facets", "--limit", "10"};
        args.insert(args.end(), q.begin(), q.end());
        CAPTURE(q.back());
        json a = search_json(single, args);
        json b = search_json(sharded, args);
        CHECK(a["total"] == b["total"]);
        CHECK(page_of(a).scores == page_of(b).scores);
        CHECK(page_of(a).above_last == page_of(b).above_last);
        CHECK(a["facets"] == b["facets"]);
        // The text travelled: as many results with snippets as from the single database
        // (Reuters' title-only briefs have none, in both).
        auto with_snippet = [](const json& j) {
            return std::count_if(j["results"].begin(), j["results"].end(),
                                 [](const json& r) { return !r["snippet"].get<std::string>().empty(); });
        };
        CHECK(with_snippet(b) == with_snippet(a));
        CHECK((b["results"].empty() || with_snippet(b) > 0));
    }
}

}  // namespace

TEST_CASE("sharded indexing: a stub file over one database per shard, incremental like any other") {
    TempDir dir;
    auto stub = dir / "news.db";
    RunResult r = run({index_bin(), "--db", stub.string(), "--shard-by", "year", corpus_dir().string()});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(fs::is_regular_file(stub));
    CHECK(fs::exists(dir / "news.db.shards" / "2023"));
    CHECK(fs::exists(dir / "news.db.shards" / "undated"));
    std::ifstream in(stub);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("auto news.db.shards/2023\n") != std::string::npos);
    CHECK(text.find("auto news.db.shards/undated\n") != std::string::npos);
    CHECK(search_json(stub, {"trafficking"})["total"] == 5);
    CHECK(search_json(stub, {"trafficing"})["suggestion"] == "trafficking");
    // Again: nothing to do. The scheme is remembered; another is refused without --rebuild.
    RunResult again = run({index_bin(), "--db", stub.string(), corpus_dir().string()});
    CHECK(again.out.find("unchanged 5") != std::string::npos);
    RunResult other = run({index_bin(), "--db", stub.string(), "--shard-by", "hash:4", corpus_dir().string()});
    CHECK(other.status == 2);
    CHECK(other.err.find("is sharded by year, not hash:4") != std::string::npos);
    CHECK(run({index_bin(), "--db", stub.string(), "--shard-by", "decade", corpus_dir().string()}).status == 2);
    // A new year is a new shard, listed at once.
    dir.write("in/new.json", R"({"id": "n1", "date": "2024-01-02", "title": "A new year", "text": "A story about an ibex."})");
    REQUIRE(run({index_bin(), "--db", stub.string(), (dir / "in").string()}).status == 0);
    CHECK(fs::exists(dir / "news.db.shards" / "2024"));
    CHECK(search_json(stub, {"ibex"})["results"][0]["date"] == "2024-01-02");
}

TEST_CASE("three shard servers answer as the single database does, a stopped or frozen one is reported, never a hang") {
    TempDir dir;
    // corpus/ and a few hundred generated articles over three years.
    std::string lines;
    const char* topics[] = {"oil prices", "trade talks", "central bank rates", "grain harvest", "steel tariffs"};
    for (int i = 0; i < 300; ++i) {
        lines += R"({"id": "g)" + std::to_string(i) + R"(", "date": ")" + std::to_string(2021 + i % 3) + "-0" +
                 std::to_string(1 + i % 9) + R"(-15", "source": ")" + (i % 2 ? "Reuters" : "AP") +
                 R"(", "title": "Report )" + std::to_string(i) + " on " + topics[i % 5] + R"(", "text": "Officials said )" +
                 topics[i % 5] + " moved again, report " + std::to_string(i) + ", as Cuba and Russia watched.\"}\n";
    }
    auto feed = dir.write("feed.jsonl", lines);
    auto single = dir / "single.db";
    auto sharded = dir / "sharded.db";
    REQUIRE(run({index_bin(), "--db", single.string(), corpus_dir().string(), feed.string()}).status == 0);
    REQUIRE(run({index_bin(), "--db", sharded.string(), "--shard-by", "hash:3", corpus_dir().string(), feed.string()})
                .status == 0);
    // Local shards first, then remote ones.
    auto queries = kQueries;
    queries.push_back({"oil prices", "--since", "2022"});
    queries.push_back({"report", "--sort", "date"});
    same_answers(single, sharded, queries);

    Cluster cluster(sharded, dir / "remote.db");
    REQUIRE(cluster.ports.size() == 3);
    same_answers(single, cluster.stub, queries);
    // Article ids are the same in one database and across shards; similar
    // articles and stories work across shards.
    auto ids = [](const fs::path& db) {
        std::vector<std::string> out;
        json all = search_json(db, {"--limit", "1000", "--source", "reuters", "--source", "ap"});
        for (const json& r : all["results"]) out.push_back(r["id"]);
        return sorted(out);
    };
    std::vector<std::string> single_ids = ids(single);
    REQUIRE(single_ids.size() == 300);
    CHECK(ids(sharded) == single_ids);
    CHECK(ids(cluster.stub) == single_ids);
    std::string id = single_ids.front();
    json like = search_json(cluster.stub, {"--like", id});
    CHECK(like["total"].get<int>() > 0);
    json collapsed = search_json(cluster.stub, {"--collapse", "\"human trafficking\""});
    CHECK(collapsed["results"][0]["versions"] == search_json(single, {"--collapse", "\"human trafficking\""})["results"][0]["versions"]);

    // A frozen server: the search gives up after the timeout with a clear message.
    cluster.servers[1]->stop();
    RunResult frozen = run({search_bin(), "--db", cluster.stub.string(), "--shard-timeout", "1500", "trafficking"}, {}, "", 60);
    CHECK(frozen.status == 2);
    CHECK(frozen.seconds < 15);
    CHECK(frozen.err.find("morgue-search: ") == 0);
    CHECK(std::count(frozen.err.begin(), frozen.err.end(), '\n') == 1);
    cluster.servers[1]->resume();
    CHECK(search_json(cluster.stub, {"trafficking"})["total"] == 5);

    // A stopped server: an error naming the shard, or with --partial an answer marked partial.
    cluster.servers[2]->kill9();
    cluster.servers[2]->wait();
    RunResult down = run({search_bin(), "--db", cluster.stub.string(), "--json", "trafficking"});
    CHECK(down.status == 2);
    CHECK(down.err.find("shard 127.0.0.1:" + std::to_string(cluster.ports[2]) + " is unavailable") != std::string::npos);
    json partial = search_json(cluster.stub, {"--partial", "--shard-timeout", "2000", "report"});
    CHECK(partial["partial"] == true);
    CHECK(partial["unavailable"] == 1);
    CHECK(partial["total"].get<int>() > 0);
    CHECK(partial["total"].get<int>() < search_json(single, {"report"})["total"].get<int>());
}

TEST_CASE("Reuters-21578 sharded over three servers: the same totals, top ten and facets as one database [corpora]") {
    TempDir dir;
    auto jsonl = dir / "reuters.jsonl";
    if (!convert_corpus("reuters", jsonl)) {
        WARN_MESSAGE(false, "shared corpora not found: sharded Reuters test not run");
        return;
    }
    auto single = dir / "single.db";
    auto sharded = dir / "sharded.db";
    REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--db", single.string(), jsonl.string()}, {}, "", 1200).status == 0);
    REQUIRE(run({index_bin(), "--quiet", "--no-stories", "--db", sharded.string(), "--shard-by", "hash:3", jsonl.string()},
                {}, "", 1200)
                .status == 0);
    Cluster cluster(sharded, dir / "remote.db");
    REQUIRE(cluster.ports.size() == 3);
    std::vector<std::vector<std::string>> queries = {
        {"oil"},          {"oil prices"},         {"\"crude oil\""}, {"trade", "deficit"}, {"bank", "--sort", "date"},
        {"cocoa"},        {"opec NEAR output"},   {"gold", "--since", "1987-03", "--until", "1987-06"},
        {"title:wheat"},  {"interest rates", "--sort", "oldest"},
    };
    same_answers(single, cluster.stub, queries);
}

TEST_CASE("stopping scripts/shard-server with SIGTERM stops the server and nothing else") {
    // xapian-tcpsrv signals its whole process group when it gets SIGTERM; the
    // script must keep that from reaching whatever started it (this shell here,
    // cron, a test runner). The shell runs in a session of its own, so that a
    // regression kills only it, and shows as the missing last line.
    TempDir dir;
    auto db = dir / "db";
    REQUIRE(run({index_bin(), "--quiet", "--db", db.string(), corpus_dir().string()}).status == 0);
    std::string script = "\"$0\" --port " + std::to_string(free_port()) + " \"$1\" 2>/dev/null & p=$!\n"
                         "sleep 1; kill -TERM $p; wait $p; echo \"server exit $?\"; echo 'caller still here'\n";
    RunResult r = run({"/usr/bin/setsid", "--wait", "/bin/bash", "-c", script, (source_dir() / "scripts" / "shard-server").string(),
                 db.string()},
                {}, "", 30);
    CHECK(r.out.find("caller still here") != std::string::npos);
    CHECK(r.status == 0);
}

TEST_CASE("archives indexed apart, each deflating its data with its own dictionary, searched through one stub [corpora]") {
    TempDir dir;
    auto all = dir / "reuters.jsonl";
    if (!convert_corpus("reuters", all)) {
        WARN_MESSAGE(false, "shared corpora not found: stub over separate archives not run");
        return;
    }
    // Two archives of 2,000 Reuters articles each, as two machines would index two years.
    std::ifstream in(all);
    std::ofstream a(dir / "a.jsonl"), b(dir / "b.jsonl");
    std::string line;
    for (int i = 0; i < 4000 && std::getline(in, line); ++i) (i < 2000 ? a : b) << line << "\n";
    a.close();
    b.close();
    auto index = [&](const std::vector<std::string>& args) {
        std::vector<std::string> argv = {index_bin(), "--quiet", "--no-stories"};
        argv.insert(argv.end(), args.begin(), args.end());
        RunResult r = run(argv, {}, "", 600);
        INFO(r.err);
        REQUIRE(r.status == 0);
    };
    index({"--db", (dir / "a.db").string(), (dir / "a.jsonl").string()});
    index({"--db", (dir / "b.db").string(), (dir / "b.jsonl").string()});
    // The reference: both files in one sharded index, whose shards keep their data plain.
    index({"--db", (dir / "sharded.db").string(), "--shard-by", "hash:2", (dir / "a.jsonl").string(), (dir / "b.jsonl").string()});
    std::ofstream(dir / "both.db") << "auto a.db\nauto b.db\n";

    // Each archive made its own dictionary, and deflated its articles with it (but the first few).
    std::vector<std::string> dictionaries;
    for (const char* name : {"a.db", "b.db"}) {
        Xapian::Database db((dir / name).string());
        dictionaries.push_back(db.get_metadata(morgue::schema::kMetaDataDictionary));
        CHECK(dictionaries.back().size() == morgue::DataDictionary::kBytes);
        CHECK(morgue::is_deflated(db.get_document(db.get_lastdocid()).get_data()));
        CHECK(!morgue::is_deflated(db.get_document(1).get_data()));
    }
    CHECK(dictionaries[0] != dictionaries[1]);
    Xapian::Database shard((dir / "sharded.db.shards" / "0").string());
    CHECK(shard.get_metadata(morgue::schema::kMetaDataDictionary).empty());
    CHECK(!morgue::is_deflated(shard.get_document(shard.get_lastdocid()).get_data()));

    // Every article exported through the stub as from the plain reference (without rank and score,
    // which follow document ids).
    auto exported = [](const fs::path& db) {
        RunResult r = run({search_bin(), "--db", db.string(), "--format", "jsonl", "--since", "1900"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        std::vector<std::string> rows;
        std::istringstream lines(r.out);
        for (std::string row; std::getline(lines, row);) {
            json j = json::parse(row);
            j.erase("rank");
            j.erase("score");
            rows.push_back(j.dump());
        }
        return sorted(rows);
    };
    std::vector<std::string> from_stub = exported(dir / "both.db");
    CHECK(from_stub.size() == 4000);
    CHECK(from_stub == exported(dir / "sharded.db"));
    // Pages with snippets, and facets, the same.
    same_answers(dir / "sharded.db", dir / "both.db", {{"oil"}, {"cocoa"}, {"bank", "--sort", "date"}, {"\"crude oil\""}});
    // A stub that lists a sharded index's stub: Xapian opens its two shards as two databases
    // (three in all), and b.db's articles still meet b.db's dictionary.
    std::ofstream(dir / "nested.db") << "auto b.db\nauto sharded.db\n";
    std::vector<std::string> b_and_sharded = exported(dir / "b.db");
    std::vector<std::string> sharded_rows = exported(dir / "sharded.db");
    b_and_sharded.insert(b_and_sharded.end(), sharded_rows.begin(), sharded_rows.end());
    CHECK(exported(dir / "nested.db") == sorted(b_and_sharded));
    // The last article of each archive (deflated), whole, as the reference has it.
    morgue::Searcher stub((dir / "both.db").string()), reference((dir / "sharded.db").string());
    for (const char* name : {"a.db", "b.db"}) {
        Xapian::Database db((dir / name).string());
        std::string id = morgue::article_id_of(db.get_document(db.get_lastdocid()));
        CAPTURE(id);
        auto got = stub.article(id, "");
        auto want = reference.article(id, "");
        REQUIRE(got);
        REQUIRE(want);
        CHECK(got->article.body.size() > 100);
        CHECK(got->article.body == want->article.body);
        CHECK(got->article.title == want->article.title);
        CHECK(got->article.date == want->article.date);
    }
}
