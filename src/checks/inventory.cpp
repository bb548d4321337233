// inventory.cpp: the signer's keys (--keys) and the key history (--key-history) against the published keys:
// KEY_PRIVATE_PUBLIC_MISMATCH, KEYTAG_COLLISION (also with unpublished keys and across time), KEY_REUSED and RSA
// moduli sharing a prime with keys outside the published set — found before the faulty key signs anything.

#include <map>
#include <set>

#include "checks/common.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using catalog::When;

/// One distinct key (by algorithm and public key) of a zone: published, in the inventory, or both.
struct Cand {
  const dnssec::PublicKey* key = nullptr;
  const dnssec::KeyInfo* published = nullptr;
  std::vector<const zone::InventoryKey*> files;
  bool signs = false;       ///< published with a valid signature, or verifies a signature that names its tag
  bool zone_known = false;  ///< published, or a key file states this zone
};

struct ZoneKeys {
  const ZoneContext* ctx = nullptr;
  std::vector<Cand> cands;
  /// (inventory key, published key) pairs already reported as KEY_PRIVATE_PUBLIC_MISMATCH.
  std::set<std::pair<const zone::InventoryKey*, const dnssec::KeyInfo*>> explained;
};

std::string base_name(const std::string& path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string file_list(const Cand& c) {
  std::vector<std::string> names;
  for (const zone::InventoryKey* f : c.files) names.push_back(base_name(f->file));
  return join(names, ", ");
}

/// Where a key of the zone was seen, for KEYTAG_COLLISION: "published", else "key file next-zsk.key"; with
/// ", signing" when it makes valid signatures.
std::string source_of(const Cand& c) {
  return (c.published ? "published" : "key file " + base_name(c.files.front()->file)) + (c.signs ? ", signing" : "");
}

/// Reports about a key: on its DNSKEY record when published, else on its key file.
void report_on(const ZoneContext& ctx, FindingSink& sink, const Cand& c, Code code, Reporter::Params params,
               When when = {}) {
  Reporter rep(ctx, sink);
  if (c.published) {
    rep.record(code, ctx.zone->records[c.published->record], std::move(params), when);
  } else {
    const zone::InventoryKey& f = *c.files.front();
    rep.external(code, ExternalRecord{f.dnskey_rdata, f.file, 0, {}}, "DNSKEY", std::move(params), when);
  }
}

/// True when some signature of the zone that names this key's tag and algorithm, and failed under the published
/// keys (or found none), verifies under `k`: an unpublished key that signs.
bool inventory_key_signs(const ZoneContext& ctx, const dnssec::PublicKey& k) {
  if (!k.pkey || k.protocol != 3 || !(k.flags & dnssec::kFlagZone)) return false;
  const zone::Zone& z = *ctx.zone;
  for (const dnssec::SigInfo& s : ctx.analysis->sigs) {
    if (!s.parsed || s.rrset < 0) continue;
    if (s.status != dnssec::SigStatus::Invalid && s.status != dnssec::SigStatus::NoKey) continue;
    if (s.rrsig.key_tag != k.tag || s.rrsig.algorithm != k.algorithm) continue;
    const zone::RRset& covered = z.rrsets[static_cast<std::size_t>(s.rrset)];
    std::vector<std::string_view> rdatas;
    for (const zone::Record& r : z.records_of(covered)) rdatas.push_back(z.rdata(r));
    std::string data =
        dnssec::signed_data(s.rrsig, z.names[covered.name], covered.type, z.records[covered.first].rclass, rdatas);
    if (dnssec::verify(k, data, s.rrsig.signature) == dnssec::VerifyResult::Valid) return true;
  }
  return false;
}

ZoneKeys collect(const ZoneContext& ctx, const CheckInput& in, const std::vector<dnssec::PublicKey>& inv_keys) {
  ZoneKeys zk;
  zk.ctx = &ctx;
  for (const dnssec::KeyInfo& ki : ctx.analysis->keys) {
    zk.cands.push_back({&ki.key, &ki, {}, ki.valid_signatures > 0, true});
  }
  for (std::size_t i = 0; i < in.inventory.size(); ++i) {
    const zone::InventoryKey& f = in.inventory[i];
    if (f.dnskey_rdata.size() < 5 || (!f.zone.empty() && f.zone != ctx.zone->origin)) continue;
    const dnssec::PublicKey& k = inv_keys[i];
    Cand* same = nullptr;
    for (Cand& c : zk.cands) {
      if (c.key->algorithm == k.algorithm && c.key->public_key == k.public_key) same = &c;
    }
    if (!same) {
      zk.cands.push_back({&k, nullptr, {}, false, false});
      same = &zk.cands.back();
    }
    same->files.push_back(&f);
    same->zone_known = same->zone_known || !f.zone.empty();
  }
  for (Cand& c : zk.cands) {
    if (!c.published) c.signs = inventory_key_signs(ctx, *c.key);
  }
  return zk;
}

/// KEY_PRIVATE_PUBLIC_MISMATCH: a private key that is not the pair of its .key file, or whose file name states the
/// tag of a published key it is not the pair of.
void check_mismatch(ZoneKeys& zk, const CheckInput& in, FindingSink& sink) {
  const ZoneContext& ctx = *zk.ctx;
  Reporter rep(ctx, sink);
  for (const zone::InventoryKey& f : in.inventory) {
    if (!f.has_private || f.dnskey_rdata.size() < 5 || (!f.zone.empty() && f.zone != ctx.zone->origin)) continue;
    std::uint16_t tag = f.name_tag >= 0 ? static_cast<std::uint16_t>(f.name_tag) : dnssec::key_tag(f.dnskey_rdata);
    bool report = !f.private_matches;
    if (!report && f.name_tag >= 0 && f.private_rdata.size() >= 5) {
      const auto alg = static_cast<std::uint8_t>(f.private_rdata[3]);
      const std::string_view pub = std::string_view(f.private_rdata).substr(4);
      std::vector<const dnssec::KeyInfo*> named;
      bool pair = false;
      for (const dnssec::KeyInfo& ki : ctx.analysis->keys) {
        if (ki.key.algorithm != alg || ki.key.tag != tag) continue;
        named.push_back(&ki);
        pair = pair || ki.key.public_key == pub;
      }
      if (!named.empty() && !pair) {
        report = true;
        for (const dnssec::KeyInfo* ki : named) zk.explained.insert({&f, ki});
      }
    }
    if (!report) continue;
    rep.external(Code::KEY_PRIVATE_PUBLIC_MISMATCH, ExternalRecord{f.dnskey_rdata, f.private_file, 0, {}}, "DNSKEY",
                 {{"keytag", std::to_string(tag)}, {"file", f.private_file}});
  }
}

bool explained(const ZoneKeys& zk, const Cand& a, const Cand& b) {
  for (const auto& [inv, pub] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
    if (!pub->published) continue;
    for (const zone::InventoryKey* f : inv->files) {
      if (zk.explained.count({f, pub->published})) return true;
    }
  }
  return false;
}

/// KEYTAG_COLLISION between an inventory key and any other key of the zone (pairs of published keys are keys.cpp's).
void check_collisions(const ZoneKeys& zk, FindingSink& sink) {
  const auto& cands = zk.cands;
  for (std::size_t i = 0; i < cands.size(); ++i) {
    for (std::size_t j = i + 1; j < cands.size(); ++j) {
      const Cand& x = cands[i];
      const Cand& y = cands[j];
      if (x.published && y.published) continue;
      if (x.key->algorithm != y.key->algorithm || x.key->public_key == y.key->public_key) continue;
      std::uint16_t shared = 0;
      if (!tags_collide(*x.key, *y.key, shared) || explained(zk, x, y)) continue;
      const Cand& subject = x.published ? y : (y.published ? x : y);  // the key file, not the published record
      report_on(*zk.ctx, sink, subject, Code::KEYTAG_COLLISION,
                keytag_collision_params(shared, *x.key, source_of(x), *y.key, source_of(y)),
                x.signs && y.signs ? When(Code::KEYTAG_COLLISION, "both-sign") : When());
    }
  }
}

/// KEYTAG_COLLISION between a current key and an earlier key of the same zone recorded in the key history.
void check_history_collisions(const ZoneKeys& zk, const CheckInput& in, const std::vector<dnssec::PublicKey>& hist_keys,
                              FindingSink& sink) {
  for (std::size_t h = 0; h < in.history.size(); ++h) {
    const zone::HistoryKey& hk = in.history[h];
    const dnssec::PublicKey& old = hist_keys[h];
    if (hk.dnskey_rdata.size() < 5 || hk.zone != zk.ctx->zone->origin) continue;
    bool current = false;
    for (const Cand& c : zk.cands) {
      current = current || (c.key->algorithm == old.algorithm && c.key->public_key == old.public_key);
    }
    if (current) continue;
    for (const Cand& c : zk.cands) {
      std::uint16_t shared = 0;
      if (c.key->algorithm != old.algorithm || !tags_collide(*c.key, old, shared)) continue;
      report_on(
          *zk.ctx, sink, c, Code::KEYTAG_COLLISION,
          keytag_collision_params(shared, *c.key, source_of(c), old,
                                  "key history " + hk.source + ", first seen " + core::format_time(hk.first_seen)));
    }
  }
}

/// Where a public key was seen, for KEY_REUSED.
struct Holder {
  core::WireName zone;
  std::string what;
  bool published = false;  ///< published in a zone of this run
  bool current = false;    ///< published or in the inventory (not only in the history)
};

using KeyId = std::pair<std::uint8_t, std::string>;

/// KEY_REUSED: a key of a zone that another zone also holds, in its inventory or in the key history.
void check_reuse(const std::vector<ZoneKeys>& zones, const CheckInput& in,
                 const std::vector<dnssec::PublicKey>& inv_keys, const std::vector<dnssec::PublicKey>& hist_keys,
                 FindingSink& sink) {
  std::map<KeyId, std::vector<Holder>> holders;
  std::set<core::WireName> run_zones;
  for (const ZoneKeys& zk : zones) {
    run_zones.insert(zk.ctx->zone->origin);
    for (const Cand& c : zk.cands) {
      if (!c.zone_known) continue;
      holders[{c.key->algorithm, c.key->public_key}].push_back(
          {zk.ctx->zone->origin, c.published ? "published" : file_list(c), c.published != nullptr, true});
    }
  }
  for (std::size_t i = 0; i < in.inventory.size(); ++i) {
    const zone::InventoryKey& f = in.inventory[i];
    if (f.dnskey_rdata.size() < 5 || f.zone.empty() || run_zones.count(f.zone)) continue;
    holders[{inv_keys[i].algorithm, inv_keys[i].public_key}].push_back({f.zone, base_name(f.file), false, true});
  }
  for (std::size_t h = 0; h < in.history.size(); ++h) {
    const zone::HistoryKey& hk = in.history[h];
    if (hk.dnskey_rdata.size() < 5) continue;
    holders[{hist_keys[h].algorithm, hist_keys[h].public_key}].push_back(
        {hk.zone, "key history since " + core::format_time(hk.first_seen) + ", " + hk.source, false, false});
  }
  for (const ZoneKeys& zk : zones) {
    const core::WireName& origin = zk.ctx->zone->origin;
    for (const Cand& c : zk.cands) {
      if (!c.zone_known) continue;
      const auto it = holders.find({c.key->algorithm, c.key->public_key});
      if (it == holders.end()) continue;
      std::map<core::WireName, std::vector<std::string>> others;
      std::set<core::WireName> current_zones;
      for (const Holder& h : it->second) {
        if (h.current) current_zones.insert(h.zone);
      }
      for (const Holder& h : it->second) {
        if (h.zone == origin) continue;
        if (c.published && h.published) continue;                 // keys.cpp reports keys published in two zones
        if (!h.current && current_zones.count(h.zone)) continue;  // the current use says more than the history
        others[h.zone].push_back(h.what);
      }
      if (others.empty()) continue;
      std::vector<std::string> parts;
      for (const auto& [zone, whats] : others)
        parts.push_back(core::name_to_text(zone) + " (" + join(whats, "; ") + ")");
      report_on(*zk.ctx, sink, c, Code::KEY_REUSED,
                {{"keytag", std::to_string(c.key->tag)}, {"other", "a key of " + join(parts, ", ")}});
    }
  }
}

}  // namespace

void check_inventory(const CheckInput& in, FindingSink& sink) {
  if (in.inventory.empty() && in.history.empty()) return;
  std::vector<dnssec::PublicKey> inv_keys(in.inventory.size());
  for (std::size_t i = 0; i < in.inventory.size(); ++i) {
    if (in.inventory[i].dnskey_rdata.size() >= 5) inv_keys[i] = dnssec::parse_dnskey(in.inventory[i].dnskey_rdata);
  }
  std::vector<dnssec::PublicKey> hist_keys(in.history.size());
  for (std::size_t h = 0; h < in.history.size(); ++h) {
    if (in.history[h].dnskey_rdata.size() >= 5) hist_keys[h] = dnssec::parse_dnskey(in.history[h].dnskey_rdata);
  }

  std::vector<ZoneKeys> zones;
  zones.reserve(in.zones.size());
  for (const ZoneContext& ctx : in.zones) zones.push_back(collect(ctx, in, inv_keys));
  for (ZoneKeys& zk : zones) {
    check_mismatch(zk, in, sink);
    check_collisions(zk, sink);
    check_history_collisions(zk, in, hist_keys, sink);
  }
  check_reuse(zones, in, inv_keys, hist_keys, sink);
}

}  // namespace zw::checks
