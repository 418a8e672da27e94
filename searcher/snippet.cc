#include "snippet.h"

#include "utf8.h"

#include <algorithm>
#include <map>

namespace morgue {

namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v'; }

// Appends `s` to `out` with runs of whitespace collapsed to one space.
void append_collapsed(std::string& out, std::string_view s, bool collapse) {
    if (!collapse) {
        out.append(s);
        return;
    }
    for (char c : s) {
        if (is_space(c)) {
            if (!out.empty() && out.back() == ' ') continue;
            out += ' ';
        } else {
            out += c;
        }
    }
}

void push(Marked& m, std::string text, bool mark) {
    if (text.empty()) return;
    if (!m.empty() && m.back().mark == mark && !mark) {
        m.back().text += text;
    } else {
        m.push_back(Fragment{std::move(text), mark});
    }
}

}  // namespace

Highlighter::Highlighter(Analyzer& analyzer, const MatchTerms& terms) : analyzer_(analyzer), terms_(terms) {}

bool Highlighter::matches(const Token& token, std::string_view lang) {
    if (terms_.exact.count(token.term) != 0) return true;
    for (const std::string& w : terms_.wildcards) {
        if (token.term.compare(0, w.size(), w) == 0) return true;
    }
    if (terms_.stems.empty()) return false;
    std::string s = analyzer_.stem(token, lang);
    return !s.empty() && terms_.stems.count(std::string(lang) + ":" + s) != 0;
}

bool Highlighter::matches_once(const Token& token, std::string_view lang) {
    std::string key(lang);
    key += '\0';
    key += static_cast<char>(token.kind);
    key += token.term;
    auto [it, fresh] = matched_.try_emplace(std::move(key), false);
    if (fresh) it->second = matches(token, lang);
    return it->second;
}

std::vector<bool> Highlighter::hits(const std::vector<Token>& tokens, std::string_view lang) {
    std::vector<bool> hit(tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) hit[i] = matches_once(tokens[i], lang);
    for (const std::vector<std::string>& phrase : terms_.phrases) {
        for (std::size_t i = 0; i + phrase.size() <= tokens.size(); ++i) {
            std::size_t k = 0;
            while (k < phrase.size() && tokens[i + k].term == phrase[k]) ++k;
            if (k < phrase.size()) continue;
            for (k = 0; k < phrase.size(); ++k) hit[i + k] = true;
        }
    }
    return hit;
}

Marked Highlighter::build(std::string_view text, const std::vector<Token>& tokens, const std::vector<bool>& hit,
                          std::size_t from, std::size_t to, bool collapse_space) {
    Marked m;
    std::size_t at = from;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const Token& t = tokens[i];
        if (!hit[i] || t.begin < from || t.end > to) continue;
        std::string before;
        append_collapsed(before, text.substr(at, t.begin - at), collapse_space);
        push(m, std::move(before), false);
        push(m, std::string(text.substr(t.begin, t.end - t.begin)), true);
        at = t.end;
    }
    std::string after;
    append_collapsed(after, text.substr(at, to - at), collapse_space);
    push(m, std::move(after), false);
    return m;
}

Marked Highlighter::snippet(std::string_view text, std::string_view lang, std::size_t max_bytes) {
    std::vector<Token> tokens = analyzer_.tokens(text);
    if (tokens.empty()) return {};
    std::vector<bool> hit = hits(tokens, lang);

    // Slide a window of at most max_bytes over the tokens; keep the one with
    // the most distinct matched words, then the most matches, earliest first.
    std::size_t best_i = 0, best_j = 0;
    long best_score = -1;
    std::map<std::string_view, int> counts;
    std::size_t j = 0;
    long matched = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (j < i) j = i;
        while (j < tokens.size() && tokens[j].end - tokens[i].begin <= max_bytes) {
            if (hit[j]) {
                ++counts[tokens[j].term];
                ++matched;
            }
            ++j;
        }
        long score = static_cast<long>(counts.size()) * 1000 + matched;
        if (score > best_score) {
            best_score = score;
            best_i = i;
            best_j = j;
        }
        if (hit[i] && i < j) {
            auto it = counts.find(tokens[i].term);
            if (--it->second == 0) counts.erase(it);
            --matched;
        }
    }
    if (best_j <= best_i) best_j = best_i + 1;
    // Start a little before the first match when the window has room, so
    // the passage reads from the beginning of its sentence where possible.
    std::size_t from = tokens[best_i].begin;
    std::size_t to = tokens[best_j - 1].end;
    if (best_score >= 1000) {
        std::size_t first_hit = best_i;
        while (first_hit < best_j && !hit[first_hit]) ++first_hit;
        from = tokens[first_hit].begin;
        std::size_t k = first_hit;
        while (k > 0 && to - tokens[k - 1].begin <= max_bytes) {
            --k;
            std::string_view gap = text.substr(tokens[k].end, tokens[k + 1].begin - tokens[k].end);
            if (gap.find_first_of(".!?\n") != std::string_view::npos) {
                ++k;
                break;
            }
        }
        from = tokens[k].begin;
        // Use any room left after the last match.
        std::size_t e = best_j;
        while (e < tokens.size() && tokens[e].end - from <= max_bytes) ++e;
        to = tokens[e - 1].end;
    }
    // Keep the punctuation attached to the last word ("ring." "said,”").
    auto after = std::upper_bound(tokens.begin(), tokens.end(), to,
                                  [](std::size_t pos, const Token& t) { return pos < t.begin; });
    std::size_t limit = after == tokens.end() ? text.size() : after->begin;
    while (to < limit && !is_space(text[to])) ++to;
    if (from <= tokens.front().begin) from = 0;

    Marked m = build(text, tokens, hit, from, to, true);
    if (from > 0) m.insert(m.begin(), Fragment{std::string(kEllipsis), false});
    bool at_end = true;
    for (std::size_t k = to; k < text.size(); ++k) at_end = at_end && is_space(text[k]);
    if (!at_end) push(m, std::string(kEllipsis), false);
    // Leading/trailing spaces from collapsing.
    if (!m.empty() && !m.front().mark) {
        auto& s = m.front().text;
        s.erase(0, s.find_first_not_of(' '));
    }
    return m;
}

Marked Highlighter::mark_all(std::string_view text, std::string_view lang) {
    std::vector<Token> tokens = analyzer_.tokens(text);
    std::vector<bool> hit = hits(tokens, lang);
    return build(text, tokens, hit, 0, text.size(), false);
}

std::string first_words(std::string_view text, std::size_t max_bytes) {
    std::string collapsed;
    append_collapsed(collapsed, text.substr(0, max_bytes * 2 + 8), true);
    std::string_view s = collapsed;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    if (s.size() <= max_bytes) {
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
        return std::string(s);
    }
    std::string_view cut = utf8::truncate_graphemes(s, max_bytes);
    bool at_boundary = cut.size() < s.size() && s[cut.size()] == ' ';
    std::size_t space = cut.rfind(' ');
    if (!at_boundary && space != std::string_view::npos && space > max_bytes / 2) cut = cut.substr(0, space);
    while (!cut.empty() && (cut.back() == ' ' || cut.back() == ',' || cut.back() == ';')) cut.remove_suffix(1);
    return std::string(cut) + std::string(kEllipsis);
}

}  // namespace morgue
