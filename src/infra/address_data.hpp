// address_data.hpp: what is known about an IP address (origin AS, its organisation, the network it is routed in,
// country, anycast), from sources tried in order: Debian's libloc database, MaxMind-format .mmdb files, range files
// (CSV, iptoasn TSV, RouteViews/CAIDA pfx2as; gzip or plain).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace zw::infra {

/// An IPv4 or IPv6 address; IPv4 is kept IPv4-mapped (::ffff:a.b.c.d) so that both sort in one space.
struct Address {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;

  /// Parses presentation format; nullopt when `text` is no IPv4 or IPv6 address.
  static std::optional<Address> parse(std::string_view text);
  /// From A (4 octets) or AAAA (16 octets) RDATA; nullopt for any other length.
  static std::optional<Address> from_rdata(std::string_view rdata);
  /// Presentation format (RFC 5952 for IPv6).
  std::string text() const;
  /// The /24 (IPv4) or /48 (IPv6) the address is in, as "192.0.2.0/24" or "2001:db8:1::/48" (NS_SINGLE_PREFIX).
  std::string prefix() const;
  /// Whether the address is for special purposes (RFC 6890: private, loopback, link-local, documentation, …): no
  /// public address data covers it, and its absence there says nothing.
  bool special() const;

  friend bool operator<(const Address& a, const Address& b) { return a.bytes < b.bytes; }
  friend bool operator==(const Address& a, const Address& b) { return a.bytes == b.bytes; }
};

/// What a source says about an address. asn 0: the source does not cover it.
struct AddressInfo {
  std::uint32_t asn = 0;
  std::string org;      ///< the AS's organisation, when the source names it
  std::string network;  ///< where the source places the address: "31.13.24.0/21", or "first-last" for a range
  std::string country;  ///< ISO 3166-1 alpha-2, empty when unknown
  bool anycast = false;
  std::string source;  ///< the source's name (AddressSource::name)
};

/// One source of address facts. Lookups are safe from several threads at once.
class AddressSource {
 public:
  virtual ~AddressSource() = default;
  /// The facts for `a`, or nullopt when the source does not cover it.
  virtual std::optional<AddressInfo> lookup(const Address& a) const = 0;

  std::string name;  ///< as given: "libloc:/usr/share/libloc-location/location.db", "csv:FILE", …
  std::string kind;  ///< "libloc", "mmdb", "csv", "iptoasn" or "pfx2as"
  /// When its data was made: libloc's header, an .mmdb's build_epoch; a range file's "# built=YYYY-MM-DD" line, else
  /// its modification time.
  std::optional<core::EpochSeconds> built;
  std::size_t entries = 0;  ///< ranges read (range files)
};

/// Opens a source. `spec` is KIND:PATH (libloc, mmdb, csv, iptoasn, pfx2as), a bare "libloc" (Debian's database),
/// or a PATH whose name says its kind (*.db: libloc, *.mmdb: mmdb, *.csv[.gz]: csv, *.tsv[.gz]: iptoasn, anything
/// with "pfx2as": pfx2as). Throws zw::Error naming the file (and line) when it cannot be read or a line is malformed.
std::unique_ptr<AddressSource> open_source(const std::string& spec);

/// Debian's libloc database (package libloc-database).
inline constexpr const char* kDefaultLibloc = "/usr/share/libloc-location/location.db";

/// Sources tried in order: the first that covers an address gives its AS, organisation and network; country and
/// anycast come from the first source that has them.
class AddressData {
 public:
  void add(std::unique_ptr<AddressSource> s) { sources_.push_back(std::move(s)); }
  AddressInfo lookup(const Address& a) const;
  const std::vector<std::unique_ptr<AddressSource>>& sources() const { return sources_; }
  bool empty() const { return sources_.empty(); }

 private:
  std::vector<std::unique_ptr<AddressSource>> sources_;
};

}  // namespace zw::infra
