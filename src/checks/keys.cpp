// keys.cpp: DNSKEY parameters, algorithm policy, key material, key-tag collisions, revocation and key sharing
// (RFC 4034 §2, RFC 5011, RFC 8624, RFC 3110, RFC 6605, RFC 8080).

#include <map>
#include <set>

#include "checks/common.hpp"
#include "dnssec/batch_gcd.hpp"
#include "dnssec/roca.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using catalog::When;
namespace rrtype = zone::rrtype;

// RFC 6781 §3.4.1 (2012) still called 1024-bit RSA ZSKs adequate; the root zone moved its ZSK to 2048 bits on
// 2016-10-01, after which 1024-bit keys are below accepted practice. Zones checked at an earlier --now get a notice.
const core::EpochSeconds kRsa1024Sunset = core::make_epoch(2016, 10, 1, 0, 0, 0);

std::string flags_text(std::uint16_t f) {
  return std::to_string(f);
}

/// KEY_ENCODING_INVALID params: the parser's detail token, with the lengths the token's text names.
Reporter::Params encoding_params(const dnssec::PublicKey& k, const std::string& tag) {
  Reporter::Params p{{"keytag", tag}, {"detail", std::string(k.problem_detail)}};
  if (k.problem_detail == "rdata-short" || k.problem_detail == "key-length") {
    p.emplace_back("octets", std::to_string(k.problem_octets));
  }
  if (k.problem_detail == "key-length") p.emplace_back("expected", std::to_string(k.problem_expected));
  return p;
}

void check_zone_keys(const ZoneContext& ctx, const Options& opt, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  Reporter rep(ctx, sink);

  // Which key tags the parent's DS set refers to (for the zone-key-flag rule).
  std::set<std::pair<std::uint16_t, std::uint8_t>> ds_refs;
  for (const ExternalRecord& r : ctx.chain.parent_ds) {
    if (auto ds = dnssec::parse_ds(r.rdata)) ds_refs.insert({ds->key_tag, ds->algorithm});
  }

  for (const dnssec::KeyInfo& ki : a.keys) {
    const dnssec::PublicKey& k = ki.key;
    const zone::Record& rec = z.records[ki.record];
    const std::string tag = std::to_string(k.tag);
    // RFC 4034 §2.1.2: "The Protocol Field MUST have value 3". §2.1.1: a key that signs or that a DS points to
    // must be a zone key (bit 7), or validators ignore it.
    bool referenced = ki.named || ds_refs.count({k.tag, k.algorithm});
    if (k.protocol != 3 || (!(k.flags & dnssec::kFlagZone) && referenced)) {
      rep.record(Code::DNSKEY_PROTOCOL_INVALID, rec,
                 {{"keytag", tag}, {"protocol", std::to_string(k.protocol)}, {"flags", flags_text(k.flags)}});
    }
    switch (algorithm_class(k.algorithm)) {
      case AlgClass::Prohibited:
        rep.record(Code::ALGORITHM_PROHIBITED, rec, {{"algorithm", alg_text(k.algorithm)}, {"keytag", tag}});
        break;
      case AlgClass::Deprecated:
        rep.record(Code::ALGORITHM_DEPRECATED, rec, {{"algorithm", alg_text(k.algorithm)}, {"keytag", tag}});
        break;
      case AlgClass::Unknown:
        rep.record(Code::ALGORITHM_UNKNOWN, rec, {{"algorithm", alg_text(k.algorithm)}, {"keytag", tag}});
        break;
      case AlgClass::Recommended: break;
    }
    if (k.problem == dnssec::KeyProblem::Encoding) {
      rep.record(Code::KEY_ENCODING_INVALID, rec, encoding_params(k, tag));
    } else if (k.problem == dnssec::KeyProblem::PointInvalid) {
      rep.record(Code::KEY_EC_POINT_INVALID, rec, {{"keytag", tag}, {"detail", "off-curve"}});
    } else if (k.problem == dnssec::KeyProblem::SmallOrder) {
      // RFC 8032 §5.1.7 verification without the cofactor accepts (R = [S]B − [k]A, S) under a small-order A.
      rep.record(Code::KEY_EC_POINT_INVALID, rec, {{"keytag", tag}, {"detail", "small-order"}});
    }
    if (dnssec::is_rsa_algorithm(k.algorithm)) {
      if (auto f = dnssec::rsa_facts(k)) {
        if (f->bits < 1024) {
          rep.record(Code::KEY_RSA_TOO_SHORT, rec, {{"keytag", tag}, {"bits", std::to_string(f->bits)}},
                     When(Code::KEY_RSA_TOO_SHORT, "below-1024"));
        } else if (f->bits < 2048) {
          rep.record(Code::KEY_RSA_TOO_SHORT, rec, {{"keytag", tag}, {"bits", std::to_string(f->bits)}},
                     opt.now >= kRsa1024Sunset ? When() : When(Code::KEY_RSA_TOO_SHORT, "before-2016-10"));
        }
        if (f->exponent_invalid) {
          rep.record(Code::KEY_RSA_EXPONENT_WEAK, rec, {{"keytag", tag}, {"exponent", f->exponent_decimal}},
                     When(Code::KEY_RSA_EXPONENT_WEAK, "unusable"));
        } else if (f->exponent_unusual) {
          rep.record(Code::KEY_RSA_EXPONENT_WEAK, rec, {{"keytag", tag}, {"exponent", f->exponent_decimal}});
        }
        if (f->modulus_even) {
          rep.record(Code::KEY_RSA_FACTORABLE, rec, {{"keytag", tag}, {"detail", "even-modulus"}});
        } else if (f->small_factor) {
          rep.record(Code::KEY_RSA_FACTORABLE, rec,
                     {{"keytag", tag}, {"detail", "small-factor"}, {"factor", std::to_string(f->small_factor)}});
        }
      }
    }
    // Revocation (RFC 5011 §2.1): a revoked key may sign only the DNSKEY RRset, next to a key that is not revoked.
    if (key_revoked(k)) {
      bool other_signer = false;
      for (const dnssec::KeyInfo& o : a.keys) other_signer = other_signer || (!key_revoked(o.key) && o.signs_dnskey);
      if (ki.signs_other || (ki.signs_dnskey && !other_signer)) {
        rep.record(Code::KEY_REVOKED_MISUSED, rec, {{"keytag", tag}});
      } else if (ki.signs_dnskey) {
        rep.record(Code::KEY_REVOKED_PRESENT, rec,
                   {{"keytag", tag}, {"original_keytag", std::to_string(k.revoked_tag)}});
      }
    } else if (!ki.named && ki.valid_signatures == 0 && (k.flags & dnssec::kFlagZone)) {
      rep.record(Code::DNSKEY_STANDBY, rec, {{"keytag", tag}, {"flags", flags_text(k.flags)}});
    }
  }

  // Key-tag collisions among published keys of one algorithm, including the tag a key gets once revoked
  // (RFC 5011 §7: "... the key tag of the revoked key MUST NOT collide with other keys' tags").
  for (std::size_t i = 0; i < a.keys.size(); ++i) {
    for (std::size_t j = i + 1; j < a.keys.size(); ++j) {
      const dnssec::PublicKey& x = a.keys[i].key;
      const dnssec::PublicKey& y = a.keys[j].key;
      if (x.algorithm != y.algorithm || x.public_key == y.public_key) continue;
      std::uint16_t shared = 0;
      if (!tags_collide(x, y, shared)) continue;
      bool both_sign = a.keys[i].valid_signatures > 0 && a.keys[j].valid_signatures > 0;
      rep.record(Code::KEYTAG_COLLISION, z.records[a.keys[j].record],
                 keytag_collision_params(shared, x, a.keys[i].valid_signatures > 0 ? "published, signing" : "published",
                                         y, a.keys[j].valid_signatures > 0 ? "published, signing" : "published"),
                 both_sign ? When(Code::KEYTAG_COLLISION, "both-sign") : When());
    }
  }
}

