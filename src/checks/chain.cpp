// chain.cpp: the chain of trust from the given DS set or trust anchor to the apex (RFC 4035 §5.2), the zone's
// verdict (ZONE_BOGUS), DS records at delegations, and CDS/CDNSKEY (RFC 7344, RFC 8078).
#include <arpa/inet.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <tuple>

#include "checks/common.hpp"
#include "core/parallel.hpp"
#include "zone/rdata.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using catalog::When;
using dnssec::SigStatus;
namespace rrtype = zone::rrtype;

/// DNSKEY RDATA with the REVOKE bit cleared: the form a DS made before revocation was computed over.
std::string unrevoked(std::string_view rdata) {
  std::string r(rdata);
  if (r.size() >= 2) r[1] = static_cast<char>(static_cast<unsigned char>(r[1]) & ~dnssec::kFlagRevoke);
  return r;
}

struct DsMatch {
  std::vector<std::size_t> keys;          ///< keys whose digest matches
  std::vector<std::size_t> revoked_keys;  ///< keys that match only in their pre-revocation form
  bool digest_usable = false;             ///< digest type known and length right
};

DsMatch match_ds(const dnssec::DsRecord& ds, const zone::Zone& z, const dnssec::ZoneAnalysis& a) {
  DsMatch m;
  std::size_t want = dnssec::ds_digest_length(ds.digest_type);
  m.digest_usable = want != 0 && want == ds.digest.size() && ds.digest_type != 3;
  if (!m.digest_usable) return m;
  for (std::size_t i = 0; i < a.keys.size(); ++i) {
    const dnssec::PublicKey& k = a.keys[i].key;
    if (k.algorithm != ds.algorithm) continue;
    if (k.tag == ds.key_tag) {
      auto d = dnssec::ds_digest(ds.digest_type, z.origin, k.rdata);
      if (d && *d == ds.digest) {
        m.keys.push_back(i);
        continue;
      }
    }
    if (key_revoked(k) && k.revoked_tag == ds.key_tag) {
      auto d = dnssec::ds_digest(ds.digest_type, z.origin, unrevoked(k.rdata));
      if (d && *d == ds.digest) m.revoked_keys.push_back(i);
    }
  }
  return m;
}

std::string tags_text(const std::vector<std::uint16_t>& tags) {
  std::string out;
  for (auto t : tags) out += (out.empty() ? "" : " ") + std::to_string(t);
  return out.empty() ? "none" : out;
}

/// The DS digest-type policy of RFC 8624 §3.3 over one DS set, per key.
void check_digest_policy(Reporter& rep, const std::vector<const ExternalRecord*>& records,
                         const std::vector<dnssec::DsRecord>& sets, bool external,
                         const std::vector<const zone::Record*>& zone_records, When policy_when) {
  // Digest types per key, gathered only when a weak digest needs them (most DS sets have none).
  std::map<std::pair<std::uint16_t, std::uint8_t>, std::set<std::uint8_t>> types;
  std::set<std::pair<std::uint16_t, std::uint8_t>> reported;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const auto& ds = sets[i];
    std::size_t want = dnssec::ds_digest_length(ds.digest_type);
    auto params = [&] {
      return Reporter::Params{{"keytag", std::to_string(ds.key_tag)}, {"digest_type", std::to_string(ds.digest_type)}};
    };
    auto report = [&](Code code, Reporter::Params p, When when = {}) {
      if (external) {
        rep.external(code, *records[i], "DS", std::move(p), when);
      } else {
        rep.record(code, *zone_records[i], std::move(p), when);
      }
    };
    if (want == 0) {
      Reporter::Params p = params();
      p.emplace_back("detail", "unassigned-type");
      report(Code::DS_DIGEST_INVALID, p);
      continue;
    }
    if (want != ds.digest.size()) {
      Reporter::Params p = params();
      p.emplace_back("detail", "digest-length");
      p.emplace_back("octets", std::to_string(ds.digest.size()));
      p.emplace_back("expected", std::to_string(want));
      report(Code::DS_DIGEST_INVALID, p);
      continue;
    }
    if (ds.digest_type != 1 && ds.digest_type != 3) continue;
    if (types.empty()) {
      for (const auto& d : sets) types[{d.key_tag, d.algorithm}].insert(d.digest_type);
    }
    const auto& t = types[{ds.key_tag, ds.algorithm}];
    bool strong = t.count(2) || t.count(4);
    // RFC 8624 §3.3: SHA-1 "MUST NOT" and GOST "MUST NOT" be used for DS generation.
    if ((ds.digest_type == 1 && !strong) || ds.digest_type == 3) {
      if (reported.insert({ds.key_tag, ds.algorithm}).second) report(Code::DS_DIGEST_SHA1, params(), policy_when);
    }
  }
}

