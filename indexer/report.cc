#include "report.h"

#include "text.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace morgue {

void write_explanation(std::ostream& out, const Article& a) {
    auto field = [&](const char* name, const std::optional<std::string>& value) {
        out << name << ": " << (value ? *value : std::string("(none)"));
        auto it = a.evidence.find(name);
        if (value && it != a.evidence.end()) out << "    [" << it->second << "]";
        out << "\n";
    };
    out << "file: " << a.path << (a.record.empty() ? "" : "#" + a.record) << "\n";
    field("title", a.title);
    field("date", a.date ? std::optional(a.date->iso()) : std::nullopt);
    field("source", a.sources.empty() ? std::nullopt : std::optional(join(a.sources, ", ")));
    field("byline", a.byline);
    field("language", a.lang.empty() ? std::nullopt : std::optional(a.lang));
    if (a.url) out << "url: " << *a.url << "\n";
    out << "\n--- body (" << a.body.size() << " bytes) ---\n" << a.body << "\n";
    if (!a.captions.empty()) {
        out << "\n--- captions (" << a.captions.size() << ") ---\n";
        for (const std::string& c : a.captions) out << c << "\n";
    }
    out << "\n--- removed as boilerplate (" << a.removed.size() << " lines) ---\n";
    for (const RemovedLine& r : a.removed) out << "[" << r.reason << "] " << r.text << "\n";
}

std::string progress_line(const IndexProgress& p, std::size_t width) {
    // Bytes give the better fraction (one big JSON Lines file is many articles).
    double fraction = p.bytes_total > 0 ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total)
                      : p.files_total > 0 ? static_cast<double>(p.files_done) / static_cast<double>(p.files_total)
                                          : 0.0;
    fraction = std::clamp(fraction, 0.0, 1.0);
    char stats[160];
    double rate = p.seconds > 0 ? static_cast<double>(p.articles) / p.seconds : 0;
    std::string eta = "--:--";
    if (fraction > 0.01 && fraction < 1 && p.seconds > 1) {
        long left = static_cast<long>(p.seconds * (1 - fraction) / fraction);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%ld:%02ld", left / 60, left % 60);
        eta = buf;
    }
    std::snprintf(stats, sizeof stats, " %zu/%zu files  %zu articles  %.0f/s  ETA %s", p.files_done, p.files_total,
                  p.articles, rate, eta.c_str());
    std::size_t bar = width > std::strlen(stats) + 12 ? width - std::strlen(stats) - 2 : 10;
    bar = std::min<std::size_t>(bar, 30);
    auto filled = static_cast<std::size_t>(fraction * static_cast<double>(bar));
    std::string line = "[";
    for (std::size_t i = 0; i < bar; ++i) line += i < filled ? "#" : "-";
    line += "]";
    line += stats;
    return line;
}

}  // namespace morgue