struct SeenKey {
  std::size_t zone;
  const dnssec::KeyInfo* key;
};

/// One RSA modulus seen in this run, and where to report it.
struct ModulusUse {
  std::string modulus;
  std::string where;                           ///< how the partner of a pair names it
  const ZoneContext* ctx = nullptr;            ///< zone to report in (null: history, or a zone not being checked)
  const dnssec::KeyInfo* published = nullptr;  ///< report on this published DNSKEY, or
  const zone::InventoryKey* file = nullptr;    ///< on this key file
  std::uint16_t tag = 0;
};

const ZoneContext* zone_of(const CheckInput& in, const core::WireName& origin) {
  for (const ZoneContext& ctx : in.zones) {
    if (ctx.zone->origin == origin) return &ctx;
  }
  return nullptr;
}

/// KEY_RSA_FACTORABLE across every RSA key of the run — published keys of all zones, the signer's key files and the
/// key history — by batch GCD (Heninger et al. 2012), and KEY_ROCA_VULNERABLE for the keys of the run.
void check_shared_primes(const CheckInput& in, FindingSink& sink) {
  std::vector<ModulusUse> uses;
  for (const ZoneContext& ctx : in.zones) {
    for (const dnssec::KeyInfo& k : ctx.analysis->keys) {
      if (!dnssec::is_rsa_algorithm(k.key.algorithm) || k.key.rsa_modulus.size() < 16) continue;
      uses.push_back(
          {k.key.rsa_modulus, "key " + std::to_string(k.key.tag) + " of " + ctx.name, &ctx, &k, nullptr, k.key.tag});
    }
  }
  std::vector<dnssec::PublicKey> parsed;  // keeps inventory/history keys alive while `uses` points at their text
  parsed.reserve(in.inventory.size() + in.history.size());
  for (const zone::InventoryKey& f : in.inventory) {
    if (f.dnskey_rdata.size() < 5) continue;
    parsed.push_back(dnssec::parse_dnskey(f.dnskey_rdata));
    const dnssec::PublicKey& k = parsed.back();
    if (!dnssec::is_rsa_algorithm(k.algorithm) || k.rsa_modulus.size() < 16) continue;
    uses.push_back({k.rsa_modulus, "key file " + f.file, zone_of(in, f.zone), nullptr, &f, k.tag});
  }
  for (const zone::HistoryKey& h : in.history) {
    if (h.dnskey_rdata.size() < 5) continue;
    parsed.push_back(dnssec::parse_dnskey(h.dnskey_rdata));
    const dnssec::PublicKey& k = parsed.back();
    if (!dnssec::is_rsa_algorithm(k.algorithm) || k.rsa_modulus.size() < 16) continue;
    uses.push_back({k.rsa_modulus,
                    "key " + std::to_string(k.tag) + " of " + core::name_to_text(h.zone) + " in the key history (" +
                        h.source + ")",
                    nullptr, nullptr, nullptr, k.tag});
  }

  auto report = [&](const ModulusUse& u, catalog::Code code, Reporter::Params params) {
    if (!u.ctx) return;
    Reporter rep(*u.ctx, sink);
    if (u.published) {
      rep.record(code, u.ctx->zone->records[u.published->record], std::move(params));
    } else if (u.file) {
      rep.external(code, ExternalRecord{u.file->dnskey_rdata, u.file->file, 0}, "DNSKEY", std::move(params));
    }
  };

  // CVE-2017-15361: the modulus has the structure of the Infineon library's primes.
  for (const ModulusUse& u : uses) {
    if (u.ctx && dnssec::roca_fingerprint(u.modulus)) {
      report(u, Code::KEY_ROCA_VULNERABLE, {{"keytag", std::to_string(u.tag)}});
    }
  }

  if (uses.size() < 2) return;
  std::vector<std::string> moduli;
  moduli.reserve(uses.size());
  for (const ModulusUse& u : uses) moduli.push_back(u.modulus);
  std::map<std::size_t, std::set<std::string>> partners;
  for (const dnssec::SharedFactor& pair : dnssec::shared_factor_pairs(moduli)) {
    partners[pair.first].insert(uses[pair.second].where);
    partners[pair.second].insert(uses[pair.first].where);
  }
  for (const auto& [i, with] : partners) {
    std::string list;
    for (const auto& w : with) list += (list.empty() ? "" : ", ") + w;
    report(uses[i], Code::KEY_RSA_FACTORABLE,
           {{"keytag", std::to_string(uses[i].tag)}, {"detail", "shared-prime"}, {"others", list}});
  }
}

}  // namespace

