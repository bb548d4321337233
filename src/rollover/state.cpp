// state.cpp: the one writer and reader of state files: versioned, replaced atomically, written under a lock.
#include "rollover/state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "core/input.hpp"

namespace zw::rollover {

namespace detail {
void (*before_rename)(const std::string& temporary) = nullptr;
}  // namespace detail

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "# zonewarden ";
constexpr std::string_view kVersionWord = " version ";

/// A temporary file next to its target: renamed over the target on commit, removed otherwise.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : target_(target), path_(target + ".XXXXXX") {
    fd_.reset(::mkostemp(path_.data(), O_CLOEXEC));
    if (!fd_) throw Error(target + ": cannot create a temporary file: " + core::errno_text(errno));
  }
  ~TempFile() {
    if (!committed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write_all(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_.get(), data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("cannot write");
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  /// Syncs the data, renames the file over the target and syncs the directory, so that the rename is durable.
  void commit(mode_t mode) {
    if (::fchmod(fd_.get(), mode) != 0) fail("cannot set permissions");
    if (::fsync(fd_.get()) != 0) fail("cannot sync");
    if (::close(fd_.release()) != 0) fail("cannot close");
    if (detail::before_rename) detail::before_rename(path_);
    if (std::rename(path_.c_str(), target_.c_str()) != 0) fail("cannot rename the temporary file");
    committed_ = true;
    sync_directory();
  }

 private:
  void sync_directory() {
    fs::path dir = fs::path(target_).parent_path();
    if (dir.empty()) dir = ".";
    core::UniqueFd d(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!d || ::fsync(d.get()) != 0) fail("cannot sync its directory");
  }
  [[noreturn]] void fail(const char* what) { throw Error(target_ + ": " + what + ": " + core::errno_text(errno)); }
  std::string target_;
  std::string path_;
  core::UniqueFd fd_;
  bool committed_ = false;
};

}  // namespace

std::string state_version_line(std::string_view kind, unsigned version) {
  return std::string(kPrefix) + std::string(kind) + std::string(kVersionWord) + std::to_string(version);
}

unsigned state_version(const std::string& path, std::string_view text, std::string_view kind, unsigned supported) {
  const std::string_view line = text.substr(0, text.find('\n'));
  if (!line.starts_with(kPrefix)) return 0;
  const std::string_view rest = line.substr(kPrefix.size());
  const std::size_t at = rest.find(kVersionWord);
  const std::string_view named = rest.substr(0, at);
  if (at == std::string_view::npos || named.empty() || named.find(' ') != std::string_view::npos) return 0;
  const std::string where = path + ":1: ";
  if (named != kind) {
    throw Error(where + "a zonewarden " + std::string(named) + " file, not a " + std::string(kind) + " file");
  }
  const std::string_view digits = rest.substr(at + kVersionWord.size());
  unsigned version = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (ec != std::errc() || end == digits.data() || (end != digits.data() + digits.size() && *end != ' ')) {
    throw Error(where + "the " + std::string(kind) + " format version is not a number");
  }
  if (version > supported) {
    throw Error(where + std::string(kind) + " format version " + std::to_string(version) +
                " is newer than this zonewarden reads (" + std::to_string(supported) + "); refusing to read it");
  }
  return version;
}

std::optional<StateText> read_state_file(const std::string& path, std::string_view kind, unsigned supported,
                                         std::size_t max_bytes, const std::string& too_large) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) return std::nullopt;
  StateText out;
  out.text =
      core::read_input_file(path, core::InputKinds::regular, core::ReadLimits{max_bytes, too_large, /*gunzip=*/false});
  out.version = state_version(path, out.text, kind, supported);
  return out;
}

void write_state_file(const std::string& path, std::string_view contents) {
  mode_t mode = 0644;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
  TempFile tmp(path);
  tmp.write_all(contents);
  tmp.commit(mode);
}

StateLock::StateLock(const std::string& path) {
  const std::string lock = path + ".lock";
  fd_.reset(::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd_) throw Error(lock + ": cannot create the lock file: " + core::errno_text(errno));
  while (::flock(fd_.get(), LOCK_EX) != 0) {
    if (errno != EINTR) throw Error(lock + ": cannot lock: " + core::errno_text(errno));
  }
}

}  // namespace zw::rollover
