#include "file_state.h"

#include "utf8.h"

#include <nlohmann/json.hpp>


namespace morgue {

using nlohmann::json;

namespace {

constexpr const char* kHexDigits = "0123456789abcdef";

std::string to_hex(std::string_view bytes) {
    std::string out;
    for (unsigned char c : bytes) {
        out += kHexDigits[c >> 4];
        out += kHexDigits[c & 15];
    }
    return out;
}

std::optional<std::string> from_hex(std::string_view hex) {
    auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    if (hex.size() % 2) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        int hi = digit(hex[i]), lo = digit(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

}  // namespace

std::string encode(const FileState& s) {
    json j{{"size", s.stamp.size}, {"mtime", s.stamp.mtime_ns}, {"hash", s.stamp.hash}, {"ok", s.ok}, {"error", s.error}};
    if (utf8::is_valid(s.path)) j["path"] = s.path;
    else j["path_hex"] = to_hex(s.path);
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<FileState> decode(const std::string& value) {
    json j = json::parse(value, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    FileState s;
    if (j.contains("path") && j["path"].is_string()) {
        s.path = j["path"].get<std::string>();
    } else if (j.contains("path_hex") && j["path_hex"].is_string()) {
        auto path = from_hex(j["path_hex"].get<std::string>());
        if (!path) return std::nullopt;
        s.path = *path;
    } else {
        return std::nullopt;
    }
    s.stamp.size = j.value("size", std::uintmax_t{0});
    s.stamp.mtime_ns = j.value("mtime", std::int64_t{0});
    s.stamp.hash = j.value("hash", std::uint64_t{0});
    s.ok = j.value("ok", true);
    s.error = j.value("error", "");
    return s;
}

}  // namespace morgue
