#include "reader.h"

#include "error.h"
#include "extract.h"
#include "utf8.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace morgue {

namespace fs = std::filesystem;

Format format_of(const fs::path& path) {
    std::string ext = path.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".txt") return Format::kText;
    return Format::kUnsupported;
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
    Format format = format_of(path);
    if (format == Format::kUnsupported) {
        report.outcome = Outcome::kUnsupported;
        report.error = "not a supported format (.txt)";
        return report;
    }
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
        report.warnings.push_back("larger than " + std::to_string(kMaxFileBytes >> 20) +
                                  " MiB: only the first " + std::to_string(kMaxFileBytes >> 20) +
                                  " MiB are indexed");
    }
    if (looks_binary(bytes)) {
        report.outcome = Outcome::kBinary;
        report.error = "binary file, not text";
        return report;
    }
    utf8::Decoded text = utf8::to_utf8(bytes);
    switch (text.encoding) {
        case utf8::Encoding::kWindows1252:
            report.warnings.push_back("not UTF-8; read as Windows-1252 (" +
                                      std::to_string(text.invalid_bytes) + " non-ASCII bytes)");
            break;
        case utf8::Encoding::kRepaired:
            report.warnings.push_back("invalid UTF-8: " + std::to_string(text.invalid_bytes) +
                                      " bytes replaced by U+FFFD");
            break;
        default:
            break;
    }
    Article article = extract(text.text);
    if (article.body.empty() && !article.title) {
        report.outcome = Outcome::kEmpty;
        report.error = "empty: no text";
        return report;
    }
    article.path = path.string();
    on_article(std::move(article));
    return report;
}

}  // namespace morgue
