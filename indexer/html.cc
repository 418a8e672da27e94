#include "html.h"

#include <gumbo.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <memory>

namespace morgue {

namespace {

using nlohmann::json;

struct OutputDeleter {
    void operator()(GumboOutput* o) const { gumbo_destroy_output(&kGumboDefaultOptions, o); }
};

const char* attr(const GumboNode* node, const char* name) {
    if (node->type != GUMBO_NODE_ELEMENT) return nullptr;
    const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
    return a ? a->value : nullptr;
}


std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string collapse(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

// Elements whose content is never article text.
bool skipped(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_SVG: case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_NAV: case GUMBO_TAG_HEADER: case GUMBO_TAG_FOOTER: case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_FORM: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_TEXTAREA:
        case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
        case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_CANVAS:
            return true;
        default:
            return false;
    }
}

// Elements that end a line (and, for paragraphs and headings, a paragraph).
int breaks(GumboTag tag) {
    switch (tag) {
        case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4:
        case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
        case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_TABLE: case GUMBO_TAG_SECTION:
        case GUMBO_TAG_ARTICLE:
            return 2;
        case GUMBO_TAG_DIV: case GUMBO_TAG_BR: case GUMBO_TAG_LI: case GUMBO_TAG_TR: case GUMBO_TAG_DD:
        case GUMBO_TAG_DT: case GUMBO_TAG_HR: case GUMBO_TAG_MAIN: case GUMBO_TAG_BODY:
            return 1;
        default:
            return 0;
    }
}

std::string text_of(const GumboNode* node);

class TextCollector {
public:
    // Walks with an explicit stack: a page may nest as deep as bounded_html allows.
    void collect(const GumboNode* root) {
        std::vector<Frame> stack;
        enter(root, stack);
        while (!stack.empty()) {
            Frame& top = stack.back();
            const GumboVector& kids = top.node->v.element.children;
            if (top.next < kids.length) {
                enter(static_cast<const GumboNode*>(kids.data[top.next++]), stack);
            } else {
                int br = top.br;
                stack.pop_back();
                if (br) end_line(br);
            }
        }
    }

    std::string text() {
        end_line(1);
        while (!out_.empty() && out_.back() == '\n') out_.pop_back();
        return out_;
    }

    std::vector<std::string> captions() { return std::move(captions_); }

private:
    struct Frame {
        const GumboNode* node;  // an element whose children are being collected
        unsigned next;          // its next child
        int br;                 // line breaks after it
    };
    std::string out_;
    std::string line_;
    std::vector<std::string> captions_;

    void enter(const GumboNode* node, std::vector<Frame>& stack) {
        if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
            append(node->v.text.text);
            return;
        }
        if (node->type == GUMBO_NODE_WHITESPACE) {
            append(" ");
            return;
        }
        if (node->type != GUMBO_NODE_ELEMENT) return;
        GumboTag tag = node->v.element.tag;
        if (skipped(tag)) return;
        if (tag == GUMBO_TAG_FIGURE || tag == GUMBO_TAG_FIGCAPTION) {
            collect_captions(node);  // images and their captions: captions are kept apart
            return;
        }
        if (const char* hidden = attr(node, "hidden"); hidden != nullptr) return;
        if (const char* aria = attr(node, "aria-hidden"); aria != nullptr && std::strcmp(aria, "true") == 0) return;
        int br = breaks(tag);
        if (br) end_line(br);
        stack.push_back(Frame{node, 0, br});
    }

    // The <figcaption>s under `node` (a <figure> or a <figcaption>), without
    // recursion: a page may nest as deep as bounded_html allows.
    void collect_captions(const GumboNode* node) {
        std::vector<const GumboNode*> stack{node};
        while (!stack.empty()) {
            const GumboNode* n = stack.back();
            stack.pop_back();
            if (n->type != GUMBO_NODE_ELEMENT) continue;
            if (n->v.element.tag == GUMBO_TAG_FIGCAPTION) {
                std::string caption = collapse(text_of(n));
                if (!caption.empty()) captions_.push_back(std::move(caption));
                continue;
            }
            const GumboVector& kids = n->v.element.children;
            for (unsigned i = kids.length; i-- > 0;) stack.push_back(static_cast<const GumboNode*>(kids.data[i]));
        }
    }

