// The stored article data (docs/SCHEMA.md, "Document data"): a JSON object,
// written as it is, or deflated with the database's data dictionary.
//
// Xapian compresses each document's data alone with zlib, which in an
// article of a few hundred words finds few repeats. A preset dictionary
// (zlib's deflateSetDictionary: text likely to come again) made of the
// archive's own articles gives it repeats across articles: on Reuters-21578
// the stored data shrinks by over a quarter (docs/BENCHMARKS.md). The
// dictionary is the data of a database's first articles (dictionary_from();
// a database indexed before dictionaries starts from its last ones), kept in its metadata (schema::kMetaDataDictionary); every article written
// after it was made is deflated with it, in zlib's format (whose header names
// the dictionary: data deflated with another is refused, never inflated into
// other words), those before stay plain JSON; readers tell them apart by the
// first byte. A stub may list databases indexed apart, each with its own
// dictionary: readers take each article's from its own shard (DataDictionaries).
#pragma once

#include <xapian.h>
#include <zlib.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

class DataDictionary {
public:
    // zlib's window: a longer dictionary would be cut to its end.
    static constexpr std::size_t kBytes = 32 * 1024;

    // `bytes`: the dictionary (at most kBytes; the last are the likeliest to match).
    explicit DataDictionary(std::string bytes);
    ~DataDictionary();
    DataDictionary(const DataDictionary&) = delete;
    DataDictionary& operator=(const DataDictionary&) = delete;

    const std::string& bytes() const { return bytes_; }

    // `json` deflated with the dictionary (zlib's format). Thread-safe.
    std::string deflated(std::string_view json) const;
    // What deflated() made, inflated. Throws Error when it is not.
    std::string inflated(std::string_view stored) const;

private:
    std::string bytes_;
    // A deflate stream with the dictionary set, copied for each article
    // (deflateCopy only reads it): setting the dictionary costs more than
    // deflating an article. Made at the first deflated(): readers never need it.
    mutable std::once_flag primed_once_;
    mutable z_stream primed_{};
    mutable bool primed_ok_ = false;
    // An inflate stream past the zlib header of the first article inflated,
    // with the dictionary set, copied for each article with the same header:
    // setting the dictionary computes its Adler-32 (to check it against the
    // header's), which cost a search more than the rest of reading ten
    // articles. Other headers (another dictionary's) take the slow path.
    mutable std::once_flag inflate_once_;
    mutable z_stream inflate_primed_{};
    mutable bool inflate_primed_ok_ = false;
    mutable std::string header_;  // the header inflate_primed_ read

    // Sets up inflate_primed_ (once) with `header`.
    void prime_inflate(std::string_view header) const;
};

// The dictionary made of `first_data`, the JSON data of a database's first
// articles one after another: its last kBytes; nullopt when shorter (too
// little to learn from: the data stays plain).
std::optional<std::string> dictionary_from(std::string_view first_data);

// Whether stored data was deflated with a data dictionary (else it is JSON).
bool is_deflated(std::string_view stored);

// The JSON of stored data: the data itself, or inflated with `dictionary`.
// Throws Error when it is deflated and there is no dictionary.
std::string data_json(std::string stored, const DataDictionary* dictionary);

// The data dictionaries of a database's shards (one for a database that is
// not a stub), each read from its shard's metadata when first asked for. Not
// thread-safe.
class DataDictionaries {
public:
    DataDictionaries() = default;
    // `shards`: what the database searched was opened from, in its order.
    // Xapian interleaves the document ids of every database it opened (a
    // stub listed in a stub opens each of its own): database (docid - 1) % n
    // of n, counted through the shards in order. A shard of several databases
    // has its first one's metadata only.
    explicit DataDictionaries(std::vector<Xapian::Database> shards);

    // The dictionary of the shard holding `docid` (an id of the whole
    // database), or null when it has none.
    const DataDictionary* of(Xapian::docid docid);
    // The database was reopened at another revision: each shard's
    // dictionary is read again when next needed (and kept when the same).
    void forget();

private:
    struct Shard {
        Xapian::Database db;
        std::size_t first = 0;  // of the databases Xapian opened, the index of its first
        bool read = false;
        std::unique_ptr<const DataDictionary> dictionary;  // null: none
    };
    std::vector<Shard> shards_;
    std::size_t databases_ = 0;  // all the shards hold
};

}  // namespace morgue
