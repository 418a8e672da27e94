// Installing morgue: the .deb that CPack makes (the "package: cpack" CTest
// fixture), extracted with dpkg -x into a temporary root and run from there
// (programs, scripts, man pages), and the production recipes it ships under
// share/doc/morgue/examples/ run in real web servers and checked by systemd.
#include "../support/run.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

using namespace morgue::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::size_t count(const std::string& s, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = s.find(part); at != std::string::npos; at = s.find(part, at + 1)) ++n;
    return n;
}

std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The .deb of this version, made by the fixture.
fs::path deb() {
    fs::path dir = MORGUE_PACKAGE_DIR;
    for (const auto& e : fs::directory_iterator(dir)) {
        std::string name = e.path().filename().string();
        if (name.rfind(std::string("morgue_") + MORGUE_VERSION + "_", 0) == 0 && e.path().extension() == ".deb") {
            return e.path();
        }
    }
    FAIL("no morgue_" << MORGUE_VERSION << "_*.deb in " << dir);
    return {};
}

// The .deb extracted with dpkg -x into a fresh root.
struct Installed {
    TempDir dir;
    fs::path root = dir / "root";
    Installed() {
        RunResult r = run({"/usr/bin/dpkg-deb", "-x", deb().string(), root.string()});
        INFO(r.err);
        REQUIRE(r.status == 0);
    }
    std::string bin(const std::string& name) const { return (root / "usr/bin" / name).string(); }
    std::string cgi() const { return (root / "usr/lib/cgi-bin/morgue.cgi").string(); }
    fs::path example(const std::string& name) const { return root / "usr/share/doc/morgue/examples" / name; }
};

// An example from the package with its paths replaced by the test's, written to `to`.
fs::path adapt_example(const Installed& pkg, const std::string& name,
                       const std::vector<std::pair<std::string, std::string>>& replacements, const fs::path& to) {
    std::string text = read(pkg.example(name));
    REQUIRE(!text.empty());
    for (const auto& [from, with] : replacements) {
        for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + with.size())) {
            text.replace(at, from.size(), with);
        }
    }
    std::ofstream(to, std::ios::binary) << text;
    return to;
}

// The checks every web server recipe passes: the archive under /archive/, with
// morgue.cgi's security headers passed through once each (not dropped, not
// doubled by the server), links and the style sheet under the sub-path.
RunResult check_archive(const std::string& base) {
    REQUIRE(wait_for_http(base + "/archive/"));
    RunResult page = curl(base + "/archive/?q=Diaz-Canel");
    CHECK(page.out.rfind("HTTP/1.1 200 OK", 0) == 0);
    for (const char* header : {"Content-Security-Policy: default-src 'none'", "X-Content-Type-Options: nosniff",
                               "X-Frame-Options: DENY", "Referrer-Policy: no-referrer"}) {
        CAPTURE(header);
        CHECK(count(page.out, std::string("\r\n") + header) == 1);
    }
    CHECK(contains(page.out, "<mark>Díaz</mark>"));
    CHECK(contains(page.out, "href=\"/archive/?q=Diaz-Canel&amp;source=NPR\""));  // links stay under /archive/
    CHECK(curl_status(base + "/archive/?asset=style.css") == 200);
    CHECK(curl_status(base + "/archive/?q=cuba&page=-1") == 400);
    CHECK(curl_status(base + "/archive") == 301);
    RunResult j = run({"/usr/bin/curl", "-s", "--max-time", "20", base + "/archive/?format=json&q=Diaz-Canel"});
    CHECK(json::parse(j.out)["total"] == 3);
    return page;
}

// morgue.cgi from the package as a FastCGI server on `socket` (what
// morgue-fcgi.socket does: the listening socket on its standard input).
std::vector<std::string> spawn_fcgi(const Installed& pkg, const fs::path& socket) {
    return {"/usr/bin/env", "MORGUE_DB=" + corpus_db().string(), "/usr/bin/spawn-fcgi", "-n", "-s", socket.string(),
            "-M", "0666", "--", pkg.cgi()};
}

// A web server recipe from the package, as DIR/morgue.conf, with the installed
// morgue.cgi, the corpus database and the socket DIR/morgue.sock.
fs::path web_example(const Installed& pkg, const std::string& name, const TempDir& dir) {
    return adapt_example(pkg, name,
                         {{"/usr/lib/cgi-bin/morgue.cgi", pkg.cgi()},
                          {"/var/lib/morgue/news.db", corpus_db().string()},
                          {"/run/morgue/morgue.sock", (dir / "morgue.sock").string()}},
                         dir / "morgue.conf");
}

