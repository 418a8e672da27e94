// The document schema: every term prefix, value slot, stored field and
// metadata key of a morgue database, and the functions that build terms from
// them, in one place. The indexer (document_builder.cc, indexer.cc, store.cc),
// the query parser (query.cc) and the searcher (search.cc, facets.cc) all read
// it from here; no other file glues a prefix to a value. docs/SCHEMA.md
// describes it for people, and a test checks that the two agree.
//
// Prefix conventions follow Xapian Omega's (docs/termprefixes.rst): Q unique
// id, S title, D/M/Y dates, L language, X... our own. A stemmed term is "Z",
// then the field's prefix, then the language code and ':', then the stem
// ("Zen:traffick", "ZSes:minister"): stems are per language, so the English
// stem of "cubs" never matches the Spanish stem of "Cuba".
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace morgue::schema {

// Bumped whenever a change makes old databases unreadable or wrong; stored in
// the database metadata under kMetaSchemaVersion and checked on open.
// 3: kTermUndated; 4: captions, bylines (A, XC, kSlotByline); 5: Q holds the stable article id;
// 6: the title's positions written once (its body-stream words have none),
// words of one article left out of the spelling dictionary (kMinSpellingArticles).
inline constexpr int kSchemaVersion = 6;

// ---- Term prefixes -------------------------------------------------------
inline constexpr std::string_view kPrefixId = "Q";        // stable article id, article_id() (boolean)
inline constexpr std::string_view kPrefixFile = "XF";     // source file identity (boolean)
inline constexpr std::string_view kPrefixTitle = "S";     // title words (positional; the body stream's copy is not)
inline constexpr std::string_view kPrefixQuote = "XQ";    // words inside quotation marks (positional)
inline constexpr std::string_view kPrefixCaption = "XC";  // words of photo captions (positional)
inline constexpr std::string_view kPrefixByline = "A";    // words of the byline (positional; Omega's author)
inline constexpr std::string_view kPrefixSource = "XS";   // normalised source name (boolean)
inline constexpr std::string_view kPrefixDay = "D";       // YYYYMMDD (boolean)
inline constexpr std::string_view kPrefixMonth = "M";     // YYYYMM (boolean)
inline constexpr std::string_view kPrefixYear = "Y";      // YYYY (boolean)
inline constexpr std::string_view kPrefixLang = "L";      // ISO 639-1 language code (boolean)
inline constexpr std::string_view kPrefixStory = "XG";    // story group id (boolean)
inline constexpr std::string_view kStemMarker = "Z";      // before prefix+stem of stemmed terms
// The one term of every article whose date is unknown (the dated ones have D/M/Y terms),
// so that "undated" is a posting list, not a scan of a value slot.
inline constexpr std::string_view kTermUndated = "XUNDATED";

// Xapian refuses terms longer than ~245 bytes; longer ids are hashed.
inline constexpr std::size_t kMaxTermBytes = 240;

// ---- Value slots ---------------------------------------------------------
// Each slot's encoding is given here and nowhere else.
enum Slot : Xapian::valueno {
    kSlotDate = 0,    // "YYYYMMDD" (sorts as a string); absent when the date is unknown (the day,
                      // month and year facets: facets.cc sums days into months and years)
    // (1 and 2: not written, as nothing read them: the source facet reads
    // kSlotSources, the year facet sums days)
    // (3: "YYYY-MM", no longer written: nothing read it since the facets count kSlotDate's days;
    // databases written before still have it)
    kSlotStory = 4,   // story key (collapse key): 16 hex digits naming the story group
    kSlotLang = 5,    // ISO 639-1 code, e.g. "en"
    kSlotSources = 6, // every source of the article, joined by kListSeparator (the source facet)
    // "YYYYMMDD", or "~" when the date is unknown: sorting oldest first puts
    // undated articles last with a plain value sort, which (unlike a
    // KeyMaker) remote shards can do.
    kSlotDateUndatedLast = 7,
    kSlotByline = 8,  // the byline as extracted, e.g. "Eyder Peralta" (the byline facet); absent when unknown
};

// kSlotDateUndatedLast's value for an article whose date is unknown.
inline constexpr std::string_view kUndatedLast = "~";

// Separates the items of list-valued slots (kSlotSources).
inline constexpr char kListSeparator = '\x1f';

// ---- Positions and weights ----------------------------------------------
// Gap between fields so that phrases never span the title and the body.
inline constexpr Xapian::termpos kFieldGap = 100;
// The title is also indexed in the body stream with this within-document
// frequency per occurrence, so title words weigh more in ranking (without
// positions there: the S terms have them, and body phrases search both).
inline constexpr Xapian::termcount kTitleWdf = 3;
// Captions and the byline are also indexed in the body stream (after the
// body, a kFieldGap apart), so that plain searches reach them.

// ---- Stored document data (JSON object) ---------------------------------
// Keys of the JSON object stored as Xapian document data.
inline constexpr const char* kDataId = "id";          // the article's id, as in its Q term (older databases: none)
inline constexpr const char* kDataPath = "path";      // file the article came from
inline constexpr const char* kDataRecord = "record";  // record id within the file (JSONL), if any
inline constexpr const char* kDataTitle = "title";
inline constexpr const char* kDataDate = "date";      // "YYYY-MM-DD"
inline constexpr const char* kDataSource = "source";  // display string of all sources
inline constexpr const char* kDataByline = "byline";
inline constexpr const char* kDataLang = "lang";
inline constexpr const char* kDataUrl = "url";
inline constexpr const char* kDataBody = "body";      // clean body text, for snippets and display
inline constexpr const char* kDataCaptions = "captions";  // photo captions (array), shown with the article

// ---- Spelling dictionary ------------------------------------------------
// A word is in the spelling dictionary ("did you mean") when at least this
// many articles (of its shard) have it, with their number as its frequency.
inline constexpr Xapian::doccount kMinSpellingArticles = 2;

// ---- Database metadata keys ---------------------------------------------
inline constexpr const char* kMetaSchemaVersion = "morgue.schema";
// Before file_state_key()'s: one key per file indexed, its stamp and outcome (JSON).
inline constexpr std::string_view kMetaFilePrefix = "morgue.file:";
// No longer written: indexers before issue 16 queued here the articles still to group into
// stories; the indexer clears it when it finds one.
inline constexpr const char* kMetaPendingStories = "morgue.pending-stories";
// How a sharded index splits articles (in the indexer's state database).
inline constexpr const char* kMetaShardBy = "morgue.shard-by";
// The last indexing run (run_record.h, JSON): when, its counts and its skipped
// files; written with the run's last commit (in the state database when sharded).
inline constexpr const char* kMetaLastRun = "morgue.last-run";
// The data dictionary the stored data is deflated with (stored_data.h); unsharded databases only.
inline constexpr const char* kMetaDataDictionary = "morgue.data-dictionary";
// The metadata key of the state of file `path`: kMetaFilePrefix and the path,
// or a hash of it when long.
std::string file_state_key(std::string_view path);

// ---- Files beside Xapian's in a database directory -----------------------
// The facet codes of the database (facet_codes.h), written by the indexer
// after each run; read only when they name the database's uuid and revision.
inline constexpr const char* kFacetCodesFile = "morgue-facet-codes";

// ---- Query fields --------------------------------------------------------
// How a "name:" in a query is interpreted.
enum class FieldKind {
    kText,      // analysed text, positional, ranked (title:, quote:, caption:, byline:)
    kBoolean,   // exact filter term, does not change ranking (source:, lang:)
    kDateRange, // date:FROM..TO over kSlotDate, filter
};

struct Field {
    std::string_view name;    // as typed in queries, lower case
    std::string_view prefix;  // term prefix
    FieldKind kind;
    std::string_view help;    // one line for --help
    // kText: whether the field's words are also indexed as stems (Z<prefix><lang>:<stem>), so a
    // single word searches its stems. Quotes are not (their words are written as they stand), so
    // quote:war searches the word itself, as a phrase under quote: does.
    bool stemmed = true;
};

// All query fields. The query parser accepts exactly these names.
std::span<const Field> fields();
// The field called `name` (case-insensitive), or nullptr.
const Field* find_field(std::string_view name);

// ---- Article ids ---------------------------------------------------------
// An article's id: 13 characters of lower-case Crockford base32 (0-9, a-z
// without i, l, o, u) spelling a 64-bit hash of its identity
// (Article::identity()), so the same article has the same id in every run,
// rebuild, compaction and shard. What --like, ?doc= and the JSON "id" use.
inline constexpr std::size_t kArticleIdChars = 13;
std::string article_id(std::string_view identity);
// Whether `s` has the form of an article id (says nothing of whether one exists).
bool is_article_id(std::string_view s);
// The 64 bits article id `id` spells (is_article_id(id) must hold): an article's key in
// an in-memory table, 8 bytes where its id term takes 14 and a std::string 32.
std::uint64_t article_bits(std::string_view id);

// ---- Term builders (the only places that glue prefixes to values) --------
std::string id_term(std::string_view article_id);        // Q<article id>
std::string file_term(std::string_view path);            // XF..., hashed when long
// A word of a field as written (after folding): <prefix><word>, where the
// prefix is "" (body), kPrefixTitle or kPrefixQuote; also a boolean filter
// term of a query field (<prefix><value>).
std::string field_term(std::string_view prefix, std::string_view word);
std::string stem_term(std::string_view prefix, std::string_view lang,
                      std::string_view stem);                // Z<prefix><lang>:<stem>
std::string body_stem_term(std::string_view lang, std::string_view stem);  // Z<lang>:<stem>
// Whether `term` is a body stem (of any language): "Zen:traffick", not a
// title stem ("ZSen:...") or any other term.
bool is_body_stem(std::string_view term);
// "<lang>:<stem>" of a body stem term, as highlighting keeps stems.
std::string_view lang_stem(std::string_view body_stem);
std::string source_term(std::string_view source);        // XS<normalised source>
std::string lang_term(std::string_view lang);            // L<code>
std::string story_term(std::string_view story_key);      // XG<key>
std::string day_term(std::string_view yyyymmdd);         // D<YYYYMMDD>
std::string month_term(std::string_view yyyymm);         // M<YYYYMM>
std::string year_term(std::string_view yyyy);            // Y<YYYY>
// The story key an article founds: a hash of its identity and text, the
// same on every shard and every rebuild, new when the text changes.
std::string story_key_for(std::string_view identity, std::string_view text);

// Normalises a source name for the boolean term and for source: queries:
// lower case, letters and digits only ("BBC News" -> "bbcnews").
std::string normalise_source(std::string_view source);

}  // namespace morgue::schema
