// snapshot.cpp: a version's keys, signer sets and DS set, taken from its analysis.
#include "rollover/snapshot.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "core/codec.hpp"
#include "dnssec/crypto.hpp"
#include "zone/rdata.hpp"

namespace zw::rollover {
namespace {

/// The published key a signature is attributed to: the one that verified it (or its first candidate), else for a
/// version analysed without verification the first zone key with its tag and algorithm; -1 when none is published.
std::int32_t key_of(const dnssec::ZoneAnalysis& a, const dnssec::SigInfo& s) {
  if (s.key >= 0) return s.key;
  for (std::size_t k = 0; k < a.keys.size(); ++k) {
    const dnssec::PublicKey& key = a.keys[k].key;
    if (key.tag == s.rrsig.key_tag && key.algorithm == s.rrsig.algorithm && (key.flags & dnssec::kFlagZone))
      return static_cast<std::int32_t>(k);
  }
  return -1;
}

/// The signer of a signature: its key, or a "?ALG/TAG" signer when none is published.
Signer signer_of(const dnssec::ZoneAnalysis& a, const std::vector<std::string>& ids, const dnssec::SigInfo& s,
                 std::int32_t key) {
  if (key >= 0) {
    const auto k = static_cast<std::size_t>(key);
    return {ids[k], a.keys[k].key.algorithm, a.keys[k].key.tag};
  }
  return {"?" + std::to_string(s.rrsig.algorithm) + "/" + std::to_string(s.rrsig.key_tag), s.rrsig.algorithm,
          s.rrsig.key_tag};
}

/// The signers of every authoritative RRset other than the apex DNSKEY, CDS and CDNSKEY RRsets (those are signed by
/// the entry keys and fetched whole with their keys), grouped into signer sets.
std::vector<SignerSet> signer_sets(const zone::Zone& z, const dnssec::ZoneAnalysis& a,
                                   const std::vector<std::string>& ids, std::vector<SnapKey>& keys_by_index,
                                   core::EpochSeconds now) {
  std::map<std::vector<Signer>, SignerSet> sets;
  const auto apex = z.apex();
  std::vector<Signer> signers;
  for (std::uint32_t r = 0; r < z.rrsets.size(); ++r) {
    const zone::RRset& set = z.rrsets[r];
    if (set.type == zone::rrtype::RRSIG || !dnssec::is_authoritative(z, set)) continue;
    const bool entry_set =
        apex && set.name == *apex &&
        (set.type == zone::rrtype::DNSKEY || set.type == zone::rrtype::CDS || set.type == zone::rrtype::CDNSKEY);
    signers.clear();
    core::EpochSeconds expires = 0;
    for (const dnssec::SigInfo& s : a.sigs_of(r)) {
      if (!s.parsed) continue;
      expires = std::max(expires, core::rrsig_time(s.rrsig.expiration, now));
      const std::int32_t key = key_of(a, s);
      if (key >= 0) {
        SnapKey& k = keys_by_index[static_cast<std::size_t>(key)];
        if (!entry_set) {
          k.signs_data = true;
        } else if (set.type == zone::rrtype::DNSKEY) {
          k.signs_dnskey = true;
        }
      }
      if (!entry_set) signers.push_back(signer_of(a, ids, s, key));
    }
    if (entry_set || signers.empty()) continue;
    std::sort(signers.begin(), signers.end());
    signers.erase(std::unique(signers.begin(), signers.end()), signers.end());
    SignerSet& out = sets[signers];
    if (out.rrsets == 0) out.signers = signers;
    out.max_ttl = std::max(out.max_ttl, z.min_ttl_of(set));
    out.expires = std::max(out.expires, expires);
    ++out.rrsets;
  }
  std::vector<SignerSet> out;
  out.reserve(sets.size());
  for (auto& [k, v] : sets) out.push_back(std::move(v));
  return out;
}

/// The DS records the chain input names as the parent's, matched to the published keys.
SnapDsSet ds_set(const zone::Zone& z, const dnssec::ZoneAnalysis& a, const std::vector<std::string>& ids,
                 const checks::ChainInput& chain, std::uint32_t ttl) {
  SnapDsSet out;
  out.ttl = ttl;
  for (const checks::ExternalRecord& r : chain.parent_ds) {
    const auto ds = dnssec::parse_ds(r.rdata);
    if (!ds) continue;
    SnapDs d{ds->key_tag, ds->algorithm, ds->digest_type, core::hex_encode(ds->digest), {}};
    for (std::size_t k = 0; k < a.keys.size() && d.key.empty(); ++k) {
      const dnssec::PublicKey& key = a.keys[k].key;
      if (key.algorithm != ds->algorithm) continue;
      for (std::uint16_t flags : {key.flags, static_cast<std::uint16_t>(key.flags ^ dnssec::kFlagRevoke)}) {
        std::string rdata = key.rdata;
        if (rdata.size() < 2) continue;
        rdata[0] = static_cast<char>(flags >> 8);
        rdata[1] = static_cast<char>(flags & 0xff);
        const auto digest = dnssec::ds_digest(ds->digest_type, z.origin, rdata);
        if (digest && *digest == ds->digest) {
          d.key = ids[k];
          break;
        }
      }
    }
    out.records.push_back(std::move(d));
  }
  std::sort(out.records.begin(), out.records.end(),
            [](const SnapDs& x, const SnapDs& y) { return x.item() < y.item(); });
  out.records.erase(std::unique(out.records.begin(), out.records.end()), out.records.end());
  return out;
}

std::vector<std::string> cds_records(const zone::Zone& z) {
  std::vector<std::string> out;
  const auto apex = z.apex();
  const zone::RRset* cds = apex ? z.find(*apex, zone::rrtype::CDS) : nullptr;
  if (cds == nullptr) return out;
  for (const zone::Record& r : z.records_of(*cds)) {
    if (auto d = dnssec::parse_ds(z.rdata(r))) {
      out.push_back(std::to_string(d->key_tag) + " " + std::to_string(d->algorithm) + " " +
                    std::to_string(d->digest_type) + " " + core::hex_encode(d->digest));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

bool SnapKey::sep() const {
  return (flags & dnssec::kFlagSep) != 0;
}
bool SnapKey::revoked() const {
  return (flags & dnssec::kFlagRevoke) != 0;
}

std::string SnapDs::item() const {
  return std::to_string(tag) + "/" + std::to_string(algorithm) + "/" + std::to_string(digest_type) + "/" + digest;
}

const SnapKey* Snapshot::key(const std::string& id) const {
  for (const SnapKey& k : keys) {
    if (k.id == id) return &k;
  }
  return nullptr;
}

bool Snapshot::same_state(const Snapshot& o) const {
  if (signed_zone != o.signed_zone || keys != o.keys || dnskey_ttl != o.dnskey_ttl || ds != o.ds || cds != o.cds ||
      signer_sets.size() != o.signer_sets.size()) {
    return false;
  }
  for (std::size_t i = 0; i < signer_sets.size(); ++i) {
    if (signer_sets[i].signers != o.signer_sets[i].signers || signer_sets[i].max_ttl != o.signer_sets[i].max_ttl)
      return false;
  }
  return true;
}

std::string key_id(std::uint8_t algorithm, std::string_view public_key) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string input(1, static_cast<char>(algorithm));
  input.append(public_key);
  EVP_Digest(input.data(), input.size(), md, &len, EVP_sha256(), nullptr);
  return core::hex_encode(std::string_view(reinterpret_cast<const char*>(md), 8));
}

Snapshot take_snapshot(const zone::Zone& z, const dnssec::ZoneAnalysis& a, const checks::ChainInput& chain,
                       const DsInput& ds, core::EpochSeconds now) {
  Snapshot s;
  if (auto soa = zone::apex_soa(z)) s.serial = soa->serial;
  s.signed_zone = a.signed_zone;
  std::vector<std::string> ids;
  std::vector<SnapKey> keys;
  for (const dnssec::KeyInfo& k : a.keys) {
    ids.push_back(key_id(k.key.algorithm, k.key.public_key));
    keys.push_back({ids.back(), k.key.algorithm, k.key.tag, k.key.flags, false, false});
  }
  s.signer_sets = signer_sets(z, a, ids, keys, now);
  for (SnapKey& k : keys) {
    if (k.flags & dnssec::kFlagZone) s.keys.push_back(std::move(k));
  }
  std::sort(s.keys.begin(), s.keys.end(), [](const SnapKey& x, const SnapKey& y) {
    return std::tie(x.algorithm, x.tag, x.id) < std::tie(y.algorithm, y.tag, y.id);
  });
  const auto apex = z.apex();
  if (const zone::RRset* dnskey = apex ? z.find(*apex, zone::rrtype::DNSKEY) : nullptr)
    s.dnskey_ttl = z.min_ttl_of(*dnskey);
  if (ds.known) s.ds = ds_set(z, a, ids, chain, ds.ttl);
  s.cds = cds_records(z);
  return s;
}

}  // namespace zw::rollover
