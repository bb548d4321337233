// analysis.cpp: key parsing and parallel signature verification for one zone.
#include "dnssec/analysis.hpp"

#include <openssl/rsa.h>

#include <algorithm>
#include <utility>

#include "core/bytes.hpp"
#include "core/parallel.hpp"

namespace zw::dnssec {
namespace {

using zone::NodeKind;
namespace rrtype = zone::rrtype;

/// RSA only: true when the signature decodes to valid PKCS#1 v1.5 padding under the key, i.e. this key made it
/// over some data. A signature made by another key decodes to random bytes.
bool rsa_padding_decodes(const PublicKey& key, std::string_view signature) {
  if (!key.pkey) return false;
  core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_verify_recover_init(ctx.get()) <= 0) return false;
  if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) <= 0) return false;
  std::size_t outlen = 0;
  const auto* sig = reinterpret_cast<const unsigned char*>(signature.data());
  if (EVP_PKEY_verify_recover(ctx.get(), nullptr, &outlen, sig, signature.size()) <= 0) return false;
  std::string out(outlen, '\0');
  return EVP_PKEY_verify_recover(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &outlen, sig,
                                 signature.size()) > 0;
}

}  // namespace

bool is_authoritative(const zone::Zone& zone, const zone::RRset& rrset) {
  if (rrset.type == rrtype::RRSIG) return false;
  switch (zone.kinds[rrset.name]) {
    case NodeKind::Apex:
    case NodeKind::Authoritative: return true;
    case NodeKind::Delegation: return rrset.type == rrtype::DS || rrset.type == rrtype::NSEC;
    default: return false;
  }
}

std::set<std::uint8_t> ZoneAnalysis::signing_algorithms() const {
  std::set<std::uint8_t> out;
  for (const SigInfo& s : sigs) {
    if (s.parsed && s.status != SigStatus::NotChecked) out.insert(s.rrsig.algorithm);
  }
  return out;
}

bool zone_is_signed(const zone::Zone& zone) {
  auto apex = zone.apex();
  return apex && zone.find(*apex, rrtype::DNSKEY) != nullptr;
}

ZoneAnalysis analyse(const zone::Zone& zone, bool verify, const VerifyBudget& budget) {
  ZoneAnalysis a;
  a.signed_zone = zone_is_signed(zone);
  prepare_analysis(zone, a);
  if (verify) verify_signatures(zone, a, budget);
  return a;
}

