// state.hpp: the one writer and reader of state files (the key history; later rollover state and caches):
// versioned, replaced atomically, written under a lock.
//
// A state file is text whose first line names its kind and format version:
//   # zonewarden <kind> version <N>[ anything]
// A file of a newer version than this build reads is refused (zw::Error naming the file and line 1), never guessed
// at; a file without that line is version 0 (written before versions existed). A write replaces the whole file:
// the new text goes to a temporary file in the same directory, is synced, renamed over the file, and the directory
// is synced; a crash at any point leaves either the old file or the new one, complete. Writers that read, change
// and write a file hold its lock (flock on "<file>.lock" beside it) across all three steps.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/handles.hpp"

namespace zw::rollover {

/// The first line of a state file of `kind` in format `version`, without the newline.
std::string state_version_line(std::string_view kind, unsigned version);

/// A state file read whole.
struct StateText {
  unsigned version = 0;  ///< from the version line; 0: the file has none (written before format versions)
  std::string text;      ///< the whole file, version line included
};

/// Reads the state file `path` of `kind` (a regular file of at most `max_bytes`, no NUL byte; `too_large` ends the
/// refusal "FILE: <too_large>"). A missing file gives nullopt. Throws zw::Error naming the file when it cannot be
/// read, is a directory, is a state file of another kind, or has a version above `supported` ("FILE:1: …").
std::optional<StateText> read_state_file(const std::string& path, std::string_view kind, unsigned supported,
                                         std::size_t max_bytes, const std::string& too_large);

/// The version of the state text `text` read from `path`: as read_state_file, for text read by the caller.
unsigned state_version(const std::string& path, std::string_view text, std::string_view kind, unsigned supported);

/// Replaces `path` with `contents` atomically (temporary file in the same directory, fsync, rename, fsync of the
/// directory). An existing file keeps its permissions; a new one gets 0644. Throws zw::Error naming the file; the
/// old file is then untouched and no temporary file is left.
void write_state_file(const std::string& path, std::string_view contents);

/// An exclusive lock on a state file for as long as it lives: flock on "<path>.lock" (created when missing), so
/// that writers in other processes and threads read, change and write the file one at a time. Throws zw::Error
/// naming the lock file when it cannot be created or locked.
class StateLock {
 public:
  explicit StateLock(const std::string& path);

 private:
  core::UniqueFd fd_;
};

namespace detail {
/// Test hook: when set, called by write_state_file with the temporary file's path after it is written and synced,
/// just before the rename (a test throws or exits there to play a failure or a crash).
extern void (*before_rename)(const std::string& temporary);
}  // namespace detail

}  // namespace zw::rollover
