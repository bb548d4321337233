// rdata.hpp: typed reads of the canonical wire RDATA the zone stores.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/bytes.hpp"
#include "core/name.hpp"
#include "zone/zone.hpp"

namespace zw::zone {

/// The fields of SOA RDATA (RFC 1035 §3.3.13): MNAME and RNAME, then five 32-bit fields.
struct SoaFields {
  std::size_t rname_at = 0;  ///< offset of RNAME (MNAME is at 0)
  std::uint32_t serial = 0, refresh = 0, retry = 0, expire = 0, minimum = 0;
};

/// The fields of SOA RDATA; empty when the names do not parse or fewer than 20 octets follow them.
inline std::optional<SoaFields> soa_fields(std::string_view rdata) {
  SoaFields f;
  std::size_t pos = 0;
  core::WireName skip;
  if (!core::read_wire_name(rdata, pos, skip)) return std::nullopt;
  f.rname_at = pos;
  if (!core::read_wire_name(rdata, pos, skip) || pos + 20 > rdata.size()) return std::nullopt;
  f.serial = core::be32(rdata, pos);
  f.refresh = core::be32(rdata, pos + 4);
  f.retry = core::be32(rdata, pos + 8);
  f.expire = core::be32(rdata, pos + 12);
  f.minimum = core::be32(rdata, pos + 16);
  return f;
}

/// The fields of the zone's SOA at the apex (its first record); `where`, when given, is set to the SOA RRset. Empty
/// without an apex SOA or when its RDATA does not read.
inline std::optional<SoaFields> apex_soa(const Zone& z, const RRset** where = nullptr) {
  const auto apex = z.apex();
  const RRset* soa = apex ? z.find(*apex, rrtype::SOA) : nullptr;
  if (!soa) return std::nullopt;
  if (where) *where = soa;
  return soa_fields(z.rdata(z.records[soa->first]));
}

/// The type an RRSIG covers (RFC 4034 §3.1.1: its first two octets); empty when the RDATA is shorter.
inline std::optional<std::uint16_t> rrsig_type_covered(std::string_view rdata) {
  if (rdata.size() < 2) return std::nullopt;
  return core::be16(rdata, 0);
}

/// The fixed head of DNSKEY RDATA (RFC 4034 §2.1): flags, protocol and algorithm.
struct DnskeyHead {
  std::uint16_t flags = 0;
  std::uint8_t protocol = 0;
  std::uint8_t algorithm = 0;
};

/// The head of DNSKEY (or CDNSKEY) RDATA; empty when fewer than four octets.
inline std::optional<DnskeyHead> dnskey_head(std::string_view rdata) {
  if (rdata.size() < 4) return std::nullopt;
  return DnskeyHead{core::be16(rdata, 0), static_cast<std::uint8_t>(rdata[2]), static_cast<std::uint8_t>(rdata[3])};
}

/// The fields of ZONEMD RDATA (RFC 8976 §2.2): serial, scheme, hash algorithm, digest.
struct ZonemdFields {
  std::uint32_t serial = 0;
  std::uint8_t scheme = 0;
  std::uint8_t hash_algorithm = 0;
  std::string_view digest;
};

/// The fields of ZONEMD RDATA; empty when fewer than six octets.
inline std::optional<ZonemdFields> zonemd_fields(std::string_view rdata) {
  if (rdata.size() < 6) return std::nullopt;
  return ZonemdFields{core::be32(rdata, 0), static_cast<std::uint8_t>(rdata[4]), static_cast<std::uint8_t>(rdata[5]),
                      rdata.substr(6)};
}

}  // namespace zw::zone