/// What a validator concludes about a zone (only Bogus is passed down to child zones).
enum class Verdict { Secure, Insecure, Bogus };

/// Why the parent zone checked in the same run cannot vouch for the zone's DS set (ZONE_BOGUS params), or empty
/// when it can.
Reporter::Params parent_failure(const CheckInput& in, const ZoneContext& ctx, const std::vector<Verdict>& verdicts) {
  const ChainInput& chain = ctx.chain;
  if (chain.source != ChainSource::ParentZone || !chain.parent) return {};
  const ZoneContext& parent = in.zones[*chain.parent];
  if (verdicts[*chain.parent] == Verdict::Bogus) return {{"detail", "parent-bogus"}, {"parent", parent.name}};
  // RFC 4035 §5.2: the DS RRset is authenticated in the parent before it authenticates the child's DNSKEY RRset.
  const zone::Zone& p = *parent.zone;
  const dnssec::ZoneAnalysis& pa = *parent.analysis;
  const zone::RRset* ds = p.find(chain.parent_delegation, rrtype::DS);
  if (!ds) return {};
  for (const dnssec::SigInfo& s : pa.sigs_of(static_cast<std::uint32_t>(ds - p.rrsets.data()))) {
    if (sig_accepts(pa, s, in.options.now)) return {};
  }
  return {{"detail", "parent-ds-unsigned"}, {"parent", parent.name}};
}

/// Where a validator's entry keys come from.
enum class EntrySource { ParentDs, Anchor, Assumed };

/// The verdict on a zone without a DNSKEY RRset: insecure, unless a DS set or trust anchor expects keys.
Verdict unsigned_verdict(const ChainInput& chain, Reporter& rep) {
  // The fact (no DNSKEY RRset) is reported whatever its consequence is.
  rep.zone(Code::ZONE_UNSIGNED);
  if (!chain.parent_ds.empty()) {
    rep.zone(Code::ZONE_BOGUS, {{"detail", "ds-without-dnskey"}});
    return Verdict::Bogus;
  }
  if (!chain.anchor_ds.empty() || !chain.anchor_dnskey.empty()) {
    rep.zone(Code::ZONE_BOGUS, {{"detail", "anchor-without-dnskey"}});
    return Verdict::Bogus;
  }
  return Verdict::Insecure;
}

