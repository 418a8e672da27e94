// The data files under data/, embedded into the library at build time so
// the programs need no installed data to run.
#pragma once

#include <string_view>

namespace morgue::data {

std::string_view outlets_tsv();      // data/outlets.tsv
std::string_view boilerplate_tsv();  // data/boilerplate.tsv
std::string_view stopwords_en();     // data/stopwords/en.txt

}  // namespace morgue::data
