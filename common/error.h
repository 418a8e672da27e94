// The library's exceptions. Library code throws these (or lets
// Xapian::Error through, which does not derive from std::exception); the
// programs translate them at the edge: exit status 2 for the command-line
// tools, an HTTP status for the CGI.
#pragma once

#include <stdexcept>
#include <string>

namespace morgue {

// Any failure the user should be told about in one line.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A bad flag, parameter or value (CLI: exit 2; CGI: 400).
class UsageError : public Error {
public:
    using Error::Error;
};

// A query that cannot be parsed or run (syntax, limits) (CLI: exit 2; CGI: 400).
class QueryError : public Error {
public:
    using Error::Error;
};

// The database is missing, locked, corrupt or from another schema version.
class DatabaseError : public Error {
public:
    using Error::Error;
};

}  // namespace morgue
