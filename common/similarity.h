// How alike two articles are: tf-idf vectors of their body stems, compared
// by cosine, and the query for articles like one (search's --like, story
// grouping's candidates). Reads only what the document builder wrote.
#pragma once

#include "analyzer.h"

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace morgue {

// Collections smaller than this many articles are treated as if they had
// that many (with the extra articles lacking every term), so that a small
// archive does not give its shared story words an idf near zero.
inline constexpr double kBackgroundDocs = 1000;

// The language a document was analysed in (kDefaultLang when it has none).
std::string analysed_lang(const Xapian::Document& doc);

// Stems not worth comparing articles on: the stems of the language's
// stopwords (language.h), and for English a few words every news story uses
// (data/stopwords/en.txt: "said", "also"...).
class StopStems {
public:
    explicit StopStems(Analyzer& analyzer) : analyzer_(analyzer) {}
    bool operator()(std::string_view stem, const std::string& lang);

private:
    std::unordered_set<std::string> load(const std::string& lang);

    Analyzer& analyzer_;
    std::unordered_map<std::string, std::unordered_set<std::string>> stems_;
};

// A body stem of a document (not a stop word), with its within-document and
// document frequencies: read once per article, for both its vector and its
// candidate query (each document frequency is a B-tree lookup).
struct StemStat {
    std::string term;
    Xapian::termcount wdf;
    Xapian::doccount df;
};

// Document frequencies already looked up in one run over a database that
// does not change under it (but for story terms), so that comparing
// articles costs a hash lookup per word rather than a B-tree lookup.
class DfCache {
public:
    template <class Lookup>
    Xapian::doccount get(const std::string& term, Lookup&& lookup) {
        auto it = df_.find(term);
        if (it != df_.end()) return it->second;
        if (df_.size() > 2000000) df_.clear();  // bounds memory on huge vocabularies
        Xapian::doccount df = lookup();
        df_.emplace(term, df);
        return df;
    }

private:
    std::unordered_map<std::string, Xapian::doccount> df_;
};

// The body stems of document `id` in `lang`, without stop stems.
std::vector<StemStat> body_stems(const Xapian::Database& db, Xapian::docid id, const std::string& lang,
                                 StopStems& stop, DfCache* dfs = nullptr);

// tf-idf weights of body stems, unit length.
using StemVector = std::unordered_map<std::string, double>;
StemVector stem_vector(const Xapian::Database& db, const std::vector<StemStat>& stems);

// Cosine similarity of two unit vectors.
double cosine(const StemVector& a, const StemVector& b);

// The `terms` most distinctive of `body` by tf-idf, weighted, among those
// some other article has too, as an OR query (empty when there are none).
// `stems` (when given) receives the stems chosen, as "lang:stem".
Xapian::Query distinctive_stems_query(const Xapian::Database& db, const std::vector<StemStat>& body,
                                      Xapian::termcount terms, std::vector<std::string>* stems = nullptr);

// A query for articles like article `id`: distinctive_stems_query() of its
// body stems, not excluding the article itself.
Xapian::Query more_like(const Xapian::Database& db, Xapian::docid id, Analyzer& analyzer, Xapian::termcount terms,
                        std::vector<std::string>* stems = nullptr);

}  // namespace morgue
