// error.hpp: zw::Error, the exception for operational failures (unreadable input, bad options).
#pragma once

#include <stdexcept>
#include <string>

namespace zw {

/// An operational failure: the check could not be carried out. Caught once in main; exit status 3.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
};

/// Exit statuses shared by every subcommand (DESIGN.md §5).
enum ExitStatus : int { kExitClean = 0, kExitWarning = 1, kExitError = 2, kExitCannotCheck = 3 };

}  // namespace zw
