// Test support: run a real program and capture what it does, and temporary
// directories that clean up after themselves.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace morgue::test {

// What a program run by run() did.
struct RunResult {
    int status = -1;  // exit status, or 128+signal when killed
    std::string out;
    std::string err;
    long max_rss_kb = 0;  // peak memory of the program
    double seconds = 0;   // wall time
};

// A program started in the background (stdout and stderr to /dev/null
// unless `log` names a file for both).
class Background {
public:
    Background(const std::vector<std::string>& argv, const std::string& log = "");
    ~Background();  // kills it if still running
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    void kill9();
    void stop();    // SIGSTOP: frozen, as a hung server
    void resume();  // SIGCONT
    bool running();
    int wait();  // exit status (128+signal when killed)

private:
    int pid_ = -1;
    int status_ = -1;
};

// Runs `argv` (argv[0] is a path) with the extra environment `env`, feeding
// it `input` on stdin. Waits at most `timeout_s` seconds, then kills it.
RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
        const std::string& input = "", double timeout_s = 120);

// A fresh directory under the system's temporary directory, removed with
// everything in it when the object goes away.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    // Writes `content` to `name` (creating directories) and returns its path.
    std::filesystem::path write(const std::string& name, const std::string& content) const;

private:
    std::filesystem::path path_;
};

// A TCP port on 127.0.0.1 that nothing listens on (for servers the tests start).
int free_port();

// curl -i: the status line, headers, a blank line and the body, in `out`.
RunResult curl(const std::string& url);
// The HTTP status of a GET of `url` (0 when nothing answered).
int curl_status(const std::string& url);
// Waits up to ten seconds for `url` to answer 200; false if it never did.
bool wait_for_http(const std::string& url);

// Paths of the programs and the source tree (set by CMake).
std::string index_bin();
std::string search_bin();
std::string cgi_bin();
std::filesystem::path source_dir();
std::filesystem::path corpus_dir();

// Runs morgue-search --json on `db` with `args`; fails the test unless it
// exits 0 or 1 with valid JSON.
nlohmann::json search_json(const std::filesystem::path& db, const std::vector<std::string>& args);

// File names (without directories and extension) of the results, in order.
std::vector<std::string> result_names(const nlohmann::json& result);

// `v`, sorted.
std::vector<std::string> sorted(std::vector<std::string> v);

// The counts of morgue-index's summary line: "added 1, updated 0, ..." ->
// {"added": 1, ...} (-1 for a count it does not give).
std::map<std::string, int> summary(const RunResult& r);

// A database of corpus/, built once per test program by the real morgue-index.
const std::filesystem::path& corpus_db();

// The result for the corpus article whose file name starts with `prefix` ("002").
nlohmann::json result_for(const nlohmann::json& result, const std::string& prefix);

}  // namespace morgue::test

namespace morgue::test {
// The shared research corpora (../shared/corpora beside the project, or
// $MORGUE_CORPORA), or an empty path when they are not on this machine.
std::filesystem::path corpora_dir();
// Unpacks corpus tarball `name` (e.g. "bbc") into `into`; false when the
// corpora are not here.
bool unpack_corpus(const std::string& name, const std::filesystem::path& into);
// Converts a corpus with scripts/convert into `out` (JSON Lines).
bool convert_corpus(const std::string& name, const std::filesystem::path& out, bool queries = false);
}  // namespace morgue::test