/// The parent's DS set (--ds, or the DS RRset in the parent's zone file): DS findings, and the keys it vouches for.
std::set<std::size_t> entry_from_parent_ds(const ZoneContext& ctx, Reporter& rep, std::uint32_t dnskey_index) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  const ChainInput& chain = ctx.chain;
  std::set<std::size_t> entry;
  std::vector<const ExternalRecord*> recs;
  std::vector<dnssec::DsRecord> sets;
  std::set<std::uint8_t> ds_algs;
  for (const ExternalRecord& r : chain.parent_ds) {
    auto ds = dnssec::parse_ds(r.rdata);
    if (!ds) {
      rep.external(Code::DS_DIGEST_INVALID, r, "DS", {{"keytag", "?"}, {"digest_type", "?"}, {"detail", "truncated"}});
      continue;
    }
    recs.push_back(&r);
    sets.push_back(*ds);
  }
  check_digest_policy(rep, recs, sets, true, {}, When());
  std::vector<DsMatch> matches;
  for (const auto& ds : sets) matches.push_back(match_ds(ds, z, a));
  // Whether some DS of the set points to a key that validly signs the DNSKEY RRset (RFC 4035 §5.2 needs one).
  bool one_validates = false;
  for (const DsMatch& m : matches) {
    for (std::size_t k : m.keys) {
      for (const dnssec::SigInfo& s : a.sigs_of(dnskey_index))
        one_validates = one_validates || (s.status == SigStatus::Valid && s.key == static_cast<std::int32_t>(k));
    }
  }
  for (std::size_t i = 0; i < sets.size(); ++i) {
    const auto& ds = sets[i];
    const DsMatch& m = matches[i];
    if (!m.digest_usable) continue;
    ds_algs.insert(ds.algorithm);
    Reporter::Params p{{"keytag", std::to_string(ds.key_tag)}};
    bool to_revoked = !m.revoked_keys.empty();
    for (std::size_t k : m.keys) to_revoked = to_revoked || key_revoked(a.keys[k].key);
    if (to_revoked) {
      rep.external(Code::DS_POINTS_TO_REVOKED, *recs[i], "DS", p);
      continue;
    }
    if (m.keys.empty()) {
      // A DS whose tag no published key has, beside one that validates: the first step of a double-DS rollover
      // (RFC 7583 §3.3.2) or a DS left after its key. A tag that a published key has with a digest that matches it
      // not is a broken DS.
      const bool tag_published = std::any_of(a.keys.begin(), a.keys.end(), [&](const dnssec::KeyInfo& k) {
        return k.key.algorithm == ds.algorithm && (k.key.tag == ds.key_tag || k.key.revoked_tag == ds.key_tag);
      });
      rep.external(Code::DS_NO_MATCHING_DNSKEY, *recs[i], "DS",
                   {{"keytag", std::to_string(ds.key_tag)},
                    {"algorithm", alg_text(ds.algorithm)},
                    {"digest_type", std::to_string(ds.digest_type)}},
                   one_validates && !tag_published ? When(Code::DS_NO_MATCHING_DNSKEY, "key-not-published") : When());
      continue;
    }
    for (std::size_t k : m.keys) {
      if (key_usable(a.keys[k].key)) entry.insert(k);
      // RFC 4035 §5.2: the DNSKEY a DS authenticates must sign the DNSKEY RRset.
      bool signs = false;
      for (const dnssec::SigInfo& s : a.sigs_of(dnskey_index)) {
        signs = signs || (s.status == SigStatus::Valid && s.key == static_cast<std::int32_t>(k));
      }
      if (!signs) rep.external(Code::DNSKEY_NOT_SIGNED_BY_DS_KEY, *recs[i], "DS", p);
    }
  }
  const std::set<std::uint8_t> signing_algs = a.signing_algorithms();
  for (std::uint8_t alg : ds_algs) {
    if (!signing_algs.count(alg)) rep.zone(Code::DS_ALGORITHM_NOT_SIGNING, {{"algorithm", alg_text(alg)}});
  }
  return entry;
}

/// A trust anchor (-k): the published keys it names. Anchors may list keys that are not (or no longer) published;
/// that is normal.
std::set<std::size_t> entry_from_anchor(const ZoneContext& ctx, Reporter& rep) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  const ChainInput& chain = ctx.chain;
  std::set<std::size_t> entry;
  for (const ExternalRecord& r : chain.anchor_ds) {
    auto ds = dnssec::parse_ds(r.rdata);
    if (!ds) continue;
    DsMatch m = match_ds(*ds, z, a);
    for (std::size_t k : m.keys) {
      if (key_usable(a.keys[k].key)) entry.insert(k);
    }
  }
  for (const ExternalRecord& r : chain.anchor_dnskey) {
    dnssec::PublicKey anchor = dnssec::parse_dnskey(r.rdata);
    for (std::size_t k = 0; k < a.keys.size(); ++k) {
      const dnssec::PublicKey& key = a.keys[k].key;
      if (key.algorithm == anchor.algorithm && key.public_key == anchor.public_key && key_usable(key)) entry.insert(k);
    }
  }
  // TRUST_ANCHOR_STALE: a key that signs the DNSKEY RRset now but is not in the anchor. TRUST_ANCHOR_LACKS_STANDBY:
  // a published KSK that signs nothing yet (the next KSK, as KSK-2024 in the root since 2025) and is not in it.
  for (std::size_t k = 0; k < a.keys.size(); ++k) {
    const dnssec::KeyInfo& ki = a.keys[k];
    const bool ksk = key_usable(ki.key) && (ki.key.flags & dnssec::kFlagSep) && !(ki.key.flags & dnssec::kFlagRevoke);
    if (!ksk || entry.count(k)) continue;
    if (ki.signs_dnskey) {
      rep.record(Code::TRUST_ANCHOR_STALE, z.records[ki.record], {{"keytag", std::to_string(ki.key.tag)}});
    } else if (ki.valid_signatures == 0 && !ki.named) {
      rep.record(Code::TRUST_ANCHOR_LACKS_STANDBY, z.records[ki.record], {{"keytag", std::to_string(ki.key.tag)}});
    }
  }
  return entry;
}

