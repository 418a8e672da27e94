// Metadata extraction: raw article text in, Article out. Pure functions, no
// I/O. Finds the title, date, sources and byline in the text of a news
// page and takes out page furniture (player chrome, teasers, sign-up
// blurbs, copyright and source lines, photo credits), recording each
// removed line and why. What it cannot find it leaves empty: a date or a
// source is never guessed.
#pragma once

#include "article.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

// The lists extraction works from: known outlets and agencies
// (data/outlets.tsv) and boilerplate lines (data/boilerplate.tsv).
class ExtractRules {
public:
    // The lists embedded at build time from data/.
    static const ExtractRules& builtin();
    // Lists in the data/ file formats. Throws morgue::Error on a malformed line.
    static ExtractRules parse(std::string_view outlets_tsv, std::string_view boilerplate_tsv);

    struct Outlet {
        std::string name;
        bool agency = false;
    };
    // The outlet called `name` or one of its aliases (any case), or nullptr.
    const Outlet* outlet(std::string_view name) const;

    enum class Kind { kLine, kPrefix, kBlock };
    struct Boilerplate {
        Kind kind;
        std::string key;     // normalised text
        std::string reason;
    };
    // The boilerplate rule `line` matches, or nullptr.
    const Boilerplate* boilerplate(std::string_view line) const;

private:
    std::vector<Outlet> outlets_;
    std::map<std::string, std::size_t, std::less<>> outlet_index_;  // normalised alias -> outlets_ index
    std::vector<Boilerplate> rules_;
};

// Extracts title, date, sources, byline and the clean body from the raw
// text (valid UTF-8) of one article, with the evidence for each field, the
// removed lines and the photo captions (kept apart from the body). `path`, `record`, `lang` and `url` are left for the
// caller.
struct ExtractOptions {
    // Look for a headline in the first line. Off when the title is known
    // (a JSON field, HTML metadata).
    bool find_title = true;
};
Article extract(std::string_view text, const ExtractRules& rules = ExtractRules::builtin(),
                const ExtractOptions& options = {});

// The first full date written in `text`: "September 5, 2023", "Sept. 5
// 2023", "5 September 2023", "Tue 5 Sep 2023", "2023-09-05". A month and
// year without a day is not a date.
std::optional<Date> find_date(std::string_view text);

// A source's name without a company suffix: "City Herald Ltd" -> "City
// Herald", "Acme Media, Inc." -> "Acme Media".
std::string source_name(std::string_view name);

// The text with ASCII letters lower-cased, typographic quotes made ASCII,
// runs of spaces collapsed and trailing spaces, "…", ".", ":" removed: how
// boilerplate lines and outlet names are compared.
std::string match_key(std::string_view text);

}  // namespace morgue
