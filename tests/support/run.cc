#include "run.h"

#include <doctest/doctest.h>

#include <cerrno>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <random>
#include <stdexcept>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace morgue::test {

namespace fs = std::filesystem;

RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
        const std::string& input, double timeout_s) {
    int in_pipe[2], out_pipe[2], err_pipe[2];
    if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe");
    pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork");
    if (pid == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        dup2(err_pipe[1], 2);
        for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
        for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    close(err_pipe[1]);
    std::signal(SIGPIPE, SIG_IGN);
    if (!input.empty()) {
        ssize_t w = write(in_pipe[1], input.data(), input.size());
        (void)w;
    }
    close(in_pipe[1]);
    RunResult r;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[65536];
    bool killed = false;
    while (open_fds > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            kill(pid, SIGKILL);
            killed = true;
            break;
        }
        int n = poll(fds, 2, static_cast<int>(left.count()));
        if (n < 0 && errno == EINTR) continue;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = read(fds[i].fd, buf, sizeof buf);
            if (got <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            } else {
                (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(got));
            }
        }
    }
    for (auto& f : fds) {
        if (f.fd >= 0) close(f.fd);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    r.max_rss_kb = usage.ru_maxrss;
    r.seconds = timeout_s - std::chrono::duration<double>(deadline - std::chrono::steady_clock::now()).count();
    if (WIFEXITED(status)) r.status = WEXITSTATUS(status);
    else if (WIFSIGNALED(status)) r.status = 128 + WTERMSIG(status);
    if (killed) r.err += "\n[killed after timeout]";
    return r;
}

Background::Background(const std::vector<std::string>& argv, const std::string& log) {
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
        // Its own process group: a server may signal its whole group (xapian-tcpsrv
        // does killpg(0, SIGTERM) when told to stop), and that must never reach the
        // test runner; signalling the group also stops what the server started.
        setpgid(0, 0);
        int out = open(log.empty() ? "/dev/null" : log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        dup2(out, 1);
        dup2(out, 2);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    setpgid(pid_, pid_);  // as the child does: whichever runs first
}

Background::~Background() {
    // SIGTERM to the group first, so that a server script can stop what it started
    // (scripts/serve stops lighttpd and its FastCGI processes); SIGKILL if it
    // has not gone in five seconds.
    if (running()) {
        kill(-pid_, SIGTERM);
        for (int i = 0; i < 100 && running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (running()) kill9();
    }
    wait();
}

void Background::kill9() {
    if (pid_ > 0) kill(-pid_, SIGKILL);
}

void Background::stop() {
    if (pid_ > 0) kill(-pid_, SIGSTOP);
}

void Background::resume() {
    if (pid_ > 0) kill(-pid_, SIGCONT);
}

bool Background::running() {
    if (pid_ <= 0 || status_ != -1) return false;
    int status = 0;
    pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == 0) return true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
}

int Background::wait() {
    if (pid_ > 0 && status_ == -1) {
        int status = 0;
        waitpid(pid_, &status, 0);
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return status_;
}

TempDir::TempDir() {
    std::random_device rd;
    for (int i = 0; i < 100; ++i) {
        fs::path p = fs::temp_directory_path() / ("morgue-test-" + std::to_string(rd()));
        if (fs::create_directory(p)) {
            path_ = p;
            return;
        }
    }
    throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
    std::error_code ec;
    // Tests may leave unreadable files behind; make them removable.
    for (auto it = fs::recursive_directory_iterator(path_, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
    fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& name, const std::string& content) const {
    fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    int port = ntohs(addr.sin_port);
    close(fd);
    return port;
}

RunResult curl(const std::string& url) { return run({"/usr/bin/curl", "-s", "-i", "--max-time", "20", url}); }

int curl_status(const std::string& url) {
    RunResult r = run({"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", url});
    return std::stoi(r.out.empty() ? "0" : r.out);
}

bool wait_for_http(const std::string& url) {
    for (int i = 0; i < 100; ++i) {
        if (curl_status(url) == 200) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

std::string index_bin() { return MORGUE_INDEX_BIN; }
std::string search_bin() { return MORGUE_SEARCH_BIN; }
std::string cgi_bin() { return MORGUE_CGI_BIN; }
fs::path source_dir() { return MORGUE_SOURCE_DIR; }
fs::path corpus_dir() { return source_dir() / "corpus"; }

nlohmann::json search_json(const fs::path& db, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {search_bin(), "--db", db.string(), "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    RunResult r = run(argv);
    INFO("stderr: " << r.err);
    REQUIRE((r.status == 0 || r.status == 1));
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    REQUIRE(!j.is_discarded());
    return j;
}

std::vector<std::string> result_names(const nlohmann::json& result) {
    std::vector<std::string> names;
    for (const auto& r : result["results"]) names.push_back(fs::path(r["path"].get<std::string>()).stem().string());
    return names;
}

}  // namespace morgue::test

namespace morgue::test {

fs::path corpora_dir() {
    if (const char* env = std::getenv("MORGUE_CORPORA"); env && *env) return env;
    fs::path p = source_dir() / ".." / "shared" / "corpora";
    std::error_code ec;
    if (fs::exists(p / "README.md", ec)) return fs::weakly_canonical(p);
    return {};
}

bool unpack_corpus(const std::string& name, const fs::path& into) {
    fs::path dir = corpora_dir();
    if (dir.empty()) return false;
    fs::create_directories(into);
    RunResult r = run({"/bin/tar", "-xzf", (dir / (name + ".tar.gz")).string(), "-C", into.string()});
    INFO(r.err);
    REQUIRE(r.status == 0);
    return true;
}

bool convert_corpus(const std::string& name, const fs::path& out, bool queries) {
    fs::path dir = corpora_dir();
    if (dir.empty()) return false;
    std::vector<std::string> argv = {"/usr/bin/env", "python3", (source_dir() / "scripts" / "convert").string(), name};
    if (queries) argv.push_back("--queries");
    RunResult r = run(argv, {{"MORGUE_CORPORA", dir.string()}});
    INFO(r.err);
    REQUIRE(r.status == 0);
    std::ofstream(out, std::ios::binary) << r.out;
    return true;
}

}  // namespace morgue::test

namespace morgue::test {

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

std::map<std::string, int> summary(const RunResult& r) {
    std::map<std::string, int> counts;
    for (const char* key : {"added", "updated", "unchanged", "removed", "skipped"}) {
        std::size_t at = r.out.find(std::string(key) + " ");
        counts[key] = at == std::string::npos ? -1 : std::stoi(r.out.substr(at + std::strlen(key) + 1));
    }
    return counts;
}

const fs::path& corpus_db() {
    static TempDir dir;
    static fs::path db = [] {
        fs::path p = dir / "corpus.db";
        RunResult r = run({index_bin(), "--db", p.string(), corpus_dir().string()});
        INFO(r.err);
        REQUIRE(r.status == 0);
        return p;
    }();
    return db;
}

nlohmann::json result_for(const nlohmann::json& result, const std::string& prefix) {
    for (const auto& r : result["results"]) {
        if (fs::path(r["path"].get<std::string>()).filename().string().rfind(prefix, 0) == 0) return r;
    }
    FAIL("no result for " << prefix);
    return {};
}

}  // namespace morgue::test
