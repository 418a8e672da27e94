// Metadata extraction: raw article text in, Article out. Pure functions, no
// I/O. Finds the title, date and source in the text and takes out page
// furniture; what it cannot find it leaves empty.
#pragma once

#include "article.h"

#include <string_view>

namespace morgue {

// Extracts title, date and body from the raw (valid UTF-8) text of one
// article. path and record are left empty for the caller.
Article extract(std::string_view text);

}  // namespace morgue