    void append(std::string_view s) {
        for (char c : s) {
            if (std::isspace(static_cast<unsigned char>(c))) {
                if (!line_.empty() && line_.back() != ' ') line_ += ' ';
            } else {
                line_ += c;
            }
        }
    }

    void end_line(int newlines) {
        while (!line_.empty() && line_.back() == ' ') line_.pop_back();
        if (!line_.empty()) {
            out_ += line_;
            out_ += '\n';
            line_.clear();
        }
        if (newlines == 2 && !out_.empty() && out_.substr(out_.size() - 2) != "\n\n") out_ += '\n';
    }
};

// The elements' children of `node`, last first, onto `stack` (so that they pop in document order).
template <typename Item, typename Make>
void push_children(const GumboNode* node, std::vector<Item>& stack, Make make) {
    if (node->type != GUMBO_NODE_ELEMENT) return;
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = kids.length; i-- > 0;) stack.push_back(make(static_cast<const GumboNode*>(kids.data[i])));
}

// All the text under `node`, in document order.
std::string text_of(const GumboNode* node) {
    std::string out;
    std::vector<const GumboNode*> stack{node};
    while (!stack.empty()) {
        const GumboNode* n = stack.back();
        stack.pop_back();
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA || n->type == GUMBO_NODE_WHITESPACE) {
            out += n->v.text.text;
        }
        push_children(n, stack, [](const GumboNode* kid) { return kid; });
    }
    return out;
}

struct Found {
    const GumboNode* html = nullptr;
    const GumboNode* article = nullptr;
    const GumboNode* main = nullptr;
    const GumboNode* body = nullptr;
    const GumboNode* title = nullptr;
    const GumboNode* time = nullptr;  // first <time datetime> in the article
    std::vector<std::pair<std::string, std::string>> metas;  // (name or property, lower case) -> content
    std::vector<std::string> ld_json;
    std::optional<std::string> canonical;
};

// What `node` says about the page; false when its children say nothing (scripts).
bool note(const GumboNode* node, Found& f, bool& in_article) {
    if (node->type != GUMBO_NODE_ELEMENT) return false;
    GumboTag tag = node->v.element.tag;
    switch (tag) {
        case GUMBO_TAG_HTML: if (!f.html) f.html = node; break;
        case GUMBO_TAG_ARTICLE: if (!f.article) f.article = node; in_article = true; break;
        case GUMBO_TAG_MAIN: if (!f.main) f.main = node; break;
        case GUMBO_TAG_BODY: if (!f.body) f.body = node; break;
        case GUMBO_TAG_TITLE: if (!f.title) f.title = node; break;
        case GUMBO_TAG_TIME:
            if (!f.time && attr(node, "datetime") && (in_article || !f.article)) f.time = node;
            break;
        case GUMBO_TAG_META: {
            const char* key = attr(node, "property");
            if (!key) key = attr(node, "name");
            if (!key) key = attr(node, "itemprop");
            const char* content = attr(node, "content");
            if (key && content) f.metas.emplace_back(lower(key), content);
            break;
        }
        case GUMBO_TAG_LINK: {
            const char* rel = attr(node, "rel");
            const char* href = attr(node, "href");
            if (rel && href && lower(rel) == "canonical") f.canonical = href;
            break;
        }
        case GUMBO_TAG_SCRIPT: {
            const char* type = attr(node, "type");
            if (type && lower(type) == "application/ld+json") f.ld_json.push_back(text_of(node));
            return false;
        }
        default:
            break;
    }
    return true;
}

// The page's elements in document order, noted into `f` (an explicit stack, however deep).
void walk(const GumboNode* root, Found& f) {
    std::vector<std::pair<const GumboNode*, bool>> stack{{root, false}};  // node, inside <article>
    while (!stack.empty()) {
        const GumboNode* node = stack.back().first;
        bool in_article = stack.back().second;  // not a structured binding: lambdas capture it
        stack.pop_back();
        if (note(node, f, in_article)) {
            push_children(node, stack, [&](const GumboNode* kid) { return std::pair(kid, in_article); });
        }
    }
}

std::optional<std::string> meta(const Found& f, std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
        for (const auto& [name, content] : f.metas) {
            if (name == k && !collapse(content).empty()) return collapse(content);
        }
    }
    return std::nullopt;
}

// How deep JSON-LD is searched: real blocks nest two or three levels.
constexpr int kMaxLdDepth = 8;