void check_keys(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) {
    if (ctx.analysis->signed_zone) check_zone_keys(ctx, in.options, sink);
  }
}

void check_key_sharing(const CheckInput& in, FindingSink& sink) {
  // KEY_REUSED: the same public key in zones with different names, or twice in one zone with different flags.
  std::map<std::pair<std::uint8_t, std::string>, std::vector<SeenKey>> by_key;
  for (std::size_t zi = 0; zi < in.zones.size(); ++zi) {
    for (const dnssec::KeyInfo& k : in.zones[zi].analysis->keys) {
      if (k.key.public_key.empty()) continue;
      by_key[{k.key.algorithm, k.key.public_key}].push_back({zi, &k});
    }
  }
  for (const auto& [id, uses] : by_key) {
    if (uses.size() < 2) continue;
    for (const SeenKey& u : uses) {
      std::vector<std::string> others;
      for (const SeenKey& o : uses) {
        if (o.key == u.key) continue;
        const ZoneContext& oz = in.zones[o.zone];
        const ZoneContext& uz = in.zones[u.zone];
        bool same_zone_name = oz.zone->origin == uz.zone->origin;
        if (same_zone_name && o.zone != u.zone) continue;  // another version of the same zone
        if (same_zone_name && o.key->key.flags == u.key->key.flags) continue;
        others.push_back(oz.name + " flags " + std::to_string(o.key->key.flags));
      }
      if (others.empty()) continue;
      std::string other;
      for (const auto& s : others) other += (other.empty() ? "" : ", ") + s;
      Reporter rep(in.zones[u.zone], sink);
      rep.record(Code::KEY_REUSED, in.zones[u.zone].zone->records[u.key->record],
                 {{"keytag", std::to_string(u.key->key.tag)}, {"other", other}});
    }
  }

  check_shared_primes(in, sink);
}

}  // namespace zw::checks
