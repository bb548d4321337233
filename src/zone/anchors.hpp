// anchors.hpp: reads DS sets (--ds) and trust anchors (-k: DS/DNSKEY master-file records or IANA root-anchors XML).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/name.hpp"
#include "core/time.hpp"

namespace zw::zone {

/// A DS or DNSKEY record read from an input file.
struct AnchorRecord {
  core::WireName owner;  ///< lower case
  std::uint16_t type = 0;
  std::string rdata;
  std::string file;
  std::uint32_t line = 0;
};

/// Reads DS (and, when `allow_dnskey`, DNSKEY) records from a master-format file, or from IANA's
/// root-anchors.xml format (RFC 7958), keeping only KeyDigests valid at `now`. Other record types are an error.
/// Throws zw::Error on unreadable or malformed input.
std::vector<AnchorRecord> read_anchor_file(const std::string& path, bool allow_dnskey, core::EpochSeconds now);

}  // namespace zw::zone