/// Nothing given: the zone's own KSKs (SEP flag) are its entry points; without any, every zone key.
std::set<std::size_t> entry_assumed(const dnssec::ZoneAnalysis& a, Reporter& rep) {
  std::set<std::size_t> entry;
  for (std::size_t k = 0; k < a.keys.size(); ++k) {
    if (key_usable(a.keys[k].key) && (a.keys[k].key.flags & dnssec::kFlagSep)) entry.insert(k);
  }
  if (entry.empty()) {
    for (std::size_t k = 0; k < a.keys.size(); ++k) {
      if (key_usable(a.keys[k].key)) entry.insert(k);
    }
  }
  std::vector<std::uint16_t> tags;
  for (std::size_t k : entry) tags.push_back(a.keys[k].key.tag);
  std::sort(tags.begin(), tags.end());
  rep.zone(Code::CHAIN_ANCHOR_ASSUMED, {{"keytags", tags_text(tags)}});
  return entry;
}

/// Can a validator accept the apex DNSKEY RRset from the entry keys, then the apex SOA?
Verdict apex_verdict(const ZoneContext& ctx, const Options& opt, Reporter& rep, const std::set<std::size_t>& entry,
                     EntrySource source, std::uint32_t dnskey_index) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  auto apex = z.apex();
  std::vector<std::uint16_t> entry_tags;
  for (std::size_t k : entry) entry_tags.push_back(a.keys[k].key.tag);
  std::sort(entry_tags.begin(), entry_tags.end());
  bool dnskey_ok = false;
  Reporter::Params why;
  for (const dnssec::SigInfo& s : a.sigs_of(dnskey_index)) {
    if (s.key >= 0 && entry.count(static_cast<std::size_t>(s.key)) && sig_accepts(a, s, opt.now)) dnskey_ok = true;
  }
  if (!dnskey_ok) {
    if (entry.empty()) {
      why = {{"detail", source == EntrySource::ParentDs ? "no-ds-match"
                        : source == EntrySource::Anchor ? "no-anchor-match"
                                                        : "no-key-signs-dnskey"}};
    } else {
      why = {{"detail", "dnskey-not-signed"}, {"keytags", tags_text(entry_tags)}};
      for (const dnssec::SigInfo& s : a.sigs_of(dnskey_index)) {
        if (s.key >= 0 && entry.count(static_cast<std::size_t>(s.key)) && s.status == SigStatus::Valid &&
            !sig_current(s.rrsig, opt.now)) {
          why = {{"detail", "dnskey-signature-not-current"},
                 {"keytags", tags_text(entry_tags)},
                 {"keytag", std::to_string(s.rrsig.key_tag)}};
          break;
        }
      }
    }
    rep.zone(Code::ZONE_BOGUS, std::move(why));
    return Verdict::Bogus;
  }
  const zone::RRset* soa = z.find(*apex, rrtype::SOA);
  bool soa_ok = false;
  if (soa) {
    for (const dnssec::SigInfo& s : a.sigs_of(static_cast<std::uint32_t>(soa - z.rrsets.data()))) {
      soa_ok = soa_ok || sig_accepts(a, s, opt.now);
    }
  }
  if (!soa_ok) {
    rep.zone(Code::ZONE_BOGUS, {{"detail", "soa-not-signed"}});
    return Verdict::Bogus;
  }
  return Verdict::Secure;
}

Verdict check_zone_chain(const CheckInput& in, const ZoneContext& ctx, const std::vector<Verdict>& verdicts,
                         FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  Reporter rep(ctx, sink);
  const ChainInput& chain = ctx.chain;

  if (!a.signed_zone) return unsigned_verdict(chain, rep);
  // The parent zone, checked too, is unsigned or has no DS for the zone: validators treat the zone as insecure.
  if (chain.source == ChainSource::InsecureDelegation) return Verdict::Insecure;
  auto apex = z.apex();
  const zone::RRset* dnskey_set = z.find(*apex, rrtype::DNSKEY);
  const auto dnskey_index = static_cast<std::uint32_t>(dnskey_set - z.rrsets.data());

  std::set<std::size_t> entry;  // keys a validator starts from
  EntrySource source = EntrySource::Assumed;
  if (!chain.parent_ds.empty()) {
    source = EntrySource::ParentDs;
    entry = entry_from_parent_ds(ctx, rep, dnskey_index);
  } else if (!chain.anchor_ds.empty() || !chain.anchor_dnskey.empty()) {
    source = EntrySource::Anchor;
    entry = entry_from_anchor(ctx, rep);
  } else {
    entry = entry_assumed(a, rep);
  }

  // --- the verdict: does the parent vouch for the DS set; can a validator accept the apex DNSKEY RRset, then the
  // apex SOA? ---
  if (Reporter::Params why = parent_failure(in, ctx, verdicts); !why.empty()) {
    rep.zone(Code::ZONE_BOGUS, std::move(why));
    return Verdict::Bogus;
  }
  return apex_verdict(ctx, in.options, rep, entry, source, dnskey_index);
}

