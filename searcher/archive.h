// What an archive is, for the people who keep it: the facts morgue-index
// --status prints and the web's About page shows, gathered in one place.
// Renderers: render.h (text, JSON), web_page.h (HTML).
#pragma once

#include "run_record.h"
#include "search.h"

#include <cstdint>
#include <optional>
#include <string>

namespace morgue {

struct ArchiveReport {
    // Articles, undated ones, the dated span, and the counts per source, year
    // and language (summary.facets: source, year, lang).
    ArchiveSummary summary;
    // The last indexing run (run_record.h); nullopt when the index has no
    // record of it (built before morgue recorded runs, or its state is remote).
    std::optional<RunRecord> last_run;
    std::uintmax_t bytes = 0;       // size on disk of its local files (remote shards not counted)
    std::optional<int> schema;      // the schema version it was built with (schema::kSchemaVersion)
    std::size_t shards = 1;         // databases it is made of
};

// The report on the archive `searcher` has open. Counts per source, year and
// language are exact with `exact`, else as on the home page (estimated
// beyond kExactFacetsUpTo articles: summary.facets.estimated). Throws what
// Searcher::summary() throws; a last run that cannot be read is none.
ArchiveReport describe_archive(Searcher& searcher, bool exact);

}  // namespace morgue