// Name of a JSON-LD person or organisation: "X", {"name": "X"} or [{"name": "X"}].
std::optional<std::string> ld_name(const json& v, int depth = 0) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_object() && v.contains("name") && v["name"].is_string()) return v["name"].get<std::string>();
    if (v.is_array() && !v.empty() && depth < kMaxLdDepth) return ld_name(v.front(), depth + 1);
    return std::nullopt;
}

// The first NewsArticle-like object in a JSON-LD block (maybe in @graph or an array).
const json* ld_article(const json& j, int depth = 0) {
    if (depth > kMaxLdDepth) return nullptr;
    if (j.is_array()) {
        for (const json& e : j) {
            if (const json* a = ld_article(e, depth + 1)) return a;
        }
        return nullptr;
    }
    if (!j.is_object()) return nullptr;
    if (j.contains("@graph")) {
        if (const json* a = ld_article(j["@graph"], depth + 1)) return a;
    }
    auto type_is_article = [](const json& t) {
        auto check = [](const std::string& s) { return s.find("Article") != std::string::npos || s == "Report"; };
        if (t.is_string()) return check(t.get<std::string>());
        if (t.is_array()) {
            for (const json& e : t) {
                if (e.is_string() && check(e.get<std::string>())) return true;
            }
        }
        return false;
    };
    if (j.contains("@type") && type_is_article(j["@type"])) return &j;
    return nullptr;
}

// ---- Bounding the tree gumbo builds -----------------------------------------
//
// gumbo 0.10 has no limit on tree depth, and its work grows with the depth
// at every tag (scope checks) and with the attribute count at every
// attribute (duplicate checks), so a small hostile page can take minutes
// and gigabytes. bounded_html() passes the page through a light scanner
// that follows nesting roughly as the HTML parser will, and leaves out the
// tags that would nest too deep or hold too many attributes. Their text
// stays, so nothing readable is lost.

// Elements that hold no content, or whose end the parser implies: never
// counted as open.
bool never_open(std::string_view name) {
    static constexpr std::string_view kNames[] = {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param", "source",
        "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption",
        "option", "optgroup", "rb", "rt", "rp", "rtc", "html", "head", "body", "frame", "image"};
    return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// Elements whose content is raw text up to their end tag.
bool raw_text(std::string_view name) {
    static constexpr std::string_view kNames[] = {"script", "style", "textarea", "title", "xmp", "iframe",
                                                  "noembed", "noframes", "noscript"};
    return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

// Formatting elements the parser reopens in every block while they are unclosed.
bool formatting(std::string_view name) {
    static constexpr std::string_view kNames[] = {"a", "b", "big", "code", "em", "font", "i", "nobr",
                                                  "s", "small", "strike", "strong", "tt", "u"};
    return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

bool ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool html_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// A start or end tag as the scanner sees it.
struct Tag {
    std::string name;         // lower case
    std::size_t end = 0;      // one past its '>' (or the end of the input)
    std::size_t cut = 0;      // where its attributes past the limit begin (0: none are)
    bool self_closing = false;
};

// Scans the tag whose name starts at `i` (just after "<" or "</").
Tag scan_tag(std::string_view html, std::size_t i) {
    Tag t;
    std::size_t n = html.size();
    while (i < n && !html_space(html[i]) && html[i] != '/' && html[i] != '>') {
        t.name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[i])));
        ++i;
    }
    std::size_t attributes = 0;
    for (;;) {
        while (i < n && (html_space(html[i]) || html[i] == '/')) ++i;
        if (i >= n) break;
        if (html[i] == '>') {
            t.self_closing = html[i - 1] == '/';
            ++i;
            break;
        }
        if (++attributes > kMaxHtmlAttributes && t.cut == 0) t.cut = i;
        while (i < n && !html_space(html[i]) && html[i] != '/' && html[i] != '>' && html[i] != '=') ++i;
        while (i < n && html_space(html[i])) ++i;
        if (i < n && html[i] == '=') {
            ++i;
            while (i < n && html_space(html[i])) ++i;
            if (i < n && (html[i] == '"' || html[i] == '\'')) {
                std::size_t close = html.find(html[i], i + 1);
                i = close == std::string_view::npos ? n : close + 1;
            } else {
                while (i < n && !html_space(html[i]) && html[i] != '>') ++i;
            }
        }
    }
    t.end = i;
    return t;
}

