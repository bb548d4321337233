// changes.hpp: what changed in a zone's keys, CDS/CDNSKEY and signers between two versions (input to rollover checks).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dnssec/analysis.hpp"
#include "zone/zone.hpp"

namespace zw::rollover {

/// One key's state in one version of the zone.
struct KeyState {
  std::uint16_t tag = 0;
  std::uint16_t flags = 0;
  bool signs_dnskey = false;  ///< some RRSIG over the apex DNSKEY RRset names this key (tag and algorithm)
  bool signs_data = false;    ///< some RRSIG over another authoritative RRset names this key
};

/// A key (identified by algorithm and public key) across the two versions.
struct KeyChange {
  std::uint8_t algorithm = 0;
  std::string public_key;
  std::optional<KeyState> before;  ///< empty: not published in the previous version
  std::optional<KeyState> after;   ///< empty: not published in the current version

  bool added() const { return !before && after; }
  bool removed() const { return before && !after; }
};

/// The differences between a previous and a current version of one zone.
struct ZoneChanges {
  std::uint32_t serial_before = 0;
  std::uint32_t serial_after = 0;
  std::vector<KeyChange> keys;           ///< every key published in either version, ordered by (algorithm, tag)
  std::vector<std::string> cds_added;    ///< CDS RDATA present now but not before
  std::vector<std::string> cds_removed;  ///< CDS RDATA present before but not now
};

/// Compares two versions. Signer information comes from the RRSIGs' key tags and algorithms, so it needs no
/// signature verification (the previous version is usually analysed without it).
ZoneChanges compare_versions(const zone::Zone& before, const dnssec::ZoneAnalysis& before_analysis,
                             const zone::Zone& after, const dnssec::ZoneAnalysis& after_analysis);

}  // namespace zw::rollover
