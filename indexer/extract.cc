#include "extract.h"

#include "analyzer.h"
#include "embedded_data.h"
#include "error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

namespace morgue {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
    // Also trims no-break spaces (U+00A0), common in pasted web text.
    for (;;) {
        if (!s.empty() && is_space(s.front())) s.remove_prefix(1);
        else if (s.substr(0, 2) == "\xC2\xA0") s.remove_prefix(2);
        else break;
    }
    for (;;) {
        if (!s.empty() && is_space(s.back())) s.remove_suffix(1);
        else if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") s.remove_suffix(2);
        else break;
    }
    return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(s[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
            return false;
        }
    }
    return true;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == sep) {
            out.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    return out;
}

// Words of `s` split at spaces and commas, with trailing full stops removed.
std::vector<std::string_view> date_words(std::string_view s) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (is_space(s[i]) || s[i] == ',')) ++i;
        std::size_t b = i;
        while (i < s.size() && !is_space(s[i]) && s[i] != ',') ++i;
        std::string_view w = s.substr(b, i - b);
        while (!w.empty() && w.back() == '.') w.remove_suffix(1);
        if (!w.empty()) words.push_back(w);
    }
    return words;
}

std::optional<int> number(std::string_view w, std::size_t min_digits, std::size_t max_digits) {
    if (w.size() < min_digits || w.size() > max_digits) return std::nullopt;
    int v = 0;
    for (char c : w) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

// "5", "05", "5th", "21st".
std::optional<int> day_of(std::string_view w) {
    for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
        if (w.size() > 2 && ends_with(w, suffix)) {
            w.remove_suffix(2);
            break;
        }
    }
    auto d = number(w, 1, 2);
    if (d && *d >= 1 && *d <= 31) return d;
    return std::nullopt;
}

// Lines whose first non-space character is a letter, digit, opening quote or
// a currency sign ("$1m payoff…", "&#163;1.8m fine…" as BBC files have it)
// and which do not end like a sentence.
bool looks_like_headline(std::string_view line) {
    if (line.empty() || line.size() > 250) return false;
    char last = line.back();
    bool dots = ends_with(line, "...") || ends_with(line, "\xE2\x80\xA6");  // "Rivals of the £400 Apple..."
    if (!dots && (last == '.' || last == ',' || last == ';' || last == ':')) return false;
    // Full-width sentence punctuation: "。" "！" "？" "，" "：" "；".
    for (std::string_view stop : {"\xE3\x80\x82", "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xEF\xBC\x8C", "\xEF\xBC\x9A",
                                  "\xEF\xBC\x9B"}) {
        if (ends_with(line, stop)) return false;
    }
    // Words are counted by spaces, so a Chinese or Japanese headline (no
    // spaces) and a one-word headline ("Brexit") are one word.
    std::size_t words = 1;
    for (char c : line) words += c == ' ';
    if (words > 30) return false;
    unsigned char first = static_cast<unsigned char>(line.front());
    bool camel = line.size() > 1 && std::islower(first) && std::isupper(static_cast<unsigned char>(line[1]));  // "iTunes now..."
    return std::isupper(first) || std::isdigit(first) || camel || first == '"' || first == '\'' || first == '$' ||
           first == '&' || first >= 0x80;
}

// "Eyder Peralta": 2-4 words, each starting with an upper-case letter.
bool looks_like_name(std::string_view s) {
    if (s.empty() || s.size() > 60) return false;
    auto words = split(s, ' ');
    if (words.size() < 2 || words.size() > 4) return false;
    for (std::string_view w : words) {
        if (w.empty()) return false;
        unsigned char c = static_cast<unsigned char>(w.front());
        if (!(std::isupper(c) || c >= 0x80)) return false;
        for (char ch : w) {
            if (ch == '.' && w.size() > 2) return false;
            if (std::isdigit(static_cast<unsigned char>(ch))) return false;
        }
    }
    return true;
}

bool looks_like_acronym(std::string_view s) {
    if (s.size() < 2 || s.size() > 8) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); });
}