// Where the raw text of element `name` that starts at `i` ends (at its "</name", or the end).
std::size_t raw_text_end(std::string_view html, std::size_t i, std::string_view name) {
    for (std::size_t at = html.find("</", i); at != std::string_view::npos; at = html.find("</", at + 2)) {
        std::string_view rest = html.substr(at + 2, name.size());
        if (rest.size() == name.size() &&
            std::equal(rest.begin(), rest.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            })) {
            return at;
        }
    }
    return html.size();
}

// The scanner's state: the elements it takes to be open.
class Nesting {
public:
    // Whether a start tag `name` may open one more element.
    bool may_open(const std::string& name) const {
        if (open_.size() >= kMaxHtmlDepth) return false;
        return !formatting(name) || formatting_open_ < kMaxOpenFormatting;
    }
    void open(const std::string& name) {
        open_.push_back(name);
        if (formatting(name)) ++formatting_open_;
        if (name == "svg" || name == "math") ++foreign_;
    }
    // An end tag closes its element and everything opened inside it.
    void close(const std::string& name) {
        auto it = std::find(open_.rbegin(), open_.rend(), name);
        if (it == open_.rend()) return;
        std::size_t keep = static_cast<std::size_t>(open_.rend() - it) - 1;
        while (open_.size() > keep) {
            const std::string& top = open_.back();
            if (formatting(top)) --formatting_open_;
            if (top == "svg" || top == "math") --foreign_;
            open_.pop_back();
        }
    }
    bool in_foreign() const { return foreign_ > 0; }

private:
    std::vector<std::string> open_;
    std::size_t formatting_open_ = 0;
    std::size_t foreign_ = 0;
};

}  // namespace

std::string bounded_html(std::string_view html, std::vector<std::string>& warnings) {
    std::string out;
    out.reserve(html.size());
    Nesting nesting;
    std::size_t dropped = 0, cut = 0, i = 0;
    while (i < html.size()) {
        std::size_t lt = html.find('<', i);
        out.append(html.substr(i, lt == std::string_view::npos ? std::string_view::npos : lt - i));
        if (lt == std::string_view::npos) break;
        std::string_view rest = html.substr(lt);
        std::size_t end;
        if (rest.starts_with("<!--")) {
            std::size_t close = html.find("-->", lt + 4);
            end = close == std::string_view::npos ? html.size() : close + 3;
        } else if (rest.starts_with("<!") || rest.starts_with("<?")) {
            std::size_t close = html.find('>', lt);
            end = close == std::string_view::npos ? html.size() : close + 1;
        } else if (rest.size() > 2 && rest[1] == '/' && ascii_alpha(rest[2])) {
            Tag t = scan_tag(html, lt + 2);
            nesting.close(t.name);
            end = t.end;
        } else if (rest.size() > 1 && ascii_alpha(rest[1])) {
            Tag t = scan_tag(html, lt + 1);
            end = t.end;
            if (raw_text(t.name)) {
                end = raw_text_end(html, t.end, t.name);
            } else if (never_open(t.name) || (t.self_closing && nesting.in_foreign())) {
                // nothing stays open
            } else if (nesting.may_open(t.name)) {
                nesting.open(t.name);
            } else {
                ++dropped;
                i = end;
                continue;
            }
            if (t.cut) {
                ++cut;
                out.append(html.substr(lt, t.cut - lt));
                out.append(t.self_closing ? "/>" : ">");
                out.append(html.substr(t.end, end - t.end));  // raw text after the tag, if any
                i = end;
                continue;
            }
        } else {
            end = lt + 1;  // a '<' that is text
        }
        out.append(html.substr(lt, end - lt));
        i = end;
    }
    if (dropped) {
        warnings.push_back("HTML nested too deep: " + std::to_string(dropped) + " tags below depth " +
                           std::to_string(kMaxHtmlDepth) + " (or formatting tags left open) ignored, their text kept");
    }
    if (cut) {
        warnings.push_back("HTML tags with more than " + std::to_string(kMaxHtmlAttributes) + " attributes: " +
                           std::to_string(cut) + " cut to the first " + std::to_string(kMaxHtmlAttributes));
    }
    return out;
}