void prepare_analysis(const zone::Zone& zone, ZoneAnalysis& a) {
  auto apex = zone.apex();
  const zone::RRset* dnskeys = apex ? zone.find(*apex, rrtype::DNSKEY) : nullptr;
  if (dnskeys) {
    for (std::uint32_t i = dnskeys->first; i < dnskeys->first + dnskeys->count; ++i) {
      KeyInfo k;
      k.record = i;
      k.key = parse_dnskey(zone.rdata(zone.records[i]));
      a.keys.push_back(std::move(k));
    }
  }

  // Collect RRSIG records and attach each to the RRset it covers, on all cores, into a vector sized once.
  std::vector<std::uint32_t> sig_sets;
  std::vector<std::size_t> sig_first;
  std::size_t total = 0;
  for (std::uint32_t si = 0; si < zone.rrsets.size(); ++si) {
    if (zone.rrsets[si].type != rrtype::RRSIG) continue;
    sig_sets.push_back(si);
    sig_first.push_back(total);
    total += zone.rrsets[si].count;
  }
  a.sigs.resize(total);
  core::parallel_for(
      sig_sets.size(),
      [&](std::size_t k) {
        const zone::RRset& s = zone.rrsets[sig_sets[k]];
        for (std::uint32_t i = 0; i < s.count; ++i) {
          const std::uint32_t r = s.first + i;
          SigInfo& info = a.sigs[sig_first[k] + i];
          info.record = r;
          auto parsed = parse_rrsig(zone.rdata(zone.records[r]));
          if (parsed) {
            info.parsed = true;
            info.rrsig = std::move(*parsed);
            if (const zone::RRset* covered = zone.find(s.name, info.rrsig.type_covered)) {
              info.rrset = static_cast<std::int32_t>(covered - zone.rrsets.data());
            }
          } else {
            // Unreadable RDATA: attach by the covered type if at least the first two octets exist.
            std::string_view rd = zone.rdata(zone.records[r]);
            if (rd.size() >= 2) {
              if (const zone::RRset* covered = zone.find(s.name, core::be16(rd, 0))) {
                info.rrset = static_cast<std::int32_t>(covered - zone.rrsets.data());
              }
            }
            info.status = SigStatus::Malformed;
          }
        }
      },
      256);
  // Zone order (names, then RRSIG RDATA, which starts with the covered type) is already covered-RRset order unless
  // some signature covers nothing here; sort only then (a stable sort needs a copy of all signatures).
  auto by_rrset = [](const SigInfo& x, const SigInfo& y) { return x.rrset < y.rrset; };
  if (!std::is_sorted(a.sigs.begin(), a.sigs.end(), by_rrset)) std::stable_sort(a.sigs.begin(), a.sigs.end(), by_rrset);
  a.rrset_sigs.assign(zone.rrsets.size() + 1, 0);
  for (const SigInfo& s : a.sigs) {
    if (s.rrset >= 0) ++a.rrset_sigs[static_cast<std::size_t>(s.rrset) + 1];
  }
  // Orphans (rrset -1) sort first; skip them in the index.
  std::uint32_t orphans = 0;
  while (orphans < a.sigs.size() && a.sigs[orphans].rrset < 0) ++orphans;
  a.rrset_sigs[0] = orphans;
  for (std::size_t i = 1; i < a.rrset_sigs.size(); ++i) a.rrset_sigs[i] += a.rrset_sigs[i - 1];
}

namespace {

/// The published zone keys with the signature's tag and algorithm, in DNSKEY order.
void candidate_keys(const ZoneAnalysis& a, const Rrsig& sig, std::vector<std::size_t>& out) {
  out.clear();
  for (std::size_t k = 0; k < a.keys.size(); ++k) {
    const PublicKey& key = a.keys[k].key;
    if (key.tag != sig.key_tag || key.algorithm != sig.algorithm) continue;
    if (key.protocol != 3 || !(key.flags & kFlagZone)) continue;  // RFC 4034 §2.1.1: not a zone key
    out.push_back(k);
  }
}

/// The checks that need no key: signer and labels. False when they decide the status.
bool fields_fit(const zone::Zone& zone, const std::string& owner, SigInfo& s) {
  if (!core::name_equal(s.rrsig.signer, zone.origin)) {
    s.status = SigStatus::SignerWrong;
    return false;
  }
  int owner_labels = core::name_label_count(owner) - (core::name_is_wildcard(owner) ? 1 : 0);
  // RFC 4034 §3.1.3: Labels counts the owner's labels without the root and a leading "*". In a zone file the
  // owner is the name itself (never a wildcard expansion), so the count must match exactly.
  if (s.rrsig.labels != owner_labels) {
    s.status = SigStatus::LabelsInvalid;
    return false;
  }
  return true;
}

}  // namespace

namespace {

/// The data each signature of one RRset signs (RFC 4034 §3.1.8.1: RRSIG RDATA without the signature, then the RRset
/// in canonical form). The RRset part depends on a signature only through its Labels and Original TTL fields, so it
/// is sorted and built once for a run of signatures that agree on them, not once per signature.
class SignedData {
 public:
  SignedData(std::string_view owner, std::uint16_t type, std::uint16_t rclass,
             const std::vector<std::string_view>& rdatas)
      : owner_(owner), type_(type), rclass_(rclass), rdatas_(rdatas) {}

