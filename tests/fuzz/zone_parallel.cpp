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
#include "load_outcome.hpp"
#include "zone/loader.hpp"

namespace {

zw::test::Loaded load(const std::string& path, bool parallel) {
  zw::zone::LoadOptions options;
  options.max_input_bytes = std::uint64_t{1} << 20;
  options.max_include_depth = 4;
  options.max_includes = 16;
  options.include_root = zw::fuzz::scratch().path().string();
  options.parallel = parallel;
  options.parallel_part_bytes = 128;  // many parts, so that cuts land everywhere
  return zw::test::load_outcome(path, options);
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
