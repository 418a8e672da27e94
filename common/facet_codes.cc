#include "facet_codes.h"

#include "error.h"
#include "schema.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <unordered_map>
#include <vector>

namespace morgue {

// The image, in the machine's byte order (the header says which, and a
// machine of the other order does not read it):
//   Header
//   per slot: count + 1 u32 offsets of its values into its blob, the blob
//             (the values, value c from offsets[c] to offsets[c + 1]; code 0
//             is the empty value), count - 1 u32 codes in value order
//   rows: row_bytes a document id, from 0 to the last; in each, slot i's
//         code at its offset, `width` bytes, least significant first.
// Every section begins at a multiple of 8 bytes.

namespace {

constexpr char kMagic[8] = {'M', 'R', 'G', 'C', 'O', 'D', 'E', '1'};
constexpr std::uint32_t kByteOrder = 0x01020304;

struct SlotHeader {
    std::uint32_t count;
    std::uint32_t width;
    std::uint32_t offset;
    std::uint32_t unused;
    std::uint64_t offsets_at;
    std::uint64_t blob_at;
    std::uint64_t order_at;
};

struct Header {
    char magic[8];
    std::uint32_t byte_order;
    std::uint32_t row_bytes;
    std::uint64_t revision;
    std::uint64_t rows;
    std::uint64_t rows_at;
    std::uint64_t size;  // of the whole image
    std::uint64_t documents;  // the database's document count (with uuid, revision and rows: which database)
    char uuid[40];       // the database's, NUL-padded (Xapian's are 36 characters)
    SlotHeader slots[FacetCodes::kSlots];
};
static_assert(sizeof(SlotHeader) == 40 && sizeof(Header) == 256, "no padding: the header is written as it is");

void append_u32(std::string& out, std::uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
void align8(std::string& out) { out.append((8 - out.size() % 8) % 8, '\0'); }

// Slot `slot`'s distinct values (code 0: none) and each document's code.
void code_slot(const Xapian::Database& db, Xapian::valueno slot, std::vector<std::string>& values,
               std::vector<std::uint32_t>& codes) {
    values.assign(1, "");
    std::unordered_map<std::string, std::uint32_t> code_of;
    std::uint32_t previous = 0;  // consecutive articles often share a value (a day, a language)
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
        std::string value = *it;
        if (value.empty()) continue;
        if (previous == 0 || values[previous] != value) {
            auto [entry, fresh] = code_of.try_emplace(value, static_cast<std::uint32_t>(values.size()));
            if (fresh) values.push_back(value);
            previous = entry->second;
        }
        codes[it.get_docid()] = previous;
    }
}

std::uint32_t width_for(std::size_t count) { return count <= 0x100 ? 1 : count <= 0x10000 ? 2 : 4; }

std::string os_error(const std::string& what, const std::string& path) {
    return "cannot " + what + " " + path + ": " + std::strerror(errno);
}

}  // namespace

const std::array<Xapian::valueno, FacetCodes::kSlots> FacetCodes::kValueSlots = {
    schema::kSlotSources, schema::kSlotDate, schema::kSlotLang, schema::kSlotByline};

struct FacetCodes::Mapping {
    void* at;
    std::size_t bytes;
    Mapping(void* a, std::size_t b) : at(a), bytes(b) {}
    ~Mapping() { ::munmap(at, bytes); }
};

FacetCodes::~FacetCodes() = default;

std::shared_ptr<const FacetCodes> FacetCodes::build(const Xapian::Database& db) {
    Xapian::docid last = db.get_lastdocid();
    if (db.size() != 1 || last >= kMaxDocs) return nullptr;
    const std::size_t rows = static_cast<std::size_t>(last) + 1;
    std::array<std::vector<std::string>, kSlots> values;
    std::array<std::vector<std::uint32_t>, kSlots> codes;
    for (std::size_t i = 0; i < kSlots; ++i) {
        codes[i].assign(rows, 0);
        code_slot(db, kValueSlots[i], values[i], codes[i]);
    }

    Header h{};
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.byte_order = kByteOrder;
    h.rows = rows;
    h.documents = db.get_doccount();
    std::string uuid;
    try {
        h.revision = db.get_revision();
        uuid = db.get_uuid();
    } catch (const Xapian::InvalidOperationError&) {
        // A database without one revision (a stub of one shard): the codes serve in memory only.
    }
    std::memcpy(h.uuid, uuid.data(), std::min(uuid.size(), sizeof h.uuid - 1));
    std::string image(sizeof(Header), '\0');
    for (std::size_t i = 0; i < kSlots; ++i) {
        const std::vector<std::string>& v = values[i];
        SlotHeader& s = h.slots[i];
        s.count = static_cast<std::uint32_t>(v.size());
        s.width = width_for(v.size());
        s.offset = h.row_bytes;
        h.row_bytes += s.width;
        s.offsets_at = image.size();
        std::uint32_t at = 0;
        for (const std::string& value : v) {
            append_u32(image, at);
            at += static_cast<std::uint32_t>(value.size());
        }
        append_u32(image, at);
        s.blob_at = image.size();
        for (const std::string& value : v) image += value;
        align8(image);
        std::vector<std::uint32_t> order(v.size() - 1);
        for (std::uint32_t c = 1; c < v.size(); ++c) order[c - 1] = c;
        std::sort(order.begin(), order.end(), [&v](std::uint32_t a, std::uint32_t b) { return v[a] < v[b]; });
        s.order_at = image.size();
        for (std::uint32_t c : order) append_u32(image, c);
        align8(image);
    }
    h.rows_at = image.size();
    image.resize(image.size() + rows * h.row_bytes);
    auto* row = reinterpret_cast<unsigned char*>(image.data() + h.rows_at);
    for (std::size_t did = 0; did < rows; ++did, row += h.row_bytes) {
        for (std::size_t i = 0; i < kSlots; ++i) {
            std::uint32_t c = codes[i][did];
            for (std::uint32_t b = 0; b < h.slots[i].width; ++b) row[h.slots[i].offset + b] = static_cast<unsigned char>(c >> (8 * b));
        }
    }
    h.size = image.size();
    std::memcpy(image.data(), &h, sizeof h);

    std::shared_ptr<FacetCodes> built(new FacetCodes);
    built->owned_ = std::move(image);
    built->image_ = built->owned_;
    if (!built->attach(uuid, h.revision, h.documents, last)) throw Error("facet codes: the image built does not read back");
    return built;
}

std::shared_ptr<const FacetCodes> FacetCodes::load(const std::string& dir, const Xapian::Database& db) {
    if (db.size() != 1) return nullptr;
    std::string path = dir + "/" + schema::kFacetCodesFile;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    void* at = MAP_FAILED;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) >= sizeof(Header)) {
        at = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (at == MAP_FAILED) return nullptr;
    std::shared_ptr<FacetCodes> loaded(new FacetCodes);
    loaded->mapped_ = std::make_unique<Mapping>(at, static_cast<std::size_t>(st.st_size));
    loaded->image_ = std::string_view(static_cast<const char*>(at), static_cast<std::size_t>(st.st_size));
    try {
        if (!loaded->attach(db.get_uuid(), db.get_revision(), db.get_doccount(), db.get_lastdocid())) return nullptr;
    } catch (const Xapian::Error&) {
        return nullptr;  // a database without one revision: no codes of it
    }
    return loaded;
}

