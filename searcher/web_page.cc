#include "web_page.h"

#include "render.h"
#include "time_axis.h"
#include "utf8.h"
#include "web.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>

namespace morgue::web {

namespace {

std::string esc(std::string_view s) { return utf8::html_escape(s); }

// The article view of article `id` (its stable id: the link lasts), with the query's words marked.
std::string article_url(std::string_view script, const std::string& id, const std::string& q) {
    return std::string(script) + "?doc=" + id + "&q=" + url_encode(q);
}

constexpr std::array<std::string_view, 12> kMonths = {"January", "February", "March",     "April",   "May",      "June",
                                                        "July",    "August",   "September", "October", "November", "December"};

std::string long_date(const Date& d) {
    return std::to_string(d.day) + " " + std::string(kMonths[static_cast<std::size_t>(d.month - 1)]) + " " +
           std::to_string(d.year);
}

std::string with_commas(unsigned long long n) {
    std::string s = std::to_string(n);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

std::string head(std::string_view script, std::string_view title) {
    std::string out =
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
    out += esc(title);
    out += "</title>\n<link rel=\"stylesheet\" href=\"";
    out += esc(std::string(script) + "?asset=style.css");
    out += "\">\n</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n";
    return out;
}

// The advanced search: dates (with quick ranges), source, language and
// order, as fields of the same GET form; open when any is in force.
std::string advanced_fields(std::string_view script, const PageState& state) {
    bool open = state.since || state.until || !state.sources.empty() || !state.langs.empty() ||
                state.sort != SortOrder::kRelevance;
    auto field = [](const char* name, const char* label, const std::string& value, const char* hint) {
        return std::string("<label>") + label + " <input name=\"" + name + "\" value=\"" + esc(value) +
               "\" placeholder=\"" + hint + "\" size=\"10\"></label>\n";
    };
    std::string out = std::string("<details class=\"advanced\"") + (open ? " open" : "") +
                      "><summary>Advanced search</summary>\n<div class=\"fields\">\n";
    out += field("since", "From", state.since.value_or(""), "YYYY-MM-DD");
    out += field("until", "to", state.until.value_or(""), "YYYY-MM-DD");
    out += field("source", "Source", state.sources.empty() ? "" : state.sources.front(), "e.g. BBC");
    out += field("lang", "Language", state.langs.empty() ? "" : state.langs.front(), "e.g. en");
    out += "<label>Order <select name=\"sort\">";
    for (auto [order, label] : {std::pair{SortOrder::kRelevance, "best match"}, {SortOrder::kNewest, "newest first"},
                                {SortOrder::kOldest, "oldest first"}}) {
        out += "<option value=\"" + std::string(sort_name(order)) + "\"" + (order == state.sort ? " selected" : "") +
               ">" + label + "</option>";
    }
    out += "</select></label>\n</div>\n";
    // Further sources and languages in force ride along.
    for (std::size_t i = 1; i < state.sources.size(); ++i) {
        out += "<input type=\"hidden\" name=\"source\" value=\"" + esc(state.sources[i]) + "\">\n";
    }
    for (std::size_t i = 1; i < state.langs.size(); ++i) {
        out += "<input type=\"hidden\" name=\"lang\" value=\"" + esc(state.langs[i]) + "\">\n";
    }
    // Quick ranges, from today: this year, the last 12 months, last year.
    auto today = std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()));
    int year = static_cast<int>(today.year());
    char a_year_ago[16];
    std::snprintf(a_year_ago, sizeof a_year_ago, "%04d-%02u", year - 1, static_cast<unsigned>(today.month()));
    std::pair<std::string, std::pair<std::string, std::string>> ranges[] = {
        {"this year", {std::to_string(year), std::to_string(year)}},
        {"the last 12 months", {a_year_ago, std::to_string(year)}},
        {std::to_string(year - 1), {std::to_string(year - 1), std::to_string(year - 1)}},
    };
    out += "<p class=\"ranges\">Quick ranges:";
    for (const auto& [label, range] : ranges) {
        PageState to = state;
        to.page = 1;
        to.since = range.first;
        to.until = range.second;
        out += " <a href=\"" + esc(to.url(script)) + "\">" + esc(label) + "</a>";
    }
    return out + "</p>\n</details>\n";
}

std::string search_form(std::string_view script, const PageState& state, bool big = false) {
    std::string out = "<header class=\"top\">\n<a class=\"brand\" href=\"" + esc(script) + "\">morgue</a>\n";
    out += "<form class=\"search" + std::string(big ? " big" : "") + "\" role=\"search\" action=\"" + esc(script) +
           "\" method=\"get\">\n<label for=\"q\">Search the archive</label>\n"
           "<div class=\"box\"><input id=\"q\" name=\"q\" type=\"search\" maxlength=\"" +
           std::to_string(kMaxQueryBytes) + "\" value=\"" + esc(state.q) +
           "\" placeholder=\"e.g. &quot;human trafficking&quot; Cuba\" autocomplete=\"off\">"
           "<button type=\"submit\">Search</button></div>\n";
    out += advanced_fields(script, state);
    out += "</form>\n</header>\n";
    return out;
}

std::string footer(std::string_view script, const PageState* state) {
    std::string out = "<footer class=\"bottom\"><p>morgue — a search engine for news archives · <a href=\"" +
                      esc(about_url(script)) + "\">About this archive</a>";
    if (state != nullptr && !state->q.empty()) {
        out += " · <a href=\"" + esc(state->url(script) + "&format=json") + "\">this search as JSON</a>";
    }
    out += "</p></footer>\n</body>\n</html>\n";
    return out;
}

// "≈" before the counts of facets counted on a sample, else nothing.
std::string about(const Facets& f) { return f.estimated ? "\u2248" : ""; }

std::string short_month(int month) { return std::string(kMonths[static_cast<std::size_t>(month - 1)].substr(0, 3)); }

// What a bucket of the time axis is called: "5 Sep 2023", "week of 4 Sep
// 2023", "Sep 2023", "2023".
std::string short_date(const Date& d) { return std::to_string(d.day) + " " + short_month(d.month) + " " + std::to_string(d.year); }

std::string bucket_label(BucketSize size, const TimeBucket& b) {
    switch (size) {
        case BucketSize::kDay: return short_date(b.first);
        case BucketSize::kWeek: return "week of " + short_date(b.first);
        case BucketSize::kMonth: return short_month(b.first.month) + " " + std::to_string(b.first.year);
        case BucketSize::kYear: return std::to_string(b.first.year);
    }
    return short_date(b.first);
}

// The label of the tick before bucket `b` when it starts a new period (a
// month for days and weeks, a year for months, a decade for years), else "".
std::string tick_label(BucketSize size, const TimeBucket& b) {
    switch (size) {
        case BucketSize::kDay: return b.first.day == 1 ? short_month(b.first.month) : "";
        case BucketSize::kWeek: return b.first.month != b.last.month || b.first.day == 1 ? short_month(b.last.month) : "";
        case BucketSize::kMonth: return b.first.month == 1 ? std::to_string(b.first.year) : "";
        case BucketSize::kYear: return b.first.year % 10 == 0 ? std::to_string(b.first.year) : "";
    }
    return "";
}

// The bar chart of matches along a true time axis: a slot for every day,
// week, month or year of the span (time_axis.h), empty ones drawn as empty
// slots; each bar a link that narrows the search to its bucket (a second
// click on the bucket in force removes the filter). With the page's script
// (histogram_script()), two clicks or a drag select a range of bars.
std::string histogram(std::string_view script, const PageState& state, const Facets& f) {
    auto bound = [](const std::optional<std::string>& s, bool end) -> std::optional<Date> {
        std::optional<std::string> compact = s ? parse_date_bound(*s, end) : std::nullopt;
        return compact ? Date::parse_iso(*compact) : std::nullopt;
    };
    TimeAxis axis = time_axis(f, bound(state.since, false), bound(state.until, true));
    const std::vector<TimeBucket>& slots = axis.buckets;
    if (slots.empty()) return {};
    Xapian::doccount most = 1;
    for (const TimeBucket& b : slots) most = std::max(most, b.count);
    constexpr int kWidth = 300, kHeight = 90, kLabel = 14;
    double slot = static_cast<double>(kWidth) / static_cast<double>(slots.size());
    double gap = slot > 6 ? 1.5 : slot > 2 ? 0.5 : 0;
    std::string size(bucket_name(axis.size));
    std::string out = "<section class=\"facet\">\n<h2 id=\"hist-h\">Matches by " + size +
                      "</h2>\n<svg class=\"histogram\" data-bucket=\"" + size + "\" viewBox=\"0 0 " +
                      std::to_string(kWidth) + " " + std::to_string(kHeight + kLabel) +
                      "\" role=\"group\" aria-labelledby=\"hist-h\" preserveAspectRatio=\"none\">\n";
    char buf[512];
    double last_label = -100;
    for (std::size_t i = 0; i < slots.size(); ++i) {
        const TimeBucket& b = slots[i];
        double x = static_cast<double>(i) * slot + gap / 2, w = std::max(0.3, slot - gap);
        std::string name = bucket_label(axis.size, b);
        if (std::string tick = tick_label(axis.size, b); !tick.empty() && i > 0 && i + 1 < slots.size()) {
            std::snprintf(buf, sizeof buf, "<line class=\"tick\" x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\"></line>", x,
                          x, kHeight, kHeight + 3);
            out += buf;
            // Its label, where it clears the labels of the ends and the tick before.
            if (x > 45 && x < kWidth - 45 && x - last_label > 35) {
                std::snprintf(buf, sizeof buf, "<text x=\"%.2f\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">", x,
                              kHeight + kLabel - 2);
                out += std::string(buf) + esc(tick) + "</text>";
                last_label = x;
            }
        }
        if (b.count == 0) {
            std::snprintf(buf, sizeof buf, " x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"1\">", x, kHeight - 1, w);
            out += "<rect class=\"empty\" data-since=\"" + esc(b.since) + "\" data-until=\"" + esc(b.until) + "\"" + buf +
                   "<title>" + esc(name) + ": no matches</title></rect>\n";
            continue;
        }
        double h = std::max(2.0, static_cast<double>(b.count) * kHeight / static_cast<double>(most));
        PageState to = state;
        to.page = 1;
        to.since = b.since;
        to.until = b.until;
        bool active = state.since == b.since && state.until == b.until;
        if (active) to.since = to.until = std::nullopt;  // a second click removes the filter
        std::string label = name + ": " + about(f) + with_commas(b.count) + (b.count == 1 ? " match" : " matches");
        std::snprintf(buf, sizeof buf, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"></rect>", x, kHeight - h, w, h);
        out += "<a class=\"bar" + std::string(active ? " active" : "") + "\" href=\"" + esc(to.url(script)) +
               "\" data-since=\"" + esc(b.since) + "\" data-until=\"" + esc(b.until) + "\" data-name=\"" + esc(name) +
               "\" aria-label=\"" + esc(label) + "\"><title>" + esc(label) + "</title>" + buf + "</a>\n";
    }
    // The ends: a week's first and last days, else the buckets' names.
    bool weeks = axis.size == BucketSize::kWeek;
    std::string first = weeks ? short_date(slots.front().first) : bucket_label(axis.size, slots.front());
    std::string last = weeks ? short_date(slots.back().last) : bucket_label(axis.size, slots.back());
    out += "<text x=\"0\" y=\"" + std::to_string(kHeight + kLabel - 2) + "\" class=\"axis\">" + esc(first) + "</text>\n";
    if (slots.size() > 1) {
        out += "<text x=\"" + std::to_string(kWidth) + "\" y=\"" + std::to_string(kHeight + kLabel - 2) +
               "\" class=\"axis\" text-anchor=\"end\">" + esc(last) + "</text>\n";
    }
    out += "</svg>\n<p class=\"hist-status\" role=\"status\"></p>\n<script src=\"" +
           esc(std::string(script) + "?asset=histogram.js") + "\" defer></script>\n</section>\n";
    return out;
}

// Which filter a facet's links toggle.
enum class FacetKind { kSource, kLang, kYear, kByline };

// Toggles `byline:"NAME"` in query `q` (bylines are searched, not filtered).
// Whether it was there before: `active`.
std::string toggle_byline(const std::string& q, const std::string& name, bool& active) {
    std::string clause = "byline:\"" + name + "\"";
    std::size_t at = q.find(clause);
    active = at != std::string::npos;
    if (!active) return q.empty() ? clause : q + " " + clause;
    std::string out = q;
    out.erase(at, clause.size());
    std::size_t b = out.find_first_not_of(' '), e = out.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
}

std::string facet_list(std::string_view script, const PageState& state, const char* title, const Facets& f,
                       const std::vector<FacetValue>& values, FacetKind kind) {
    if (values.empty()) return {};
    std::string out = "<section class=\"facet\">\n<h2>" + std::string(title) + "</h2>\n<ul>\n";
    std::size_t shown = 0;
    for (auto it = values.begin(); it != values.end() && shown < 15; ++it, ++shown) {
        bool by_year = kind == FacetKind::kYear;
        const FacetValue& v = by_year ? values[values.size() - 1 - shown] : *it;  // years: newest first
        PageState to = state;
        to.page = 1;
        bool active;
        if (kind == FacetKind::kByline) {
            if (v.value.find('"') != std::string::npos) continue;  // cannot be quoted in a query
            to.q = toggle_byline(state.q, v.value, active);
        } else if (!by_year) {
            std::vector<std::string>& chosen = kind == FacetKind::kSource ? to.sources : to.langs;
            auto pos = std::find(chosen.begin(), chosen.end(), v.value);
            active = pos != chosen.end();
            if (active) chosen.erase(pos);
            else chosen.push_back(v.value);
        } else {
            active = state.since == v.value && state.until == v.value;
            to.since = active ? std::nullopt : std::optional(v.value);
            to.until = to.since;
        }
        out += "<li><a" + std::string(active ? " class=\"active\" aria-current=\"true\"" : "") + " href=\"" +
               esc(to.url(script)) + "\">" + esc(v.value) + "</a> <span class=\"count\">" + about(f) + with_commas(v.count) +
               "</span></li>\n";
    }
    out += "</ul>\n</section>\n";
    return out;
}

// Chips for the filters in force, each with a link that removes it.
std::string active_filters(std::string_view script, const PageState& state,
                           const std::map<std::string, std::string>& titles) {
    std::vector<std::pair<std::string, PageState>> chips;
    for (const std::string& s : state.sources) {
        PageState to = state;
        to.page = 1;
        to.sources.erase(std::find(to.sources.begin(), to.sources.end(), s));
        chips.emplace_back("source: " + s, to);
    }
    for (const std::string& l : state.langs) {
        PageState to = state;
        to.page = 1;
        to.langs.erase(std::find(to.langs.begin(), to.langs.end(), l));
        chips.emplace_back("language: " + l, to);
    }
    if (state.since || state.until) {
        PageState to = state;
        to.page = 1;
        to.since = to.until = std::nullopt;
        std::string label = state.since && state.until && *state.since == *state.until ? "date: " + *state.since
                            : "date: " + state.since.value_or("…") + " to " + state.until.value_or("…");
        chips.emplace_back(label, to);
    }
    if (state.like) {
        PageState to = state;
        to.page = 1;
        to.like = std::nullopt;
        auto title = titles.find(*state.like);
        chips.emplace_back("like “" + (title != titles.end() ? title->second : "article " + *state.like) + "”", to);
    }
    if (chips.empty()) return {};
    std::string out = "<ul class=\"chips\" aria-label=\"Filters in force\">\n";
    for (const auto& [label, to] : chips) {
        out += "<li>" + esc(label) + " <a href=\"" + esc(to.url(script)) + "\" aria-label=\"Remove filter " +
               esc(label) + "\">×</a></li>\n";
    }
    return out + "</ul>\n";
}

std::string order_links(std::string_view script, const PageState& state) {
    std::string out = "<p class=\"order\">Sort: ";
    const std::pair<SortOrder, const char*> sorts[] = {
        {SortOrder::kRelevance, "relevance"}, {SortOrder::kNewest, "newest"}, {SortOrder::kOldest, "oldest"}};
    bool first = true;
    for (const auto& [order, label] : sorts) {
        if (!first) out += " · ";
        first = false;
        if (order == state.sort) {
            out += "<strong aria-current=\"true\">" + std::string(label) + "</strong>";
        } else {
            PageState to = state;
            to.page = 1;
            to.sort = order;
            out += "<a href=\"" + esc(to.url(script)) + "\">" + label + "</a>";
        }
    }
    PageState toggled = state;
    toggled.page = 1;
    toggled.collapse = !state.collapse;
    out += " — <a href=\"" + esc(toggled.url(script)) + "\">" +
           (state.collapse ? "show every version" : "one result per story") + "</a></p>\n";
    return out;
}

// Pages of `r` at `state`'s page size (at most kMaxPage).
long page_count(const PageState& state, const SearchResult& r) {
    auto size = static_cast<Xapian::doccount>(state.size);
    return std::min(static_cast<long>((r.total + size - 1) / size), kMaxPage);
}

std::string pager(std::string_view script, const PageState& state, const SearchResult& r) {
    long pages = page_count(state, r);
    if (pages <= 1) return {};
    std::string out = "<nav class=\"pager\" aria-label=\"Pages of results\"><ul>\n";
    auto link = [&](long page, const std::string& label, const char* rel) {
        PageState to = state;
        to.page = page;
        out += "<li><a href=\"" + esc(to.url(script)) + "\"" + (rel ? std::string(" rel=\"") + rel + "\"" : "") + ">" +
               label + "</a></li>\n";
    };
    long from = std::max(1L, state.page - 4), to = std::min(pages, from + 9);
    if (from > 1) link(1, "« First", nullptr);
    if (state.page > 1) link(state.page - 1, "← Previous", "prev");
    for (long p = from; p <= to; ++p) {
        if (p == state.page) {
            out += "<li><span aria-current=\"page\">" + std::to_string(p) + "</span></li>\n";
        } else {
            link(p, std::to_string(p), nullptr);
        }
    }
    if (state.page < pages) link(state.page + 1, "Next →", "next");
    if (to < pages) link(pages, std::string(r.total_exact ? "" : "about ") + "Last »", nullptr);
    return out + "</ul></nav>\n";
}

std::string meta_line(const Article& a) {
    std::vector<std::string> parts;
    std::string out = "<p class=\"meta\">";
    bool any = false;
    if (a.date) {
        out += "<time datetime=\"" + a.date->iso() + "\">" + long_date(*a.date) + "</time>";
        any = true;
    }
    if (!a.sources.empty()) {
        out += std::string(any ? " · " : "") + "<span class=\"source\">" + esc(join(a.sources, ", ")) + "</span>";
        any = true;
    }
    if (a.byline) {
        out += std::string(any ? " · " : "") + "by " + esc(*a.byline);
        any = true;
    }
    if (!any) out += "<span class=\"undated\">undated, source unknown</span>";
    return out + "</p>\n";
}

// " · Original page" linking to the article's web address, when it has an
// http(s) one; nothing otherwise.
std::string original_link(const Article& a) {
    if (!a.url) return "";
    const std::string& u = *a.url;
    if (u.rfind("http://", 0) != 0 && u.rfind("https://", 0) != 0) return "";
    return " · <a rel=\"noopener noreferrer nofollow\" href=\"" + esc(u) + "\">Original page</a>";
}

// The article's photo captions, each as a figure caption.
std::string captions(const Article& a) {
    std::string out;
    for (const std::string& c : a.captions) out += "<figure><figcaption>" + esc(c) + "</figcaption></figure>\n";
    return out;
}

}  // namespace

