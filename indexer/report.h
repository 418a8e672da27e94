// What morgue-index shows people while and after it reads articles: the
// progress bar and the --explain report.
#pragma once

#include "article.h"
#include "indexer.h"

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace morgue {

// A one-line progress bar for indexing, at most `width` columns:
// "[#####-----]  120/5005 files  1,234 articles/s  ETA 0:42".
std::string progress_line(const IndexProgress& progress, std::size_t width);

// What extraction found in an article and why (morgue-index --explain):
// fields with their evidence, the clean body, the removed lines and reasons.
void write_explanation(std::ostream& out, const Article& article);

}  // namespace morgue