// lighttpd with the example `name` included, on `port`.
std::vector<std::string> lighttpd(const Installed& pkg, const std::string& name, const TempDir& dir, int port) {
    fs::path conf = web_example(pkg, name, dir);
    fs::create_directories(dir / "www");
    dir.write("lighttpd.conf", "server.document-root = \"" + (dir / "www").string() +
                                   "\"\n"
                                   "server.bind = \"127.0.0.1\"\n"
                                   "server.port = " +
                                   std::to_string(port) + "\nserver.errorlog = \"" + (dir / "error.log").string() +
                                   "\"\ninclude \"" + conf.string() + "\"\n");
    return {"/usr/sbin/lighttpd", "-D", "-f", (dir / "lighttpd.conf").string()};
}

// nginx (in the foreground) with the example `name` in its server block, on `port`.
std::vector<std::string> nginx(const Installed& pkg, const std::string& name, const TempDir& dir, int port) {
    fs::path snippet = web_example(pkg, name, dir);
    std::string d = dir.path().string();
    dir.write("nginx.conf", std::string(geteuid() == 0 ? "user root root;\n" : "") + "pid " + d +
                                "/nginx.pid;\nerror_log " + d + "/error.log;\nevents {}\nhttp {\n  access_log off;\n" +
                                "  client_body_temp_path " + d + "/body;\n  fastcgi_temp_path " + d + "/fastcgi;\n" +
                                "  proxy_temp_path " + d + "/proxy;\n  scgi_temp_path " + d + "/scgi;\n" +
                                "  uwsgi_temp_path " + d + "/uwsgi;\n  server {\n    listen 127.0.0.1:" +
                                std::to_string(port) + ";\n    include " + snippet.string() + ";\n  }\n}\n");
    return {"/usr/sbin/nginx", "-p", d + "/", "-e", d + "/error.log", "-c", d + "/nginx.conf", "-g", "daemon off;"};
}

// Apache (in the foreground) with the example `name` included, on `port`.
std::vector<std::string> apache(const Installed& pkg, const std::string& name, const TempDir& dir, int port) {
    fs::path conf = web_example(pkg, name, dir);
    std::string d = dir.path().string();
    std::string modules;
    for (const char* m : {"mpm_event", "authz_core", "alias", "env", "cgid", "proxy", "proxy_fcgi"}) {
        modules += std::string("LoadModule ") + m + "_module /usr/lib/apache2/modules/mod_" + m + ".so\n";
    }
    dir.write("httpd.conf", modules + "ServerRoot " + d + "\nServerName 127.0.0.1\nListen 127.0.0.1:" +
                                std::to_string(port) + "\nPidFile " + d + "/httpd.pid\nErrorLog " + d +
                                "/error.log\nMutex file:" + d + " default\nScriptSock " + d + "/cgid.sock\n" +
                                (geteuid() == 0 ? "User nobody\nGroup nogroup\n" : "") + "Include " + conf.string() +
                                "\n");
    return {"/usr/sbin/apache2", "-X", "-d", d, "-f", d + "/httpd.conf"};
}

enum class Transport { kCgi, kFastCgi };
using WebServer = std::vector<std::string> (*)(const Installed&, const std::string&, const TempDir&, int);

// Runs `server` with the web server recipe `name` from the package (and, for
// FastCGI, the packaged morgue.cgi as the FastCGI server), and checks the
// archive through it. Returns the search page.
RunResult check_recipe(WebServer server, const std::string& name, Transport transport) {
    CAPTURE(name);
    Installed pkg;
    TempDir dir;
    std::optional<Background> fcgi;
    if (transport == Transport::kFastCgi) fcgi.emplace(spawn_fcgi(pkg, dir / "morgue.sock"));
    int port = free_port();
    Background web(server(pkg, name, dir, port), (dir / "server.log").string());
    return check_archive("http://127.0.0.1:" + std::to_string(port));
}

}  // namespace

