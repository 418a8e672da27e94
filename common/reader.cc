#include "reader.h"

#include "error.h"
#include "extract.h"
#include "html.h"
#include "language.h"
#include "utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace morgue {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Fields a format states explicitly; they win over extraction.
struct Given {
    std::optional<std::string> title;
    std::optional<Date> date;
    std::vector<std::string> sources;
    std::optional<std::string> byline;
    std::optional<std::string> lang;  // stated by the record: detection is skipped
    std::string lang_hint;            // declared by a page (HTML lang): a hint for detection
    std::optional<std::string> url;
    std::vector<std::string> evidence;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Extraction of `text`, then the given fields over it.
Article make_article(std::string_view text, const Given& g) {
    const ExtractRules& rules = ExtractRules::builtin();
    ExtractOptions options;
    options.find_title = !g.title;
    Article a = extract(text, rules, options);
    if (g.title) {
        a.title = g.title;
        a.evidence["title"] = "given";
        // A body that starts with the headline again loses that line.
        if (a.body.rfind(*g.title, 0) == 0 &&
            (a.body.size() == g.title->size() || a.body[g.title->size()] == '\n')) {
            a.body = std::string(trim(std::string_view(a.body).substr(g.title->size())));
        }
    }
    if (g.date) {
        a.date = g.date;
        a.evidence["date"] = "given";
    }
    if (!g.sources.empty()) {
        std::vector<std::string> sources;
        for (const std::string& s : g.sources) {
            const auto* o = rules.outlet(s);
            std::string name = o ? o->name : s;
            if (std::find(sources.begin(), sources.end(), name) == sources.end()) sources.push_back(name);
        }
        a.sources = std::move(sources);
        a.evidence["source"] = "given";
    }
    if (g.byline) a.byline = g.byline;
    if (g.lang) {
        a.lang = *g.lang;
        a.evidence["language"] = "given";
    } else {
        // Detected when not stated; left empty when detection is unsure, so
        // the indexer's default language (morgue-index --lang) applies.
        LanguageGuess guess = detect_language(a.title ? *a.title + "\n\n" + a.body : a.body, g.lang_hint);
        if (guess.accepted()) a.lang = guess.lang;
        a.evidence["language"] = guess.describe();
    }
    if (g.url) a.url = g.url;
    for (const std::string& e : g.evidence) {
        std::size_t colon = e.find(": ");
        if (colon != std::string::npos) a.evidence[e.substr(0, colon)] = e.substr(colon + 2);
    }
    return a;
}

std::optional<std::string> json_string(const json& obj, std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
        auto it = obj.find(k);
        if (it == obj.end() || it->is_null()) continue;
        if (it->is_string()) {
            std::string s(trim(it->get<std::string>()));
            if (!s.empty()) return s;
        } else if (it->is_number_integer()) {
            return std::to_string(it->get<long long>());
        }
    }
    return std::nullopt;
}

// One JSON object to an article. Returns false (with `why`) when it is not usable.
bool json_article(const json& obj, const std::string& fallback_id, Article& out, std::string& why) {
    if (!obj.is_object()) {
        why = "not a JSON object";
        return false;
    }
    auto text = json_string(obj, {"text", "body", "content"});
    Given g;
    g.title = json_string(obj, {"title", "headline"});
    if (!text && !g.title) {
        why = "no \"text\" or \"title\"";
        return false;
    }
    if (auto d = json_string(obj, {"date", "published", "datePublished"})) {
        g.date = Date::parse_iso(*d);
        if (!g.date) {
            why = "date '" + *d + "' is not YYYY-MM-DD; ignored";  // a warning, not a failure
        }
    }
    for (const char* key : {"source", "publisher"}) {
        auto it = obj.find(key);
        if (it == obj.end()) continue;
        if (it->is_string() && !trim(it->get<std::string>()).empty()) {
            g.sources.emplace_back(trim(it->get<std::string>()));
        } else if (it->is_array()) {
            for (const json& s : *it) {
                if (s.is_string() && !trim(s.get<std::string>()).empty()) g.sources.emplace_back(trim(s.get<std::string>()));
            }
        }
        if (!g.sources.empty()) break;
    }
    g.byline = json_string(obj, {"byline", "author"});
    g.url = json_string(obj, {"url"});
    if (auto l = json_string(obj, {"lang", "language"})) {
        std::string code = normalise_language(*l);
        if (code.empty()) {
            if (!why.empty()) why += "; ";
            why += "language '" + *l + "' is not a language code; detected instead";  // a warning
        } else {
            g.lang = code;
        }
    }
    out = make_article(text.value_or(""), g);
    out.record = json_string(obj, {"id"}).value_or(fallback_id);
    return true;
}