void FacetCodes::save(const std::string& dir) const {
    std::string path = dir + "/" + schema::kFacetCodesFile;
    std::string tmp = path + ".tmp" + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) throw Error(os_error("write", tmp));
    std::string_view left = image_;
    while (!left.empty()) {
        ssize_t n = ::write(fd, left.data(), left.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::string message = os_error("write", tmp);
            ::close(fd);
            ::unlink(tmp.c_str());
            throw Error(message);
        }
        left.remove_prefix(static_cast<std::size_t>(n));
    }
    bool synced = ::fsync(fd) == 0;
    std::string message = synced ? "" : os_error("sync", tmp);
    if (::close(fd) != 0 && synced) {
        synced = false;
        message = os_error("close", tmp);
    }
    if (synced && ::rename(tmp.c_str(), path.c_str()) != 0) {
        synced = false;
        message = os_error("rename", tmp);
    }
    if (!synced) {
        ::unlink(tmp.c_str());
        throw Error(message);
    }
}

bool FacetCodes::attach(std::string_view uuid, Xapian::rev revision, Xapian::doccount documents, Xapian::docid last) {
    Header h;
    if (image_.size() < sizeof h) return false;
    std::memcpy(&h, image_.data(), sizeof h);
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.byte_order != kByteOrder) return false;
    if (h.size != image_.size() || h.revision != revision || h.documents != documents) return false;
    if (std::string_view(h.uuid, ::strnlen(h.uuid, sizeof h.uuid)) != uuid) return false;
    if (h.rows != std::uint64_t{last} + 1 || h.rows > kMaxDocs || h.row_bytes > 4 * kSlots) return false;
    const std::uint64_t size = image_.size();
    auto within = [size](std::uint64_t at, std::uint64_t bytes) { return at <= size && bytes <= size - at; };
    if (!within(h.rows_at, h.rows * h.row_bytes)) return false;
    const auto* base = reinterpret_cast<const unsigned char*>(image_.data());
    for (std::size_t i = 0; i < kSlots; ++i) {
        const SlotHeader& s = h.slots[i];
        if (s.count == 0 || (s.width != 1 && s.width != 2 && s.width != 4) || std::uint64_t{s.offset} + s.width > h.row_bytes) {
            return false;
        }
        if (!within(s.offsets_at, 4 * (std::uint64_t{s.count} + 1)) || !within(s.order_at, 4 * (std::uint64_t{s.count} - 1))) {
            return false;
        }
        std::uint32_t end = 0;  // the values' offsets never go back, and the last ends in the image
        for (std::uint64_t c = 0; c <= s.count; ++c) {
            std::uint32_t at = u32(base + s.offsets_at + 4 * c);
            if (at < end) return false;
            end = at;
        }
        if (!within(s.blob_at, end)) return false;
        for (std::uint64_t k = 0; k + 1 < s.count; ++k) {
            std::uint32_t c = u32(base + s.order_at + 4 * k);
            if (c == 0 || c >= s.count) return false;
        }
        slots_[i] = Slot{s.count, s.width, s.offset, base + s.offsets_at, base + s.blob_at, base + s.order_at};
    }
    rows_at_ = base + h.rows_at;
    row_bytes_ = h.row_bytes;
    rows_ = static_cast<Xapian::docid>(h.rows);
    return true;
}

}  // namespace morgue
