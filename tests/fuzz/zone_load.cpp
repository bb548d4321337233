// zone_load.cpp: fuzz target: master-file text loaded from memory, with the native RDATA parsers and with ldns.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "zone/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(zw::fuzz::as_text(data, size));
  zw::zone::LoadOptions options;
  options.max_input_bytes = std::uint64_t{1} << 20;
  options.max_include_depth = 4;
  options.max_includes = 16;
  options.parallel = false;
  // $INCLUDE may only reach the (empty) scratch directory: an input never reads the machine's files.
  options.include_root = zw::fuzz::scratch().path().string();
  for (const bool fast : {true, false}) {
    options.fast_rdata = fast;
    try {
      const zw::zone::Zone zone = zw::zone::load_zone_text(text, "fuzz.zone", options);
      zw::fuzz::touch(zone);
    } catch (const zw::Error&) {
    }
  }
  return 0;
}
