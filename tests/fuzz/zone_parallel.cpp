// zone_parallel.cpp: fuzz target: a zone file loaded in small parts on two threads must give exactly what loading it
// in order gives (records with their lines, files, or the same error).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "fuzz_support.hpp"
#include "zone/loader.hpp"

namespace {

using Rec =
    std::tuple<std::string, std::uint16_t, std::uint16_t, std::uint32_t, std::string, std::uint32_t, std::uint32_t>;

/// What a load gave: its records (owner, type, class, TTL, RDATA, file, line) and files, or its error.
struct Loaded {
  std::string error;
  std::vector<Rec> records;
  std::vector<std::string> files;
  bool operator==(const Loaded&) const = default;
};

Loaded load(const std::string& path, bool parallel) {
  zw::zone::LoadOptions options;
  options.max_input_bytes = std::uint64_t{1} << 20;
  options.max_include_depth = 4;
  options.max_includes = 16;
  options.include_root = zw::fuzz::scratch().path().string();
  options.parallel = parallel;
  options.parallel_part_bytes = 128;  // many parts, so that cuts land everywhere
  Loaded out;
  try {
    const zw::zone::Zone z = zw::zone::load_zone_file(path, options);
    for (const zw::zone::Record& r : z.records) {
      out.records.emplace_back(z.names[r.name], r.type, r.rclass, r.ttl, std::string(z.rdata(r)), r.src.file,
                               r.src.line);
    }
    out.files = z.files;
  } catch (const zw::Error& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool once = [] {
    zw::core::set_worker_count(2);  // the parallel loader needs more than one worker
    return true;
  }();
  static_cast<void>(once);
  const auto file = zw::fuzz::scratch().path() / "fuzz.zone";
  zw::fuzz::write_file(file, zw::fuzz::as_text(data, size));
  if (load(file.string(), false) != load(file.string(), true)) std::abort();
  return 0;
}
