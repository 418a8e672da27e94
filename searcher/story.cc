#include "story.h"

#include "text.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <unordered_set>

namespace morgue {

namespace {

constexpr std::size_t kShingleWords = 5;

// Lower-cased words: runs of ASCII letters and digits, and of non-ASCII bytes
// (whole UTF-8 sequences: letters of other scripts), so any language splits.
std::vector<std::string> words(std::string_view text) {
    std::vector<std::string> out;
    std::string w;
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x80 || std::isalnum(u)) {
            w += static_cast<char>(u < 0x80 ? std::tolower(u) : u);
        } else if (!w.empty()) {
            out.push_back(std::move(w));
            w.clear();
        }
    }
    if (!w.empty()) out.push_back(std::move(w));
    return out;
}

std::unordered_set<std::string> shingles(std::string_view text) {
    std::vector<std::string> w = words(text);
    std::unordered_set<std::string> out;
    if (w.size() < kShingleWords) {
        if (!w.empty()) out.insert(join(w, " "));
        return out;
    }
    for (std::size_t i = 0; i + kShingleWords <= w.size(); ++i) {
        out.insert(join(std::vector<std::string>(w.begin() + static_cast<long>(i),
                                                 w.begin() + static_cast<long>(i + kShingleWords)),
                        " "));
    }
    return out;
}

double share_of(const std::unordered_set<std::string>& mine, const std::unordered_set<std::string>& first) {
    if (mine.empty()) return 0.0;
    std::size_t common = 0;
    for (const std::string& s : mine) common += first.count(s);
    return static_cast<double>(common) / static_cast<double>(mine.size());
}

// A sentence as compared: its words, lower case, one space apart.
std::string sentence_key(std::string_view sentence) { return join(words(sentence), " "); }

bool earlier(const StoryVersion& a, const StoryVersion& b) {
    const auto& da = a.article.date;
    const auto& db = b.article.date;
    if (da && db && da->compact() != db->compact()) return da->compact() < db->compact();
    if (da.has_value() != db.has_value()) return da.has_value();
    return a.id < b.id;
}

}  // namespace

std::vector<std::string> sentences(std::string_view text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        std::size_t b = current.find_first_not_of(" \t\r\n"), e = current.find_last_not_of(" \t\r\n");
        if (b != std::string::npos) out.push_back(current.substr(b, e - b + 1));
        current.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\n') {
            flush();
            continue;
        }
        current += c;
        bool end = (c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || text[i + 1] == ' ');
        // 。！？ (U+3002, U+FF01, U+FF1F)
        for (std::string_view cjk : {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F"}) {
            if (current.size() >= cjk.size() && std::string_view(current).substr(current.size() - cjk.size()) == cjk) end = true;
        }
        if (end) flush();
    }
    flush();
    return out;
}

std::vector<StoryVersion> compare_versions(std::vector<StoryVersion> versions) {
    std::sort(versions.begin(), versions.end(), earlier);
    if (versions.size() > kMaxStoryVersions) versions.resize(kMaxStoryVersions);
    if (versions.empty()) return versions;
    std::unordered_set<std::string> first = shingles(versions.front().article.body);
    std::set<std::string> seen;  // sentences of the versions so far
    for (StoryVersion& v : versions) {
        v.shared = &v == &versions.front() ? 1.0 : share_of(shingles(v.article.body), first);
        for (const std::string& s : sentences(v.article.body)) {
            std::string key = sentence_key(s);
            if (key.empty() || !seen.insert(key).second || &v == &versions.front()) continue;
            ++v.added_total;
            if (v.added.size() < kMaxAddedSentences) v.added.push_back(s);
        }
    }
    return versions;
}

}  // namespace morgue
