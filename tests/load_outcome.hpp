// load_outcome.hpp: what loading a zone file gave — its records with their source, its files, or its error — in a
// form two loads can be compared in (the parallel loader against the in-order one: tests and the zone_parallel
// fuzz target).
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "zone/loader.hpp"

namespace zw::test {

/// One record: owner, type, class, TTL, RDATA, file, line.
using LoadedRecord =
    std::tuple<std::string, std::uint16_t, std::uint16_t, std::uint32_t, std::string, std::uint32_t, std::uint32_t>;

struct Loaded {
  std::string error;  ///< the load's error; empty when it loaded
  std::vector<LoadedRecord> records;
  std::vector<std::string> files;
  bool operator==(const Loaded&) const = default;
};

/// Loads `path` with `options`; a zw::Error becomes `error`.
inline Loaded load_outcome(const std::string& path, const zone::LoadOptions& options) {
  Loaded out;
  try {
    const zone::Zone z = zone::load_zone_file(path, options);
    for (const zone::Record& r : z.records) {
      out.records.emplace_back(z.names[r.name], r.type, r.rclass, r.ttl, std::string(z.rdata(r)), r.src.file,
                               r.src.line);
    }
    out.files = z.files;
  } catch (const Error& e) {
    out.error = e.what();
  }
  return out;
}

}  // namespace zw::test