  const std::string& of(const Rrsig& sig) {
    if (!data_.empty() && sig.labels == labels_ && sig.original_ttl == ttl_) {
      // Only the RRSIG part changes: its fixed octets exactly as in the RDATA, then the signer in canonical (lower)
      // case.
      prefix_.assign(sig.header.substr(0, sig.header.size() - sig.signer.size()));
      prefix_.append(sig.signer);
      data_.replace(0, prefix_length_, prefix_);
      prefix_length_ = prefix_.size();
      return data_;
    }
    data_ = signed_data(sig, owner_, type_, rclass_, rdatas_);
    prefix_length_ = std::min(data_.size(), sig.header.size());
    labels_ = sig.labels;
    ttl_ = sig.original_ttl;
    return data_;
  }

 private:
  std::string_view owner_;
  std::uint16_t type_;
  std::uint16_t rclass_;
  const std::vector<std::string_view>& rdatas_;
  std::uint8_t labels_ = 0;        ///< the Labels field data_ was built for
  std::uint32_t ttl_ = 0;          ///< the Original TTL field data_ was built for
  std::string data_;               ///< the last signature's signed data (empty: none yet)
  std::size_t prefix_length_ = 0;  ///< octets of data_ before the RRset
  std::string prefix_;
};

/// The work one RRset's signatures have spent so far.
struct RrsetSpent {
  std::uint64_t validations = 0;
  std::uint32_t failures = 0;  ///< failed validations
  std::uint64_t bytes = 0;     ///< octets of signed data hashed
  bool bytes_stop = false;     ///< the hashing budget stopped the RRset
};

/// Tries the candidate keys on one signature within the budget: Valid, Invalid, Malformed, KeyUnusable or
/// Unverified.
void verify_one(ZoneAnalysis& a, SigInfo& s, const std::vector<std::size_t>& candidates, std::string_view data,
                const VerifyBudget& budget, RrsetSpent& spent) {
  bool any_usable = false;
  bool any_malformed = false;
  std::size_t tried = 0;
  for (; tried < candidates.size() && tried < budget.keys_per_tag && spent.failures < budget.failures_per_rrset;
       ++tried) {
    if (spent.bytes + data.size() > budget.bytes_per_rrset) {
      spent.bytes_stop = true;
      break;
    }
    const std::size_t k = candidates[tried];
    ++spent.validations;
    ++s.validations;
    spent.bytes += data.size();
    VerifyResult v = verify(a.keys[k].key, data, s.rrsig.signature);
    if (v == VerifyResult::Valid) {
      s.status = SigStatus::Valid;
      s.key = static_cast<std::int32_t>(k);
      return;
    }
    ++spent.failures;
    if (v != VerifyResult::Unsupported) any_usable = true;
    if (v == VerifyResult::Malformed) any_malformed = true;
  }
  if (tried < candidates.size()) {
    // A budget stopped the search: the keys not tried might accept the signature, so it is neither valid nor
    // invalid.
    s.status = SigStatus::Unverified;
    s.budget = spent.bytes_stop               ? BudgetStop::Bytes
               : tried >= budget.keys_per_tag ? BudgetStop::KeyTag
                                              : BudgetStop::Rrset;
    return;
  }
  if (!any_usable) {
    s.status = SigStatus::KeyUnusable;
    return;
  }
  s.status = any_malformed ? SigStatus::Malformed : SigStatus::Invalid;
  if (is_rsa_algorithm(s.rrsig.algorithm)) {
    bool decodes = false;
    for (std::size_t k : candidates) decodes = decodes || rsa_padding_decodes(a.keys[k].key, s.rrsig.signature);
    s.foreign = !decodes;
  }
}

}  // namespace

