// The HTML of the web front end: results, the article view, the home page,
// messages, the one style sheet and the one script. Every value is escaped
// for where it goes (HTML text, attribute, URL); every page works without
// the script, which only adds range selection to the histogram.
#pragma once

#include "archive.h"
#include "search.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue::web {

// What a results page shows, as validated from the request: links keep or
// change parts of it.
struct PageState {
    std::string q;
    long page = 1;
    std::vector<std::string> sources;
    std::vector<std::string> langs;  // ISO 639-1 codes: any of them
    std::optional<std::string> since, until;
    SortOrder sort = SortOrder::kRelevance;
    bool collapse = false;
    std::optional<std::string> like;  // an article id
    long size = 10;                   // results per page (kPageSize unless asked)

    // "script?q=...&source=...": this state as a link (page 1 unless set).
    std::string url(std::string_view script) const;
};

// `other_titles`: a label for each other version of the stories shown.
std::string results_page(std::string_view script, const PageState& state, const SearchResult& result,
                         const std::map<std::string, std::string>& other_titles);
// `versions`: its story's versions, earliest first (itself among them), listed
// when there are others; empty when it is alone in its story.
std::string article_page(std::string_view script, const PageState& state, const std::string& id,
                         const Searcher::ArticleView& view, const std::vector<StoryVersion>& versions);
// Story `key`'s page: its versions on a timeline, earliest first (story.h).
std::string story_page(std::string_view script, const PageState& state, const std::string& key,
                       const std::vector<StoryVersion>& versions);
std::string home_page(std::string_view script, const ArchiveSummary& archive);
// "About this archive": what it holds, per year, source and language (each
// a link to its search), its last indexing run with the files it skipped,
// its size and schema (archive.h).
std::string about_page(std::string_view script, const ArchiveReport& report);
// The About page's address.
std::string about_url(std::string_view script);
std::string message_page(std::string_view script, const PageState& state, std::string_view message);
std::string_view stylesheet();
// The histogram's range selection (two clicks or a drag on its bars), served
// as ?asset=histogram.js: a file of its own, as the Content-Security-Policy
// allows no inline script.
std::string_view histogram_script();

// Entries of an Atom feed: the newest matches of a search.
inline constexpr Xapian::doccount kFeedEntries = 20;
// The search of `state` as an Atom 1.0 feed (RFC 4287) of `result`, its
// newest matches (undated ones left out). `origin` ("https://host") makes
// the links and ids absolute, as Atom needs: an entry's id is its
// article's page, which its stable id keeps the same.
std::string atom_feed(std::string_view origin, std::string_view script, const PageState& state,
                      const SearchResult& result);

}  // namespace morgue::web