/// Presentation names of an NS RRset's targets, lower case, sorted.
std::set<std::string> ns_targets(const zone::Zone& z, const zone::RRset* set) {
  std::set<std::string> out;
  if (!set) return out;
  for (const zone::Record& r : z.records_of(*set)) {
    std::size_t pos = 0;
    core::WireName target;
    if (core::read_wire_name(z.rdata(r), pos, target)) out.insert(core::name_to_text(core::name_lower(target)));
  }
  return out;
}

/// The addresses of one type (A or AAAA) at a name, as text, sorted.
std::set<std::string> addresses(const zone::Zone& z, std::string_view wire, std::uint16_t type) {
  std::set<std::string> out;
  const zone::RRset* set = z.find(wire, type);
  if (!set) return out;
  const int af = type == rrtype::A ? AF_INET : AF_INET6;
  for (const zone::Record& r : z.records_of(*set)) {
    std::string_view rd = z.rdata(r);
    char buf[64] = {};
    if (rd.size() == (type == rrtype::A ? 4U : 16U) && ::inet_ntop(af, rd.data(), buf, sizeof buf)) out.insert(buf);
  }
  return out;
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " ") + i;
  return out.empty() ? "none" : out;
}

/// The parent's delegation against the child's apex, when both zone files are checked (RFC 1034 §4.2.2: the NS
/// sets should agree; RFC 9471: glue should be the child's addresses).
void check_parent_child(const CheckInput& in, const ZoneContext& ctx, FindingSink& sink) {
  if (!ctx.chain.parent) return;
  const zone::Zone& c = *ctx.zone;
  const zone::Zone& p = *in.zones[*ctx.chain.parent].zone;
  auto apex = c.apex();
  if (!apex) return;
  Reporter rep(ctx, sink);
  const zone::RRset* child_ns = c.find(*apex, rrtype::NS);
  std::set<std::string> parent_set = ns_targets(p, p.find(ctx.chain.parent_delegation, rrtype::NS));
  std::set<std::string> child_set = ns_targets(c, child_ns);
  if (child_ns && parent_set != child_set) {
    rep.rrset(Code::NS_PARENT_CHILD_MISMATCH, *child_ns,
              {{"parent", joined(parent_set)}, {"child", joined(child_set)}});
  }
  for (const std::string& ns : parent_set) {
    core::WireName wire;
    std::string err;
    if (!core::parse_name(ns, ".", wire, err) || !core::name_is_subdomain(wire, c.origin)) continue;
    // Per address family: a parent that publishes only A glue is not stale about the AAAA addresses.
    for (std::uint16_t type : {rrtype::A, rrtype::AAAA}) {
      std::set<std::string> glue = addresses(p, wire, type);
      if (glue.empty()) continue;  // GLUE_MISSING is the parent's
      std::set<std::string> own = addresses(c, wire, type);
      if (glue == own) continue;
      Reporter::Params params{{"nameserver", ns}, {"parent", joined(glue)}, {"child", joined(own)}};
      auto name = c.find_name(wire);
      const zone::RRset* at = name ? c.find(*name, type) : nullptr;
      if (at) {
        rep.rrset(Code::GLUE_MISMATCH, *at, std::move(params));
      } else {
        rep.zone(Code::GLUE_MISMATCH, std::move(params));
      }
    }
  }
}