std::string PageState::url(std::string_view script) const {
    std::string out(script);
    char sep = '?';
    auto add = [&](std::string_view name, std::string_view value) {
        out += sep;
        sep = '&';
        out += name;
        out += '=';
        out += url_encode(value);
    };
    add("q", q);
    for (const std::string& s : sources) add("source", s);
    for (const std::string& l : langs) add("lang", l);
    if (since) add("since", *since);
    if (until) add("until", *until);
    if (sort != SortOrder::kRelevance) add("sort", sort_name(sort));
    if (collapse) add("collapse", "1");
    if (like) add("like", *like);
    if (page > 1) add("page", std::to_string(page));
    if (size != static_cast<long>(kPageSize)) add("size", std::to_string(size));
    return out;
}

namespace {

// What a page with no results says, and what to try.
std::string empty_state(std::string_view script, const PageState& state, const SearchResult& r) {
    if (r.total > 0) {
        // A page past the end (an old link, an estimate that was too high).
        PageState first = state, last = state;
        first.page = 1;
        last.page = std::max(1L, page_count(state, r));
        return "<section class=\"empty\">\n<h1>Page " + std::to_string(state.page) + " is past the end</h1>\n<p>" +
               (r.total_exact ? "" : "About ") + with_commas(r.total) + (r.total == 1 ? " article matches" : " articles match") +
               (state.q.empty() ? std::string() : " <q>" + esc(state.q) + "</q>") + ": <a href=\"" +
               esc(first.url(script)) + "\">the first page</a> · <a href=\"" + esc(last.url(script)) +
               "\">the last page</a>.</p>\n</section>\n";
    }
    std::string out = "<section class=\"empty\">\n<h1>No articles match";
    if (!state.q.empty()) out += " <q>" + esc(state.q) + "</q>";
    out += "</h1>\n<p>Some things to try:</p>\n<ul>\n";
    out += "<li>Check the spelling, or try another word for the same thing.</li>\n"
           "<li>Use fewer words: every word must appear. <code>cuba OR havana</code> finds either.</li>\n"
           "<li>Put exact phrases in quotes: <code>\"human trafficking\"</code>.</li>\n";
    if (!state.sources.empty() || !state.langs.empty() || state.since || state.until || state.like) {
        PageState to;
        to.q = state.q;
        out += "<li><a href=\"" + esc(to.url(script)) + "\">Search without the filters</a>.</li>\n";
    }
    out += "</ul>\n</section>\n";
    return out;
}

// The page of story `key`.
std::string story_url(std::string_view script, const std::string& key) { return std::string(script) + "?story=" + key; }

// One result of the list: title, meta line, snippet, the story's other
// versions (collapsed), a link to similar articles.
std::string result_item(std::string_view script, const PageState& state, const Hit& h, bool collapsed,
                        const std::map<std::string, std::string>& other_titles) {
    std::string doc_url = article_url(script, h.id, state.q);
    std::string title = h.title_marked.empty() ? esc(h.display_title) : to_html(h.title_marked);
    std::string out = "<li>\n<article>\n<h2><a href=\"" + esc(doc_url) + "\">" + title + "</a></h2>\n";
    out += meta_line(h.article);
    out += "<p class=\"snippet\">" + to_html(h.snippet) + "</p>\n";
    if (collapsed && h.versions > 1) {
        out += "<details class=\"versions\"><summary>" + std::to_string(h.versions - 1) + " other version" +
               (h.versions > 2 ? "s" : "") + " of this story</summary>\n<ul>\n";
        for (const std::string& other : h.other_versions) {
            auto t = other_titles.find(other);
            out += "<li><a href=\"" + esc(article_url(script, other, state.q)) + "\">" +
                   esc(t != other_titles.end() ? t->second : "article " + other) + "</a></li>\n";
        }
        out += "</ul>\n</details>\n";
        out += "<p class=\"story-link\"><a href=\"" + esc(story_url(script, h.story)) + "\">" +
               std::to_string(h.versions) + " versions — see the story</a></p>\n";
    }
    PageState like;
    like.like = h.id;
    out += "<p class=\"more\"><a href=\"" + esc(like.url(script)) + "\">Similar articles</a>" +
           original_link(h.article) + "</p>\n";
    out += "</article>\n</li>\n";
    return out;
}

}  // namespace

