// loader.hpp: reads RFC 1035 master files (and dig AXFR output, gzip) into a Zone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/name.hpp"
#include "zone/zone.hpp"

namespace zw::zone {

/// How a load went (for --stats and tests).
struct LoadStats {
  std::size_t parts = 1;     ///< parts loaded in parallel (1: in order)
  std::size_t reloaded = 0;  ///< parts loaded again in order because a record spanned the cut or the state differed
  std::uint64_t cut_search_bytes = 0;  ///< bytes read while looking for the lines the file is cut at
  std::uint64_t loaded_bytes = 0;      ///< bytes of text loaded by the parts (twice when loaded twice)
};

/// Options for loading one zone file.
struct LoadOptions {
  core::WireName origin;             ///< from -o/--origin; empty: the first SOA's owner, else $ORIGIN
  std::uint32_t default_ttl = 3600;  ///< used until $TTL or the SOA gives one
  int max_include_depth = 16;        ///< deeper $INCLUDE nesting (or a loop) is an input error
  /// Bytes read for one zone, after decompression: the zone file and all its $INCLUDEs together.
  std::uint64_t max_input_bytes = std::uint64_t{4} << 30;
  /// $INCLUDE files must resolve (realpath) to this directory or below; empty: the zone file's directory (the
  /// current directory for standard input).
  std::string include_root;
  std::size_t max_includes = 10000;  ///< $INCLUDE directives read for one zone, all levels together
  /// Parse the common types natively (src/zone/rdata_fast.hpp); false sends every record through ldns (tests
  /// compare both).
  bool fast_rdata = true;
  /// Load large files in parts on all cores; false loads in order on one (tests compare both).
  bool parallel = true;
  /// Size of those parts; files of at least two parts are loaded in parallel.
  std::size_t parallel_part_bytes = std::size_t{2} << 20;
  LoadStats* stats = nullptr;  ///< filled when set
};

/// Loads a master file. Handles $ORIGIN, $TTL, $INCLUDE (relative to the including file), ';' comments,
/// parentheses, quoted strings, dig AXFR output and gzip-compressed input. Throws zw::Error with
/// "file:line: reason" on unreadable files and syntax errors.
Zone load_zone_file(const std::string& path, const LoadOptions& options);

/// Loads records from a text buffer (for DS/trust-anchor files and tests); `name` is used in messages.
Zone load_zone_text(const std::string& text, const std::string& name, const LoadOptions& options);

}  // namespace zw::zone
