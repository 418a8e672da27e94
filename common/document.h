// Reading morgue documents: the stored article and the body stems of a
// language. indexer/document_builder.h writes them.
#pragma once

#include "article.h"

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>

namespace morgue {

class DataDictionary;

// The stored fields of a document built by build_document() (the body,
// title, date... but not `removed`), and its id. `dictionary`: the
// database's data dictionary (stored_data.h), or null when it has none.
// Throws morgue::Error when the data is not a morgue document's.
Article stored_article(const Xapian::Document& doc, const DataDictionary* dictionary);

// The stable id of a document (its Q term), or "" when it has none.
std::string article_id_of(const Xapian::Document& doc);

// The document with article id `id` (schema::article_id), in whichever shard
// it is, or nullopt when there is none.
std::optional<Xapian::docid> find_article(const Xapian::Database& db, std::string_view id);

// Accepts the body stems of one language ("Zen:..."), not numbers: the
// terms that describe what an article is about (for Xapian's ESet).
class LanguageBodyStems : public Xapian::ExpandDecider {
public:
    explicit LanguageBodyStems(std::string_view lang);
    bool operator()(const std::string& term) const override;
    const std::string& prefix() const { return prefix_; }

private:
    std::string prefix_;
};

// The language documents are analysed in when they declare none.
inline constexpr std::string_view kDefaultLang = "en";

}  // namespace morgue
