// signatures.cpp: RRSIG presence, validity, signer, labels, placement, algorithm coverage and the unpublished-key
// pattern (RFC 4035 §2.2, §5.3).
#include <map>
#include <set>

#include "checks/common.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using catalog::When;
using dnssec::SigStatus;
namespace rrtype = zone::rrtype;

std::string tag_text(std::uint16_t t) {
  return std::to_string(t);
}

/// "www.example. A, example. MX (+12 more)": the first three RRsets of a list, and how many more there are.
std::string rrset_examples(const zone::Zone& z, const std::vector<std::uint32_t>& rrsets) {
  constexpr std::size_t kShown = 3;
  std::string out;
  for (std::size_t k = 0; k < rrsets.size() && k < kShown; ++k) {
    const zone::RRset& set = z.rrsets[rrsets[k]];
    out += (out.empty() ? "" : ", ") + core::name_to_text(z.names[set.name]) + " " + zone::type_name(set.type);
  }
  if (rrsets.size() > kShown) out += " (+" + std::to_string(rrsets.size() - kShown) + " more)";
  return out;
}

/// SIGNING_KEY_NOT_PUBLISHED: signatures that name a published key but fail under it. One failure is a damaged
/// signature or record (RRSIG_INVALID). Several failures under a key that the zone otherwise uses, or RSA signatures
/// whose padding does not even decode under the named key, mean that another private key with the same tag is
/// signing (.de 2026, .ru 2024). Returns the signatures this explains.
std::set<const dnssec::SigInfo*> report_unpublished_signers(const zone::Zone& z, const dnssec::ZoneAnalysis& a,
                                                            Reporter& rep) {
  // The same signature bytes over different data cannot come from any key: such copies are placeholders or
  // corruption, reported one by one as RRSIG_INVALID.
  std::map<std::string_view, int> copies;
  for (const dnssec::SigInfo& s : a.sigs) {
    if (s.status == SigStatus::Invalid) ++copies[s.rrsig.signature];
  }
  std::map<std::pair<std::uint16_t, std::uint8_t>, std::vector<const dnssec::SigInfo*>> failures;
  for (const dnssec::SigInfo& s : a.sigs) {
    if (s.status != SigStatus::Invalid || copies[s.rrsig.signature] > 1) continue;
    if (dnssec::is_rsa_algorithm(s.rrsig.algorithm) && !s.foreign)
      continue;  // the named key made it: the data changed after signing
    failures[{s.rrsig.key_tag, s.rrsig.algorithm}].push_back(&s);
  }
  std::set<const dnssec::SigInfo*> explained;
  for (const auto& [key, list] : failures) {
    if (list.size() < 2) continue;
    for (const auto* s : list) explained.insert(s);
    const dnssec::KeyInfo& k = a.keys[static_cast<std::size_t>(list.front()->key)];
    rep.record(Code::SIGNING_KEY_NOT_PUBLISHED, z.records[k.record],
               {{"keytag", tag_text(key.first)},
                {"algorithm", alg_text(key.second)},
                {"signatures", std::to_string(list.size())}});
  }
  return explained;
}

/// What the per-signature findings have reported or computed so far, so that each is reported once per RRset.
struct SigReports {
  std::set<const dnssec::SigInfo*> explained;  ///< failures SIGNING_KEY_NOT_PUBLISHED explains
  std::set<std::int32_t> non_auth_reported;
  std::set<std::int32_t> budget_reported;
  std::map<std::int32_t, bool> accepted;  ///< RRset -> some signature over it is accepted (sig_accepts)
};

