#include "stored_data.h"

#include "error.h"
#include "schema.h"

#include <algorithm>
#include <climits>
#include <iterator>

namespace morgue {

namespace {

// zlib's defaults, as Xapian's own compression, in zlib's format: its
// header names the dictionary (its Adler-32), so that data deflated with
// another one is refused, not inflated into other words, and its trailer
// checks the text. Its first byte (0x78 with these settings) is never that of
// JSON data (an object: '{').
constexpr int kLevel = Z_DEFAULT_COMPRESSION;
constexpr int kWindowBits = 15;
constexpr int kMemLevel = 8;
constexpr char kZlibFirstByte = 0x78;
// zlib's header with a preset dictionary (RFC 1950): CMF, FLG, the dictionary's Adler-32.
constexpr std::size_t kHeaderBytes = 6;

const Bytef* bytes_of(std::string_view s) { return reinterpret_cast<const Bytef*>(s.data()); }

}  // namespace

DataDictionary::DataDictionary(std::string bytes) : bytes_(std::move(bytes)) {
    if (bytes_.size() > kBytes) bytes_.erase(0, bytes_.size() - kBytes);
}

DataDictionary::~DataDictionary() {
    if (primed_ok_) deflateEnd(&primed_);
    if (inflate_primed_ok_) inflateEnd(&inflate_primed_);
}

void DataDictionary::prime_inflate(std::string_view header) const {
    std::call_once(inflate_once_, [&] {
        header_ = std::string(header);
        if (inflateInit2(&inflate_primed_, kWindowBits) != Z_OK) return;
        unsigned char out;
        inflate_primed_.next_in = const_cast<Bytef*>(bytes_of(header_));
        inflate_primed_.avail_in = static_cast<uInt>(header_.size());
        inflate_primed_.next_out = &out;
        inflate_primed_.avail_out = 1;
        // Refused (Z_DATA_ERROR) when the header names another dictionary: then every article takes the slow path.
        inflate_primed_ok_ =
            header_.size() == kHeaderBytes && inflate(&inflate_primed_, Z_NO_FLUSH) == Z_NEED_DICT &&
            inflate_primed_.avail_in == 0 &&
            inflateSetDictionary(&inflate_primed_, bytes_of(bytes_), static_cast<uInt>(bytes_.size())) == Z_OK;
        if (!inflate_primed_ok_) inflateEnd(&inflate_primed_);
    });
}

std::string DataDictionary::deflated(std::string_view json) const {
    if (json.size() > UINT_MAX / 2) return std::string(json);  // beyond zlib's counts: stays JSON
    std::call_once(primed_once_, [this] {
        if (deflateInit2(&primed_, kLevel, Z_DEFLATED, kWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) != Z_OK) return;
        primed_ok_ = deflateSetDictionary(&primed_, bytes_of(bytes_), static_cast<uInt>(bytes_.size())) == Z_OK;
        if (!primed_ok_) deflateEnd(&primed_);
    });
    z_stream z{};
    if (!primed_ok_ || deflateCopy(&z, &primed_) != Z_OK) throw Error("cannot set up zlib's deflate with the data dictionary");
    std::string out(deflateBound(&z, static_cast<uLong>(json.size())), '\0');
    z.next_in = const_cast<Bytef*>(bytes_of(json));
    z.avail_in = static_cast<uInt>(json.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    std::size_t n = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || n == 0 || out[0] != kZlibFirstByte) throw Error("cannot deflate an article's data");
    out.resize(n);
    return out;
}

std::string DataDictionary::inflated(std::string_view stored) const {
    if (!is_deflated(stored)) throw Error("the article's data is not deflated");
    if (stored.size() > UINT_MAX / 8) throw Error("the article's data is too large to inflate");
    prime_inflate(stored.substr(0, kHeaderBytes));
    z_stream z{};
    if (inflate_primed_ok_ && stored.substr(0, kHeaderBytes) == header_) {
        if (inflateCopy(&z, &inflate_primed_) != Z_OK) throw Error("cannot start zlib's inflate");
        stored.remove_prefix(kHeaderBytes);
    } else if (inflateInit2(&z, kWindowBits) != Z_OK) {
        throw Error("cannot start zlib's inflate");
    }
    z.next_in = const_cast<Bytef*>(bytes_of(stored));
    z.avail_in = static_cast<uInt>(stored.size());
    std::string out(4 * stored.size() + 256, '\0');
    int rc = Z_OK;
    while (true) {
        z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
        z.avail_out = static_cast<uInt>(out.size() - z.total_out);
        rc = inflate(&z, Z_FINISH);
        if (rc == Z_NEED_DICT) {
            // Refused (Z_DATA_ERROR) when the header names another dictionary.
            rc = inflateSetDictionary(&z, bytes_of(bytes_), static_cast<uInt>(bytes_.size()));
            if (rc != Z_OK) break;
        } else if (rc == Z_BUF_ERROR && z.avail_out == 0) {
            if (out.size() > UINT_MAX / 4) break;  // beyond zlib's counts: refused below
            out.resize(2 * out.size());  // more room, and on
        } else {
            break;  // the end, or broken
        }
    }
    out.resize(z.total_out);
    inflateEnd(&z);
    if (rc != Z_STREAM_END) throw Error("the article's data cannot be inflated with the database's data dictionary");
    return out;
}

std::optional<std::string> dictionary_from(std::string_view first_data) {
    if (first_data.size() < DataDictionary::kBytes) return std::nullopt;
    return std::string(first_data.substr(first_data.size() - DataDictionary::kBytes));
}

bool is_deflated(std::string_view stored) { return !stored.empty() && stored[0] == kZlibFirstByte; }

std::string data_json(std::string stored, const DataDictionary* dictionary) {
    if (!is_deflated(stored)) return stored;
    if (!dictionary) throw Error("the article's data is deflated with a data dictionary the database does not have");
    return dictionary->inflated(stored);
}

DataDictionaries::DataDictionaries(std::vector<Xapian::Database> shards) {
    for (Xapian::Database& db : shards) {
        std::size_t n = db.size();
        shards_.push_back(Shard{std::move(db), databases_, false, nullptr});
        databases_ += n;
    }
}

const DataDictionary* DataDictionaries::of(Xapian::docid docid) {
    if (databases_ == 0 || docid == 0) return nullptr;
    std::size_t database = (docid - 1) % databases_;
    auto after = std::upper_bound(shards_.begin(), shards_.end(), database,
                                  [](std::size_t d, const Shard& s) { return d < s.first; });
    Shard& shard = *std::prev(after);
    if (!shard.read) {
        std::string bytes = shard.db.get_metadata(schema::kMetaDataDictionary);
        if (bytes.empty()) {
            shard.dictionary.reset();
        } else if (!shard.dictionary || shard.dictionary->bytes() != bytes) {
            shard.dictionary = std::make_unique<const DataDictionary>(std::move(bytes));
        }
        shard.read = true;
    }
    return shard.dictionary.get();
}

void DataDictionaries::forget() {
    for (Shard& shard : shards_) shard.read = false;
}

}  // namespace morgue
