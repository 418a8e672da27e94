#include "reader.h"

#include "error.h"
#include "extract.h"
#include "html.h"
#include "language_detect.h"
#include "utf8.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

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
    std::vector<std::string> captions;  // figure captions of a page
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
            const auto* o = rules.outlet(source_name(s));
            std::string name = o ? o->name : source_name(s);
            if (std::find(sources.begin(), sources.end(), name) == sources.end()) sources.push_back(name);
        }
        a.sources = std::move(sources);
        a.evidence["source"] = "given";
    }
    if (g.byline) a.byline = g.byline;
    a.captions.insert(a.captions.end(), g.captions.begin(), g.captions.end());
    if (g.lang) {
        a.lang = *g.lang;
        a.evidence["language"] = "given";
    } else {
        // Detected when not stated; settle_language() weighs the guess
        // against the indexer's default language (morgue-index --lang).
        a.detected = detect_language(a.title ? *a.title + "\n\n" + a.body : a.body, g.lang_hint);
        a.evidence["language"] = a.detected->describe();
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

// `text` parsed, or nullopt with why it is not usable JSON ("line 3, column
// 5: syntax error ..."). Never throws: nlohmann's parser throws out_of_range
// for a number like 1e400 even when asked not to throw.
std::optional<json> parse_json(std::string_view text, std::string& why) {
    try {
        return json::parse(text);
    } catch (const json::parse_error& e) {
        std::size_t pos = std::min<std::size_t>(e.byte, text.size());
        std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + pos, '\n'));
        std::string what = e.what();
        std::size_t colon = what.find(": ", what.find("parse error"));
        why = "line " + std::to_string(line) + (colon == std::string::npos ? "" : what.substr(colon));
    } catch (const json::exception& e) {
        std::string what = e.what();
        std::size_t bracket = what.find("] ");
        why = bracket == std::string::npos ? what : what.substr(bracket + 2);
    }
    return std::nullopt;
}

void deliver_json(const json& obj, const std::string& fallback_id, std::size_t line, FileReport& report,
                  const std::function<void(Article&&)>& emit) {
    Article a;
    std::string why;
    if (json_article(obj, fallback_id, a, why)) {
        if (!why.empty()) report.warnings.push_back("line " + std::to_string(line) + ": " + why);
        emit(std::move(a));
    } else {
        report.warnings.push_back("line " + std::to_string(line) + ": " + why + " (record skipped)");
        ++report.skipped_records;
    }
}

// One line of JSON Lines: its article, or a warning and the record skipped.
void parse_json_line(std::string_view line, std::size_t line_no, FileReport& report,
                     const std::function<void(Article&&)>& emit) {
    auto skip = [&](const std::string& why) {
        report.warnings.push_back("line " + std::to_string(line_no) + ": " + why + " (record skipped)");
        ++report.skipped_records;
    };
    std::string why;
    std::optional<json> obj = parse_json(line, why);
    if (!obj) return skip("malformed JSON (" + why + ")");
    try {
        deliver_json(*obj, "line" + std::to_string(line_no), line_no, report, emit);
    } catch (const std::exception& e) {
        skip(std::string("cannot index: ") + e.what());
    }
}

// JSON Lines: one object per line, each parsed on its own; a bad line is
// reported and skipped.
void parse_json_lines(const Piece& piece, FileReport& report, const std::function<void(Article&&)>& emit) {
    std::string_view text = piece.text;
    std::size_t line_no = piece.first_line - 1, start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        ++line_no;
        std::string_view line = trim(text.substr(start, end - start));
        start = end + 1;
        if (!line.empty()) parse_json_line(line, line_no, report, emit);
    }
}

