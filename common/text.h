// Small string helpers both sides use.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace morgue {

// The strings of `v` with `sep` between them ("BBC, EFE").
inline std::string join(const std::vector<std::string>& v, std::string_view sep) {
    std::string out;
    for (const std::string& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

}  // namespace morgue