std::string results_page(std::string_view script, const PageState& state, const SearchResult& r,
                         const std::map<std::string, std::string>& other_titles) {
    std::string title = state.q.empty() ? std::string("Search") : state.q;
    std::string out = head(script, title + " — morgue");
    out += search_form(script, state);
    out += "<div class=\"layout\">\n<main id=\"main\">\n";
    out += active_filters(script, state, other_titles);
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", r.seconds);
    if (!r.unavailable.empty()) {
        out += "<p class=\"message\" role=\"status\">Part of the archive is not available right now: these results "
               "may be incomplete.</p>\n";
    }
    if (r.suggestion) {
        PageState to = state;
        to.q = *r.suggestion;
        to.page = 1;
        out += "<p class=\"suggestion\">Did you mean <a href=\"" + esc(to.url(script)) + "\">" + esc(*r.suggestion) +
               "</a>?</p>\n";
    }
    if (r.hits.empty()) {
        out += empty_state(script, state, r);
    } else {
        const char* unit = r.collapsed ? (r.total == 1 ? " story" : " stories") : (r.total == 1 ? " match" : " matches");
        out += std::string("<h1 class=\"summary\">") + (r.total_exact ? "" : "About ") + with_commas(r.total) + unit + " <span class=\"time\">(" + seconds +
               " seconds)</span></h1>\n";
        out += order_links(script, state);
        out += "<p class=\"export\"><a href=\"" + esc(state.url(script) + "&format=csv") +
               "\" download>Download all matches (CSV)</a> · <a href=\"" + esc(state.url(script) + "&format=atom") +
               "\" type=\"application/atom+xml\">Follow this search (Atom feed)</a></p>\n";
        out += "<ol class=\"results\" start=\"" + std::to_string(r.offset + 1) + "\">\n";
        for (const Hit& h : r.hits) out += result_item(script, state, h, r.collapsed, other_titles);
        out += "</ol>\n";
        out += pager(script, state, r);
    }
    out += "</main>\n";
    if (r.facets && (!r.facets->month.empty() || !r.facets->source.empty() || !r.facets->year.empty())) {
        out += "<aside class=\"refine\" aria-label=\"Refine the results\">\n";
        out += histogram(script, state, *r.facets);
        out += facet_list(script, state, "Sources", *r.facets, r.facets->source, FacetKind::kSource);
        if (r.facets->lang.size() > 1 || !state.langs.empty()) {
            out += facet_list(script, state, "Languages", *r.facets, r.facets->lang, FacetKind::kLang);
        }
        out += facet_list(script, state, "Years", *r.facets, r.facets->year, FacetKind::kYear);
        out += facet_list(script, state, "Bylines", *r.facets, r.facets->byline, FacetKind::kByline);
        out += "</aside>\n";
    }
    out += "</div>\n";
    out += footer(script, &state);
    return out;
}

