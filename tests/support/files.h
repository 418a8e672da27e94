// Test support for unit and end-to-end tests alike: files of the source tree
// and what a Xapian document holds, as text to compare with goldens.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <string>

namespace morgue::test {

// The whole content of `path` (empty when it cannot be read).
std::string read_file(const std::filesystem::path& path);

// `relative` in the source tree ("docs/SCHEMA.md").
std::filesystem::path source_path(const std::string& relative);

// The terms of `doc` whose names start with `prefix`, one a line, as Xapian's
// own term generator tests write them: "term:wdf[pos,pos]" ("term:wdf" for a
// term without positions).
std::string term_dump(const Xapian::Document& doc, const std::string& prefix = "");

// The values of `doc`, one a line: "slot=value".
std::string value_dump(const Xapian::Document& doc);

}  // namespace morgue::test