// A whole JSON array of articles, or one object.
void parse_json_document(const Piece& piece, FileReport& report, const std::function<void(Article&&)>& emit) {
    std::string why;
    std::optional<json> whole = parse_json(piece.text, why);
    if (!whole) {
        report.outcome = FileReport::Outcome::kMalformed;
        report.error = "malformed JSON (" + why + ")";
        return;
    }
    if (whole->is_array()) {
        std::size_t n = 0;
        for (const json& obj : *whole) deliver_json(obj, "item" + std::to_string(++n), 1, report, emit);
    } else {
        deliver_json(*whole, "line1", 1, report, emit);
    }
}

void parse_html_piece(const Piece& piece, FileReport& report, const std::function<void(Article&&)>& emit) {
    HtmlPage page = parse_html(piece.text);
    report.warnings.insert(report.warnings.end(), page.warnings.begin(), page.warnings.end());
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
    g.captions = page.captions;
    g.evidence = page.evidence;
    emit(make_article(page.text, g));
}

// A file descriptor that closes itself.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

// Reads up to `max` bytes (fewer at the end of the file). Throws Error on a read error.
std::size_t read_some(int fd, std::string& out, std::size_t max) {
    std::size_t got = 0;
    char buf[1 << 16];
    while (got < max) {
        ssize_t n = ::read(fd, buf, std::min(sizeof buf, max - got));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(std::strerror(errno));
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
        got += static_cast<std::size_t>(n);
    }
    return got;
}

std::int64_t mtime_ns(const struct stat& st) {
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

// Text as UTF-8, with a warning when it was not.
std::string decoded(std::string_view bytes, FileReport& report) {
    utf8::Decoded text = utf8::to_utf8(bytes);
    switch (text.encoding) {
        case utf8::Encoding::kWindows1252:
            report.warnings.push_back("not UTF-8; read as Windows-1252 (" + std::to_string(text.invalid_bytes) +
                                      " non-ASCII bytes)");
            break;
        case utf8::Encoding::kRepaired:
            report.warnings.push_back("invalid UTF-8: " + std::to_string(text.invalid_bytes) +
                                      " bytes replaced by U+FFFD");
            break;
        case utf8::Encoding::kUtf16:
            if (text.invalid_bytes > 0) {
                report.warnings.push_back("invalid UTF-16: " + std::to_string(text.invalid_bytes) +
                                          " code units replaced by U+FFFD");
            }
            break;
        default:
            break;
    }
    // NUL is valid UTF-8 but never text: a file with NULs past the first
    // bytes looks_binary() checks is read without them.
    std::size_t nuls = static_cast<std::size_t>(std::count(text.text.begin(), text.text.end(), '\0'));
    if (nuls > 0) {
        text.text.erase(std::remove(text.text.begin(), text.text.end(), '\0'), text.text.end());
        report.warnings.push_back(std::to_string(nuls) + " NUL bytes left out");
    }
    return std::move(text.text);
}

// Whether JSON text is JSON Lines (its first line is a whole JSON value)
// rather than one document spread over lines.
bool is_json_lines(std::string_view head) {
    std::string_view t = trim(head);
    if (t.empty() || t.front() == '[') return false;
    std::size_t nl = t.find('\n');
    if (nl == std::string_view::npos) return true;
    std::string why;
    return parse_json(t.substr(0, nl), why).has_value();
}

}  // namespace

void FileReport::merge(const FileReport& piece) {
    warnings.insert(warnings.end(), piece.warnings.begin(), piece.warnings.end());
    skipped_records += piece.skipped_records;
    articles += piece.articles;
    if (piece.outcome != Outcome::kOk && outcome == Outcome::kOk) {
        outcome = piece.outcome;
        error = piece.error;
    }
    changed_while_read = changed_while_read || piece.changed_while_read;
}

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

std::optional<FileStamp> stat_file(const fs::path& path) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileStamp{static_cast<std::uintmax_t>(st.st_size), mtime_ns(st), 0};
}

std::optional<std::uint64_t> hash_file(const fs::path& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return std::nullopt;
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> state(XXH3_createState(), &XXH3_freeState);
    XXH3_64bits_reset(state.get());
    char buf[1 << 16];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::nullopt;
        if (n == 0) break;
        XXH3_64bits_update(state.get(), buf, static_cast<std::size_t>(n));
    }
    return XXH3_64bits_digest(state.get());
}

