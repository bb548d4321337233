// fuzz_support.hpp: what the fuzz targets share: a private scratch directory, the fixed clock, files written whole.
#pragma once

#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "core/name.hpp"
#include "core/time.hpp"
#include "zone/zone.hpp"

namespace zw::fuzz {

/// The clock every target runs at (--now 2026-01-15T00:00:00Z): outcomes depend on the input only.
inline constexpr core::EpochSeconds kNow = 1768435200;

/// A directory of this process's own under $TMPDIR (else /tmp), removed with everything in it at exit.
class ScratchDir {
 public:
  ScratchDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/zw-fuzz-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  /// Empties the directory (the files of the previous input).
  void clear() const {
    for (const auto& entry : std::filesystem::directory_iterator(path_)) std::filesystem::remove_all(entry.path());
  }

 private:
  std::filesystem::path path_;
};

/// The scratch directory of this process.
inline const ScratchDir& scratch() {
  static const ScratchDir dir;
  return dir;
}

/// Writes `data` as the whole of `path`; aborts when it cannot (the target cannot run without it).
inline void write_file(const std::filesystem::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out.flush()) std::abort();
}

/// The fuzzer's bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Reads every byte a loaded zone points at (RDATA, names, source lines), so that a record pointing outside its
/// arena or a bad name is seen by AddressSanitizer here, not later by luck.
inline void touch(const zone::Zone& zone) {
  std::size_t sum = 0;
  for (const zone::Record& r : zone.records) {
    for (const char c : zone.rdata(r)) sum += static_cast<unsigned char>(c);
    sum += zone.where(r.src).size();
  }
  for (const core::WireName& n : zone.names) sum += core::name_to_text(n).size();
  for (const zone::RRset& s : zone.rrsets) sum += zone.records_of(s).size();
  volatile std::size_t sink = sum;
  static_cast<void>(sink);
}

}  // namespace zw::fuzz
