// report_support.hpp: what the format tests share: the bundled zones they report on, a scratch directory, and
// running a format's consumer (promtool, xmllint, dot, a JSON schema validator) on a report.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/cli_run.hpp"

namespace zw::test {

inline const std::string kEr = kSrc + "/zones/tld/ER.zone";
inline const std::string kArab = kSrc + "/zones/tld/XN--WGBH1C.zone";
inline const std::string kBadTtl = kSrc + "/test-vectors/malformed/bad-ttl.zone";
/// A time at which the .er signatures are valid, and one at which they have expired.
inline const std::string kValid = "--now 20241011163831";
inline const std::string kExpired = "--now 20260601";

/// A fresh directory for one test's files, removed with the object.
class Scratch {
 public:
  explicit Scratch(const std::string& name)
      : dir_(std::filesystem::temp_directory_path() / ("zw-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::filesystem::path path(const std::string& file) const { return dir_ / file; }
  /// Writes `text` to `file` in the directory; returns its path.
  std::string put(const std::string& file, const std::string& text) const {
    std::ofstream(dir_ / file, std::ios::binary) << text;
    return (dir_ / file).string();
  }

 private:
  std::filesystem::path dir_;
};

/// Runs a shell command; its exit status and what it said (standard output and error together).
inline Run shell(const std::string& command) {
  static int counter = 0;
  const auto said = std::filesystem::temp_directory_path() /
                    ("zw-shell-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  const int raw = std::system((command + " >'" + said.string() + "' 2>&1").c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(said);
  std::filesystem::remove(said);
  return r;
}

}  // namespace zw::test