namespace {

// An open file read in blocks, hashing every byte it reads.
class HashedFile {
public:
    explicit HashedFile(int fd) : fd_(fd), hash_(XXH3_createState(), &XXH3_freeState) { XXH3_64bits_reset(hash_.get()); }

    // Appends up to `max` bytes to `buf`; returns how many (0 at the end). Throws Error on a read error.
    std::size_t read_block(std::string& buf, std::size_t max) {
        std::size_t old = buf.size();
        std::size_t got = read_some(fd_, buf, max);
        XXH3_64bits_update(hash_.get(), buf.data() + old, got);
        total_ += got;
        return got;
    }
    // Reads the rest of the file only to hash it.
    void hash_rest() {
        std::string sink;
        while (read_block(sink, 1 << 20) > 0) sink.clear();
    }
    std::uintmax_t total() const { return total_; }
    std::uint64_t digest() const { return XXH3_64bits_digest(hash_.get()); }

private:
    int fd_;
    std::unique_ptr<XXH3_state_t, decltype(&XXH3_freeState)> hash_;
    std::uintmax_t total_ = 0;
};

// Skips the rest of a line longer than any article; `buf` keeps what follows it.
void skip_long_line(HashedFile& file, std::string& buf) {
    buf.clear();
    std::string rest;
    while (file.read_block(rest, 1 << 16) > 0) {
        std::size_t nl = rest.find('\n');
        if (nl != std::string::npos) {
            buf = rest.substr(nl + 1);
            return;
        }
        rest.clear();
    }
}

// JSON Lines: blocks of whole lines, in bounded memory. `buf` holds what was
// read already. A line longer than kMaxArticleBytes is skipped with a warning.
void read_json_lines(HashedFile& file, std::string& buf, FileReport& report,
                     const std::function<void(Piece&&)>& on_piece) {
    std::size_t line = 1;
    for (;;) {
        std::size_t got = file.read_block(buf, kBlockBytes);
        std::size_t cut = got == 0 ? buf.size() : buf.rfind('\n');
        if (cut == std::string::npos) {
            if (buf.size() < kMaxArticleBytes) continue;  // a long line: read on
            report.warnings.push_back("line " + std::to_string(line) + ": longer than " +
                                      std::to_string(kMaxArticleBytes >> 20) + " MiB (record skipped)");
            ++report.skipped_records;
            skip_long_line(file, buf);
            ++line;
            continue;
        }
        std::string block = buf.substr(0, std::min(cut + 1, buf.size()));
        buf.erase(0, std::min(cut + 1, buf.size()));
        if (!block.empty()) {
            std::size_t lines = static_cast<std::size_t>(std::count(block.begin(), block.end(), '\n'));
            on_piece(Piece{Format::kJson, decoded(block, report), line, false});
            line += lines;
        }
        if (got == 0 && buf.empty()) break;
    }
}

// A single-article file or a whole JSON document, up to its size limit.
void read_whole(HashedFile& file, std::string& buf, Format format, FileReport& report,
                const std::function<void(Piece&&)>& on_piece) {
    std::size_t max = format == Format::kJson ? kMaxJsonDocumentBytes : kMaxArticleBytes;
    file.read_block(buf, max - buf.size());
    std::string probe;
    if (file.read_block(probe, 1) > 0) {
        if (format == Format::kJson) {
            report.outcome = FileReport::Outcome::kMalformed;
            report.error = "a JSON document larger than " + std::to_string(max >> 20) +
                           " MiB: write one article per line (JSON Lines)";
            return;
        }
        report.warnings.push_back("longer than " + std::to_string(max >> 20) + " MiB: only the first " +
                                  std::to_string(max >> 20) + " MiB are indexed");
        file.hash_rest();
        buf.resize(utf8::complete_prefix(buf).size());  // do not cut a character in two
    }
    on_piece(Piece{format, decoded(buf, report), 1, format == Format::kJson});
}

}  // namespace