// Why `text` is not JSON: "line 3, column 5: syntax error ...".
std::string json_error(std::string_view text) {
    try {
        json j = json::parse(text);
    } catch (const json::parse_error& e) {
        std::size_t pos = std::min<std::size_t>(e.byte, text.size());
        std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
        std::string what = e.what();
        std::size_t colon = what.find(": ", what.find("parse error"));
        return "line " + std::to_string(line) + (colon == std::string::npos ? "" : what.substr(colon));
    }
    return "not valid JSON";
}

void read_json(std::string_view text, FileReport& report, const std::function<void(Article&&)>& emit) {
    std::string_view t = trim(text);
    auto deliver = [&](const json& obj, const std::string& fallback_id, std::size_t line) {
        Article a;
        std::string why;
        if (json_article(obj, fallback_id, a, why)) {
            if (!why.empty()) report.warnings.push_back("line " + std::to_string(line) + ": " + why);
            emit(std::move(a));
        } else {
            report.warnings.push_back("line " + std::to_string(line) + ": " + why + " (record skipped)");
            ++report.skipped_records;
        }
    };
    if (!t.empty() && (t.front() == '[' || t.front() == '{')) {
        // A whole-file array, or one (maybe pretty-printed) object.
        json whole = json::parse(t, nullptr, false);
        if (!whole.is_discarded() && whole.is_array()) {
            std::size_t n = 0;
            for (const json& obj : whole) {
                ++n;
                deliver(obj, "item" + std::to_string(n), 1);
            }
            return;
        }
        if (!whole.is_discarded() && whole.is_object()) {
            deliver(whole, "line1", 1);
            return;
        }
        if (t.front() == '[') {
            report.outcome = FileReport::Outcome::kMalformed;
            report.error = "malformed JSON array (" + json_error(t) + ")";
            return;
        }
    }
    // JSON Lines: one object per line; a bad line is skipped.
    std::size_t line_no = 0, start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        ++line_no;
        std::string_view line = trim(text.substr(start, end - start));
        start = end + 1;
        if (line.empty()) continue;
        json obj = json::parse(line, nullptr, false);
        if (obj.is_discarded()) {
            report.warnings.push_back("line " + std::to_string(line_no) + ": malformed JSON (" + json_error(line) +
                                      ") (record skipped)");
            ++report.skipped_records;
            continue;
        }
        deliver(obj, "line" + std::to_string(line_no), line_no);
    }
}

void read_html(std::string_view text, FileReport& report, const std::function<void(Article&&)>& emit) {
    HtmlPage page = parse_html(text);
    if (trim(page.text).empty() && !page.title) {
        report.outcome = FileReport::Outcome::kMalformed;
        report.error = "no article text found in the HTML";
        return;
    }
    Given g;
    g.title = page.title;
    g.date = page.date;
    g.sources = page.sources;
    g.byline = page.byline;
    if (page.lang) g.lang_hint = *page.lang;
    g.url = page.url;
    g.evidence = page.evidence;
    emit(make_article(page.text, g));
}

}  // namespace

Format format_of(const fs::path& path) {
    std::string ext = path.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".txt" || ext == ".text") return Format::kText;
    if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return Format::kJson;
    if (ext == ".html" || ext == ".htm" || ext == ".xhtml") return Format::kHtml;
    return Format::kUnsupported;
}

