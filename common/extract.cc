#include "extract.h"

#include <cctype>

namespace morgue {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

Article extract(std::string_view text) {
    Article a;
    std::string_view rest = trim(text);
    // " date 2023-09-05 " header glued to the first sentence.
    if (rest.substr(0, 5) == "date " && rest.size() >= 15) {
        if (auto d = Date::parse_iso(rest.substr(5, 10))) {
            a.date = d;
            rest = trim(rest.substr(15));
        }
    }
    // A headline: a short first line without final punctuation, followed by a blank line.
    std::size_t nl = rest.find('\n');
    if (nl != std::string_view::npos) {
        std::string_view first = trim(rest.substr(0, nl));
        std::string_view after = rest.substr(nl + 1);
        bool blank_follows = !after.empty() && (after.front() == '\n' || after.substr(0, 2) == "\r\n");
        char last = first.empty() ? '.' : first.back();
        if (blank_follows && first.size() <= 200 && last != '.' && last != ':' && last != ',') {
            a.title = std::string(first);
            rest = trim(after);
        }
    }
    a.body = std::string(rest);
    return a;
}

}  // namespace morgue