namespace {

// Gives each <mark> of `html` an id, m1, m2, ...; returns how many there are.
std::size_t number_marks(std::string& html) {
    std::size_t n = 0;
    for (std::size_t at = html.find("<mark>"); at != std::string::npos; at = html.find("<mark>", at + 1)) {
        std::string tag = "<mark id=\"m" + std::to_string(++n) + "\">";
        html.replace(at, 6, tag);
    }
    return n;
}

// "5 matches: 1 2 3 4 5" as links to the marks (the first 30).
std::string match_links(std::size_t matches) {
    constexpr std::size_t kShown = 30;
    std::string out = "<nav class=\"matches\" aria-label=\"Matches in this article\"><p>" + with_commas(matches) +
                      (matches == 1 ? " match" : " matches") + " of your search:";
    for (std::size_t i = 1; i <= std::min(matches, kShown); ++i) {
        out += " <a href=\"#m" + std::to_string(i) + "\">" + std::to_string(i) + "</a>";
    }
    if (matches > kShown) out += " …";
    return out + "</p></nav>\n";
}

}  // namespace

namespace {

// "Shares 85% of its text with the earliest version" (a later version's).
std::string shares_text(const StoryVersion& v) {
    char pct[16];
    std::snprintf(pct, sizeof pct, "%.0f%%", 100 * v.shared);
    return "Shares " + std::string(pct) + " of its text with the earliest version";
}

// The other versions of an article's story, earliest first: each a link with
// its date and source, and how much of the earliest version's text it shares
// (opened with the query `q` marked, as this one).
std::string other_versions(std::string_view script, const std::string& id, const std::string& story,
                           const std::vector<StoryVersion>& versions, const std::string& q) {
    if (versions.size() < 2) return "";
    std::string out = "<section class=\"other-versions\" aria-labelledby=\"versions-h\">\n<h2 id=\"versions-h\">" +
                      with_commas(versions.size() - 1) + (versions.size() == 2 ? " other version" : " other versions") +
                      " of this story</h2>\n<ol>\n";
    for (std::size_t i = 0; i < versions.size(); ++i) {
        const StoryVersion& v = versions[i];
        if (v.id == id) continue;
        const Article& a = v.article;
        std::string title = a.title ? *a.title : first_words(a.body, 80);
        out += "<li><a href=\"" + esc(article_url(script, v.id, q)) + "\">" + esc(title) + "</a>" + meta_line(a);
        if (i == 0) {
            out += "<p class=\"shared\">The earliest version.</p>";
        } else {
            out += "<p class=\"shared\">" + shares_text(v) + ".</p>";
        }
        out += "</li>\n";
    }
    out += "</ol>\n<p class=\"story-link\"><a href=\"" + esc(story_url(script, story)) +
           "\">All " + with_commas(versions.size()) + " versions on the story's timeline</a></p>\n</section>\n";
    return out;
}

}  // namespace