void check_zone_ds_records(const ZoneContext& ctx, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  Reporter rep(ctx, sink);
  // Every DS RRset on all cores (a TLD zone has hundreds of thousands).
  core::parallel_for(
      z.rrsets.size(),
      [&](std::size_t si) {
        const zone::RRset& set = z.rrsets[si];
        if (set.type != rrtype::DS) return;
        zone::NodeKind kind = z.kinds[set.name];
        if (kind == zone::NodeKind::OutOfZone) return;
        // RFC 4035 §2.4: DS RRsets appear only at delegation points.
        if (kind != zone::NodeKind::Delegation) {
          rep.rrset(Code::DS_NOT_AT_DELEGATION, set);
          return;
        }
        thread_local std::vector<dnssec::DsRecord> sets;
        thread_local std::vector<const zone::Record*> recs;
        sets.clear();
        recs.clear();
        for (const zone::Record& r : z.records_of(set)) {
          auto ds = dnssec::parse_ds(z.rdata(r));
          if (!ds) {
            rep.record(Code::DS_DIGEST_INVALID, r, {{"keytag", "?"}, {"digest_type", "?"}, {"detail", "truncated"}});
            continue;
          }
          sets.push_back(*ds);
          recs.push_back(&r);
        }
        // DS records at delegations describe the children's keys, published as the children asked: a weak digest
        // there is the child operator's to fix, so it is a notice here (in the zone's own DS set or CDS it warns).
        check_digest_policy(rep, {}, sets, false, recs, When(Code::DS_DIGEST_SHA1, "at-delegation"));
        for (std::size_t i = 0; i < sets.size(); ++i) {
          const auto& ds = sets[i];
          auto params = [&] {
            return Reporter::Params{{"algorithm", alg_text(ds.algorithm)}, {"keytag", std::to_string(ds.key_tag)}};
          };
          switch (algorithm_class(ds.algorithm)) {
            case AlgClass::Prohibited: rep.record(Code::ALGORITHM_PROHIBITED, *recs[i], params()); break;
            case AlgClass::Unknown: rep.record(Code::ALGORITHM_UNKNOWN, *recs[i], params()); break;
            default: break;
          }
        }
      },
      4096);
}

bool is_cds_delete(std::string_view rdata) {
  // RFC 8078 §4: CDS 0 0 0 00.
  return rdata.size() == 5 && rdata == std::string_view("\0\0\0\0\0", 5);
}
bool is_cdnskey_delete(std::string_view rdata) {
  // RFC 8078 §4: CDNSKEY 0 3 0 AA== (public key one zero octet).
  return rdata.size() == 5 && rdata == std::string_view("\0\0\3\0\0", 5);
}

/// The published keys' DS digests, computed once per digest type: a CDS set is matched by lookup, never by
/// digesting every key for every CDS record.
class KeyDigests {
 public:
  KeyDigests(const zone::Zone& z, const dnssec::ZoneAnalysis& a) : z_(z), a_(a) {}

  /// The same as match_ds(ds, z, a).
  DsMatch match(const dnssec::DsRecord& ds) {
    DsMatch m;
    std::size_t want = dnssec::ds_digest_length(ds.digest_type);
    m.digest_usable = want != 0 && want == ds.digest.size() && ds.digest_type != 3;
    if (!m.digest_usable) return m;
    for (auto [it, end] = index(ds.digest_type, false).equal_range(ds.digest); it != end; ++it) {
      const dnssec::PublicKey& k = a_.keys[it->second].key;
      if (k.algorithm == ds.algorithm && k.tag == ds.key_tag) m.keys.push_back(it->second);
    }
    std::sort(m.keys.begin(), m.keys.end());
    for (auto [it, end] = index(ds.digest_type, true).equal_range(ds.digest); it != end; ++it) {
      const dnssec::PublicKey& k = a_.keys[it->second].key;
      if (k.algorithm != ds.algorithm || k.revoked_tag != ds.key_tag) continue;
      if (!std::binary_search(m.keys.begin(), m.keys.end(), it->second)) m.revoked_keys.push_back(it->second);
    }
    std::sort(m.revoked_keys.begin(), m.revoked_keys.end());
    return m;
  }

 private:
  using Index = std::multimap<std::string, std::size_t>;  // digest -> index into ZoneAnalysis::keys

  /// Digests of type `type` of every key as published, or of every revoked key in its pre-revocation form.
  const Index& index(std::uint8_t type, bool revoked) {
    auto [it, inserted] = indexes_.try_emplace({type, revoked});
    if (!inserted) return it->second;
    for (std::size_t i = 0; i < a_.keys.size(); ++i) {
      const dnssec::PublicKey& k = a_.keys[i].key;
      if (revoked && !key_revoked(k)) continue;
      auto d = dnssec::ds_digest(type, z_.origin, revoked ? unrevoked(k.rdata) : k.rdata);
      if (d) it->second.emplace(std::move(*d), i);
    }
    return it->second;
  }

  const zone::Zone& z_;
  const dnssec::ZoneAnalysis& a_;
  std::map<std::pair<std::uint8_t, bool>, Index> indexes_;
};