// Lines of digits, colons and spaces: "0:00 0:00", "3:45".
bool is_media_time(std::string_view line) {
    if (line.find(':') == std::string_view::npos) return false;
    return std::all_of(line.begin(), line.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == ':' || c == ' ' || c == '/';
    });
}

// "... [EXCLUSIVE]": a teaser link with a section tag.
bool ends_with_tag(std::string_view line) {
    if (line.empty() || line.back() != ']') return false;
    std::size_t open = line.rfind('[');
    if (open == std::string_view::npos || line.size() - open < 4) return false;
    for (std::size_t i = open + 1; i + 1 < line.size(); ++i) {
        char c = line[i];
        if (!std::isupper(static_cast<unsigned char>(c)) && c != ' ') return false;
    }
    return true;
}

bool is_photo_credit(std::string_view line) {
    if (line.size() > 120) return false;
    static constexpr std::array<std::string_view, 12> kSuffixes = {
        "Getty Images", "/AP", "/AFP", "/Reuters", "/Pool", "/EPA", "/Shutterstock", "/Alamy",
        "/PA", "/Bloomberg", "/ZUMA", "/Sipa"};
    for (std::string_view s : kSuffixes) {
        if (ends_with(line, s)) return true;
    }
    static constexpr std::array<std::string_view, 8> kPrefixes = {
        "Photo:", "Photograph:", "Image:", "Picture:", "Credit:", "Photo by", "Image source", "(Photo"};
    for (std::string_view p : kPrefixes) {
        if (starts_with_ci(line, p)) return true;
    }
    return false;
}

// The holder named by a copyright line, e.g. "WLRH" from
// "© 2023 WLRH All Rights Reserved", "NPR" from "Copyright 2023 NPR. To see more...".
std::optional<std::string> copyright_holder(std::string_view line) {
    std::string_view s = line;
    bool marked = false;
    for (std::string_view mark : {"\xC2\xA9", "Copyright", "COPYRIGHT", "(c)", "(C)"}) {
        if (s.substr(0, mark.size()) == mark) {
            s = trim(s.substr(mark.size()));
            marked = true;
        }
    }
    if (!marked) return std::nullopt;
    if (s.substr(0, 2) == "\xC2\xA9") s = trim(s.substr(2));
    // The year or years.
    std::size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == ' ' || s[i] == ','))
        ++i;
    if (i == 0) return std::nullopt;
    s = trim(s.substr(i));
    std::size_t end = s.size();
    for (std::string_view stop : {". ", " All Rights", " all rights", " All rights", ",", " |", " - ", " \xE2\x80\x94"}) {
        end = std::min(end, s.find(stop));
    }
    s = trim(s.substr(0, end));
    while (!s.empty() && s.back() == '.') s.remove_suffix(1);
    if (s.size() < 2 || s.size() > 60) return std::nullopt;
    if (std::count(s.begin(), s.end(), ' ') > 5) return std::nullopt;
    unsigned char c = static_cast<unsigned char>(s.front());
    if (!(std::isupper(c) || std::isdigit(c) || c >= 0x80)) return std::nullopt;
    return std::string(s);
}

// "Comments (12)", "12 comments": a comment counter.
bool is_comment_count(std::string_view line) {
    std::string key = match_key(line);
    auto digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    };
    std::string_view k = key;
    if (k.substr(0, 10) == "comments (" && k.back() == ')') return digits(k.substr(10, k.size() - 11));
    std::size_t space = k.find(' ');
    return space != std::string_view::npos && digits(k.substr(0, space)) &&
           (k.substr(space) == " comments" || k.substr(space) == " comment");
}

// The caption of a line labelled as one ("Image caption, Russian Foreign
// Minister...", as BBC pages have it), without its label.
std::optional<std::string_view> labelled_caption(std::string_view line) {
    for (std::string_view label : {"Image caption", "Media caption", "Caption"}) {
        if (!starts_with_ci(line, label) || line.size() == label.size()) continue;
        char sep = line[label.size()];
        if (sep != ',' && sep != ':') continue;
        std::string_view caption = trim(line.substr(label.size() + 1));
        if (!caption.empty()) return caption;
    }
    return std::nullopt;
}

