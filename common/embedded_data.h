// The data files under data/, embedded into the library at build time so
// the programs need no installed data to run.
#pragma once

#include <string_view>

namespace morgue::data {

std::string_view outlets_tsv();      // data/outlets.tsv
std::string_view boilerplate_tsv();  // data/boilerplate.tsv
std::string_view stopwords_en();     // data/stopwords/en.txt (similar articles)
std::string_view stopwords_snowball_tsv();  // data/stopwords/snowball.tsv (queries, every language)

}  // namespace morgue::data
