#include "html.h"

#include <gumbo.h>
#include <nlohmann/json.hpp>

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
    void collect(const GumboNode* node) {
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
        const GumboVector& kids = node->v.element.children;
        for (unsigned i = 0; i < kids.length; ++i) collect(static_cast<const GumboNode*>(kids.data[i]));
        if (br) end_line(br);
    }

    std::string text() {
        end_line(1);
        while (!out_.empty() && out_.back() == '\n') out_.pop_back();
        return out_;
    }

    std::vector<std::string> captions() { return std::move(captions_); }

private:
    std::string out_;
    std::string line_;
    std::vector<std::string> captions_;

    void collect_captions(const GumboNode* node) {
        if (node->type != GUMBO_NODE_ELEMENT) return;
        if (node->v.element.tag == GUMBO_TAG_FIGCAPTION) {
            std::string caption = collapse(text_of(node));
            if (!caption.empty()) captions_.push_back(std::move(caption));
            return;
        }
        const GumboVector& kids = node->v.element.children;
        for (unsigned i = 0; i < kids.length; ++i) collect_captions(static_cast<const GumboNode*>(kids.data[i]));
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

std::string text_of(const GumboNode* node) {
    std::string out;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA || node->type == GUMBO_NODE_WHITESPACE) {
        return node->v.text.text;
    }
    if (node->type != GUMBO_NODE_ELEMENT) return out;
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) out += text_of(static_cast<const GumboNode*>(kids.data[i]));
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

void walk(const GumboNode* node, Found& f, bool in_article) {
    if (node->type != GUMBO_NODE_ELEMENT) return;
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
            return;
        }
        default:
            break;
    }
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) walk(static_cast<const GumboNode*>(kids.data[i]), f, in_article);
}

std::optional<std::string> meta(const Found& f, std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
        for (const auto& [name, content] : f.metas) {
            if (name == k && !collapse(content).empty()) return collapse(content);
        }
    }
    return std::nullopt;
}

// Name of a JSON-LD person or organisation: "X", {"name": "X"} or [{"name": "X"}].
std::optional<std::string> ld_name(const json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_object() && v.contains("name") && v["name"].is_string()) return v["name"].get<std::string>();
    if (v.is_array() && !v.empty()) return ld_name(v.front());
    return std::nullopt;
}

// The first NewsArticle-like object in a JSON-LD block (maybe in @graph or an array).
const json* ld_article(const json& j) {
    if (j.is_array()) {
        for (const json& e : j) {
            if (const json* a = ld_article(e)) return a;
        }
        return nullptr;
    }
    if (!j.is_object()) return nullptr;
    if (j.contains("@graph")) {
        if (const json* a = ld_article(j["@graph"])) return a;
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

}  // namespace

HtmlPage parse_html(std::string_view html) {
    HtmlPage page;
    std::unique_ptr<GumboOutput, OutputDeleter> out(
        gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()));
    if (!out || !out->root) return page;
    Found f;
    walk(out->root, f, false);

    // JSON-LD (schema.org NewsArticle): the most structured source.
    std::optional<std::string> ld_headline, ld_date, ld_publisher, ld_author;
    for (const std::string& block : f.ld_json) {
        json j = json::parse(block, nullptr, false);
        if (j.is_discarded()) continue;
        if (const json* a = ld_article(j)) {
            if (a->contains("headline") && (*a)["headline"].is_string()) ld_headline = (*a)["headline"].get<std::string>();
            if (a->contains("datePublished") && (*a)["datePublished"].is_string()) {
                ld_date = (*a)["datePublished"].get<std::string>();
            }
            if (a->contains("publisher")) ld_publisher = ld_name((*a)["publisher"]);
            if (a->contains("author")) ld_author = ld_name((*a)["author"]);
            break;
        }
    }

    if (auto t = meta(f, {"og:title", "twitter:title"})) {
        page.title = t;
        page.evidence.push_back("title: meta og:title");
    } else if (ld_headline && !collapse(*ld_headline).empty()) {
        page.title = collapse(*ld_headline);
        page.evidence.push_back("title: JSON-LD headline");
    } else if (f.title && !collapse(text_of(f.title)).empty()) {
        page.title = collapse(text_of(f.title));
        page.evidence.push_back("title: <title>");
    }

    struct DateSource {
        std::optional<std::string> value;
        const char* what;
    };
    DateSource dates[] = {
        {meta(f, {"article:published_time"}), "meta article:published_time"},
        {ld_date, "JSON-LD datePublished"},
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

    if (auto s = meta(f, {"og:site_name", "application-name"})) {
        page.sources.push_back(*s);
        page.evidence.push_back("source: meta og:site_name");
    } else if (ld_publisher) {
        page.sources.push_back(collapse(*ld_publisher));
        page.evidence.push_back("source: JSON-LD publisher");
    }
    if (auto a = meta(f, {"author", "article:author", "byl", "dc.creator"})) {
        page.byline = a;
    } else if (ld_author) {
        page.byline = collapse(*ld_author);
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

    const GumboNode* root = f.article ? f.article : f.main ? f.main : f.body ? f.body : out->root;
    TextCollector text;
    text.collect(root);
    page.text = text.text();
    page.captions = text.captions();
    return page;
}

}  // namespace morgue
