// keys.cpp: DNSKEY parameters, algorithm policy, key material, key-tag collisions, revocation and key sharing
// (RFC 4034 §2, RFC 5011, RFC 8624, RFC 3110, RFC 6605, RFC 8080).

#include <algorithm>
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

/// The published keys of one algorithm that have one tag: as published (`direct`), or once their REVOKE bit is
/// toggled (`revoked`). Indices into ZoneAnalysis::keys, in zone order.
struct TagGroup {
  std::vector<std::size_t> direct;
  std::vector<std::size_t> revoked;
};

/// The members of a tag group that collide with another member: two keys with different public keys collide when
/// one of them has the tag as published (two keys that would both only get it once revoked do not).
std::vector<std::size_t> colliding_members(const dnssec::ZoneAnalysis& a, const TagGroup& g) {
  std::set<std::string_view> direct_keys;
  for (std::size_t k : g.direct) direct_keys.insert(a.keys[k].key.public_key);
  std::set<std::string_view> all_keys = direct_keys;
  for (std::size_t k : g.revoked) all_keys.insert(a.keys[k].key.public_key);
  std::vector<std::size_t> out;
  if (all_keys.size() >= 2) out = g.direct;
  for (std::size_t k : g.revoked) {
    const std::string_view pub = a.keys[k].key.public_key;
    if (direct_keys.size() >= 2 || (direct_keys.size() == 1 && *direct_keys.begin() != pub)) out.push_back(k);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// KEYTAG_COLLISION: one finding per tag and algorithm shared by published keys, including the tag a key gets once
/// revoked (RFC 5011 §7: "... the key tag of the revoked key MUST NOT collide with other keys' tags"). Reported on
/// the group's last key in zone order; an error when two or more keys of the group sign. Linear in the keys, however
/// many share one tag.
void check_tag_groups(const ZoneContext& ctx, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  Reporter rep(ctx, sink);
  std::map<std::pair<std::uint8_t, std::uint16_t>, TagGroup> groups;
  for (std::size_t k = 0; k < a.keys.size(); ++k) {
    const dnssec::PublicKey& key = a.keys[k].key;
    groups[{key.algorithm, key.tag}].direct.push_back(k);
    if (key.revoked_tag != key.tag) groups[{key.algorithm, key.revoked_tag}].revoked.push_back(k);
  }
  for (const auto& [id, group] : groups) {
    if (group.direct.empty() || group.direct.size() + group.revoked.size() < 2) continue;
    const std::vector<std::size_t> members = colliding_members(a, group);
    if (members.empty()) continue;
    std::vector<CollisionMember> listed;
    std::size_t signing = 0;
    for (std::size_t k : members) {
      const bool signs = a.keys[k].valid_signatures > 0;
      signing += signs ? 1 : 0;
      listed.push_back({&a.keys[k].key, signs ? "published, signing" : "published"});
    }
    rep.record(Code::KEYTAG_COLLISION, z.records[a.keys[members.back()].record],
               keytag_collision_params(id.second, std::move(listed)),
               signing >= 2 ? When(Code::KEYTAG_COLLISION, "both-sign") : When());
  }
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

  // A key that is not revoked and signs the DNSKEY RRset (asked once, not once per revoked key).
  bool other_signer = false;
  for (const dnssec::KeyInfo& o : a.keys) other_signer = other_signer || (!key_revoked(o.key) && o.signs_dnskey);

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

  check_tag_groups(ctx, sink);
}

struct SeenKey {
  std::size_t zone;
  const dnssec::KeyInfo* key;
};

/// KEY_REUSED for each use of one public key: the others, except other versions of the same zone and the same key
/// with the same flags in its own zone; the first 8 in zone order and how many more. Linear in the uses.
void report_reused(const CheckInput& in, const std::vector<SeenKey>& uses, FindingSink& sink) {
  constexpr std::size_t kListed = 8;
  std::map<std::string_view, std::size_t> by_name;
  std::map<std::size_t, std::size_t> by_zone;
  std::map<std::pair<std::size_t, std::uint16_t>, std::size_t> by_zone_flags;
  for (const SeenKey& u : uses) {
    ++by_name[in.zones[u.zone].zone->origin];
    ++by_zone[u.zone];
    ++by_zone_flags[{u.zone, u.key->key.flags}];
  }
  for (const SeenKey& u : uses) {
    const ZoneContext& uz = in.zones[u.zone];
    // Other zones' names, and this zone's own uses under other flags.
    const std::size_t count =
        (uses.size() - by_name[uz.zone->origin]) + (by_zone[u.zone] - by_zone_flags[{u.zone, u.key->key.flags}]);
    if (count == 0) continue;
    std::string other;
    std::size_t listed = 0;
    for (const SeenKey& o : uses) {
      if (listed == kListed) break;
      if (o.key == u.key) continue;
      const ZoneContext& oz = in.zones[o.zone];
      bool same_zone_name = oz.zone->origin == uz.zone->origin;
      if (same_zone_name && o.zone != u.zone) continue;  // another version of the same zone
      if (same_zone_name && o.key->key.flags == u.key->key.flags) continue;
      other += (other.empty() ? "" : ", ") + oz.name + " flags " + std::to_string(o.key->key.flags);
      ++listed;
    }
    if (count > listed) other += ", and " + std::to_string(count - listed) + " more";
    Reporter rep(uz, sink);
    rep.record(Code::KEY_REUSED, uz.zone->records[u.key->record],
               {{"keytag", std::to_string(u.key->key.tag)}, {"other", other}});
  }
}

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

/// The "shares a prime factor with ..." text of each key that shares one: its partners' names in text order, the
/// first 8 and then how many more, from the groups of dnssec::shared_factor_groups() — linear in the keys when they
/// share one prime, however many they are.
template <typename Report>
void report_shared_factors(const std::vector<ModulusUse>& uses, const dnssec::FactorGroups& groups, Report report) {
  constexpr std::size_t kListed = 8;
  struct Entry {
    std::string_view where;
    std::size_t value;
  };
  std::vector<std::vector<std::size_t>> members(groups.linked.size());
  for (std::size_t i = 0; i < uses.size(); ++i) {
    if (groups.group[i] >= 0) members[static_cast<std::size_t>(groups.group[i])].push_back(i);
  }
  for (std::size_t g = 0; g < members.size(); ++g) {
    // Everyone sharing a prime with the group: its own members and those of the groups linked with it.
    std::vector<Entry> sharing;
    for (std::size_t i : members[g]) sharing.push_back({uses[i].where, groups.value[i]});
    for (std::size_t h : groups.linked[g]) {
      for (std::size_t i : members[h]) sharing.push_back({uses[i].where, groups.value[i]});
    }
    std::sort(sharing.begin(), sharing.end(),
              [](const Entry& x, const Entry& y) { return std::pair(x.where, x.value) < std::pair(y.where, y.value); });
    // Distinct names, and per value the names only that value has (a key is never its own partner).
    std::size_t names = 0;
    std::map<std::size_t, std::size_t> own_only;
    for (std::size_t k = 0; k < sharing.size();) {
      std::size_t end = k + 1;
      while (end < sharing.size() && sharing[end].where == sharing[k].where) ++end;
      ++names;
      if (sharing[k].value == sharing[end - 1].value) ++own_only[sharing[k].value];
      k = end;
    }
    for (std::size_t i : members[g]) {
      std::string list;
      std::size_t listed = 0;
      std::string_view last;
      for (std::size_t k = 0; k < sharing.size() && listed < kListed; ++k) {
        const Entry& e = sharing[k];
        if (e.value == groups.value[i] || (listed > 0 && e.where == last)) continue;
        list += (list.empty() ? "" : ", ") + std::string(e.where);
        last = e.where;
        ++listed;
      }
      const std::size_t partners = names - own_only[groups.value[i]];
      if (partners > listed) list += ", and " + std::to_string(partners - listed) + " more";
      report(uses[i], Code::KEY_RSA_FACTORABLE,
             {{"keytag", std::to_string(uses[i].tag)}, {"detail", "shared-prime"}, {"others", list}});
    }
  }
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
      rep.external(code, ExternalRecord{u.file->dnskey_rdata, u.file->file, 0, {}}, "DNSKEY", std::move(params));
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
  report_shared_factors(uses, dnssec::shared_factor_groups(moduli), report);
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
    if (uses.size() >= 2) report_reused(in, uses, sink);
  }

  check_shared_primes(in, sink);
}

}  // namespace zw::checks