std::string article_page(std::string_view script, const PageState& state, const std::string& id,
                         const Searcher::ArticleView& view, const std::vector<StoryVersion>& versions) {
    const Article& a = view.article;
    std::string title = a.title ? *a.title : first_words(a.body, 80);
    std::string out = head(script, title + " — morgue");
    out += search_form(script, state);
    out += "<div class=\"layout single\">\n<main id=\"main\">\n";
    if (!state.q.empty()) {
        out += "<p class=\"back\"><a href=\"" + esc(state.url(script)) + "\">← Back to the results</a></p>\n";
    }
    out += "<article class=\"full\">\n<h1>" + (a.title ? to_html(view.title) : esc(title)) + "</h1>\n";
    out += meta_line(a);
    // Each match an anchor (#m1, #m2, ...), and a line of links to them.
    std::string body = to_html(view.body);
    std::size_t matches = number_marks(body);
    if (matches > 0) out += match_links(matches);
    // Paragraphs: blank lines, or single lines when the text has no blank lines.
    bool blank_lines = a.body.find("\n\n") != std::string::npos;
    std::string sep = blank_lines ? "\n\n" : "\n";
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find(sep, start);
        if (end == std::string::npos) end = body.size();
        std::string para = body.substr(start, end - start);
        if (para.find_first_not_of(" \n") != std::string::npos) out += "<p>" + para + "</p>\n";
        start = end + sep.size();
    }
    out += captions(a);
    out += "</article>\n";
    if (versions.size() > 1) {
        out += other_versions(script, id, view.story, versions, state.q);
    } else if (view.versions > 1) {
        out += "<p class=\"story-link\"><a href=\"" + esc(story_url(script, view.story)) + "\">This story has " +
               std::to_string(view.versions) + " versions: see them all on its timeline</a></p>\n";
    }
    PageState like;
    like.like = id;
    out += "<p class=\"more\"><a href=\"" + esc(like.url(script)) + "\">Similar articles</a>" + original_link(a);
    out += "</p>\n</main>\n</div>\n";
    out += footer(script, nullptr);
    return out;
}

namespace {

// One version on the story's timeline: when, who, the headline, and what it
// shares with the first version and adds to those before.
std::string timeline_item(std::string_view script, const StoryVersion& v, bool first) {
    const Article& a = v.article;
    std::string title = a.title ? *a.title : first_words(a.body, 80);
    std::string out = "<li>\n<article>\n<h2><a href=\"" + esc(article_url(script, v.id, "")) + "\">" + esc(title) +
                      "</a></h2>\n" + meta_line(a);
    if (first) return out + "<p class=\"shared\">The earliest version.</p>\n</article>\n</li>\n";
    out += "<p class=\"shared\">" + shares_text(v);
    if (v.added_total == 0) return out + "; adds no sentence of its own.</p>\n</article>\n</li>\n";
    out += "; adds " + with_commas(v.added_total) + (v.added_total == 1 ? " sentence:" : " sentences:") + "</p>\n<ul class=\"added\">\n";
    for (const std::string& s : v.added) out += "<li>" + esc(s) + "</li>\n";
    if (v.added_total > v.added.size()) out += "<li class=\"more\">… and " + with_commas(v.added_total - v.added.size()) + " more</li>\n";
    return out + "</ul>\n</article>\n</li>\n";
}

}  // namespace

std::string story_page(std::string_view script, const PageState& state, const std::string& key,
                       const std::vector<StoryVersion>& versions) {
    const Article& first = versions.front().article;
    std::string title = first.title ? *first.title : first_words(first.body, 80);
    std::string out = head(script, title + " — a story in " + std::to_string(versions.size()) + " versions — morgue");
    out += search_form(script, state);
    out += "<div class=\"layout single\">\n<main id=\"main\">\n";
    out += "<h1>" + esc(title) + "</h1>\n<p class=\"summary\">" + with_commas(versions.size()) +
           (versions.size() == 1 ? " version" : " versions") + " of one story, earliest first. ";
    PageState within;
    within.q = "story:" + key;
    within.sort = SortOrder::kOldest;
    out += "<a href=\"" + esc(within.url(script)) + "\">Search within this story</a> · <a href=\"" +
           esc(story_url(script, key) + "&format=json") + "\">as JSON</a></p>\n<ol class=\"timeline\">\n";
    for (std::size_t i = 0; i < versions.size(); ++i) out += timeline_item(script, versions[i], i == 0);
    out += "</ol>\n</main>\n</div>\n";
    out += footer(script, nullptr);
    return out;
}