TEST_CASE("the .deb: programs, scripts, man pages and recipes in Debian's places, computed Depends, lintian-clean") {
    RunResult list = run({"/usr/bin/dpkg-deb", "-c", deb().string()});
    REQUIRE(list.status == 0);
    for (const char* path : {"./usr/bin/morgue-index", "./usr/bin/morgue-search", "./usr/lib/cgi-bin/morgue.cgi",
                             "./usr/bin/morgue-reindex", "./usr/bin/morgue-shard-server", "./usr/bin/morgue-serve",
                             "./usr/share/man/man1/morgue-index.1.gz", "./usr/share/man/man1/morgue-search.1.gz",
                             "./usr/share/man/man1/morgue-reindex.1.gz", "./usr/share/man/man8/morgue.cgi.8.gz",
                             "./usr/share/doc/morgue/copyright", "./usr/share/doc/morgue/README.md",
                             "./usr/share/doc/morgue/examples/morgue-fcgi.service",
                             "./usr/share/doc/morgue/examples/nginx.conf",
                             "./usr/share/doc/morgue/examples/apache-cgi.conf"}) {
        CAPTURE(path);
        CHECK(contains(list.out, std::string(path) + "\n"));
    }
    CHECK(!contains(list.out, "test"));  // no test programs
    // Depends: from dpkg-shlibdeps (the libraries the programs link), plus xapian-tools for the scripts;
    // libfcgi only when it is not compiled into morgue.cgi (MORGUE_CGI_STATIC_FCGI).
    RunResult depends = run({"/usr/bin/dpkg-deb", "-f", deb().string(), "Depends"});
    for (const char* lib : {"xapian-tools", "libxapian30", "libicu72", "libgumbo1", "libcld2-0"}) {
        CAPTURE(lib);
        CHECK(contains(depends.out, lib));
    }
    CHECK(contains(depends.out, "libfcgi0ldbl") == !MORGUE_CGI_FCGI_ARCHIVE);
    RunResult lintian = run({"/usr/bin/lintian", "--fail-on", "warning", deb().string()}, {}, "", 300);
    INFO(lintian.out << lintian.err);
    CHECK(lintian.status == 0);
    CHECK(lintian.out.empty());
}

TEST_CASE("the installed programs, from a dpkg -x root: --version, index and search, reindex, the CGI") {
    Installed pkg;
    TempDir work;
    for (const std::string& program : {"morgue-index", "morgue-search"}) {
        RunResult v = run({pkg.bin(program), "--version"});
        CHECK(v.status == 0);
        CHECK(v.out.rfind(program + " " + MORGUE_VERSION + " (Xapian 1.4.", 0) == 0);
    }
    RunResult cgi_version = run({pkg.cgi(), "--version"});
    CHECK(cgi_version.out.rfind(std::string("morgue.cgi ") + MORGUE_VERSION, 0) == 0);

    fs::path db = work / "news.db";
    RunResult index = run({pkg.bin("morgue-index"), "--db", db.string(), corpus_dir().string()});
    INFO(index.err);
    REQUIRE(index.status == 0);
    RunResult search = run({pkg.bin("morgue-search"), "--db", db.string(), "--json", "\"human trafficking\""});
    REQUIRE(search.status == 0);
    CHECK(json::parse(search.out)["total"] == 5);

    // morgue-reindex finds the morgue-index installed beside it (not on $PATH here).
    fs::path live = work / "live.db";
    RunResult reindex = run({pkg.bin("morgue-reindex"), "--db", live.string(), corpus_dir().string()},
                      {{"PATH", "/usr/bin:/bin"}});
    INFO(reindex.err);
    CHECK(reindex.status == 0);
    CHECK(fs::is_symlink(live));
    RunResult help = run({pkg.bin("morgue-reindex"), "--help"});
    CHECK(help.status == 0);
    CHECK(help.out.rfind("morgue-reindex: ", 0) == 0);  // its installed name, not scripts/reindex

    RunResult cgi = run({pkg.cgi(), "q=Diaz-Canel", "format=json"}, {{"MORGUE_DB", live.string()}});
    CHECK(cgi.status == 0);
    CHECK(contains(cgi.out, "\"total\":3"));
}

