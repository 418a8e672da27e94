#include "document.h"

#include "error.h"
#include "schema.h"

#include <nlohmann/json.hpp>

#include <cctype>

namespace morgue {

using nlohmann::json;

LanguageBodyStems::LanguageBodyStems(std::string_view lang) : prefix_(schema::body_stem_term(lang, "")) {}

bool LanguageBodyStems::operator()(const std::string& term) const {
    return term.size() > prefix_.size() + 2 && term.compare(0, prefix_.size(), prefix_) == 0 &&
           !std::isdigit(static_cast<unsigned char>(term[prefix_.size()]));
}

Article stored_article(const Xapian::Document& doc) {
    json data = json::parse(doc.get_data(), nullptr, /*allow_exceptions=*/false);
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
    return a;
}

}  // namespace morgue