Format sniff_format(std::string_view text) {
    std::string_view t = trim(text.substr(0, 4096));
    if (!t.empty() && (t.front() == '{' || t.front() == '[')) return Format::kJson;
    std::string head(t.substr(0, 1024));
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head.find("<!doctype html") != std::string::npos || head.find("<html") != std::string::npos) {
        return Format::kHtml;
    }
    return Format::kText;
}

std::string read_bytes(const fs::path& path, std::uintmax_t max_bytes, bool* truncated) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Error(std::strerror(errno));
    std::string bytes;
    char buf[1 << 16];
    while (in && bytes.size() < max_bytes) {
        in.read(buf, static_cast<std::streamsize>(std::min<std::uintmax_t>(sizeof buf, max_bytes - bytes.size())));
        bytes.append(buf, static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) throw Error(std::strerror(errno));
    if (truncated) *truncated = bytes.size() >= max_bytes && in.peek() != std::char_traits<char>::eof();
    return bytes;
}

bool looks_binary(std::string_view bytes) {
    std::string_view head = bytes.substr(0, 8192);
    // UTF-16 with a byte order mark has NULs but is text.
    if (head.size() >= 2 && ((head[0] == '\xFF' && head[1] == '\xFE') || (head[0] == '\xFE' && head[1] == '\xFF'))) {
        return false;
    }
    std::size_t controls = 0;
    for (unsigned char c : head) {
        if (c == 0) return true;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' && c != 0x1B) ++controls;
    }
    return controls * 10 > head.size();
}

FileReport read_articles(const fs::path& path, const std::function<void(Article&&)>& on_article) {
    FileReport report;
    using Outcome = FileReport::Outcome;
    std::string bytes;
    bool truncated = false;
    try {
        bytes = read_bytes(path, kMaxFileBytes, &truncated);
    } catch (const Error& e) {
        report.outcome = Outcome::kUnreadable;
        report.error = std::string("cannot read: ") + e.what();
        return report;
    }
    if (truncated) {
        report.warnings.push_back("larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB: only the first " +
                                  std::to_string(kMaxFileBytes >> 20) + " MiB are indexed");
    }
    if (trim(bytes).empty()) {
        report.outcome = Outcome::kEmpty;
        report.error = "empty file";
        return report;
    }
    if (looks_binary(bytes)) {
        report.outcome = Outcome::kBinary;
        report.error = "binary file, not text";
        return report;
    }
    utf8::Decoded text = utf8::to_utf8(bytes);
    bytes.clear();
    bytes.shrink_to_fit();
    switch (text.encoding) {
        case utf8::Encoding::kWindows1252:
            report.warnings.push_back("not UTF-8; read as Windows-1252 (" + std::to_string(text.invalid_bytes) +
                                      " non-ASCII bytes)");
            break;
        case utf8::Encoding::kRepaired:
            report.warnings.push_back("invalid UTF-8: " + std::to_string(text.invalid_bytes) +
                                      " bytes replaced by U+FFFD");
            break;
        default:
            break;
    }
    Format format = format_of(path);
    if (format == Format::kUnsupported) format = sniff_format(text.text);
    const std::string file = path.string();
    std::size_t delivered = 0;
    auto emit = [&](Article&& a) {
        a.path = file;
        ++delivered;
        on_article(std::move(a));
    };
    switch (format) {
        case Format::kJson:
            read_json(text.text, report, emit);
            break;
        case Format::kHtml:
            read_html(text.text, report, emit);
            break;
        default: {
            Article a = make_article(text.text, Given{});
            if (a.body.empty() && !a.title) {
                report.outcome = Outcome::kEmpty;
                report.error = "no article text (only page furniture)";
                return report;
            }
            emit(std::move(a));
        }
    }
    if (report.outcome == Outcome::kOk && delivered == 0) {
        report.outcome = Outcome::kEmpty;
        report.error = report.skipped_records > 0 ? "no usable record" : "no articles in it";
    }
    return report;
}

}  // namespace morgue
