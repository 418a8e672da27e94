// The programs' error ladder: what a main() does with what its work throws.
#pragma once

#include "utf8.h"

#include <xapian.h>

#include <exception>
#include <iostream>
#include <string_view>
#include <type_traits>

namespace morgue {

// Runs `run` and returns its exit status; when it throws, prints one line on
// stderr, "PROGRAM: message" (made printable: a message may quote a file
// name), and returns 2. Errors of type `OptionError` (the option parser's,
// when the program has one) get " (see --help)" after the message. Xapian::Error does not derive from std::exception, so it has
// a clause of its own.
template <typename OptionError = void, typename Run>
int run_main(std::string_view program, Run&& run) {
    try {
        return run();
    } catch (const Xapian::Error& e) {
        std::cerr << program << ": " << utf8::printable(e.get_description()) << "\n";
    } catch (const std::exception& e) {
        bool option_error = false;
        if constexpr (!std::is_void_v<OptionError>) option_error = dynamic_cast<const OptionError*>(&e) != nullptr;
        std::cerr << program << ": " << utf8::printable(e.what()) << (option_error ? " (see --help)" : "") << "\n";
    }
    return 2;
}

}  // namespace morgue