namespace {

// Words of a headline worth searching: letters only, four or more, ASCII ones in lower case.
std::vector<std::string> headline_words(std::string_view title) {
    std::vector<std::string> out;
    std::string w;
    auto flush = [&] {
        if (w.size() >= 4) out.push_back(w);
        w.clear();
    };
    for (char c : title) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalpha(u)) w += static_cast<char>(std::tolower(u));
        else if (u >= 0x80) w += c;
        else flush();
    }
    flush();
    return out;
}

// Example searches that find something in this archive: from its latest
// headline, its biggest source, its newest year.
std::vector<std::pair<std::string, std::string>> archive_examples(const ArchiveSummary& a) {
    std::vector<std::pair<std::string, std::string>> out;
    if (a.latest) {
        std::vector<std::string> words =
            headline_words(a.latest->title ? *a.latest->title : first_words(a.latest->body, 80));
        if (words.size() >= 2) out.emplace_back("\"" + words[0] + " " + words[1] + "\"", "a phrase");
        if (!words.empty()) {
            auto longest = std::max_element(words.begin(), words.end(),
                                            [](const std::string& x, const std::string& y) { return x.size() < y.size(); });
            out.emplace_back(*longest, "a word, in all its forms");
            if (words.size() >= 3) out.emplace_back(words[0] + " OR " + words.back(), "either word");
        }
    }
    if (!a.facets.source.empty()) {
        out.emplace_back("source:\"" + a.facets.source.front().value + "\"", "one outlet");
    }
    if (a.newest) out.emplace_back("date:" + std::to_string(a.newest->year), "one year");
    return out;
}

std::string archive_span(const ArchiveSummary& a) {
    std::string out;
    if (a.oldest && a.newest) out += " from " + long_date(*a.oldest) + " to " + long_date(*a.newest);
    if (a.undated) out += std::string(out.empty() ? "" : ",") + " " + with_commas(a.undated) + " of them undated";
    return out;
}

}  // namespace

std::string home_page(std::string_view script, const ArchiveSummary& archive) {
    PageState empty;
    std::string out = head(script, "morgue — search the news archive");
    out += search_form(script, empty, true);
    out += "<div class=\"layout single\">\n<main id=\"main\" class=\"home\">\n";
    out += "<h1>Search " + with_commas(archive.articles) + " archived articles</h1>\n";
    out += "<p class=\"span\">" + with_commas(archive.articles) + (archive.articles == 1 ? " article" : " articles") +
           esc(archive_span(archive)) + ".";
    if (!archive.facets.source.empty()) {
        std::vector<std::string> top;
        for (std::size_t i = 0; i < archive.facets.source.size() && i < 5; ++i) top.push_back(archive.facets.source[i].value);
        out += " The most from " + esc(join(top, ", ")) +
               (archive.facets.source.size() > top.size() ? " and " + with_commas(archive.facets.source.size() - top.size()) + " more sources" : "") +
               ".";
    }
    out += " <a href=\"" + esc(about_url(script)) + "\">More about this archive</a>";
    out += "</p>\n<p>Every word must appear; accents and case never matter, and words also match their other forms "
           "(<em>recruit</em> finds <em>recruiting</em>).</p>\n<ul class=\"examples\">\n";
    for (const auto& [q, what] : archive_examples(archive)) {
        PageState s;
        s.q = q;
        out += "<li><a href=\"" + esc(s.url(script)) + "\"><code>" + esc(q) + "</code></a> " + what + "</li>\n";
    }
    out += "<li><code>quote:\"…\"</code> what someone was quoted as saying; <code>word -other</code> without a word</li>\n";
    out += "</ul>\n</main>\n</div>\n";
    out += footer(script, nullptr);
    return out;
}

std::string about_url(std::string_view script) { return std::string(script) + "?about=1"; }

namespace {

// A two-column table of facts: a header cell per row, its value beside it.
std::string facts_table(const std::string& caption, const std::vector<std::pair<std::string, std::string>>& rows) {
    std::string out = "<table class=\"facts\">\n<caption>" + esc(caption) + "</caption>\n<tbody>\n";
    for (const auto& [name, value] : rows) out += "<tr><th scope=\"row\">" + esc(name) + "</th><td>" + value + "</td></tr>\n";
    return out + "</tbody>\n</table>\n";
}

// Counts per value, each value a link to the search `search_for` makes of it.
template <typename SearchFor>
std::string counts_table(const char* id, const char* title, const char* column, const std::vector<FacetValue>& values,
                         const Facets& f, std::string_view script, SearchFor&& search_for) {
    std::string out = "<section aria-labelledby=\"" + std::string(id) + "\">\n<h2 id=\"" + id + "\">" + title + "</h2>\n";
    if (values.empty()) return out + "<p>None known.</p>\n</section>\n";
    out += "<table class=\"counts\">\n<thead><tr><th scope=\"col\">" + std::string(column) +
           "</th><th scope=\"col\">Articles</th></tr></thead>\n<tbody>\n";
    for (const FacetValue& v : values) {
        PageState s;
        search_for(s, v.value);
        out += "<tr><td><a href=\"" + esc(s.url(script)) + "\">" + esc(v.value) + "</a></td><td class=\"count\">" +
               about(f) + with_commas(v.count) + "</td></tr>\n";
    }
    return out + "</tbody>\n</table>\n</section>\n";
}

std::string last_run_section(const std::optional<RunRecord>& run) {
    std::string out = "<section aria-labelledby=\"about-run\">\n<h2 id=\"about-run\">The last indexing run</h2>\n";
    if (!run) {
        return out + "<p>There is no record of the last run: this index was built before morgue recorded its runs. "
                     "The next run will record itself.</p>\n</section>\n";
    }
    const IndexStats& s = run->stats;
    char took[32];
    std::snprintf(took, sizeof took, "%.2f seconds", s.seconds);
    out += facts_table("What it did", {
        {"Started (UTC)", esc(run->started)},
        {"Finished (UTC)", esc(run->finished)},
        {"Took", took},
        {"morgue version", esc(run->version)},
        {"Files looked at", with_commas(s.files)},
        {"Articles added", with_commas(s.added)},
        {"Articles updated", with_commas(s.updated)},
        {"Files unchanged", with_commas(s.unchanged)},
        {"Articles removed", with_commas(s.removed)},
        {"Files and records skipped", with_commas(s.skipped)},
        {"Warnings", with_commas(s.warnings)},
        {"Read", esc(size_for_people(s.bytes))},
        {"Articles that joined a story", with_commas(s.stories_joined)},
    });
    if (run->skipped_files.empty()) return out + "<p>Nothing was skipped.</p>\n</section>\n";
    out += "<table class=\"skipped\">\n<caption>Skipped";
    if (run->skipped_total > run->skipped_files.size()) {
        out += " (the first " + with_commas(run->skipped_files.size()) + " of " + with_commas(run->skipped_total) + ")";
    }
    out += "</caption>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n";
    for (const SkippedFile& f : run->skipped_files) {
        out += "<tr><td><code>" + esc(f.path) + "</code></td><td>" + esc(f.reason) + "</td></tr>\n";
    }
    return out + "</tbody>\n</table>\n</section>\n";
}

}  // namespace