/// RRSIG_NO_MATCHING_DNSKEY for a signature whose tag and algorithm no published zone key has.
void report_no_key(const dnssec::ZoneAnalysis& a, const Options& opt, Reporter& rep, const dnssec::SigInfo& s,
                   const zone::RRset& covered, SigReports& st) {
  // A key with this tag that is not a zone key is reported by the key checks (DNSKEY_PROTOCOL_INVALID).
  bool non_zone_key = false;
  for (const dnssec::KeyInfo& k : a.keys) {
    non_zone_key = non_zone_key || (k.key.tag == s.rrsig.key_tag && k.key.algorithm == s.rrsig.algorithm);
  }
  if (!non_zone_key) {
    // Harmless leftovers (e.g. of a removed key) while another signature validates the RRset: a warning.
    // Asked once per RRset, so that many such signatures over one RRset cost time linear in their number.
    auto [known, inserted] = st.accepted.try_emplace(s.rrset, false);
    if (inserted) {
      for (const dnssec::SigInfo& o : a.sigs_of(static_cast<std::uint32_t>(s.rrset))) {
        known->second = known->second || sig_accepts(a, o, opt.now);
      }
    }
    const bool other_accepts = known->second;
    // An algorithm with no published key at all, beside a signature that validates, is an algorithm
    // rollover under way: RFC 6781 §4.1.4 adds the new algorithm's signatures to every RRset before its
    // DNSKEYs are published, and removes the old algorithm's signatures only after its DNSKEYs are gone.
    // Validators ignore such signatures (RFC 4035 §5.3.1, RFC 6840 §5.11): a notice.
    bool algorithm_published = false;
    for (const dnssec::KeyInfo& k : a.keys) {
      algorithm_published = algorithm_published || k.key.algorithm == s.rrsig.algorithm;
    }
    const When when = !other_accepts        ? When()
                      : algorithm_published ? When(Code::RRSIG_NO_MATCHING_DNSKEY, "another-valid")
                                            : When(Code::RRSIG_NO_MATCHING_DNSKEY, "algorithm-unpublished");
    rep.rrset(Code::RRSIG_NO_MATCHING_DNSKEY, covered,
              {{"keytag", tag_text(s.rrsig.key_tag)}, {"algorithm", alg_text(s.rrsig.algorithm)}}, when);
  }
}

/// The findings about one signature over authoritative data, by its verification status.
void report_status(const zone::Zone& z, const dnssec::ZoneAnalysis& a, const Options& opt, Reporter& rep,
                   const dnssec::SigInfo& s, const zone::RRset& covered, SigReports& st) {
  switch (s.status) {
    case SigStatus::SignerWrong:
      rep.rrset(Code::RRSIG_SIGNER_NAME_WRONG, covered,
                {{"keytag", tag_text(s.rrsig.key_tag)}, {"signer", core::name_to_text(s.rrsig.signer)}});
      break;
    case SigStatus::LabelsInvalid: {
      const auto& owner = z.names[covered.name];
      int owner_labels = core::name_label_count(owner) - (core::name_is_wildcard(owner) ? 1 : 0);
      rep.rrset(Code::RRSIG_LABELS_INVALID, covered,
                {{"keytag", tag_text(s.rrsig.key_tag)},
                 {"labels", std::to_string(s.rrsig.labels)},
                 {"owner_labels", std::to_string(owner_labels)}});
      break;
    }
    case SigStatus::NoKey: report_no_key(a, opt, rep, s, covered, st); break;
    case SigStatus::Invalid:
    case SigStatus::Malformed:
      if (st.explained.count(&s)) break;
      rep.rrset(Code::RRSIG_INVALID, covered,
                {{"keytag", s.parsed ? tag_text(s.rrsig.key_tag) : "?"},
                 {"algorithm", s.parsed ? alg_text(s.rrsig.algorithm) : "?"},
                 {"detail", s.status == SigStatus::Malformed ? "malformed" : "mismatch"}});
      break;
    case SigStatus::Unverified:
      // A work budget stopped verification (KeyTrap): one finding per RRset, naming the first budget that did.
      if (st.budget_reported.insert(s.rrset).second) {
        const bool keytag = s.budget == dnssec::BudgetStop::KeyTag;
        const bool bytes = s.budget == dnssec::BudgetStop::Bytes;
        rep.rrset(Code::VALIDATION_BUDGET_EXCEEDED, covered,
                  {{"detail", keytag  ? "keytag"
                              : bytes ? "bytes"
                                      : "rrset"},
                   {"keytag", tag_text(s.rrsig.key_tag)},
                   {"limit", bytes    ? std::to_string(a.budget.bytes_per_rrset)
                             : keytag ? std::to_string(a.budget.keys_per_tag)
                                      : std::to_string(a.budget.failures_per_rrset)}});
      }
      break;
    default: break;
  }
}

