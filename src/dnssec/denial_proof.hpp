// denial_proof.hpp: whether one answer's NSEC/NSEC3 records prove the denial it claims (RFC 4035 §5.4, RFC 5155 §8).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/name.hpp"

namespace zw::dnssec {

/// One record of an answer, as the server sent it (owner case is kept and ignored).
struct ProofRecord {
  core::WireName owner;
  std::uint16_t type = 0;
  std::string rdata;  ///< uncompressed wire format, no RDLENGTH
};

/// What was asked, of which zone, and what the server answered.
struct ProofQuestion {
  core::WireName zone;   ///< the apex of the zone whose servers answered
  core::WireName qname;  ///< at or below `zone`
  std::uint16_t qtype = 0;
  int rcode = 0;  ///< 0 (NOERROR) or 3 (NXDOMAIN); any other rcode claims no denial
};

/// The verdict on one answer.
struct ProofResult {
  bool proven = true;
  /// What the answer claims (set whether or not it is proven):
  ///   "nxdomain"            the name does not exist (RFC 4035 §3.1.3.2, RFC 5155 §8.4)
  ///   "nodata"              the name exists without the type (RFC 4035 §3.1.3.1, RFC 5155 §8.5, §8.6)
  ///   "wildcard-nodata"     the name is covered by a wildcard that lacks the type (RFC 4035 §3.1.3.4, RFC 5155 §8.7)
  ///   "wildcard-answer"     a positive answer expanded from a wildcard (RFC 4035 §5.3.4, RFC 5155 §8.8)
  ///   "insecure-delegation" a referral without DS, proven by the record at the delegation (RFC 5155 §8.9)
  ///   "opt-out"             an NXDOMAIN, a DS NODATA or a referral proven only through an NSEC3 record with the
  ///                         Opt-Out flag covering the next closer name: valid, but it shows only that no signed
  ///                         name exists there (RFC 5155 §6, §12.2), and validators may answer insecure
  ///   ""                    no denial claimed: a positive answer without wildcard expansion, a referral with DS,
  ///                         an answer that leaves the zone through a CNAME, or another rcode (always proven)
  std::string kind;
  /// When not proven, the closed token of DENIAL_PROOF_INVALID that says why (src/catalog/findings.def); else empty.
  std::string detail;
};

/// Judges the denial of existence `answer` and `authority` (the sections of one response) make for `q`.
///
/// Only the records of `q.zone` count: NSEC at or below the apex, NSEC3 one label below it; NSEC3 with an unknown
/// hash algorithm or flags other than 0 and 1 are ignored (RFC 5155 §8.1, §8.2). A CNAME chain in the answer is
/// followed within the zone; every answer RRset on it whose RRSIG Labels field is below the owner's label count was
/// expanded from a wildcard and needs proof that its owner does not exist. Signatures are not verified here.
///
/// NSEC3 with more than kNsec3IterationsUnbudgeted iterations is not hashed at all: the answer is not proven
/// (detail "nsec3-iterations-over-cap"), as validators treat such proofs as insecure or answer SERVFAIL
/// (RFC 9276 §3.2). Otherwise the work is O(n log n) in the number of records, plus at most one NSEC3 hash per label
/// of the names proven.
ProofResult check_denial_proof(const ProofQuestion& q, std::span<const ProofRecord> answer,
                               std::span<const ProofRecord> authority);

}  // namespace zw::dnssec