/// What the apex CDS and CDNSKEY RRsets hold, read once.
struct CdsSets {
  const zone::RRset* cds = nullptr;
  const zone::RRset* cdnskey = nullptr;
  bool cds_delete = false;
  bool cdnskey_delete = false;
  std::vector<std::string_view> cdnskey_rdatas;  ///< the CDNSKEY key records (not delete records)
  std::vector<dnssec::DsRecord> cds_list;        ///< the CDS key records
  std::vector<dnssec::DsRecord> cds_usable;      ///< those with a usable digest type and length
  std::vector<const zone::Record*> cds_usable_recs;
  std::map<std::uint8_t, std::set<std::string>> cdnskey_digests;  ///< per digest type, every CDNSKEY's digest

  /// True when some CDNSKEY has the DS digest `ds` (each CDNSKEY digested once per digest type).
  bool has_cdnskey_for(const zone::Zone& z, const dnssec::DsRecord& ds) {
    auto [it, inserted] = cdnskey_digests.try_emplace(ds.digest_type);
    if (inserted) {
      for (std::string_view rd : cdnskey_rdatas) {
        if (auto d = dnssec::ds_digest(ds.digest_type, z.origin, rd)) it->second.insert(std::move(*d));
      }
    }
    return it->second.count(ds.digest) > 0;
  }
};

/// The tag and algorithm of DNSKEY RDATA (algorithm 0 when shorter than 4 octets), without parsing its key.
struct KeyHeader {
  std::uint16_t tag = 0;
  std::uint8_t algorithm = 0;
};
KeyHeader key_header(std::string_view rdata) {
  const auto head = zone::dnskey_head(rdata);
  return {dnssec::key_tag(rdata), head ? head->algorithm : std::uint8_t{0}};
}

using CdsMismatch = std::function<void(const zone::Record&, const std::string&, const char*)>;

/// The CDNSKEY records: delete records (RFC 8078 §4) and keys that must be published DNSKEYs.
void read_cdnskeys(const zone::Zone& z, const dnssec::ZoneAnalysis& a, CdsSets& s, const CdsMismatch& mismatch) {
  if (!s.cdnskey) return;
  std::set<std::string_view> published;
  for (const dnssec::KeyInfo& ki : a.keys) published.insert(ki.key.rdata);
  for (const zone::Record& r : z.records_of(*s.cdnskey)) {
    std::string_view rd = z.rdata(r);
    if (is_cdnskey_delete(rd)) {
      s.cdnskey_delete = true;
      continue;
    }
    const KeyHeader k = key_header(rd);
    if (k.algorithm == 0) {
      mismatch(r, "0", "cdnskey-delete-malformed");
      continue;
    }
    s.cdnskey_rdatas.push_back(rd);
    if (!published.count(rd)) mismatch(r, std::to_string(k.tag), "cdnskey-no-dnskey");
  }
}

/// The CDS records: delete records, digests that match no published key, CDS without their CDNSKEY.
void read_cds(const zone::Zone& z, const dnssec::ZoneAnalysis& a, CdsSets& s, const CdsMismatch& mismatch) {
  if (!s.cds) return;
  KeyDigests keys(z, a);
  for (const zone::Record& r : z.records_of(*s.cds)) {
    std::string_view rd = z.rdata(r);
    if (is_cds_delete(rd)) {
      s.cds_delete = true;
      continue;
    }
    auto ds = dnssec::parse_ds(rd);
    if (!ds || ds->algorithm == 0 || ds->digest_type == 0) {
      mismatch(r, ds ? std::to_string(ds->key_tag) : "?", "cds-delete-malformed");
      continue;
    }
    s.cds_list.push_back(*ds);
    DsMatch m = keys.match(*ds);
    if (!m.digest_usable) {
      mismatch(r, std::to_string(ds->key_tag), "cds-digest-unusable");
      continue;
    }
    s.cds_usable.push_back(*ds);
    s.cds_usable_recs.push_back(&r);
    if (m.keys.empty()) mismatch(r, std::to_string(ds->key_tag), "cds-no-dnskey");
    if (s.cdnskey && !s.has_cdnskey_for(z, *ds) && !s.cdnskey_delete) {
      mismatch(r, std::to_string(ds->key_tag), "cds-no-cdnskey");
    }
  }
}