bool is_weekday(std::string_view w) {
    static constexpr std::array<std::string_view, 7> kDays = {"monday", "tuesday", "wednesday", "thursday",
                                                                "friday", "saturday", "sunday"};
    std::string lower;
    for (char c : w) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.size() < 3) return false;
    for (std::string_view d : kDays) {
        if (lower == d || lower == d.substr(0, 3) || (lower.size() == 4 && d.substr(0, 4) == lower)) return true;
    }
    return false;
}

// A line that is only a date, maybe with a weekday, a time and a zone:
// "Tue 5 Sep 2023 11.59 BST", "September 5, 2023".
bool is_date_only(std::string_view line) {
    auto words = date_words(line);
    if (words.empty() || words.size() > 8 || !find_date(line)) return false;
    for (std::string_view w : words) {
        bool numeric = std::all_of(w.begin(), w.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.' || c == '-' || c == '/' ||
                   c == 'T' || c == 'Z';
        });
        bool zone = w.size() <= 4 && std::all_of(w.begin(), w.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
        bool filler = w == "at" || w == "on" || w == "am" || w == "pm" || w == "|";
        if (!(numeric || zone || filler || month_from_name(w) != 0 || is_weekday(w) || day_of(w))) return false;
    }
    return true;
}

// Date-line prefixes, most trusted first.
struct StampPrefix {
    std::string_view text;
    int rank;
};
constexpr std::array<StampPrefix, 9> kStampPrefixes = {{
    {"first published", 1}, {"published", 1}, {"posted", 1}, {"date:", 1}, {"dated", 1},
    {"last updated", 3},    {"updated", 3},   {"last modified", 3}, {"modified", 3},
}};

struct Line {
    std::string_view text;  // trimmed
    bool removed = false;
};

class Extraction {
public:
    Extraction(std::string_view text, const ExtractRules& rules, std::map<std::string, std::string>* found_by)
        : rules_(rules), found_by_(found_by) {
        std::string_view rest = text;
        // Header: " date 2023-09-05 " glued to the first sentence.
        std::string_view head = trim(rest);
        if (starts_with_ci(head, "date ") || starts_with_ci(head, "date:")) {
            std::string_view after = trim(head.substr(5));
            if (auto d = Date::parse_iso(after.substr(0, 10)); d && (after.size() == 10 || is_space(after[10]))) {
                offer_date(*d, 0, "header: date " + d->iso());
                rest = after.substr(10);
            }
        }
        for (std::string_view raw : split(rest, '\n')) lines_.push_back(Line{trim(raw)});
    }

    void run(Article& a, const ExtractOptions& options) {
        remove_boilerplate();
        find_bylines();
        if (options.find_title) find_title();
        find_dateline();
        a.title = title_;
        if (best_date_) a.date = best_date_->date;
        // Copyright holders after the credited sources, the last line first: a
        // page's own copyright sits at its top ("© 2023 WLRH"), the owner of a
        // syndicated story signs at its end ("Copyright 2023 NPR").
        for (auto it = copyright_.rbegin(); it != copyright_.rend(); ++it) add_source(*it, "copyright line");
        a.sources = sources_;
        a.byline = byline_;
        a.removed = std::move(removed_);
        a.body = body();
        a.captions = std::move(captions_);
        if (found_by_ && best_date_) (*found_by_)["date"] = best_date_->evidence;
    }

private:
    struct DateFound {
        Date date;
        int rank;
        std::string evidence;
    };

    const ExtractRules& rules_;
    std::map<std::string, std::string>* found_by_;
    std::vector<Line> lines_;
    std::vector<RemovedLine> removed_;
    std::optional<DateFound> best_date_;
    std::optional<std::string> title_;
    std::optional<std::string> byline_;
    std::vector<std::string> sources_;
    std::vector<std::string> copyright_;  // holders, in the order of their lines
    std::vector<std::string> captions_;