TEST_CASE("man pages from the .deb render with man -l, and morgue-search(1) teaches the query language") {
    Installed pkg;
    for (const char* page : {"man1/morgue-index.1.gz", "man1/morgue-search.1.gz", "man1/morgue-reindex.1.gz",
                             "man1/morgue-shard-server.1.gz", "man1/morgue-serve.1.gz", "man8/morgue.cgi.8.gz"}) {
        CAPTURE(page);
        RunResult man = run({"/usr/bin/man", "--warnings", "-l", (pkg.root / "usr/share/man" / page).string()},
                      {{"MANWIDTH", "100"}, {"LC_ALL", "C.UTF-8"}, {"PAGER", "cat"}});
        CHECK(man.status == 0);
        CHECK(man.err.empty());
        CHECK(contains(man.out, "NAME"));
    }
    RunResult man = run({"/usr/bin/man", "-l", (pkg.root / "usr/share/man/man1/morgue-search.1.gz").string()},
                  {{"MANWIDTH", "100"}, {"LC_ALL", "C.UTF-8"}, {"PAGER", "cat"}});
    CHECK(contains(man.out, "morgue-search - search a morgue database of news articles"));
    CHECK(contains(man.out, "Query language"));
    CHECK(contains(man.out, "putin NEAR kremlin"));
    CHECK(contains(man.out, "--since DATE"));
}

TEST_CASE("examples: the systemd units verify with the installed paths") {
    Installed pkg;
    TempDir units;
    std::vector<std::string> argv = {"/usr/bin/systemd-analyze", "verify"};
    for (const char* unit : {"morgue-fcgi.socket", "morgue-fcgi.service", "morgue-reindex.service",
                             "morgue-reindex.timer"}) {
        argv.push_back(adapt_example(pkg, unit, {{"=/usr/", "=" + pkg.root.string() + "/usr/"}}, units / unit).string());
    }
    RunResult verify = run(argv);
    INFO(verify.err);
    CHECK(verify.status == 0);
    CHECK(verify.err.empty());  // no unknown keys, no warnings
    std::string service = read(pkg.example("morgue-fcgi.service"));
    CHECK(contains(service, "\nProtectSystem=strict\n"));
    CHECK(contains(service, "\nReadOnlyPaths=/var/lib/morgue\n"));
    CHECK(contains(service, "\nUser=morgue\n"));
}

TEST_CASE("examples: lighttpd-cgi.conf serves the archive under /archive/ through lighttpd, as CGI") {
    check_recipe(lighttpd, "lighttpd-cgi.conf", Transport::kCgi);
}

TEST_CASE("examples: lighttpd-fastcgi.conf serves /archive/ through lighttpd and the FastCGI server") {
    check_recipe(lighttpd, "lighttpd-fastcgi.conf", Transport::kFastCgi);
}

TEST_CASE("examples: nginx.conf serves /archive/ through nginx and the FastCGI server, without its version") {
    RunResult page = check_recipe(nginx, "nginx.conf", Transport::kFastCgi);
    CHECK(contains(page.out, "Server: nginx\r\n"));
}

TEST_CASE("examples: apache-cgi.conf serves the archive under /archive/ through Apache, as CGI") {
    check_recipe(apache, "apache-cgi.conf", Transport::kCgi);
}

TEST_CASE("examples: apache-fastcgi.conf serves /archive/ through Apache and the FastCGI server") {
    check_recipe(apache, "apache-fastcgi.conf", Transport::kFastCgi);
}

TEST_CASE("morgue-serve --listen ADDR binds that address, and warns that there is no authentication") {
    Installed pkg;
    TempDir dir;
    int port = free_port();
    fs::path log = dir / "serve.log";
    // The installed morgue-serve, with the installed morgue.cgi; 127.0.0.2 is loopback too, but not 127.0.0.1.
    Background server({pkg.bin("morgue-serve"), "--listen", "127.0.0.2", "--port", std::to_string(port), "--db",
                       corpus_db().string()},
                      log.string());
    std::string base = "http://127.0.0.2:" + std::to_string(port);
    REQUIRE(wait_for_http(base + "/morgue.cgi"));
    RunResult j = run({"/usr/bin/curl", "-s", "--max-time", "20", base + "/morgue.cgi?format=json&q=Diaz-Canel"});
    CHECK(json::parse(j.out)["total"] == 3);
    CHECK(curl_status("http://127.0.0.1:" + std::to_string(port) + "/morgue.cgi") == 0);  // not bound there
    std::string said = read(log);
    CHECK(contains(said, "WARNING: there is no authentication"));
    CHECK(contains(said, "basic auth"));
    CHECK(run({pkg.bin("morgue-serve"), "--listen", "0.0.0.0;evil", "--db", corpus_db().string()}).status == 2);
}
