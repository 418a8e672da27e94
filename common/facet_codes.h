// Facet codes: the facet values (sources, date, language, byline) of every
// article of one database as small integer codes, a row of a few bytes per
// document id, and each slot's distinct values once. A faceted search counts
// codes in arrays instead of walking four value streams (at a million
// articles, decoding those streams was most of a faceted search's time).
//
// The codes are one byte image (layout in facet_codes.cc), built from the
// value streams (build()) or mapped from the file the indexer writes into the
// database directory after each run (save(), load(); schema::kFacetCodesFile).
// The file names the database's uuid and revision and is read only for that
// revision, so that a process per request (morgue.cgi) counts codes too
// without building them. A long-lived searcher keeps one until the database
// changes. One local database only: over shards, Xapian 1.4 gives match spies
// each shard's own document ids, which codes by combined id cannot be read
// with. Immutable: threads share it.
#pragma once

#include <xapian.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

namespace morgue {

class FacetCodes {
public:
    static constexpr std::size_t kSlots = 4;  // sources, date, language, byline
    // The value slots coded, in the order of the codes' slots.
    static const std::array<Xapian::valueno, kSlots> kValueSlots;

    // Null when `db` is not one database, or its last document id is
    // kMaxDocs or more (the memory it would take).
    static std::shared_ptr<const FacetCodes> build(const Xapian::Database& db);
    static constexpr Xapian::docid kMaxDocs = 16'000'000;

    // The codes saved in database directory `dir` when they are those of
    // `db` as it is open (its uuid, revision, document count and last
    // document id), else null: no file, another revision, or a file this
    // morgue cannot read (never an error). The file is mapped: replaced by a
    // rename (as save() does), a searcher goes on reading the one it mapped;
    // truncated in place (cp over it) under a running searcher, it would end that process.
    static std::shared_ptr<const FacetCodes> load(const std::string& dir, const Xapian::Database& db);
    // Writes the codes into database directory `dir` (a temporary file,
    // synced, renamed over the last one). Throws Error when it cannot.
    void save(const std::string& dir) const;

    // Whether document `did` was in the database when built.
    bool covers(Xapian::docid did) const { return did < rows_; }
    // The code of document `did`'s value in slot `i` (0: none); covers(did) must hold.
    std::uint32_t code(Xapian::docid did, std::size_t i) const {
        const Slot& s = slots_[i];
        const unsigned char* p = rows_at_ + static_cast<std::size_t>(did) * row_bytes_ + s.offset;
        std::uint32_t c = p[0];
        if (s.width > 1) c |= static_cast<std::uint32_t>(p[1]) << 8;
        if (s.width > 2) c |= static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
        return c < s.count ? c : 0;  // a damaged file miscounts, never counts out of bounds
    }
    // How many codes slot `i` has (its distinct values, and 0).
    std::size_t size(std::size_t i) const { return slots_[i].count; }
    // The value of code `c` (0 < c < size(i)) of slot `i`.
    std::string_view value(std::size_t i, std::uint32_t c) const {
        std::uint32_t from = u32(slots_[i].offsets + 4 * static_cast<std::size_t>(c));
        std::uint32_t to = u32(slots_[i].offsets + 4 * (static_cast<std::size_t>(c) + 1));
        return {reinterpret_cast<const char*>(slots_[i].blob) + from, to - from};
    }
    // Slot `i`'s codes but 0, in the order of their values (the `k`th, k <
    // size(i) - 1): counts by code come out in value order without a sort of
    // their strings at each search.
    std::uint32_t in_value_order(std::size_t i, std::size_t k) const { return u32(slots_[i].order + 4 * k); }

    FacetCodes(const FacetCodes&) = delete;
    FacetCodes& operator=(const FacetCodes&) = delete;
    ~FacetCodes();

private:
    struct Slot {
        std::uint32_t count = 1;  // codes, 0 included
        std::uint32_t width = 1;  // bytes of a code in a row: 1, 2 or 4
        std::uint32_t offset = 0;  // of the code in a row
        const unsigned char* offsets = nullptr;  // count + 1 offsets of values into blob
        const unsigned char* blob = nullptr;
        const unsigned char* order = nullptr;  // count - 1 codes, by value
    };
    struct Mapping;

    FacetCodes() = default;
    static std::uint32_t u32(const unsigned char* p) {
        std::uint32_t v;
        std::memcpy(&v, p, 4);
        return v;
    }
    // Points the slots and rows into `image_`; false when it is not a whole,
    // readable image of the database with `uuid` at `revision`, holding
    // `documents` with `last` the last document id.
    bool attach(std::string_view uuid, Xapian::rev revision, Xapian::doccount documents, Xapian::docid last);

    std::string owned_;                 // the image, when built
    std::unique_ptr<Mapping> mapped_;   // the image, when loaded
    std::string_view image_;
    std::array<Slot, kSlots> slots_;
    const unsigned char* rows_at_ = nullptr;
    std::uint32_t row_bytes_ = 0;
    Xapian::docid rows_ = 0;  // the last document id + 1
};

}  // namespace morgue
