// error.hpp: zw::Error, the exception for operational failures (unreadable input, bad options).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace zw {

/// An operational failure: the check could not be carried out. Caught once in main; exit status 3.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
  /// An error about a place in an input file; `what` still names it (the message stands on its own).
  Error(const std::string& what, std::string file, std::size_t line = 0)
      : std::runtime_error(what), file_(std::move(file)), line_(line) {}
  /// The input file the error is about, when the thrower said so; empty otherwise.
  const std::string& file() const { return file_; }
  /// Its line (1-based), 0 when unknown.
  std::size_t line() const { return line_; }

 private:
  std::string file_;
  std::size_t line_ = 0;
};

/// Exit statuses shared by every subcommand (DESIGN.md §5).
enum ExitStatus : int { kExitClean = 0, kExitWarning = 1, kExitError = 2, kExitCannotCheck = 3 };

}  // namespace zw