std::string about_page(std::string_view script, const ArchiveReport& r) {
    const ArchiveSummary& a = r.summary;
    std::string out = head(script, "About this archive — morgue");
    out += search_form(script, PageState{});
    out += "<div class=\"layout single\">\n<main id=\"main\" class=\"about\">\n<h1>About this archive</h1>\n";
    out += "<p class=\"span\">" + with_commas(a.articles) + (a.articles == 1 ? " article" : " articles") +
           esc(archive_span(a)) + ".</p>\n";
    std::vector<std::pair<std::string, std::string>> index = {
        {"Articles", with_commas(a.articles)},
        {"Oldest dated article", a.oldest ? long_date(*a.oldest) : "none"},
        {"Newest dated article", a.newest ? long_date(*a.newest) : "none"},
        {"Undated articles", with_commas(a.undated)},
        {"Size on disk", esc(size_for_people(r.bytes))},
        {"Schema version", r.schema ? std::to_string(*r.schema) : "unknown"},
    };
    if (r.shards > 1) index.emplace_back("Shards", with_commas(r.shards));
    out += "<section aria-labelledby=\"about-index\">\n<h2 id=\"about-index\">The index</h2>\n" +
           facts_table("What it holds", index) + "</section>\n";
    out += last_run_section(r.last_run);
    const Facets& f = a.facets;
    if (f.estimated) out += "<p>Counts marked \u2248 are estimated from a sample of the articles.</p>\n";
    out += counts_table("about-years", "Articles per year", "Year", f.year, f, script, [](PageState& s, const std::string& v) {
        s.since = v;
        s.until = v;
    });
    out += counts_table("about-sources", "Articles per source", "Source", f.source, f, script,
                        [](PageState& s, const std::string& v) { s.sources = {v}; });
    out += counts_table("about-languages", "Articles per language", "Language", f.lang, f, script,
                        [](PageState& s, const std::string& v) { s.langs = {v}; });
    out += "<p><a href=\"" + esc(about_url(script) + "&format=json") + "\">All of this as JSON</a></p>\n";
    out += "</main>\n</div>\n";
    out += footer(script, nullptr);
    return out;
}

std::string message_page(std::string_view script, const PageState& state, std::string_view message) {
    std::string out = head(script, "morgue");
    out += search_form(script, state);
    out += "<div class=\"layout single\">\n<main id=\"main\">\n<p class=\"message\" role=\"alert\">" + esc(message) +
           "</p>\n</main>\n</div>\n";
    out += footer(script, nullptr);
    return out;
}

