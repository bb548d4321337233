// common.hpp: small helpers shared by the check files (time windows, key predicates, parameter formatting).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "core/time.hpp"
#include "dnssec/algorithms.hpp"
#include "dnssec/analysis.hpp"

namespace zw::checks {

/// True when a key may be used to validate data (RFC 4034 §2.1.1 zone key, protocol 3, RFC 5011 not revoked,
/// and parsed into a usable public key).
inline bool key_usable(const dnssec::PublicKey& k) {
  return k.protocol == 3 && (k.flags & dnssec::kFlagZone) && !(k.flags & dnssec::kFlagRevoke) && k.pkey;
}

inline bool key_revoked(const dnssec::PublicKey& k) {
  return (k.flags & dnssec::kFlagRevoke) != 0;
}

/// True when the signature's validity window contains `now` (RFC 4035 §5.3.1, serial arithmetic).
inline bool sig_current(const dnssec::Rrsig& s, core::EpochSeconds now) {
  return core::rrsig_time(s.inception, now) <= now && now <= core::rrsig_time(s.expiration, now);
}

/// True when `sig` lets a validator accept its RRset now: it verifies, is current, and its key is usable.
inline bool sig_accepts(const dnssec::ZoneAnalysis& a, const dnssec::SigInfo& sig, core::EpochSeconds now) {
  return sig.status == dnssec::SigStatus::Valid && sig.key >= 0 &&
         key_usable(a.keys[static_cast<std::size_t>(sig.key)].key) && sig_current(sig.rrsig, now);
}

/// RFC 8624 algorithm classes (the algorithm table's signing status).
using AlgClass = dnssec::AlgStatus;
inline AlgClass algorithm_class(std::uint8_t alg) {
  return dnssec::algorithm_facts(alg).status;
}

/// "8 (RSASHA256)".
std::string alg_text(std::uint8_t alg);

/// True when two keys share a tag, also with the REVOKE bit toggled on one of them (RFC 5011 §7: "... the key tag
/// of the revoked key MUST NOT collide with other keys' tags"); `shared` is the tag they have in common.
bool tags_collide(const dnssec::PublicKey& x, const dnssec::PublicKey& y, std::uint16_t& shared);

/// One key of a KEYTAG_COLLISION group and where it was seen ("published, signing", "key file K….key", …).
struct CollisionMember {
  const dnssec::PublicKey* key = nullptr;
  std::string source;
};

/// KEYTAG_COLLISION params for the keys of one algorithm that share the tag `shared` (as published, or once one of
/// them is revoked, RFC 5011 §7): the tag, the algorithm, how many keys share it, and the first 8 of them in
/// canonical (RDATA) order, each with its tag, flags, the first octets of its public key in base64 (as many as tell
/// the keys apart) and its source; "and N more" after the eighth.
Reporter::Params keytag_collision_params(std::uint16_t shared, std::vector<CollisionMember> members);

/// The same for a group of two keys.
Reporter::Params keytag_collision_params(std::uint16_t shared, const dnssec::PublicKey& a, std::string source_a,
                                         const dnssec::PublicKey& b, std::string source_b);

}  // namespace zw::checks
