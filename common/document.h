// Article <-> Xapian document, driven by the schema (schema.h). The only
// code that writes terms, values and data into documents.
#pragma once

#include "analyzer.h"
#include "article.h"

#include <xapian.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace morgue {

// The document for `article`, analysed with `analyzer` in the article's
// language (English when it has none).
Xapian::Document build_document(const Article& article, Analyzer& analyzer);

// The stored fields of a document built by build_document() (the body,
// title, date... but not `removed`). Throws morgue::Error when the data is
// not a morgue document.
Article stored_article(const Xapian::Document& doc);

// Byte spans [begin, end) of `text` that are inside quotation marks: “...”,
// „...“, «...», "...". A quotation ends at its closing mark or at the end of
// the paragraph. Used to index quote: terms.
std::vector<std::pair<std::size_t, std::size_t>> quoted_spans(std::string_view text);

// Accepts the body stems of one language ("Zen:..."), not numbers: the
// terms that describe what an article is about (for Xapian's ESet).
class BodyStems : public Xapian::ExpandDecider {
public:
    explicit BodyStems(std::string_view lang);
    bool operator()(const std::string& term) const override;
    const std::string& prefix() const { return prefix_; }

private:
    std::string prefix_;
};

// The language documents are analysed in when they declare none.
inline constexpr std::string_view kDefaultLang = "en";

}  // namespace morgue
