#include "run_record.h"

#include "utf8.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>

namespace morgue {

using nlohmann::json;

std::string utc_iso8601(std::chrono::system_clock::time_point t) {
    std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
}

std::string encode(const RunRecord& r) {
    const IndexStats& s = r.stats;
    json skipped = json::array();
    for (const SkippedFile& f : r.skipped_files) {
        skipped.push_back({{"path", utf8::printable(f.path)}, {"reason", utf8::printable(f.reason)}});
    }
    json j = {{"started", r.started}, {"finished", r.finished}, {"seconds", std::round(s.seconds * 1000) / 1000},
              {"version", r.version}, {"files", s.files},       {"added", s.added},
              {"updated", s.updated}, {"unchanged", s.unchanged}, {"removed", s.removed},
              {"skipped", s.skipped}, {"warnings", s.warnings}, {"bytes", s.bytes},
              {"stories_joined", s.stories_joined}, {"skipped_files", skipped},
              {"skipped_total", r.skipped_total}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<RunRecord> decode_run_record(std::string_view value) {
    json j = json::parse(value, nullptr, false);
    if (!j.is_object()) return std::nullopt;
    try {
        RunRecord r;
        r.started = j.at("started").get<std::string>();
        r.finished = j.at("finished").get<std::string>();
        r.version = j.at("version").get<std::string>();
        IndexStats& s = r.stats;
        s.seconds = j.at("seconds").get<double>();
        s.files = j.at("files").get<std::size_t>();
        s.added = j.at("added").get<std::size_t>();
        s.updated = j.at("updated").get<std::size_t>();
        s.unchanged = j.at("unchanged").get<std::size_t>();
        s.removed = j.at("removed").get<std::size_t>();
        s.skipped = j.at("skipped").get<std::size_t>();
        s.warnings = j.at("warnings").get<std::size_t>();
        s.bytes = j.at("bytes").get<std::uintmax_t>();
        s.stories_joined = j.at("stories_joined").get<std::size_t>();
        for (const json& f : j.at("skipped_files")) {
            r.skipped_files.push_back({f.at("path").get<std::string>(), f.at("reason").get<std::string>()});
        }
        r.skipped_total = j.at("skipped_total").get<std::size_t>();
        return r;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

}  // namespace morgue