FileReport read_pieces(const fs::path& path, FileStamp& stamp, const std::function<void(Piece&&)>& on_piece) {
    using Outcome = FileReport::Outcome;
    FileReport report;
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    struct stat before;
    if (fd.get() < 0 || ::fstat(fd.get(), &before) != 0) {
        report.outcome = Outcome::kUnreadable;
        report.error = std::string("cannot read: ") + std::strerror(errno);
        return report;
    }
    if (!S_ISREG(before.st_mode)) {
        report.outcome = Outcome::kUnreadable;
        report.error = "not a regular file";
        return report;
    }
    stamp = FileStamp{static_cast<std::uintmax_t>(before.st_size), mtime_ns(before), 0};
    HashedFile file(fd.get());
    try {
        std::string buf;
        file.read_block(buf, 1 << 16);
        if (trim(buf).empty() && file.total() < (1 << 16)) {
            report.outcome = Outcome::kEmpty;
            report.error = "empty file";
            return report;
        }
        if (looks_binary(buf)) {
            report.outcome = Outcome::kBinary;
            report.error = "binary file, not text";
            return report;
        }
        Format format = format_of(path);
        if (format == Format::kUnsupported) format = sniff_format(buf);
        if (format == Format::kJson && is_json_lines(buf)) {
            read_json_lines(file, buf, report, on_piece);
        } else {
            read_whole(file, buf, format, report, on_piece);
            if (report.outcome != Outcome::kOk) return report;
        }
    } catch (const Error& e) {
        report.outcome = Outcome::kUnreadable;
        report.error = std::string("cannot read: ") + e.what();
        return report;
    }
    struct stat after;
    if (::fstat(fd.get(), &after) != 0 || after.st_size != before.st_size || mtime_ns(after) != mtime_ns(before) ||
        file.total() != static_cast<std::uintmax_t>(before.st_size)) {
        report.changed_while_read = true;
        report.warnings.push_back("changed while being read: indexed as read, and read again next time");
    }
    stamp.hash = file.digest();
    return report;
}

FileReport parse_piece(const Piece& piece, const std::string& path, const std::function<void(Article&&)>& on_article) {
    FileReport report;
    auto emit = [&](Article&& a) {
        a.path = path;
        ++report.articles;
        on_article(std::move(a));
    };
    switch (piece.format) {
        case Format::kJson:
            if (piece.json_document) parse_json_document(piece, report, emit);
            else parse_json_lines(piece, report, emit);
            break;
        case Format::kHtml:
            parse_html_piece(piece, report, emit);
            break;
        default: {
            Article a = make_article(piece.text, Given{});
            if (a.body.empty() && !a.title) {
                report.outcome = FileReport::Outcome::kEmpty;
                report.error = "no article text (only page furniture)";
                break;
            }
            emit(std::move(a));
        }
    }
    return report;
}

FileReport read_articles(const fs::path& path, const std::function<void(Article&&)>& on_article) {
    FileStamp stamp;
    FileReport pieces;
    FileReport report = read_pieces(path, stamp, [&](Piece&& piece) {
        pieces.merge(parse_piece(piece, path.string(), on_article));
    });
    report.merge(pieces);
    if (report.outcome == FileReport::Outcome::kOk && report.articles == 0) {
        report.outcome = FileReport::Outcome::kEmpty;
        report.error = report.skipped_records > 0 ? "no usable record" : "no articles in it";
    }
    return report;
}

void settle_language(Article& a, const std::string& default_lang) {
    if (!a.lang.empty()) return;
    if (a.detected && a.detected->preferred_to(default_lang)) {
        a.lang = a.detected->lang;
        return;
    }
    a.lang = default_lang;
    a.evidence["language"] += a.detected && a.detected->accepted() ? "; too short to overrule the --lang default"
                                                                   : "; the --lang default";
}

}  // namespace morgue
