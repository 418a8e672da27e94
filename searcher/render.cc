#include "render.h"

#include "utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>

namespace morgue {

using nlohmann::json;

namespace {

json or_null(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// Scores rounded for stable, readable output.
double round4(double x) { return static_cast<double>(static_cast<long long>(x * 10000 + 0.5)) / 10000; }

json facet_list(const std::vector<FacetValue>& values) {
    json out = json::array();
    for (const FacetValue& v : values) out.push_back({{"value", v.value}, {"count", v.count}});
    return out;
}

// The stored fields every JSON form of an article shares (docs/JSON.md).
json article_fields(const std::string& id, const Article& a) {
    json out = {
        {"id", id},
        {"path", a.path},
        {"title", or_null(a.title)},
        {"date", a.date ? json(a.date->iso()) : json(nullptr)},
        {"source", a.sources.empty() ? json(nullptr) : json(join(a.sources, ", "))},
        {"byline", or_null(a.byline)},
        {"url", or_null(a.url)},
        {"lang", a.lang.empty() ? json(nullptr) : json(a.lang)},
    };
    if (!a.record.empty()) out["record"] = a.record;
    return out;
}

}  // namespace

std::string to_html(const Marked& marked) {
    std::string out;
    for (const Fragment& f : marked) {
        if (f.mark) out += "<mark>";
        out += utf8::html_escape(f.text);
        if (f.mark) out += "</mark>";
    }
    return out;
}

std::string article_json(const std::string& id, const Article& a, const std::string& story) {
    json article = article_fields(id, a);
    article["story"] = story;
    article["body"] = a.body;
    article["captions"] = a.captions;
    return json{{"version", kJsonVersion}, {"article", std::move(article)}}.dump();
}

std::string story_json(const std::string& key, const std::vector<StoryVersion>& versions) {
    json list = json::array();
    for (const StoryVersion& v : versions) {
        json item = article_fields(v.id, v.article);
        item["shared"] = round4(v.shared);
        item["added"] = v.added;
        item["added_total"] = v.added_total;
        list.push_back(std::move(item));
    }
    return json{{"version", kJsonVersion}, {"story", {{"key", key}, {"versions", std::move(list)}}}}.dump();
}

std::string to_json(const SearchResult& r) {
    json results = json::array();
    for (const Hit& h : r.hits) {
        json hit = article_fields(h.id, h.article);
        hit["rank"] = h.rank;
        hit["score"] = round4(h.score);
        hit["snippet"] = to_html(h.snippet);
        hit["story"] = h.story;
        if (r.collapsed) {
            hit["versions"] = h.versions;
            hit["others"] = h.other_versions;
        }
        results.push_back(std::move(hit));
    }
    json out = {
        {"version", kJsonVersion}, {"query", r.query}, {"total", r.total}, {"total_exact", r.total_exact},
        {"offset", r.offset},      {"limit", r.limit}, {"results", std::move(results)},
        {"suggestion", r.suggestion ? json(*r.suggestion) : json(nullptr)},
    };
    if (!r.unavailable.empty()) {
        // How many shards were left out (not which: their addresses are the operator's business).
        out["partial"] = true;
        out["unavailable"] = r.unavailable.size();
    }
    if (r.facets) {
        out["facets"] = {{"source", facet_list(r.facets->source)},
                         {"year", facet_list(r.facets->year)},
                         {"month", facet_list(r.facets->month)},
                         {"lang", facet_list(r.facets->lang)},
                         {"byline", facet_list(r.facets->byline)},
                         {"estimated", r.facets->estimated}};
        // Days only for short spans (facets.h): a decade of them would swamp the rest.
        if (!r.facets->day.empty()) out["facets"]["day"] = facet_list(r.facets->day);
    }
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string archive_json(const ArchiveReport& r) {
    const ArchiveSummary& a = r.summary;
    json archive = {
        {"articles", a.articles},
        {"undated", a.undated},
        {"oldest", a.oldest ? json(a.oldest->iso()) : json(nullptr)},
        {"newest", a.newest ? json(a.newest->iso()) : json(nullptr)},
        {"sources", facet_list(a.facets.source)},
        {"years", facet_list(a.facets.year)},
        {"languages", facet_list(a.facets.lang)},
        {"estimated", a.facets.estimated},
        {"bytes", r.bytes},
        {"schema", r.schema ? json(*r.schema) : json(nullptr)},
        {"shards", r.shards},
        // The record as the indexer keeps it (run_record.h), one format for both.
        {"last_run", r.last_run ? json::parse(encode(*r.last_run)) : json(nullptr)},
    };
    return json{{"version", kJsonVersion}, {"archive", archive}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string size_for_people(std::uintmax_t bytes) {
    const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    std::size_t u = 0;
    while (v >= 1000 && u + 1 < std::size(units)) {
        v /= 1000;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

namespace {

void write_last_run(std::ostream& out, const std::optional<RunRecord>& run) {
    if (!run) {
        out << "Last run       no record of the last run (indexed before morgue recorded its runs)\n";
        return;
    }
    const IndexStats& s = run->stats;
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.1f s", s.seconds);
    out << "Last run       " << run->started << " to " << run->finished << " (" << seconds << ", morgue "
        << run->version << ")\n"
        << "               " << s.files << (s.files == 1 ? " file" : " files") << ": added " << s.added << ", updated " << s.updated << ", unchanged "
        << s.unchanged << ", removed " << s.removed << ", skipped " << s.skipped << "; " << s.warnings
        << " warnings, " << size_for_people(s.bytes) << " read, " << s.stories_joined << " joined a story\n";
    const char* label = "Skipped        ";
    for (const SkippedFile& f : run->skipped_files) {  // printable already (run_record.h)
        out << label << f.path << ": " << f.reason << "\n";
        label = "               ";
    }
    if (run->skipped_total > run->skipped_files.size()) {
        out << label << "… and " << run->skipped_total - run->skipped_files.size() << " more (the indexer's log has them)\n";
    }
}

void write_counts(std::ostream& out, const char* title, const std::vector<FacetValue>& values, bool estimated) {
    out << "\n" << title << " (" << values.size() << "):\n";
    for (const FacetValue& v : values) {
        std::string name = utf8::printable(v.value);
        out << "  " << name << std::string(name.size() < 30 ? 30 - name.size() : 1, ' ') << (estimated ? "\u2248" : "")
            << v.count << "\n";
    }
}

}  // namespace

void write_archive(std::ostream& out, const ArchiveReport& r) {
    const ArchiveSummary& a = r.summary;
    out << "Articles       " << a.articles << " (" << a.undated << " undated)\n";
    out << "Dated          ";
    if (a.oldest && a.newest) out << a.oldest->iso() << " to " << a.newest->iso() << "\n";
    else out << "none\n";
    out << "Size on disk   " << size_for_people(r.bytes) << " (" << r.bytes << " bytes";
    if (r.shards > 1) out << " in " << r.shards << " shards";
    out << ")\n";
    out << "Schema         " << (r.schema ? std::to_string(*r.schema) : std::string("unknown")) << "\n";
    write_last_run(out, r.last_run);
    write_counts(out, "Sources", a.facets.source, a.facets.estimated);
    write_counts(out, "Years", a.facets.year, a.facets.estimated);
    write_counts(out, "Languages", a.facets.lang, a.facets.estimated);
}

std::string error_json(const std::string& message) {
    return json{{"version", kJsonVersion}, {"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

void write_facets(std::ostream& out, const Facets& f, const TextStyle& style) {
    const char* dim = style.color ? "\033[2m" : "";
    const char* reset = style.color ? "\033[0m" : "";
    const char* about = f.estimated ? "\u2248" : "";  // counted on a sample: "≈" before each count
    auto line = [&](const char* name, const std::vector<FacetValue>& values, std::size_t max) {
        if (values.empty()) return;
        out << dim << name << ":" << reset;
        for (std::size_t i = 0; i < values.size() && i < max; ++i) {
            out << " " << values[i].value << " (" << about << values[i].count << ")";
        }
        if (values.size() > max) out << " …";
        out << "\n";
    };
    line("Sources", f.source, 12);
    line("Years", f.year, 20);
    line("Languages", f.lang, 12);
    line("Bylines", f.byline, 12);
    if (f.month.empty()) return;
    // A histogram of matches by month, the last 24 months with matches.
    Xapian::doccount most = 0;
    for (const FacetValue& v : f.month) most = std::max(most, v.count);
    std::size_t first = f.month.size() > 24 ? f.month.size() - 24 : 0;
    out << dim << "By month:" << reset << "\n";
    for (std::size_t i = first; i < f.month.size(); ++i) {
        const FacetValue& v = f.month[i];
        std::size_t width = most ? (v.count * 40 + most - 1) / most : 0;
        out << "  " << v.value << " ";
        for (std::size_t k = 0; k < width; ++k) out << "\u2588";
        out << " " << about << v.count << "\n";
    }
}

void write_text(std::ostream& out, const SearchResult& r, const TextStyle& style) {
    const char* bold = style.color ? "\033[1m" : "";
    const char* dim = style.color ? "\033[2m" : "";
    const char* mark = style.color ? "\033[1;31m" : "";
    const char* reset = style.color ? "\033[0m" : "";
    if (r.hits.empty()) {
        if (r.suggestion) out << "Did you mean: " << bold << *r.suggestion << reset << "\n";
        out << "No matches for " << r.query;
        if (r.total > 0) out << " on this page (" << r.total << " in all)";
        out << ".\n";
        // Counts without results (--limit 0) are a common need.
        if (r.facets && r.total > 0) write_facets(out, *r.facets, style);
        return;
    }
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", r.seconds);
    out << (r.total_exact ? "" : "About ") << r.total << (r.total == 1 ? " match" : " matches") << " (" << seconds
        << " s); showing "
        << r.offset + 1 << "-" << r.offset + r.hits.size() << "\n";
    if (r.suggestion) out << "Did you mean: " << bold << *r.suggestion << reset << "\n";
    if (!r.unavailable.empty()) out << "Partial results: shards not available: " << join(r.unavailable, ", ") << "\n";
    if (r.facets) write_facets(out, *r.facets, style);
    for (const Hit& h : r.hits) {
        const Article& a = h.article;
        out << "\n" << bold << h.rank << ". " << h.display_title << reset << "\n   " << dim;
        out << (a.date ? a.date->iso() : std::string("(no date)"));
        out << " · " << (a.sources.empty() ? std::string("(no source)") : join(a.sources, ", "));
        if (a.byline) out << " · by " << *a.byline;
        out << " · " << a.path;
        if (!a.record.empty()) out << "#" << a.record;
        if (a.url) out << " · " << *a.url;
        out << " · id " << h.id << reset << "\n   ";
        if (r.collapsed && h.versions > 1) {
            out << dim << "(" << h.versions - 1 << " other version" << (h.versions > 2 ? "s" : "") << " of this story:";
            for (const std::string& other : h.other_versions) out << " " << other;
            out << ")" << reset << "\n   ";
        }
        for (const Fragment& f : h.snippet) {
            if (f.mark) {
                out << mark << f.text << reset;
            } else {
                out << f.text;
            }
        }
        out << "\n";
    }
}

namespace {

constexpr std::array<const char*, 10> kExportColumns = {"rank", "id",  "date", "source", "byline",
                                                        "title", "url", "lang", "score",  "path"};

// A CSV field: quoted when it holds a comma, a quote or a line break (quotes doubled).
std::string csv_field(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

json export_object(const Hit& h) {
    json row = article_fields(h.id, h.article);
    row["rank"] = h.rank;
    row["score"] = round4(h.score);
    return row;
}

}  // namespace

std::optional<ExportFormat> parse_export_format(std::string_view name) {
    if (name == "csv") return ExportFormat::kCsv;
    if (name == "jsonl") return ExportFormat::kJsonLines;
    return std::nullopt;
}

void write_export_header(std::ostream& out, ExportFormat format) {
    if (format != ExportFormat::kCsv) return;
    out << "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < kExportColumns.size(); ++i) out << (i ? "," : "") << kExportColumns[i];
    out << "\r\n";
}

void write_export_row(std::ostream& out, ExportFormat format, const Hit& hit) {
    json row = export_object(hit);
    if (format == ExportFormat::kJsonLines) {
        out << row.dump() << "\n";
        return;
    }
    for (std::size_t i = 0; i < kExportColumns.size(); ++i) {
        const json& v = row[kExportColumns[i]];
        out << (i ? "," : "") << csv_field(v.is_null() ? std::string() : v.is_string() ? v.get<std::string>() : v.dump());
    }
    out << "\r\n";
}

}  // namespace morgue
