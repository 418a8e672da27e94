// Parts: a full build (a new or empty database, or --rebuild) written by
// several writer threads, Lucene-style, and merged at the end
// (morgue-index --writers N).
//
// The indexing thread (the coordinator) still decides everything in file
// order: it gives each article its document id as one writer would on a
// fresh database (1, 2, 3... in write order; an article whose identity was
// already written in this run keeps its first id, as replace_document
// would), places it in its story and records file states. Documents are
// written in parts of a contiguous range of ids, each a new database that
// one of the writer threads writes and commits once. At the end the
// database (which holds only the metadata and the spelling dictionary) and
// the parts are merged with Xapian's compactor (no renumbering: the ranges
// are disjoint) into a compacted database that takes the database's place.
//
// Layout beside the database DB, removed when the build ends:
//   DB.parts/NNNNNN/    part N
//   DB.parts/replaced/  articles written again in the run after their part
//                       was handed to a writer (the same identity twice):
//                       copied over their first version before the merge
//   DB.parts/merged/    the merged database, until it is renamed to DB
//
// A run killed before the end leaves DB empty (nothing is committed to it
// until the merge) and the parts behind: the next run removes them and
// builds again from scratch. Memory: the part being filled, one waiting,
// and one being written per writer thread, together at most a fixed amount
// of document data (parts.cc), whatever the number of writers.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>

namespace morgue {

class Parts {
public:
    // Starts `writers` threads writing parts of at most `part_size` articles beside `db_path`.
    Parts(const std::string& db_path, unsigned writers, std::size_t part_size);
    ~Parts();  // stops the writers, when the run stopped on an error
    Parts(const Parts&) = delete;
    Parts& operator=(const Parts&) = delete;

    // Removes the parts a killed run left beside `db_path`; true when there were any.
    static bool remove_leftovers(const std::string& db_path);

    // The document id of the article with id term `id_term`, and whether
    // it replaces one written earlier in the run.
    std::pair<Xapian::docid, bool> docid_for(const std::string& id_term);
    // Writes `doc` under `id` (from docid_for). `data_bytes`: its data's
    // size as JSON, which the memory a part takes is reckoned by (deflated
    // data is smaller, not the document). Throws DatabaseError when a
    // writer thread failed.
    void add(Xapian::docid id, Xapian::Document&& doc, std::size_t data_bytes);

    // Waits for the writers and puts the replaced articles in their parts.
    void finish();
    // Calls `f(term, article count)` for each term of the parts whose first
    // byte is at least 'a' (the unprefixed words), in order. After finish().
    void for_each_word(const std::function<void(const std::string&, Xapian::doccount)>& f) const;
    // Merges the database at `db_path` (closed by the caller) and the parts
    // into a compacted database that replaces it, then removes the parts.
    void merge_into(const std::string& db_path);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace morgue
