#include "files.h"

#include <fstream>
#include <sstream>

namespace morgue::test {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::filesystem::path source_path(const std::string& relative) {
    return std::filesystem::path(MORGUE_SOURCE_DIR) / relative;
}

std::string term_dump(const Xapian::Document& doc, const std::string& prefix) {
    std::string out;
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        const std::string& term = *t;
        if (term.compare(0, prefix.size(), prefix) != 0) continue;
        out += term + ":" + std::to_string(t.get_wdf());
        if (t.positionlist_count() > 0) {
            out += "[";
            for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p) {
                if (out.back() != '[') out += ",";
                out += std::to_string(*p);
            }
            out += "]";
        }
        out += "\n";
    }
    return out;
}

std::string value_dump(const Xapian::Document& doc) {
    std::string out;
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) out += std::to_string(v.get_valueno()) + "=" + *v + "\n";
    return out;
}

}  // namespace morgue::test
