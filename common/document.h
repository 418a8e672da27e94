// Reading morgue documents: the stored article and the body stems of a
// language. indexer/document_builder.h writes them.
#pragma once

#include "article.h"

#include <xapian.h>

#include <string>
#include <string_view>

namespace morgue {

// The stored fields of a document built by build_document() (the body,
// title, date... but not `removed`). Throws morgue::Error when the data is
// not a morgue document.
Article stored_article(const Xapian::Document& doc);

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
