// analysis.hpp: the DNSSEC observations of one zone: its keys, every signature and its verification outcome.
#pragma once

#include <cstdint>
#include <set>
#include <span>
#include <vector>

#include "dnssec/crypto.hpp"
#include "zone/zone.hpp"

namespace zw::dnssec {

/// Outcome of checking one RRSIG against the zone's keys (time is not considered here).
enum class SigStatus : std::uint8_t {
  Valid,          ///< verifies with a published zone key
  Invalid,        ///< a published key with its tag and algorithm exists, and the signature fails under each
  Malformed,      ///< RRSIG RDATA unreadable, or signature length wrong for the algorithm
  NoKey,          ///< no published zone key has the signer, algorithm and tag
  KeyUnusable,    ///< the matching keys cannot be used (unsupported algorithm, malformed key)
  SignerWrong,    ///< signer name is not the zone apex
  LabelsInvalid,  ///< Labels field does not fit the owner
  NotChecked,     ///< covers non-authoritative data, an absent RRset, or lies outside the zone
  Unverified,     ///< a work budget (VerifyBudget) stopped before every candidate key was tried: never valid
};

/// Which work budget left a signature Unverified.
enum class BudgetStop : std::uint8_t {
  None,
  Rrset,   ///< the RRset's failed validations reached VerifyBudget::failures_per_rrset
  KeyTag,  ///< more keys share the signature's tag and algorithm than VerifyBudget::keys_per_tag
  Bytes,   ///< the RRset's validations reached VerifyBudget::bytes_per_rrset octets of signed data
};

/// Work limits of signature verification against KeyTrap (CVE-2023-50387), after Unbound's MAX_VALIDATE_RRSIGS and
/// its per-tag key limit. Failed validations count, so a zone full of signatures that fail under many keys sharing
/// one tag stops early; valid ones count only through the octets they hash, so every signature of a zone whose
/// signatures verify is verified unless one RRset is huge and signed many times over.
struct VerifyBudget {
  std::uint32_t failures_per_rrset = 16;  ///< failed validations per RRset; later signatures are not tried
  std::uint32_t keys_per_tag = 4;         ///< keys tried per signature among those sharing its tag and algorithm
  /// Octets of signed data hashed per RRset, valid or not: each validation hashes the whole RRset, so a huge RRset
  /// under many signatures is quadratic work. 64 MiB is a thousand signatures over the largest RRset a DNS message
  /// can carry (64 KiB); the signatures after the limit are not tried.
  std::uint64_t bytes_per_rrset = std::uint64_t{64} << 20;
};

/// One RRSIG record and what was found about it.
struct SigInfo {
  std::uint32_t record = 0;  ///< index into Zone::records
  std::int32_t rrset = -1;   ///< covered RRset index, -1 when the covered type is absent at the owner
  bool parsed = false;
  Rrsig rrsig;  ///< fields (views point into the zone arena)
  SigStatus status = SigStatus::NotChecked;
  std::int32_t key = -1;  ///< index into ZoneAnalysis::keys: the key that verified it, or the first candidate
  bool foreign = false;   ///< RSA only: the signature's padding does not decode under the named key, so that
                          ///< key did not make it (an unpublished key with the same tag, or corruption)
  BudgetStop budget = BudgetStop::None;  ///< why the status is Unverified
  std::uint32_t validations = 0;         ///< validations tried for it (at most VerifyBudget::keys_per_tag)
};

/// One apex DNSKEY and its use.
struct KeyInfo {
  std::uint32_t record = 0;  ///< index into Zone::records
  PublicKey key;
  std::uint32_t valid_signatures = 0;  ///< signatures that verify with this key
  bool signs_dnskey = false;           ///< has a verifying signature over the DNSKEY RRset
  bool signs_other = false;            ///< has a verifying signature over another RRset
  bool named = false;                  ///< some RRSIG names this key's tag and algorithm
};

/// Everything the signature checks need about one zone.
struct ZoneAnalysis {
  bool signed_zone = false;  ///< the apex has a DNSKEY RRset
  std::vector<KeyInfo> keys;
  std::vector<SigInfo> sigs;              ///< one per RRSIG record, ordered by covered RRset
  std::vector<std::uint32_t> rrset_sigs;  ///< CSR index: sigs of rrset i are [rrset_sigs[i], rrset_sigs[i+1])
  VerifyBudget budget;                    ///< the limits verify_signatures worked under
  std::uint64_t validations = 0;          ///< signature validations (verify() calls) verify_signatures made

  /// Algorithms of the signatures over authoritative data (whether or not they verify).
  std::set<std::uint8_t> signing_algorithms() const;

  std::span<const SigInfo> sigs_of(std::uint32_t rrset) const {
    return {sigs.data() + rrset_sigs[rrset], rrset_sigs[rrset + 1] - rrset_sigs[rrset]};
  }
};

/// True when an RRset is authoritative data that must be signed (RFC 4035 §2.2): everything at the apex and
/// at ordinary names, and DS/NSEC at delegation points; never NS at a delegation, glue, or RRSIGs themselves.
bool is_authoritative(const zone::Zone& zone, const zone::RRset& rrset);

/// Parses the apex keys and verifies every signature over authoritative data, on all cores. With `verify_signatures`
/// false (e.g. for the previous version of a zone) signatures are parsed and attached but not verified (NotChecked).
ZoneAnalysis analyse(const zone::Zone& zone, bool verify_signatures = true, const VerifyBudget& budget = {});

/// analyse() in steps, so that work reading only the zone and ZoneAnalysis::signed_zone can run alongside the rest:
///  1. signed_zone = zone_is_signed(zone) (the apex has a DNSKEY RRset);
///  2. prepare_analysis: parses the apex keys and attaches every signature to its RRset (writes keys, sigs and
///     rrset_sigs only);
///  3. verify_signatures: verifies every signature over authoritative data on all cores, one RRset at a time under
///     `budget`, and counts each key's use (writes SigInfo::status, key, foreign and budget, the KeyInfo counters,
///     ZoneAnalysis::budget and validations only).
bool zone_is_signed(const zone::Zone& zone);
void prepare_analysis(const zone::Zone& zone, ZoneAnalysis& analysis);
void verify_signatures(const zone::Zone& zone, ZoneAnalysis& analysis, const VerifyBudget& budget = {});

/// Verifies the signatures of one RRset (`rrset`, an index into Zone::rrsets) with the zone's keys under
/// `budget`, in zone order; returns the number of validations made. Thread-safe for distinct RRsets.
std::uint64_t verify_rrset(const zone::Zone& zone, ZoneAnalysis& analysis, std::uint32_t rrset,
                           const VerifyBudget& budget);

}  // namespace zw::dnssec