    void note(const std::string& field, const std::string& evidence) {
        if (found_by_ && !found_by_->count(field)) (*found_by_)[field] = evidence;
    }

    void offer_date(const Date& d, int rank, std::string evidence) {
        if (!best_date_ || rank < best_date_->rank) best_date_ = DateFound{d, rank, std::move(evidence)};
    }

    void add_source(const std::string& found, const std::string& evidence) {
        std::string name = source_name(found);
        if (std::find(sources_.begin(), sources_.end(), name) != sources_.end()) return;
        sources_.push_back(name);
        if (found_by_) {
            std::string& e = (*found_by_)["source"];
            e += (e.empty() ? "" : "; ") + name + " (" + evidence + ")";
        }
    }

    void remove(std::size_t i, std::string reason) {
        if (lines_[i].removed) return;
        lines_[i].removed = true;
        removed_.push_back(RemovedLine{std::string(lines_[i].text), std::move(reason)});
    }

    // Index of the next non-blank line after i, or lines_.size().
    std::size_t next_nonblank(std::size_t i) const {
        for (++i; i < lines_.size(); ++i) {
            if (!lines_[i].text.empty()) return i;
        }
        return lines_.size();
    }

    // A line that occurs exactly twice, a few lines apart. Around photo
    // credits it is a photo caption: editorial text, kept once as a
    // caption. Otherwise it is a paragraph sent twice: kept once in the body.
    void keep_one_of_repeated_lines() {
        std::unordered_map<std::string_view, std::vector<std::size_t>> seen;
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            if (lines_[i].text.size() >= 40) seen[lines_[i].text].push_back(i);
        }
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            auto it = seen.find(lines_[i].text);
            if (it == seen.end() || it->second.size() != 2 || it->second[0] != i) continue;
            std::size_t second = it->second[1];
            if (second - i > 6) continue;
            bool credited = false;
            for (std::size_t j = i + 1; j < second; ++j) {
                const auto* rule = rules_.boilerplate(lines_[j].text);
                credited = credited || is_photo_credit(lines_[j].text) || (rule && rule->reason == "image placeholder");
            }
            if (credited) {
                captions_.emplace_back(lines_[i].text);
                remove(i, "photo caption (indexed as a caption)");
                remove(second, "photo caption (repeated)");
            } else {
                remove(second, "repeated line (one copy kept)");
            }
        }
    }

    void remove_boilerplate() {
        keep_one_of_repeated_lines();
        std::size_t nonblank = 0;
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            std::string_view t = lines_[i].text;
            if (t.empty() || lines_[i].removed) continue;
            ++nonblank;
            if (auto caption = labelled_caption(t)) {
                captions_.emplace_back(*caption);
                remove(i, "photo caption (indexed as a caption)");
                continue;
            }
            if (const auto* rule = rules_.boilerplate(t)) {
                remove(i, rule->reason);
                if (rule->kind == ExtractRules::Kind::kBlock) {
                    for (std::size_t j = i + 1; j < lines_.size() && !lines_[j].text.empty(); ++j) {
                        std::string_view u = lines_[j].text;
                        bool prose = u.size() > 200 || (u.back() == '.' && !ends_with_tag(u));
                        if (prose) break;
                        remove(j, rule->reason);
                    }
                }
                continue;
            }
            if (auto holder = copyright_holder(t)) {
                const auto* o = rules_.outlet(source_name(*holder));
                copyright_.push_back(o ? o->name : *holder);
                remove(i, "copyright line");
                continue;
            }
            if (t.find("All Rights Reserved") != std::string_view::npos ||
                t.find("All rights reserved") != std::string_view::npos) {
                remove(i, "copyright line");
                continue;
            }
            if (starts_with_ci(t, "source:") || starts_with_ci(t, "sources:")) {
                source_line(i);
                continue;
            }
            if (date_line(i, nonblank)) continue;
            if (is_media_time(t)) {
                remove(i, "media player");
            } else if (ends_with_tag(t)) {
                remove(i, "teaser link");
            } else if (is_photo_credit(t)) {
                remove(i, "photo credit");
            } else if (is_comment_count(t)) {
                remove(i, "comment counter");
            }
        }
    }

    // "Source: BBC, EFE." names outlets; "Source: Read Full Article" is a link.
    void source_line(std::size_t i) {
        std::string_view t = lines_[i].text;
        std::string_view list = trim(t.substr(t.find(':') + 1));
        bool any = false;
        std::string items(list);
        for (char& c : items) {
            if (c == ';' || c == '/' || c == '|') c = ',';
        }
        for (std::string_view item : split(items, ',')) {
            item = trim(item);
            while (!item.empty() && item.back() == '.') item.remove_suffix(1);
            if (starts_with_ci(item, "and ")) item = trim(item.substr(4));
            if (item.empty()) continue;
            if (const auto* o = rules_.outlet(item)) {
                add_source(o->name, "source line");
                any = true;
            } else if (looks_like_acronym(item)) {
                add_source(std::string(item), "source line");
                any = true;
            }
        }
        remove(i, any ? "source line" : "page link, not a source");
    }

    // "Updated September 5, 2023 at 11:59 AM ET", "Published: 2023-09-05",
    // or a date alone on a line near the top.
    bool date_line(std::size_t i, std::size_t nonblank) {
        std::string_view t = lines_[i].text;
        if (t.size() > 150) return false;
        for (const StampPrefix& p : kStampPrefixes) {
            if (!starts_with_ci(t, p.text)) continue;
            if (auto d = find_date(t)) {
                offer_date(*d, p.rank, std::string(t));
                remove(i, "timestamp line");
                return true;
            }
        }
        if (nonblank <= 10 && is_date_only(t)) {
            if (auto d = find_date(t)) {
                offer_date(*d, 2, std::string(t));
                remove(i, "date line");
                return true;
            }
        }
        return false;
    }

    // "By Eyder Peralta" near the top; an author bio at the end ("Eyder
    // Peralta" then "Eyder Peralta is an international correspondent...").
    void find_bylines() {
        std::size_t seen = 0;
        for (std::size_t i = 0; i < lines_.size() && seen < 8; ++i) {
            if (lines_[i].text.empty() || lines_[i].removed) continue;
            ++seen;
            std::string_view t = lines_[i].text;
            if (!starts_with_ci(t, "by ") || t.size() > 80) continue;
            std::string_view name = trim(t.substr(3));
            name = trim(name.substr(0, std::min(name.find(','), name.find(" |"))));
            if (!looks_like_name(name)) continue;
            byline_ = std::string(name);
            note("byline", std::string(t));
            remove(i, "byline");
            return;
        }
        // Author bio: within the last few lines.
        std::vector<std::size_t> tail;
        for (std::size_t i = lines_.size(); i-- > 0 && tail.size() < 4;) {
            if (!lines_[i].text.empty() && !lines_[i].removed) tail.push_back(i);
        }
        for (std::size_t k = tail.size(); k-- > 1;) {
            std::size_t i = tail[k], j = tail[k - 1];
            std::string_view name = lines_[i].text;
            if (!looks_like_name(name)) continue;
            std::string_view bio = lines_[j].text;
            if (bio.substr(0, name.size()) != name) continue;
            std::string_view rest = bio.substr(name.size());
            if (!(starts_with_ci(rest, " is ") || starts_with_ci(rest, " was ") || starts_with_ci(rest, " has ") ||
                  starts_with_ci(rest, " covers "))) {
                continue;
            }
            if (!byline_) {
                byline_ = std::string(name);
                note("byline", "author bio: " + std::string(name));
            }
            remove(i, "author bio");
            for (std::size_t m = j; m < lines_.size(); ++m) {
                if (!lines_[m].text.empty()) remove(m, "author bio");
            }
            return;
        }
    }

    // A headline-like first line followed by a blank line.
    void find_title() {
        std::size_t i = 0;
        while (i < lines_.size() && (lines_[i].text.empty() || lines_[i].removed)) ++i;
        if (i >= lines_.size() || i + 1 >= lines_.size()) return;
        if (!lines_[i + 1].text.empty()) return;  // runs straight into the next line: a paragraph
        if (next_nonblank(i) >= lines_.size()) return;  // nothing after it
        if (!looks_like_headline(lines_[i].text)) return;
        title_ = std::string(lines_[i].text);
        note("title", "headline: first line, followed by a blank line");
        lines_[i].removed = true;  // moved to the title, not boilerplate
    }

    // "WASHINGTON, Sept. 5, 2023 (Reuters) - ..." at the start of the body:
    // an agency credit and maybe a dated dateline.
    void find_dateline() {
        std::size_t i = 0;
        while (i < lines_.size() && (lines_[i].text.empty() || lines_[i].removed)) ++i;
        if (i >= lines_.size()) return;
        std::string_view t = lines_[i].text.substr(0, 160);
        std::size_t dash = std::string_view::npos;
        for (std::string_view d : {" - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", " -- "}) {
            dash = std::min(dash, t.find(d));
        }
        if (dash == std::string_view::npos || dash > 120) return;
        std::string_view head = t.substr(0, dash);
        std::size_t open = head.rfind('('), close = head.rfind(')');
        // The credit follows an upper-case dateline ("WASHINGTON (Reuters) -") or starts the text.
        bool dateline = open != std::string_view::npos &&
                        std::none_of(head.begin(), head.begin() + static_cast<std::ptrdiff_t>(open),
                                     [](char c) { return std::islower(static_cast<unsigned char>(c)); });
        if (dateline && close == head.size() - 1 && close > open) {
            std::string_view credit = head.substr(open + 1, close - open - 1);
            if (const auto* o = rules_.outlet(credit); o && o->agency) add_source(o->name, "agency credit");
        }
        if (auto d = find_date(head)) offer_date(*d, 4, "dateline: " + std::string(head));
    }

    std::string body() const {
        std::string out;
        bool blank = false;
        for (const Line& l : lines_) {
            if (l.removed) continue;
            if (l.text.empty()) {
                blank = !out.empty();
                continue;
            }
            if (!out.empty()) out += blank ? "\n\n" : "\n";
            blank = false;
            out.append(l.text);
        }
        return out;
    }
};

