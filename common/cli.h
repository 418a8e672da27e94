// Command-line helpers both programs use.
#pragma once

#include "error.h"

#include <cxxopts.hpp>

#include <charconv>
#include <string>
#include <system_error>

namespace morgue::cli {

// The value of option --`name` (declared as a string) as a number of type
// T. Throws UsageError naming the option when it is not one: cxxopts's own
// numeric parsing says only "Argument 'abc' failed to parse".
template <typename T>
T number(const cxxopts::ParseResult& args, const std::string& name) {
    const std::string text = args[name].as<std::string>();
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) throw UsageError("--" + name + ": '" + text + "' is out of range");
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
        throw UsageError("--" + name + ": '" + text + "' is not a number");
    }
    return value;
}

}  // namespace morgue::cli
