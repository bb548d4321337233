// rdata_support.hpp: helpers of the RDATA tests: one record of a small zone, as the loader stores its RDATA.
#pragma once

#include <cstdint>
#include <string>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "zone/loader.hpp"

namespace zw::test {

/// Loads `zone_text` (named `file` in messages) and returns the RDATA of the record on `line` in lower-case hex, or
/// "error: <message>" when the zone does not load.
inline std::string rdata_hex_at(const std::string& zone_text, const std::string& file, std::uint32_t line,
                                bool fast = true) {
  try {
    zone::LoadOptions o;
    o.fast_rdata = fast;
    const zone::Zone z = zone::load_zone_text(zone_text, file, o);
    for (const auto& r : z.records) {
      if (r.src.line == line) return core::hex_encode(z.rdata(r));
    }
    return "error: record not found";
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
}

}  // namespace zw::test
