// snapshot.hpp: what one version of a zone shows of its keys, their use and the parent's DS set — the part of a
// version that rollover timing depends on (RFC 7583 §2: DNSKEY, DS and signatures, with their TTLs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "core/time.hpp"
#include "dnssec/analysis.hpp"
#include "zone/zone.hpp"

namespace zw::rollover {

/// One published DNSKEY and what it signs.
struct SnapKey {
  /// 16 hex digits of SHA-256 over the algorithm and public key: the key's identity across versions, unchanged when
  /// its flags change (RFC 5011 revocation changes the tag, not the key).
  std::string id;
  std::uint8_t algorithm = 0;
  std::uint16_t tag = 0;
  std::uint16_t flags = 0;
  bool signs_dnskey = false;  ///< an RRSIG over the apex DNSKEY RRset names it
  bool signs_data = false;    ///< an RRSIG over another authoritative RRset names it

  bool sep() const;
  bool revoked() const;
  bool operator==(const SnapKey&) const = default;
};

/// A signer of data: a published key (its id) or, for a signature whose key is not published, "?ALG/TAG".
struct Signer {
  std::string id;
  std::uint8_t algorithm = 0;
  std::uint16_t tag = 0;
  bool operator==(const Signer&) const = default;
  auto operator<=>(const Signer& o) const { return id <=> o.id; }
};

/// The RRsets that carry exactly the same signers, summarised: validators holding such an RRset need one of its
/// signers in the DNSKEY RRset they hold (RFC 4035 §5.3.3).
struct SignerSet {
  std::vector<Signer> signers;  ///< sorted by id
  std::uint32_t max_ttl = 0;    ///< the largest TTL among its RRsets: how long a cache may hold one
  std::uint64_t rrsets = 0;     ///< how many RRsets (not part of a version's identity)
  /// The latest expiration among their signatures (0: unknown): validators keep no RRset past the expiration of its
  /// signature (RFC 4035 §5.3.3), so no cache holds one longer (not part of a version's identity either).
  core::EpochSeconds expires = 0;
};

/// One DS record at the parent.
struct SnapDs {
  std::uint16_t tag = 0;
  std::uint8_t algorithm = 0;
  std::uint8_t digest_type = 0;
  std::string digest;  ///< hex
  std::string key;     ///< id of the published key it matches (with its flags, or with REVOKE toggled), or empty
  bool operator==(const SnapDs&) const = default;
  std::string item() const;  ///< "TAG/ALG/TYPE/DIGEST": the record's identity in the state
};

/// The parent's DS set as far as it is known.
struct SnapDsSet {
  std::vector<SnapDs> records;  ///< sorted; empty: the parent publishes no DS (an insecure delegation)
  std::uint32_t ttl = 0;
  bool operator==(const SnapDsSet&) const = default;
};

/// The rollover-relevant content of one version of a zone.
struct Snapshot {
  std::uint32_t serial = 0;
  bool signed_zone = false;
  std::vector<SnapKey> keys;  ///< zone keys of the apex DNSKEY RRset, sorted by (algorithm, tag, id)
  std::uint32_t dnskey_ttl = 0;
  std::vector<SignerSet> signer_sets;  ///< sorted by signers
  std::optional<SnapDsSet> ds;         ///< unknown unless --ds, --no-ds, the parent's file or a live parent gave it
  std::vector<std::string> cds;        ///< the apex CDS records, "TAG ALG TYPE DIGEST", sorted

  const SnapKey* key(const std::string& id) const;
  /// Same keys, signers, TTLs and DS: one step of a timeline (the serial and RRset counts do not count).
  bool same_state(const Snapshot& o) const;
};

/// Where the parent's DS set of a view comes from, for its snapshot.
struct DsInput {
  bool known = false;  ///< false: the DS set is unknown (nothing given; the zone's own keys are assumed)
  std::uint32_t ttl = 0;
};

/// The snapshot of a view: keys and their use from the analysis (signatures attributed to keys by tag and
/// algorithm, verified or not), the DS set from the chain input when `ds.known`.
/// `now` resolves the signatures' serial-arithmetic times (RFC 4034 §3.1.5).
Snapshot take_snapshot(const zone::Zone& z, const dnssec::ZoneAnalysis& a, const checks::ChainInput& chain,
                       const DsInput& ds, core::EpochSeconds now);

/// The id of a key (SnapKey::id).
std::string key_id(std::uint8_t algorithm, std::string_view public_key);

}  // namespace zw::rollover
