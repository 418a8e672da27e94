#include "shards.h"

#include "error.h"

#include <xxhash.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>

namespace morgue {

namespace fs = std::filesystem;

std::string ShardSpec::name() const { return kind == Kind::kLocal ? path : host + ":" + std::to_string(port); }

bool is_stub_file(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string state_db_path(const std::string& stub_path) { return stub_path + ".shards/_state"; }

std::vector<ShardSpec> read_stub(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw DatabaseError("cannot read the shard list " + path);
    fs::path dir = fs::path(path).parent_path();
    std::vector<ShardSpec> shards;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        std::size_t start = line.find_first_not_of(" \t\r");
        if (start == std::string::npos || line[start] == '#') continue;
        std::size_t space = line.find_first_of(" \t", start);
        std::string kind = line.substr(start, space == std::string::npos ? std::string::npos : space - start);
        std::string arg = space == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", space));
        while (!arg.empty() && (arg.back() == '\r' || arg.back() == ' ')) arg.pop_back();
        auto bad = [&](const std::string& why) {
            throw DatabaseError("shard list " + path + " line " + std::to_string(n) + ": " + why);
        };
        if (arg.empty()) bad("expected 'auto PATH' or 'remote HOST:PORT'");
        ShardSpec s;
        if (kind == "auto" || kind == "glass") {
            s.kind = ShardSpec::Kind::kLocal;
            fs::path p(arg);
            s.path = (p.is_absolute() ? p : dir / p).lexically_normal().string();
        } else if (kind == "remote") {
            std::size_t colon = arg.rfind(':');
            if (colon == std::string::npos || colon == 0) bad("a remote shard is HOST:PORT");
            s.kind = ShardSpec::Kind::kRemote;
            s.host = arg.substr(0, colon);
            std::string port = arg.substr(colon + 1);
            auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), s.port);
            if (ec != std::errc() || end != port.data() + port.size() || s.port == 0 || s.port > 65535) {
                bad("bad port '" + port + "'");
            }
        } else {
            bad("unknown shard kind '" + kind + "' (expected auto or remote)");
        }
        shards.push_back(std::move(s));
    }
    if (shards.empty()) throw DatabaseError("shard list " + path + " lists no shards");
    return shards;
}

Xapian::Database open_stub(const std::string& path, const ShardOptions& options,
                           std::vector<std::string>* unavailable, std::vector<Xapian::Database>* opened) {
    Xapian::Database db;
    std::vector<Xapian::Database> shards;
    for (const ShardSpec& s : read_stub(path)) {
        try {
            if (s.kind == ShardSpec::Kind::kLocal) {
                shards.emplace_back(s.path);
            } else {
                shards.push_back(Xapian::Remote::open(s.host, s.port, options.timeout_ms, options.connect_timeout_ms));
            }
            db.add_database(shards.back());
        } catch (const Xapian::Error& e) {
            if (!options.partial) {
                throw DatabaseError("shard " + s.name() + " is unavailable: " + e.get_msg());
            }
            if (unavailable) unavailable->push_back(s.name());
        }
    }
    if (shards.empty()) throw DatabaseError("no shard of " + path + " is available");
    if (opened) *opened = std::move(shards);
    return db;
}

std::optional<ShardBy> ShardBy::parse(std::string_view spec) {
    if (spec == "year") return ShardBy{Kind::kYear, 0};
    if (spec.substr(0, 5) == "hash:") {
        unsigned n = 0;
        std::string_view num = spec.substr(5);
        auto [end, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
        if (ec == std::errc() && end == num.data() + num.size() && n >= 2 && n <= 1024) return ShardBy{Kind::kHash, n};
    }
    return std::nullopt;
}

std::string ShardBy::key(std::string_view identity, std::string_view yyyymmdd) const {
    switch (kind) {
        case Kind::kYear:
            return yyyymmdd.size() >= 4 ? std::string(yyyymmdd.substr(0, 4)) : std::string("undated");
        case Kind::kHash:
            return std::to_string(XXH3_64bits(identity.data(), identity.size()) % buckets);
        default:
            return "";
    }
}

}  // namespace morgue
