// What the index remembers about each input file, in the database metadata:
// its stamp (size, time, content hash) and whether it was indexed or
// skipped, and why. Paths are bytes: a file name need not be valid UTF-8.
// Reading and writing the metadata is the caller's (Store); this module only
// encodes and decodes.
#pragma once

#include "reader.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace morgue {

struct FileState {
    std::string path;  // bytes, as the file system gives them
    FileStamp stamp;
    bool ok = true;  // indexed; false: skipped (error says why)
    std::string error;
};

// The state as a metadata value (JSON; a path that is not valid UTF-8 is
// stored in hexadecimal, so any byte string survives). Never throws.
std::string encode(const FileState& state);

// A metadata value back to its state; nullopt when it is not one.
std::optional<FileState> decode(const std::string& value);

}  // namespace morgue
