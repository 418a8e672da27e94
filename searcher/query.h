// The query language: a user's query string to a Xapian::Query, through the
// same Analyzer as the indexer. The syntax follows Xapian's QueryParser
// conventions (README.md, "The query language"):
//
//   cuba trafficking            all words (default operator AND; --any: OR)
//   "human trafficking ring"    phrase (words unstemmed, in order)
//   diaz-canel, 古巴外交部       words joined by punctuation or unsegmented
//                               CJK text: a phrase
//   cuba OR havana, a AND b, a NOT b, a AND NOT b, a XOR b, ( ... )
//   +must -mustnot              required / excluded
//   putin NEAR kremlin, a NEAR/5 b, a ADJ b, a ADJ/3 b
//   traffick*                   words starting with "traffick"
//   title:cuba, title:"foreign ministry", title:(cuba OR russia)
//   quote:"not part of the war" words inside quotation marks in the article
//   source:bbc, lang:en         filters: any of the same field, all of different ones
//   date:2023-09, date:2023-09-01..2023-09-30, date:..2022, date:2020..
//
// Single words match their stem in every language present in the database;
// phrases and quoted words match the words as written (after folding).
// Operators are recognised only in upper case; "and" is a word.
#pragma once

#include "analyzer.h"

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

// Terms a query matches, for highlighting: words as folded, stems,
// phrases and wildcard prefixes (all without field prefixes).
struct MatchTerms {
    std::set<std::string> exact;   // folded words: "Díaz" -> "diaz"
    std::set<std::string> stems;   // "lang:stem" for the words, in each language searched
    std::vector<std::vector<std::string>> phrases;  // folded words that match only in sequence
    std::vector<std::string> wildcards;  // folded prefixes of word* patterns
    bool empty() const { return exact.empty() && stems.empty() && phrases.empty() && wildcards.empty(); }
};

// A plain word of the query, where it is in the query string (for spelling
// suggestions).
struct QueryWord {
    std::string folded;
    std::size_t begin = 0, end = 0;  // byte offsets in ParsedQuery::normalised
};

struct ParsedQuery {
    std::string normalised;         // the query with typographic punctuation made ASCII
    Xapian::Query query;            // ranked part with filters applied
    MatchTerms match;               // for snippets
    std::vector<QueryWord> words;   // plain words, for spelling
};

// The first and last dates of the dated articles of an archive ("YYYYMMDD",
// its date slot's bounds; both empty when none is dated).
struct DateSpan {
    std::string first, last;
};
DateSpan date_span(const Xapian::Database& db);

struct QueryOptions {
    Xapian::Query::op default_op = Xapian::Query::OP_AND;
    // The archive's dates, which close an open date range (date:2024..); called only for a date
    // range, once. Without it a range keeps an open end as a range over the date slot.
    std::function<DateSpan()> dates;
    // Most words a wildcard may expand to before the query is refused.
    Xapian::termcount max_wildcard_expansion = 1000;
    // Longest query accepted, in bytes, and most words in it.
    std::size_t max_query_bytes = 8192;
    std::size_t max_words = 256;
    // Deepest nesting of parentheses (the parser recurses once per level).
    std::size_t max_nesting = 32;
};

// Parses queries against one database (whose languages decide the stems
// searched). Not thread-safe (it uses an Analyzer).
class QueryBuilder {
public:
    // `languages`: ISO 639-1 codes of the languages whose stems single words
    // match; typically languages_in(db).
    QueryBuilder(Analyzer& analyzer, std::vector<std::string> languages, QueryOptions options = {});

    // Throws QueryError with a one-line explanation when `query` is
    // malformed (unbalanced parentheses, an operator without operands, a bad
    // date, nothing to search for) or over the limits.
    ParsedQuery parse(std::string_view query) const;

private:
    Analyzer& analyzer_;
    std::vector<std::string> languages_;
    QueryOptions options_;
};

// Articles dated from `lo` to `hi` (inclusive bounds as parse_date_bound()
// gives them; an absent one is an open end, but not both): the date: field
// and --since/--until alike. A filter of the fewest day, month and year terms
// that cover the range, as Omega's (at most 30 + 11 + one a year + 11 + 30),
// whose posting lists the matcher skips through, not a range over the date
// slot, which reads the date of every article the rest of the query matches
// (at a million articles, 25 ms for "said" in one week). An open end runs
// to the first or last date of `span()`; without `span`, it stays a range
// over the slot. A range is cut to the archive's dates when `span` is given.
Xapian::Query date_range_query(const std::optional<std::string>& lo, const std::optional<std::string>& hi,
                               const std::function<DateSpan()>& span = {});

// Languages of the articles in `db` (from its L terms), sorted; "en" when
// the database is empty.
std::vector<std::string> languages_in(const Xapian::Database& db);

}  // namespace morgue
