#include "document.h"

#include "error.h"
#include "schema.h"
#include "stored_data.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace morgue {

using nlohmann::json;

LanguageBodyStems::LanguageBodyStems(std::string_view lang) : prefix_(schema::body_stem_term(lang, "")) {}

bool LanguageBodyStems::operator()(const std::string& term) const {
    return term.size() > prefix_.size() + 2 && term.compare(0, prefix_.size(), prefix_) == 0 &&
           !std::isdigit(static_cast<unsigned char>(term[prefix_.size()]));
}

Article stored_article(const Xapian::Document& doc, const DataDictionary* dictionary) {
    json data = json::parse(data_json(doc.get_data(), dictionary), nullptr, /*allow_exceptions=*/false);
    if (!data.is_object() || !data.contains(schema::kDataPath)) {
        throw Error("document " + std::to_string(doc.get_docid()) + " is not a morgue article");
    }
    Article a;
    auto str = [&](const char* key) -> std::optional<std::string> {
        auto it = data.find(key);
        if (it == data.end() || !it->is_string()) return std::nullopt;
        return it->get<std::string>();
    };
    a.path = str(schema::kDataPath).value_or("");
    a.record = str(schema::kDataRecord).value_or("");
    a.title = str(schema::kDataTitle);
    if (auto d = str(schema::kDataDate)) a.date = Date::parse_iso(*d);
    if (auto it = data.find(schema::kDataSource); it != data.end() && it->is_array()) {
        for (const auto& s : *it) {
            if (s.is_string()) a.sources.push_back(s.get<std::string>());
        }
    }
    a.byline = str(schema::kDataByline);
    a.lang = str(schema::kDataLang).value_or("");
    a.url = str(schema::kDataUrl);
    a.body = str(schema::kDataBody).value_or("");
    if (auto it = data.find(schema::kDataCaptions); it != data.end() && it->is_array()) {
        for (const auto& c : *it) {
            if (c.is_string()) a.captions.push_back(c.get<std::string>());
        }
    }
    // The id kept with the data saves reading the document's term list for its Q term.
    std::optional<std::string> id = str(schema::kDataId);
    a.id = id ? *id : article_id_of(doc);
    return a;
}

std::string article_id_of(const Xapian::Document& doc) {
    Xapian::TermIterator t = doc.termlist_begin();
    t.skip_to(std::string(schema::kPrefixId));
    if (t == doc.termlist_end()) return "";
    std::string term = *t;
    if (term.compare(0, schema::kPrefixId.size(), schema::kPrefixId) != 0) return "";
    return term.substr(schema::kPrefixId.size());
}

std::optional<Xapian::docid> find_article(const Xapian::Database& db, std::string_view id) {
    std::string term = schema::id_term(id);
    Xapian::PostingIterator p = db.postlist_begin(term);
    if (p == db.postlist_end(term)) return std::nullopt;
    return *p;
}

}  // namespace morgue