std::string clean_cell(std::string_view s) { return std::string(trim(s)); }

}  // namespace

std::string match_key(std::string_view text) {
    std::string folded = ascii_punctuation(text);
    std::string out;
    for (char c : folded) {
        if (is_space(c)) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    for (;;) {
        if (!out.empty() && (out.back() == ' ' || out.back() == '.' || out.back() == ':')) {
            out.pop_back();
        } else if (ends_with(out, "\xE2\x80\xA6")) {
            out.resize(out.size() - 3);
        } else {
            break;
        }
    }
    return out;
}

std::string source_name(std::string_view name) {
    // Longest first: "Pty Ltd" before "Ltd".
    static constexpr std::array<std::string_view, 18> kSuffixes = {
        " Pty Ltd", " Pvt Ltd", " Corporation", " Limited", " L.L.C.", " GmbH", " Corp.", " Corp", " Inc.", " Inc",
        " Ltd.", " Ltd", " LLC", " LLP", " PLC", " plc", " S.A.", " Co."};
    std::string_view s = trim(name);
    for (bool again = true; again;) {
        again = false;
        for (std::string_view suffix : kSuffixes) {
            if (s.size() > suffix.size() + 1 && ends_with(s, suffix)) {
                s = trim(s.substr(0, s.size() - suffix.size()));
                while (!s.empty() && s.back() == ',') s = trim(s.substr(0, s.size() - 1));
                again = true;
                break;
            }
        }
    }
    return std::string(s.empty() ? trim(name) : s);
}

ExtractRules ExtractRules::parse(std::string_view outlets_tsv, std::string_view boilerplate_tsv) {
    ExtractRules r;
    std::size_t n = 0;
    for (std::string_view line : split(outlets_tsv, '\n')) {
        ++n;
        if (trim(line).empty() || line.front() == '#') continue;
        auto cells = split(line, '\t');
        if (cells.size() < 2) throw Error("outlets list line " + std::to_string(n) + ": expected name<TAB>kind<TAB>aliases");
        Outlet o{clean_cell(cells[0]), clean_cell(cells[1]) == "agency"};
        r.outlets_.push_back(o);
        std::size_t idx = r.outlets_.size() - 1;
        r.outlet_index_.emplace(match_key(o.name), idx);
        if (cells.size() > 2) {
            for (std::string_view alias : split(cells[2], '|')) {
                if (!trim(alias).empty()) r.outlet_index_.emplace(match_key(alias), idx);
            }
        }
    }
    n = 0;
    for (std::string_view line : split(boilerplate_tsv, '\n')) {
        ++n;
        if (trim(line).empty() || line.front() == '#') continue;
        auto cells = split(line, '\t');
        if (cells.size() != 3) throw Error("boilerplate list line " + std::to_string(n) + ": expected kind<TAB>text<TAB>reason");
        std::string kind = clean_cell(cells[0]);
        Kind k;
        if (kind == "line") k = Kind::kLine;
        else if (kind == "prefix") k = Kind::kPrefix;
        else if (kind == "block") k = Kind::kBlock;
        else throw Error("boilerplate list line " + std::to_string(n) + ": unknown kind '" + kind + "'");
        // A prefix that ends with ':' ("MORE:") needs its colon: "More power to the people" is a headline.
        std::string key = match_key(cells[1]);
        if (k != Kind::kLine && trim(cells[1]).back() == ':') key += ':';
        r.rules_.push_back(Boilerplate{k, std::move(key), clean_cell(cells[2])});
    }
    return r;
}

const ExtractRules& ExtractRules::builtin() {
    static const ExtractRules rules = parse(data::outlets_tsv(), data::boilerplate_tsv());
    return rules;
}

const ExtractRules::Outlet* ExtractRules::outlet(std::string_view name) const {
    auto it = outlet_index_.find(match_key(name));
    return it == outlet_index_.end() ? nullptr : &outlets_[it->second];
}

const ExtractRules::Boilerplate* ExtractRules::boilerplate(std::string_view line) const {
    if (line.size() > 400) return nullptr;
    std::string key = match_key(line);
    for (const Boilerplate& b : rules_) {
        if (b.kind == Kind::kLine) {
            if (key == b.key) return &b;
        } else if (key.compare(0, b.key.size(), b.key) == 0 &&
                   (key.size() == b.key.size() || !std::isalnum(static_cast<unsigned char>(key[b.key.size()])))) {
            return &b;  // a prefix ending at a word boundary: "more:" is not "moreover"
        }
    }
    return nullptr;
}

std::optional<Date> find_date(std::string_view text) {
    auto w = date_words(text);
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i].size() >= 10 && std::isdigit(static_cast<unsigned char>(w[i][0]))) {
            if (auto d = Date::parse_iso(w[i].substr(0, 10)); d && (w[i].size() == 10 || w[i][10] == 'T')) return d;
        }
        if (i + 2 >= w.size()) continue;
        auto year = number(w[i + 2], 4, 4);
        if (!year) continue;
        if (int m = month_from_name(w[i]); m != 0) {
            if (auto d = day_of(w[i + 1])) {
                if (auto date = Date::make(*year, m, *d)) return date;
            }
        }
        if (auto d = day_of(w[i])) {
            if (int m = month_from_name(w[i + 1]); m != 0) {
                if (auto date = Date::make(*year, m, *d)) return date;
            }
        }
    }
    return std::nullopt;
}

Article extract(std::string_view text, const ExtractRules& rules, const ExtractOptions& options) {
    Article a;
    Extraction(text, rules, &a.evidence).run(a, options);
    return a;
}

}  // namespace morgue
