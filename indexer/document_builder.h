// Article -> Xapian document, driven by the schema (schema.h). The only
// code that writes terms, values and data into documents; common/document.h
// reads them back.
#pragma once

#include "analyzer.h"
#include "article.h"
#include "document.h"

#include <xapian.h>

#include <cstddef>
#include <string_view>
#include <utility>
#include <vector>

namespace morgue {

// The document for `article`, analysed with `analyzer` in the article's
// language (English when it has none).
Xapian::Document build_document(const Article& article, Analyzer& analyzer);

// Byte spans [begin, end) of `text` that are inside quotation marks: “...”,
// „...“, «...», "...". A quotation ends at its closing mark or at the end of
// the paragraph. Used to index quote: terms.
std::vector<std::pair<std::size_t, std::size_t>> quoted_spans(std::string_view text);

}  // namespace morgue