std::string_view stylesheet() {
    return R"css(:root{--ink:#1d232b;--muted:#5b6673;--line:#dde2e8;--bg:#fbfbfa;--accent:#0b5cad;--mark:#ffe58a;--bar:#7aa7d6}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:1rem 1.5rem;border-bottom:1px solid var(--line);background:#fff}
.brand{font:700 1.4rem/1 Georgia,"Times New Roman",serif;color:var(--ink);text-decoration:none;letter-spacing:.02em}
.search{flex:1 1 28rem;max-width:46rem}.search>label{position:absolute;left:-999px}
.box{display:flex;border:1px solid #b9c2cc;border-radius:.5rem;overflow:hidden;background:#fff}
.box input{flex:1;min-width:0;border:0;padding:.6rem .8rem;font:inherit}
.box button{border:0;padding:.6rem 1.1rem;font:inherit;font-weight:600;color:#fff;background:var(--accent);cursor:pointer}
.search.big label{position:static;display:block;font-weight:600;margin-bottom:.3rem}
.layout{display:grid;grid-template-columns:minmax(0,1fr) 18rem;gap:2rem;max-width:72rem;margin:0 auto;padding:1.25rem 1.5rem}
.layout.single{grid-template-columns:minmax(0,46rem)}
@media (max-width:52rem){.layout{grid-template-columns:1fr}}
h1.summary{font-size:1rem;font-weight:600;margin:.2rem 0}.time{color:var(--muted);font-weight:400}
.order{margin:.2rem 0 1rem;color:var(--muted);font-size:.9rem}
.results{list-style:none;padding:0;margin:0}
.results>li{padding:1rem 0;border-bottom:1px solid var(--line)}
.results h2{font:600 1.15rem/1.3 Georgia,"Times New Roman",serif;margin:0 0 .2rem}
.results h2 a{text-decoration:none}.results h2 a:hover{text-decoration:underline}
.meta{margin:0 0 .35rem;color:var(--muted);font-size:.88rem}.source{font-weight:600;color:#3d4652}
.snippet{margin:0}mark{background:var(--mark);color:inherit;padding:0 .1em;border-radius:.15em}
.more{margin:.3rem 0 0;font-size:.85rem}
.versions{margin:.4rem 0 0;font-size:.9rem}.versions summary{cursor:pointer;color:var(--accent)}
.suggestion{font-size:1.05rem}
.chips{list-style:none;display:flex;flex-wrap:wrap;gap:.4rem;padding:0;margin:0 0 .6rem}
.chips li{background:#e8f0f9;border-radius:1rem;padding:.1rem .4rem .1rem .7rem;font-size:.88rem}
.chips a{text-decoration:none;font-weight:700;padding:0 .3rem}
.refine .facet{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:.8rem 1rem;margin-bottom:1rem}
.refine h2{font-size:.8rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 .5rem}
.refine ul{list-style:none;margin:0;padding:0}.refine li{display:flex;justify-content:space-between;gap:.5rem;padding:.1rem 0}
.refine a.active{font-weight:700}.count{color:var(--muted);font-variant-numeric:tabular-nums}
.histogram{width:100%;height:auto;display:block}.histogram rect{fill:var(--bar)}
.histogram a:hover rect,.histogram a:focus rect{fill:var(--accent)}.histogram a.active rect{fill:#0b3d73}
.histogram .axis{font-size:9px;fill:var(--muted)}.histogram rect.empty{fill:var(--line)}
.histogram .tick{stroke:var(--muted);stroke-width:.5}
.histogram a.picked rect{fill:var(--accent)}.hist-status{font-size:.8rem;color:var(--muted);margin:.2rem 0 0}.hist-status:empty{display:none}
.advanced{margin:.4rem 0 0;font-size:.9rem}.advanced summary{cursor:pointer;color:var(--accent)}
.advanced .fields{display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.5rem 0}.advanced input,.advanced select{font:inherit}
.advanced .ranges{margin:.3rem 0}.matches p{font-size:.9rem;color:var(--muted)}.matches a{padding:0 .15rem}
.timeline{padding-left:1.4rem}.timeline>li{margin-bottom:1.2rem}.timeline h2{font-size:1.1rem;margin:.2rem 0}
.timeline .shared{color:var(--muted);margin:.3rem 0}.timeline .added{font-size:.92rem}.story-link{margin:.3rem 0}
.pager ul{list-style:none;display:flex;flex-wrap:wrap;gap:.3rem;padding:0;margin:1.2rem 0}
.pager a,.pager span{display:inline-block;min-width:2.2rem;text-align:center;padding:.3rem .6rem;border:1px solid var(--line);border-radius:.35rem;text-decoration:none;background:#fff}
.pager span{background:var(--accent);color:#fff;border-color:var(--accent)}
.empty h1{font-size:1.3rem}.empty code,.home code{background:#eef1f4;padding:0 .25em;border-radius:.2em}
.home h1{font:600 1.6rem/1.3 Georgia,serif}.examples{line-height:2}
article.full h1{font:700 1.8rem/1.25 Georgia,"Times New Roman",serif;margin:.4rem 0}
article.full p{font:1.08rem/1.65 Georgia,"Times New Roman",serif}
.back{margin:0;font-size:.9rem}.message{font-size:1.1rem;padding:1rem;background:#fff4e5;border:1px solid #f0c36d;border-radius:.5rem}
.about table{border-collapse:collapse;margin:.5rem 0 1.2rem;background:#fff}.about caption{text-align:left;font-weight:600;padding:.3rem 0}
.about th,.about td{border:1px solid var(--line);padding:.25rem .6rem;text-align:left;vertical-align:top}
.about th[scope=row]{font-weight:400;color:var(--muted)}.about td.count{text-align:right;font-variant-numeric:tabular-nums}
.bottom{max-width:72rem;margin:2rem auto;padding:0 1.5rem;color:var(--muted);font-size:.85rem}
)css";
}

std::string_view histogram_script() {
    return R"js(// Range selection on the histogram of matches (web_page.cc's histogram()):
// two clicks on bars (or Enter on two of them, or a drag from one to
// another) narrow the search to the range from the first's start to the
// last's end; the same bar twice narrows to that bar alone; Escape forgets
// the first. Without this script every bar is a plain link to its bucket.
'use strict';
(function () {
  const svg = document.querySelector('svg.histogram');
  const status = document.querySelector('.hist-status');
  if (!svg || !status) return;
  const bars = Array.from(svg.querySelectorAll('a.bar'));
  const hint = 'Click a bar twice to narrow to it; click one bar, then another (or drag from one to the other) ' +
    'to narrow to the range between.';
  let first = null;      // the bar a range starts from
  let pressed = null;    // the bar a drag started on
  status.textContent = hint;

  function forget() {
    if (first) first.classList.remove('picked');
    first = null;
    status.textContent = hint;
  }

  // The page's own search, from the start of bar `a` to the end of bar `b`.
  function narrow(a, b) {
    if (bars.indexOf(b) < bars.indexOf(a)) [a, b] = [b, a];
    if (a === b) {
      window.location.assign(a.getAttribute('href'));
      return;
    }
    const url = new URL(window.location.href);
    url.searchParams.set('since', a.dataset.since);
    url.searchParams.set('until', b.dataset.until);
    url.searchParams.delete('page');
    url.hash = '';
    window.location.assign(url.toString());
  }

  for (const bar of bars) {
    bar.addEventListener('click', (event) => {
      event.preventDefault();
      if (first) {
        narrow(first, bar);
        return;
      }
      first = bar;
      bar.classList.add('picked');
      status.textContent = 'From ' + bar.dataset.name + ': now click the last bar of the range ' +
        '(this bar again for ' + bar.dataset.name + ' alone), or press Escape.';
    });
    bar.addEventListener('dragstart', (event) => event.preventDefault());  // a drag selects, never drags the link
    bar.addEventListener('pointerdown', (event) => {
      if (event.button === 0) pressed = bar;
    });
    bar.addEventListener('pointerup', () => {
      if (pressed && pressed !== bar) {
        const from = pressed;
        pressed = null;
        narrow(from, bar);
      }
    });
  }
  document.addEventListener('pointerup', () => { pressed = null; });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && first) forget();
  });
})();
)js";
}

namespace {

// Text for XML 1.0: escaped, without the control characters it forbids.
std::string xml_text(std::string_view s) {
    std::string clean;
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 || c == '\t' || c == '\n' || c == '\r') clean += c;
    }
    return esc(clean);
}

// An Atom date: the article's day at midnight UTC (archives know days, not times).
std::string atom_date(const Date& d) { return d.iso() + "T00:00:00Z"; }

std::string plain(const Marked& marked) {
    std::string out;
    for (const Fragment& f : marked) out += f.text;
    return out;
}

std::string feed_entry(std::string_view base, const Hit& h) {
    const Article& a = h.article;
    std::string page = std::string(base) + "?doc=" + h.id;
    std::string out = "<entry>\n<id>" + xml_text(page) + "</id>\n<title>" + xml_text(h.display_title) + "</title>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_text(page) + "\"/>\n";
    if (a.url) out += "<link rel=\"related\" href=\"" + xml_text(*a.url) + "\"/>\n";
    out += "<published>" + atom_date(*a.date) + "</published>\n<updated>" + atom_date(*a.date) + "</updated>\n";
    out += "<author><name>" + xml_text(a.byline ? *a.byline : a.sources.empty() ? "unknown" : a.sources.front()) +
           "</name></author>\n";
    for (const std::string& s : a.sources) out += "<category term=\"" + xml_text(s) + "\"/>\n";
    out += "<summary type=\"text\">" + xml_text(plain(h.snippet)) + "</summary>\n</entry>\n";
    return out;
}

}  // namespace

std::string atom_feed(std::string_view origin, std::string_view script, const PageState& state,
                      const SearchResult& result) {
    std::string path = script.starts_with('/') ? std::string(script) : "/" + std::string(script);
    std::string base = std::string(origin) + path;
    PageState html = state;
    html.sort = SortOrder::kNewest;
    std::string search_page = std::string(origin) + html.url(path);
    std::string updated = "1970-01-01T00:00:00Z";  // a feed with no dated match has never changed
    std::string entries;
    for (const Hit& h : result.hits) {
        if (!h.article.date) continue;
        if (entries.empty()) updated = atom_date(*h.article.date);
        entries += feed_entry(base, h);
    }
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
    out += "<id>" + xml_text(search_page) + "</id>\n";
    out += "<title>" + xml_text(state.q.empty() ? std::string("morgue: newest articles") : "morgue: " + state.q) +
           "</title>\n<updated>" + updated + "</updated>\n";
    out += "<author><name>morgue</name></author>\n<generator version=\"" MORGUE_VERSION "\">morgue</generator>\n";
    out += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml_text(search_page + "&format=atom") + "\"/>\n";
    out += "<link rel=\"alternate\" type=\"text/html\" href=\"" + xml_text(search_page) + "\"/>\n";
    return out + entries + "</feed>\n";
}

}  // namespace morgue::web