/// RFC 7344 §4: when both are published they must describe the same keys. Each CDNSKEY is digested once per digest
/// type of the CDS set and looked up by tag, algorithm and digest.
void check_cdnskeys_covered(const zone::Zone& z, const CdsSets& s, const CdsMismatch& mismatch) {
  using DsKey = std::tuple<std::uint16_t, std::uint8_t, std::uint8_t, std::string_view>;
  std::set<DsKey> cds;
  std::set<std::uint8_t> types;
  for (const dnssec::DsRecord& ds : s.cds_list) {
    cds.insert({ds.key_tag, ds.algorithm, ds.digest_type, ds.digest});
    types.insert(ds.digest_type);
  }
  for (const zone::Record& r : z.records_of(*s.cdnskey)) {
    std::string_view rd = z.rdata(r);
    if (is_cdnskey_delete(rd)) continue;
    const KeyHeader k = key_header(rd);
    bool covered = false;
    for (std::uint8_t type : types) {
      auto d = dnssec::ds_digest(type, z.origin, rd);
      covered = covered || (d && cds.count({k.tag, k.algorithm, type, *d}));
    }
    if (!covered && !s.cds_delete) mismatch(r, std::to_string(k.tag), "cdnskey-no-cds");
  }
}

void check_zone_cds(const ZoneContext& ctx, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  auto apex = z.apex();
  if (!apex) return;
  CdsSets sets;
  sets.cds = z.find(*apex, rrtype::CDS);
  sets.cdnskey = z.find(*apex, rrtype::CDNSKEY);
  const zone::RRset* cds = sets.cds;
  const zone::RRset* cdnskey = sets.cdnskey;
  if (!cds && !cdnskey) return;
  Reporter rep(ctx, sink);
  auto mismatch = [&](const zone::Record& r, const std::string& tag, const char* detail) {
    rep.record(Code::CDS_CDNSKEY_MISMATCH, r, {{"keytag", tag}, {"detail", detail}});
  };
  read_cdnskeys(z, a, sets, mismatch);
  read_cds(z, a, sets, mismatch);
  const bool cds_delete = sets.cds_delete;
  const bool cdnskey_delete = sets.cdnskey_delete;
  // The CDS becomes the zone's DS set: RFC 8624 §3.3 digest policy applies as to --ds.
  check_digest_policy(rep, {}, sets.cds_usable, false, sets.cds_usable_recs, When());
  if (cds && cdnskey) check_cdnskeys_covered(z, sets, mismatch);
  if (cds_delete || cdnskey_delete) {
    bool mixed = (cds_delete && !sets.cds_list.empty()) || (cdnskey_delete && !sets.cdnskey_rdatas.empty()) ||
                 (cds && cdnskey && cds_delete != cdnskey_delete);
    const zone::RRset& where = cds_delete ? *cds : *cdnskey;
    if (mixed) {
      mismatch(z.records[where.first], "0", "delete-mixed");
    } else {
      rep.rrset(Code::CDS_DELETE_PRESENT, where, {{"type", cds_delete ? "CDS" : "CDNSKEY"}});
    }
  }
  // Only one of the pair published: RFC 7344 §4 permits it, but parents that read the other one see nothing.
  if ((cds && !cdnskey) || (!cds && cdnskey)) {
    const zone::RRset& only = cds ? *cds : *cdnskey;
    rep.rrset(Code::CDS_CDNSKEY_MISMATCH, only,
              {{"keytag", "-"}, {"detail", cds ? "cds-without-cdnskey" : "cdnskey-without-cds"}},
              When(Code::CDS_CDNSKEY_MISMATCH, "one-published"));
  }
}

}  // namespace

const char* chain_source_name(ChainSource s) {
  switch (s) {
    case ChainSource::Ds: return "ds";
    case ChainSource::TrustAnchor: return "trust-anchor";
    case ChainSource::ParentZone: return "parent-zone";
    case ChainSource::InsecureDelegation: return "insecure-delegation";
    case ChainSource::Assumed: break;
  }
  return "assumed";
}

void check_chain(const CheckInput& in, FindingSink& sink) {
  // Parents before their children: a bogus parent makes the zones it vouches for bogus.
  std::vector<std::size_t> order(in.zones.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return core::name_label_count(in.zones[a].zone->origin) < core::name_label_count(in.zones[b].zone->origin);
  });
  std::vector<Verdict> verdicts(in.zones.size(), Verdict::Insecure);
  for (std::size_t i : order) {
    verdicts[i] = check_zone_chain(in, in.zones[i], verdicts, sink);
    check_parent_child(in, in.zones[i], sink);
  }
}

void check_ds_records(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone_ds_records(ctx, sink);
}

void check_cds(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone_cds(ctx, sink);
}

}  // namespace zw::checks
