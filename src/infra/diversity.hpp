// diversity.hpp: where a zone's nameservers sit — origin ASes, /24 and /48 prefixes, countries (RFC 2182 §3.1:
// "secondary servers must be placed at both topologically and geographically dispersed locations").
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "infra/address_data.hpp"
#include "zone/zone.hpp"

namespace zw::infra {

/// One address of an NS set, with what the address data says of it (asn 0: no source covers it).
struct NsAddress {
  std::string nameserver;  ///< presentation format
  Address address;
  AddressInfo info;
};

/// The spread of one NS set's addresses.
struct Spread {
  std::vector<NsAddress> addresses;           ///< sorted by nameserver, then address
  std::map<std::uint32_t, std::string> asns;  ///< origin AS → its organisation, over the covered addresses
  std::set<std::string> countries;            ///< over the covered addresses that have one
  std::set<std::string> prefixes;             ///< /24 and /48 of every address
  std::vector<std::string> uncovered;  ///< public addresses no source covers (presentation, sorted; not special())
  std::size_t covered = 0;             ///< addresses with an AS
  std::size_t with_country = 0;        ///< covered addresses with a country
};

/// Each nameserver of the NS RRset `set` of `z` with its addresses: from the zone (an apex's in-zone names, a
/// delegation's glue), else from `known` (name in presentation format, lower-case → addresses, e.g. what a live walk
/// found). Empty when some nameserver has no known address: the set cannot be judged.
std::map<std::string, std::vector<Address>> nameserver_addresses(
    const zone::Zone& z, const zone::RRset& set, const std::map<std::string, std::vector<std::string>>& known);

/// Looks every address up. `by_nameserver`: each nameserver name (presentation) with its addresses (A/AAAA RDATA or
/// presentation text both accepted through Address).
Spread spread_of(const std::map<std::string, std::vector<Address>>& by_nameserver, const AddressData& data);

/// Whether the spread shows one AS: two addresses or more are covered and all of them originate from one AS.
/// Uncovered addresses never count as diverse.
bool single_asn(const Spread& s);
/// The one organisation behind every covered address when they originate from two ASes or more that the address
/// data names alike (one operator's per-service ASes: thin diversity NS_SINGLE_ASN cannot see); else empty.
std::string single_operator(const Spread& s);
/// Whether the covered addresses (two or more, each with a country) all geolocate to one country.
bool single_country(const Spread& s);

}  // namespace zw::infra