namespace {

// What a page's JSON-LD (schema.org NewsArticle) says: the most structured source.
struct LinkedData {
    std::optional<std::string> headline, date, publisher, author;
};

LinkedData linked_data(const Found& f) {
    LinkedData ld;
    for (const std::string& block : f.ld_json) {
        json j;
        try {
            j = json::parse(block);
        } catch (const json::exception&) {  // not JSON, or a number like 1e400
            continue;
        }
        if (const json* a = ld_article(j)) {
            if (a->contains("headline") && (*a)["headline"].is_string()) ld.headline = (*a)["headline"].get<std::string>();
            if (a->contains("datePublished") && (*a)["datePublished"].is_string()) {
                ld.date = (*a)["datePublished"].get<std::string>();
            }
            if (a->contains("publisher")) ld.publisher = ld_name((*a)["publisher"]);
            if (a->contains("author")) ld.author = ld_name((*a)["author"]);
            break;
        }
    }
    return ld;
}

void find_title(HtmlPage& page, const Found& f, const LinkedData& ld) {
    if (auto t = meta(f, {"og:title", "twitter:title"})) {
        page.title = t;
        page.evidence.push_back("title: meta og:title");
    } else if (ld.headline && !collapse(*ld.headline).empty()) {
        page.title = collapse(*ld.headline);
        page.evidence.push_back("title: JSON-LD headline");
    } else if (f.title && !collapse(text_of(f.title)).empty()) {
        page.title = collapse(text_of(f.title));
        page.evidence.push_back("title: <title>");
    }
}

void find_date(HtmlPage& page, const Found& f, const LinkedData& ld) {
    struct DateSource {
        std::optional<std::string> value;
        const char* what;
    };
    DateSource dates[] = {
        {meta(f, {"article:published_time"}), "meta article:published_time"},
        {ld.date, "JSON-LD datePublished"},
        {meta(f, {"og:published_time", "datepublished", "date", "pubdate", "publishdate", "publish-date",
                  "dc.date.issued", "dc.date", "dcterms.created", "sailthru.date", "parsely-pub-date"}),
         "meta date"},
        {f.time ? std::optional<std::string>(attr(f.time, "datetime")) : std::nullopt, "<time datetime>"},
    };
    for (const DateSource& d : dates) {
        if (!d.value) continue;
        if (auto date = Date::parse_iso(collapse(*d.value))) {
            page.date = date;
            page.evidence.push_back(std::string("date: ") + d.what);
            break;
        }
    }
}

// The source, byline, language and URL.
void find_attribution(HtmlPage& page, const Found& f, const LinkedData& ld) {
    if (auto s = meta(f, {"og:site_name", "application-name"})) {
        page.sources.push_back(*s);
        page.evidence.push_back("source: meta og:site_name");
    } else if (ld.publisher) {
        page.sources.push_back(collapse(*ld.publisher));
        page.evidence.push_back("source: JSON-LD publisher");
    }
    if (auto a = meta(f, {"author", "article:author", "byl", "dc.creator"})) {
        page.byline = a;
    } else if (ld.author) {
        page.byline = collapse(*ld.author);
    }
    if (page.byline && page.byline->rfind("http", 0) == 0) page.byline.reset();  // a profile URL, not a name
    if (page.byline && page.byline->rfind("By ", 0) == 0) page.byline = page.byline->substr(3);

    if (f.html) {
        if (const char* l = attr(f.html, "lang")) {
            std::string code = lower(l);
            code = code.substr(0, code.find_first_of("-_"));
            if (code.size() >= 2 && code.size() <= 3) page.lang = code;
        }
    }
    if (f.canonical) page.url = f.canonical;
    else if (auto u = meta(f, {"og:url"})) page.url = u;
}

}  // namespace

HtmlPage parse_html(std::string_view raw) {
    HtmlPage page;
    std::string html = bounded_html(raw, page.warnings);
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 0;  // unused, and gumbo copies the open elements with each one
    std::unique_ptr<GumboOutput, OutputDeleter> out(gumbo_parse_with_options(&options, html.data(), html.size()));
    if (!out || !out->root) return page;
    Found f;
    walk(out->root, f);
    LinkedData ld = linked_data(f);
    find_title(page, f, ld);
    find_date(page, f, ld);
    find_attribution(page, f, ld);

    const GumboNode* root = f.article ? f.article : f.main ? f.main : f.body ? f.body : out->root;
    TextCollector text;
    text.collect(root);
    page.text = text.text();
    page.captions = text.captions();
    return page;
}

}  // namespace morgue
