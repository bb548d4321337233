// denial_support.hpp: what the denial tests share: running check_denial alone over a zone's text, and NSEC3 labels.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "core/codec.hpp"
#include "core/name.hpp"
#include "dnssec/analysis.hpp"
#include "dnssec/nsec3.hpp"
#include "support.hpp"
#include "zone/loader.hpp"

namespace zw::test {

/// Runs only check_denial over a zone given as text (signatures are not verified: the zone counts as signed when
/// its apex has a DNSKEY RRset).
inline std::vector<Finding> denial_only(const std::string& text) {
  zone::LoadOptions lo;
  const zone::Zone z = zone::load_zone_text(text, "test.zone", lo);
  const dnssec::ZoneAnalysis a = dnssec::analyse(z, false);
  return run_check(&checks::check_denial, z, a);
}

/// The base32hex hashed owner label of `name` (0 iterations, no salt).
inline std::string hashed(const std::string& name) {
  core::WireName w;
  std::string err;
  REQUIRE(core::parse_name(name, ".", w, err));
  core::name_to_lower(w);
  return core::base32hex_encode(dnssec::nsec3_hash(w, "", 0));
}

}  // namespace zw::test
