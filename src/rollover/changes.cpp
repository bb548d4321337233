// changes.cpp: key, CDS and signer differences between two versions of a zone.
#include "rollover/changes.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "zone/rdata.hpp"

namespace zw::rollover {
namespace {

std::uint32_t soa_serial(const zone::Zone& z) {
  const auto f = zone::apex_soa(z);
  return f ? f->serial : 0;
}

using KeyId = std::pair<std::uint8_t, std::string>;

std::map<KeyId, KeyState> key_states(const zone::Zone& z, const dnssec::ZoneAnalysis& a) {
  std::map<KeyId, KeyState> out;
  for (const dnssec::KeyInfo& k : a.keys) {
    KeyState s;
    s.tag = k.key.tag;
    s.flags = k.key.flags;
    for (const dnssec::SigInfo& sig : a.sigs) {
      if (!sig.parsed || sig.rrset < 0 || sig.rrsig.key_tag != k.key.tag || sig.rrsig.algorithm != k.key.algorithm) {
        continue;
      }
      const zone::RRset& covered = z.rrsets[static_cast<std::size_t>(sig.rrset)];
      if (!dnssec::is_authoritative(z, covered)) continue;
      (covered.type == zone::rrtype::DNSKEY ? s.signs_dnskey : s.signs_data) = true;
    }
    out[{k.key.algorithm, k.key.public_key}] = s;
  }
  return out;
}

std::set<std::string> cds_set(const zone::Zone& z) {
  std::set<std::string> out;
  auto apex = z.apex();
  if (const zone::RRset* cds = apex ? z.find(*apex, zone::rrtype::CDS) : nullptr) {
    for (const zone::Record& r : z.records_of(*cds)) out.emplace(z.rdata(r));
  }
  return out;
}

}  // namespace

ZoneChanges compare_versions(const zone::Zone& before, const dnssec::ZoneAnalysis& before_analysis,
                             const zone::Zone& after, const dnssec::ZoneAnalysis& after_analysis) {
  ZoneChanges c;
  c.serial_before = soa_serial(before);
  c.serial_after = soa_serial(after);
  auto b = key_states(before, before_analysis);
  auto a = key_states(after, after_analysis);
  std::set<KeyId> ids;
  for (const auto& [id, s] : b) ids.insert(id);
  for (const auto& [id, s] : a) ids.insert(id);
  for (const KeyId& id : ids) {
    KeyChange k;
    k.algorithm = id.first;
    k.public_key = id.second;
    if (auto it = b.find(id); it != b.end()) k.before = it->second;
    if (auto it = a.find(id); it != a.end()) k.after = it->second;
    c.keys.push_back(std::move(k));
  }
  std::sort(c.keys.begin(), c.keys.end(), [](const KeyChange& x, const KeyChange& y) {
    auto tag = [](const KeyChange& k) { return k.after ? k.after->tag : k.before->tag; };
    return std::pair(x.algorithm, tag(x)) < std::pair(y.algorithm, tag(y));
  });
  auto cb = cds_set(before);
  auto ca = cds_set(after);
  std::set_difference(ca.begin(), ca.end(), cb.begin(), cb.end(), std::back_inserter(c.cds_added));
  std::set_difference(cb.begin(), cb.end(), ca.begin(), ca.end(), std::back_inserter(c.cds_removed));
  return c;
}

}  // namespace zw::rollover