std::uint64_t verify_rrset(const zone::Zone& zone, ZoneAnalysis& a, std::uint32_t rrset, const VerifyBudget& budget) {
  const std::uint32_t first = a.rrset_sigs[rrset];
  const std::uint32_t last = a.rrset_sigs[rrset + 1];
  if (first == last) return 0;
  const zone::RRset& covered = zone.rrsets[rrset];
  if (!is_authoritative(zone, covered)) {
    for (std::uint32_t i = first; i < last; ++i) {
      if (a.sigs[i].parsed) a.sigs[i].status = SigStatus::NotChecked;
    }
    return 0;
  }
  const std::string& owner = zone.names[covered.name];
  thread_local std::vector<std::string_view> rdatas;
  rdatas.clear();
  for (const zone::Record& r : zone.records_of(covered)) rdatas.push_back(zone.rdata(r));
  thread_local std::vector<std::size_t> candidates;
  SignedData data(owner, covered.type, zone.records[covered.first].rclass, rdatas);
  RrsetSpent spent;
  // The signatures whose tag names fewest keys first (in zone order among equals): a signature by a key with a tag
  // of its own costs one validation, so hundreds of signatures naming a crowded tag (KeyTrap) cannot spend the
  // RRset's budget before the one that validates is tried. Over the DNSKEY RRset, signatures by SEP keys (the keys a
  // DS or trust anchor names, RFC 4034 §2.1.1) come first of all: junk signatures, each naming a key of a tag of its
  // own, cannot spend the budget before the KSK's either.
  const bool dnskey = covered.type == zone::rrtype::DNSKEY;
  constexpr std::size_t kNotSep = std::size_t{1} << 32;  // above any count of keys
  thread_local std::vector<std::pair<std::size_t, std::uint32_t>> order;
  order.clear();
  for (std::uint32_t i = first; i < last; ++i) {
    const SigInfo& s = a.sigs[i];
    if (!s.parsed) continue;
    if (last - first == 1) {  // one signature, no order to find: most RRsets, a TLD's DS and NSEC ones
      order.emplace_back(0, i);
      break;
    }
    candidate_keys(a, s.rrsig, candidates);
    const bool sep = dnskey && std::any_of(candidates.begin(), candidates.end(),
                                           [&](std::size_t k) { return (a.keys[k].key.flags & 1U) != 0; });
    order.emplace_back(candidates.size() + (dnskey && !sep ? kNotSep : 0), i);
  }
  std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const auto& [count, i] : order) {
    SigInfo& s = a.sigs[i];
    if (!fields_fit(zone, owner, s)) continue;
    candidate_keys(a, s.rrsig, candidates);
    if (candidates.empty()) {
      s.status = SigStatus::NoKey;
      continue;
    }
    s.key = static_cast<std::int32_t>(candidates.front());
    if (spent.failures >= budget.failures_per_rrset || spent.bytes_stop) {
      s.status = SigStatus::Unverified;
      s.budget = spent.bytes_stop ? BudgetStop::Bytes : BudgetStop::Rrset;
      continue;
    }
    verify_one(a, s, candidates, data.of(s.rrsig), budget, spent);
  }
  return spent.validations;
}

void verify_signatures(const zone::Zone& zone, ZoneAnalysis& a, const VerifyBudget& budget) {
  a.budget = budget;
  if (!a.signed_zone) return;

  // Verify, in parallel, the signatures of every RRset; each RRset's signatures in zone order, so that its budget
  // stops at the same signature on every run.
  std::vector<std::uint32_t> signed_sets;  // RRsets with signatures: as many work items as signatures, about
  for (std::uint32_t r = 0; r + 1 < a.rrset_sigs.size(); ++r) {
    if (a.rrset_sigs[r] != a.rrset_sigs[r + 1]) signed_sets.push_back(r);
  }
  core::parallel_for(signed_sets.size(), [&](std::size_t k) { verify_rrset(zone, a, signed_sets[k], budget); });

  a.validations = 0;
  for (const SigInfo& s : a.sigs) {
    a.validations += s.validations;
    if (s.parsed) {
      for (KeyInfo& k : a.keys) {
        if (k.key.tag == s.rrsig.key_tag && k.key.algorithm == s.rrsig.algorithm) k.named = true;
      }
    }
    if (s.status != SigStatus::Valid || s.key < 0) continue;
    KeyInfo& k = a.keys[static_cast<std::size_t>(s.key)];
    ++k.valid_signatures;
    if (zone.rrsets[static_cast<std::size_t>(s.rrset)].type == rrtype::DNSKEY) {
      k.signs_dnskey = true;
    } else {
      k.signs_other = true;
    }
  }
}

}  // namespace zw::dnssec
