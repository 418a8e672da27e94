#include "document_builder.h"

#include "schema.h"
#include "utf8.h"

#include <nlohmann/json.hpp>

namespace morgue {

using nlohmann::json;

namespace {

// Adds the terms of one text field, with positions when `positions`.
// Returns the position after the last word.
Xapian::termpos index_text(Xapian::Document& doc, Analyzer& analyzer, std::string_view text,
                           std::string_view lang, Xapian::termpos pos, std::string_view prefix,
                           Xapian::termcount wdf, bool positions = true) {
    analyzer.tokenize(text, [&](const Token& tok) {
        ++pos;
        if (tok.term.size() > kMaxWordBytes) return;
        if (positions) {
            doc.add_posting(schema::field_term(prefix, tok.term), pos, wdf);
        } else {
            doc.add_term(schema::field_term(prefix, tok.term), wdf);
        }
        std::string stem = analyzer.stem(tok, lang);
        if (!stem.empty()) doc.add_term(schema::stem_term(prefix, lang, stem), wdf);
    });
    return pos;
}

bool is_paragraph_break(std::string_view text, std::size_t i) {
    return text[i] == '\n' && i + 1 < text.size() &&
           (text[i + 1] == '\n' || (text[i + 1] == '\r' && i + 2 < text.size() && text[i + 2] == '\n'));
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> quoted_spans(std::string_view text) {
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    // Opening mark -> closing marks that end it.
    auto closer_for = [](std::string_view open) -> std::vector<std::string_view> {
        if (open == "\xE2\x80\x9C") return {"\xE2\x80\x9D", "\xE2\x80\x9C"};  // “ -> ” (or a stray “)
        if (open == "\xE2\x80\x9E") return {"\xE2\x80\x9C", "\xE2\x80\x9D"};  // „ -> “ ”
        if (open == "\xC2\xAB") return {"\xC2\xBB"};                          // « -> »
        return {"\""};
    };
    static constexpr std::string_view kOpeners[] = {"\xE2\x80\x9C", "\xE2\x80\x9E", "\xC2\xAB", "\""};
    std::size_t i = 0;
    while (i < text.size()) {
        std::string_view open;
        for (std::string_view o : kOpeners) {
            if (text.substr(i, o.size()) == o) {
                open = o;
                break;
            }
        }
        if (open.empty()) {
            ++i;
            continue;
        }
        std::size_t begin = i + open.size();
        std::size_t j = begin;
        auto closers = closer_for(open);
        std::size_t end = std::string_view::npos, resume = text.size();
        for (; j < text.size(); ++j) {
            if (is_paragraph_break(text, j)) {
                end = j;
                resume = j;
                break;
            }
            bool closed = false;
            for (std::string_view c : closers) {
                if (text.substr(j, c.size()) == c) {
                    end = j;
                    resume = j + c.size();
                    // A second opening “ means the quote was left open.
                    if (c == open && open != "\"") resume = j;
                    closed = true;
                    break;
                }
            }
            if (closed) break;
        }
        if (end == std::string_view::npos) end = text.size();
        if (end > begin) spans.emplace_back(begin, end);
        i = resume > i ? resume : i + 1;
    }
    return spans;
}

namespace {

// The words: title, body (with its quotes), captions and byline.
void index_words(Xapian::Document& doc, const Article& a, const std::string& lang, Analyzer& analyzer) {
    // Title: in its own field (S), with positions, and in the body stream,
    // weighted up, without: a body phrase is searched in both (query.cc).
    Xapian::termpos pos = 0;
    if (a.title) {
        index_text(doc, analyzer, *a.title, lang, 0, schema::kPrefixTitle, 1);
        pos = index_text(doc, analyzer, *a.title, lang, 0, "", schema::kTitleWdf, false);
        pos += schema::kFieldGap;
    }

    // Body, with the words inside quotation marks also indexed as quotes
    // (XQ), at their body positions so quote:"..." phrases work.
    auto spans = quoted_spans(a.body);
    std::size_t span = 0;
    analyzer.tokenize(a.body, [&](const Token& tok) {
        ++pos;
        if (tok.term.size() > kMaxWordBytes) return;
        doc.add_posting(tok.term, pos);
        std::string stem = analyzer.stem(tok, lang);
        if (!stem.empty()) doc.add_term(schema::body_stem_term(lang, stem));
        while (span < spans.size() && spans[span].second <= tok.begin) ++span;
        if (span < spans.size() && spans[span].first <= tok.begin) {
            doc.add_posting(schema::field_term(schema::kPrefixQuote, tok.term), pos);
        }
    });

    // Captions and the byline: in fields of their own, and after the body
    // in the body stream, so plain searches reach them too.
    for (const std::string& caption : a.captions) {
        pos += schema::kFieldGap;
        index_text(doc, analyzer, caption, lang, pos, schema::kPrefixCaption, 1);
        pos = index_text(doc, analyzer, caption, lang, pos, "", 1);
    }
    if (a.byline) {
        pos += schema::kFieldGap;
        index_text(doc, analyzer, *a.byline, lang, pos, schema::kPrefixByline, 1);
        index_text(doc, analyzer, *a.byline, lang, pos, "", 1);
    }
}

// Identity (`id`: the article's, schema::article_id()), filters and the values that facets and sorts read.
void index_filters(Xapian::Document& doc, const Article& a, const std::string& id, const std::string& lang) {
    doc.add_boolean_term(schema::id_term(id));
    doc.add_boolean_term(schema::file_term(a.path));
    doc.add_boolean_term(schema::lang_term(lang));
    doc.add_value(schema::kSlotLang, lang);
    if (a.byline) doc.add_value(schema::kSlotByline, *a.byline);
    doc.add_value(schema::kSlotDateUndatedLast, a.date ? a.date->compact() : std::string(schema::kUndatedLast));
    if (!a.date) {
        doc.add_boolean_term(std::string(schema::kTermUndated));
    } else {
        doc.add_boolean_term(schema::day_term(a.date->compact()));
        doc.add_boolean_term(schema::month_term(a.date->compact().substr(0, 6)));
        doc.add_boolean_term(schema::year_term(a.date->year_str()));
        doc.add_value(schema::kSlotDate, a.date->compact());
    }
    if (!a.sources.empty()) {
        std::string list;
        for (const std::string& s : a.sources) {
            doc.add_boolean_term(schema::source_term(s));
            if (!list.empty()) list += schema::kListSeparator;
            list += s;
        }
        doc.add_value(schema::kSlotSources, list);
    }
    // The story the article founds: the writer gives it another's before writing it when it joins one (stories.h).
    std::string story = schema::story_key_for(a.identity(), a.body);
    doc.add_boolean_term(schema::story_term(story));
    doc.add_value(schema::kSlotStory, story);
}

// What the article view and snippets show (common/document.h reads it back).
std::string stored_data(const Article& a, const std::string& id, const std::string& lang) {
    json data;
    data[schema::kDataId] = id;
    data[schema::kDataPath] = utf8::to_utf8(a.stored_path()).text;  // shown; the file term keeps the bytes
    if (!a.record.empty()) data[schema::kDataRecord] = a.record;
    if (a.title) data[schema::kDataTitle] = *a.title;
    if (a.date) data[schema::kDataDate] = a.date->iso();
    if (!a.sources.empty()) data[schema::kDataSource] = a.sources;
    if (a.byline) data[schema::kDataByline] = *a.byline;
    data[schema::kDataLang] = lang;
    if (a.url) data[schema::kDataUrl] = *a.url;
    data[schema::kDataBody] = a.body;
    if (!a.captions.empty()) data[schema::kDataCaptions] = a.captions;
    return data.dump();
}

}  // namespace

Xapian::Document build_document(const Article& a, Analyzer& analyzer) {
    Xapian::Document doc;
    const std::string lang = a.lang.empty() ? std::string(kDefaultLang) : a.lang;
    const std::string id = schema::article_id(a.identity());
    index_words(doc, a, lang, analyzer);
    index_filters(doc, a, id, lang);
    doc.set_data(stored_data(a, id, lang));
    return doc;
}

}  // namespace morgue