/// The findings about one RRSIG record: orphan, over RRSIG records, over non-authoritative data, or by its status.
void report_signature(const zone::Zone& z, const dnssec::ZoneAnalysis& a, const Options& opt, Reporter& rep,
                      const dnssec::SigInfo& s, SigReports& st) {
  const zone::Record& rec = z.records[s.record];
  if (s.rrset < 0) {
    if (z.kinds[rec.name] == zone::NodeKind::OutOfZone) return;
    rep.record(Code::RRSIG_ORPHAN, rec, {{"keytag", s.parsed ? tag_text(s.rrsig.key_tag) : "?"}});
    return;
  }
  const zone::RRset& covered = z.rrsets[static_cast<std::size_t>(s.rrset)];
  if (covered.type == rrtype::RRSIG) {
    // RFC 4035 §2.2: "An RRSIG RR itself MUST NOT be signed".
    rep.record(Code::RRSIG_INVALID, rec,
               {{"keytag", s.parsed ? tag_text(s.rrsig.key_tag) : "?"},
                {"algorithm", s.parsed ? alg_text(s.rrsig.algorithm) : "?"},
                {"detail", "covers-rrsig"}});
    return;
  }
  if (!dnssec::is_authoritative(z, covered)) {
    if (z.kinds[covered.name] == zone::NodeKind::OutOfZone) return;
    // RFC 4035 §2.2: delegation NS and glue MUST NOT be signed. One finding per RRset.
    if (st.non_auth_reported.insert(s.rrset).second) {
      rep.rrset(Code::RRSIG_ON_NON_AUTHORITATIVE, covered, {{"keytag", s.parsed ? tag_text(s.rrsig.key_tag) : "?"}});
    }
    return;
  }
  report_status(z, a, opt, rep, s, covered, st);
}

/// Presence and algorithm coverage (RFC 4035 §2.2): RRSIG_MISSING, ZONE_UNSIGNED_APEX, ALGORITHM_MISSING_SIGNATURES.
void check_coverage(const ZoneContext& ctx, Reporter& rep) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  std::set<std::uint8_t> key_algs;  // algorithms of usable zone keys that validators implement
  for (const dnssec::KeyInfo& k : a.keys) {
    if (key_usable(k.key) && algorithm_class(k.key.algorithm) != AlgClass::Unknown &&
        algorithm_class(k.key.algorithm) != AlgClass::Prohibited) {
      key_algs.insert(k.key.algorithm);
    }
  }
  std::set<std::uint8_t> ds_algs;
  for (const auto* list : {&ctx.chain.parent_ds, &ctx.chain.anchor_ds}) {
    for (const ExternalRecord& r : *list) {
      if (auto ds = dnssec::parse_ds(r.rdata)) ds_algs.insert(ds->algorithm);
    }
  }
  const std::set<std::uint8_t> signing_algs = a.signing_algorithms();
  // Per algorithm, the signed authoritative RRsets it does not sign, reported once with their count and the first
  // few. An algorithm in the DS set that signs nothing at all is DS_ALGORITHM_NOT_SIGNING (chain checks).
  std::map<std::uint8_t, std::vector<std::uint32_t>> missing;
  auto apex = z.apex();
  for (std::uint32_t i = 0; i < z.rrsets.size(); ++i) {
    const zone::RRset& set = z.rrsets[i];
    if (!dnssec::is_authoritative(z, set)) continue;
    auto sigs = a.sigs_of(i);
    if (sigs.empty()) {
      // The fact (no RRSIG) is reported wherever it holds; at the apex SOA or DNSKEY RRset its consequence for the
      // whole zone is reported beside it, never instead of it.
      rep.rrset(Code::RRSIG_MISSING, set);
      bool apex_core = apex && set.name == *apex && (set.type == rrtype::SOA || set.type == rrtype::DNSKEY);
      if (apex_core) rep.rrset(Code::ZONE_UNSIGNED_APEX, set, {{"type", zone::type_name(set.type)}});
      continue;
    }
    for (std::uint8_t alg : key_algs) {
      if (!signing_algs.count(alg) && ds_algs.count(alg)) continue;
      bool has = false;
      for (const dnssec::SigInfo& s : sigs) has = has || (s.parsed && s.rrsig.algorithm == alg);
      if (!has) missing[alg].push_back(i);
    }
  }
  for (const auto& [alg, list] : missing) {
    const bool in_ds = ds_algs.count(alg) > 0;
    rep.zone(Code::ALGORITHM_MISSING_SIGNATURES,
             {{"algorithm", alg_text(alg)},
              {"source", in_ds ? "DS set" : "DNSKEY set"},
              {"rrsets", std::to_string(list.size())},
              {"examples", rrset_examples(z, list)}},
             in_ds ? When() : When(Code::ALGORITHM_MISSING_SIGNATURES, "dnskey-only"));
  }
}

void check_zone(const ZoneContext& ctx, const Options& opt, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  if (!a.signed_zone) return;
  Reporter rep(ctx, sink);
  SigReports st;
  st.explained = report_unpublished_signers(z, a, rep);
  for (const dnssec::SigInfo& s : a.sigs) report_signature(z, a, opt, rep, s, st);
  check_coverage(ctx, rep);
}

}  // namespace

void check_signatures(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone(ctx, in.options, sink);
}

}  // namespace zw::checks
