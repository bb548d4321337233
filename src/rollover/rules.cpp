// rules.cpp: which rollover a version is in, and whether caches may still hold what it no longer validates.
//
// The model is RFC 7583's: a resolver may hold an RRset for its TTL after the version that served it was replaced,
// plus the propagation delay (Dprp) until every server serves the new version. A step is safe when every
// combination of what caches may hold validates: a cached DS set with the DNSKEY RRset served now (rules A, D), a
// cached DNSKEY RRset with the signatures served now (B), cached signatures with the DNSKEY RRset served now (C).
// The algorithm rules (F) ask the same of validators that require every algorithm (RFC 6781 §4.1.4).
#include "rollover/rules.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace zw::rollover {
namespace {

using catalog::Code;
using core::EpochSeconds;

std::set<std::string> usable_ids(const Snapshot& s) {
  std::set<std::string> out;
  for (const SnapKey& k : s.keys) {
    if (!k.revoked()) out.insert(k.id);
  }
  return out;
}

/// Usable keys that sign the DNSKEY RRset.
std::set<std::string> dnskey_signers(const Snapshot& s) {
  std::set<std::string> out;
  for (const SnapKey& k : s.keys) {
    if (!k.revoked() && k.signs_dnskey) out.insert(k.id);
  }
  return out;
}

std::set<std::uint8_t> algorithms_of(const Snapshot& s, const std::set<std::string>& ids) {
  std::set<std::uint8_t> out;
  for (const SnapKey& k : s.keys) {
    if (ids.count(k.id)) out.insert(k.algorithm);
  }
  return out;
}

std::set<std::uint8_t> algorithms_of(const SignerSet& set) {
  std::set<std::uint8_t> out;
  for (const Signer& g : set.signers) out.insert(g.algorithm);
  return out;
}

bool intersects(const SignerSet& set, const std::set<std::string>& ids) {
  return std::any_of(set.signers.begin(), set.signers.end(), [&](const Signer& g) { return ids.count(g.id) > 0; });
}

bool has_ds(const SnapDsSet& set, const SnapDs& d) {
  return std::any_of(set.records.begin(), set.records.end(), [&](const SnapDs& x) { return x.item() == d.item(); });
}

/// The rules' reading of the timeline.
class Judge {
 public:
  Judge(const Timeline& t, const Snapshot& current) : t_(t), now_(current) {
    if (!t.prior) return;
    epochs_ = &t.prior->epochs;
    // Until when each epoch's version was served: its last sighting for samples, else until the next epoch was
    // first seen (the version under check replaces the newest ones now).
    for (const Epoch& e : *epochs_) {
      EpochSeconds until = t.now;
      if (t.options.sampled) {
        until = e.last_seen;
      } else {
        for (const Epoch& f : *epochs_) {
          if (f.first_seen > e.last_seen) until = std::min(until, f.first_seen);
        }
      }
      served_until_.push_back(until);
    }
  }

  EpochSeconds served_until(std::size_t i) const { return served_until_[i]; }

  /// Until when caches may hold an RRset of TTL `ttl` served by epoch `i` (RFC 7583: TTL plus Dprp).
  EpochSeconds cached_until(std::size_t i, std::uint32_t ttl) const {
    return served_until(i) + static_cast<EpochSeconds>(ttl) + t_.options.propagation;
  }

  std::size_t size() const { return epochs_ ? epochs_->size() : 0; }
  const Snapshot& state(std::size_t i) const { return (*epochs_)[i].state; }
  /// Epochs whose state differs from the version under check (the same state cannot conflict with itself).
  bool differs(std::size_t i) const { return !state(i).same_state(now_); }

  /// When an item began, as early as the timeline allows: its first sighting for the gate; for samples, just after
  /// the last sighting before it (it may have begun unseen in between). Unknown (first run): kUnknownTime.
  EpochSeconds began(const std::string& item) const {
    EpochSeconds first = t_.now;
    if (auto s = t_.prior ? t_.prior->item(item) : std::nullopt) first = std::min(first, s->first);
    if (!t_.options.sampled) return first;
    EpochSeconds before = kUnknownTime;
    for (std::size_t i = 0; i < size(); ++i) {
      if ((*epochs_)[i].last_seen < first) before = std::max(before, (*epochs_)[i].last_seen);
    }
    return before;
  }

  /// The key a DS points to: as matched when it was seen, else as any other version matched the same DS (a DS
  /// published before its key, in a double-DS rollover, matches nothing until the key arrives).
  std::string ds_key(const SnapDs& d) const {
    if (!d.key.empty()) return d.key;
    auto from = [&](const Snapshot& s) -> std::string {
      if (!s.ds) return {};
      for (const SnapDs& x : s.ds->records) {
        if (!x.key.empty() && x.item() == d.item()) return x.key;
      }
      return {};
    };
    if (std::string k = from(now_); !k.empty()) return k;
    for (std::size_t i = 0; i < size(); ++i) {
      if (std::string k = from(state(i)); !k.empty()) return k;
    }
    return {};
  }

  bool seen_before(const std::string& item) const {
    auto s = t_.prior ? t_.prior->item(item) : std::nullopt;
    return s && s->first < t_.now;
  }

  /// Records a verdict about key `tag`: one per (code, tag, condition), the latest safe time kept.
  void flag(Code code, const std::string& tag, EpochSeconds safe, std::string condition = {},
            std::vector<std::pair<std::string, std::string>> extra = {}) {
    auto key = std::make_tuple(code, tag, condition, extra);
    auto [it, added] = flags_.try_emplace(key, safe);
    if (!added) it->second = std::max(it->second, safe);
  }

  std::vector<TimingVerdict> verdicts() const;

  void rule_zsk_prepublish();
  void rule_zsk_retired();
  void rule_ds_cached();
  void rule_dnskey_cached();
  void rule_unsigned();
  void rule_algorithms();
  void rule_rfc5011();

  const Timeline& t_;
  const Snapshot& now_;
  const std::vector<Epoch>* epochs_ = nullptr;
  std::vector<EpochSeconds> served_until_;  ///< per epoch, computed once
  std::map<std::tuple<Code, std::string, std::string, std::vector<std::pair<std::string, std::string>>>, EpochSeconds>
      flags_;
};

std::string time_text(EpochSeconds t) {
  return t == kUnknownTime ? "unknown" : core::format_time(t);
}

std::vector<TimingVerdict> Judge::verdicts() const {
  std::vector<TimingVerdict> out;
  for (const auto& [key, safe] : flags_) {
    const auto& [code, tag, condition, extra] = key;
    TimingVerdict v;
    v.code = code;
    v.condition = condition;
    if (code == Code::ALGORITHM_ROLLOVER_ORDER) {
      v.params = {extra[0], {"algorithm", tag}, {"safe_from", time_text(safe)}};
    } else if (code == Code::UNSIGN_BEFORE_DS_REMOVED) {
      v.params = {{"keytag", tag}, extra[0]};
      v.at_parent_ds = extra[0].second == "ds-published";
      if (!v.at_parent_ds) v.params.emplace_back("safe_from", time_text(safe));
    } else {
      v.params = {{"keytag", tag}};
      v.params.insert(v.params.end(), extra.begin(), extra.end());
      v.params.emplace_back("safe_from", time_text(safe));
    }
    out.push_back(std::move(v));
  }
  return out;
}

/// B. RFC 7583 §3.2.1: a new ZSK signs only once the DNSKEY RRset holding it has reached every cache (Ipub = Dprp +
/// TTLkey). An RRset whose signers are all missing from a DNSKEY RRset caches may hold fails there (APNIC 2012).
void Judge::rule_zsk_prepublish() {
  const std::set<std::string> usable_now = usable_ids(now_);
  for (std::size_t i = 0; i < size(); ++i) {
    const Snapshot& e = state(i);
    if (!differs(i) || !e.signed_zone) continue;
    const EpochSeconds until = cached_until(i, e.dnskey_ttl);
    if (until <= t_.now) continue;
    const std::set<std::string> held = usable_ids(e);
    for (const SignerSet& set : now_.signer_sets) {
      if (intersects(set, held)) continue;
      for (const Signer& g : set.signers) {
        if (!usable_now.count(g.id)) continue;
        flag(Code::ZSK_PREPUBLISH_TOO_SHORT, std::to_string(g.tag), until, {},
             {{"published", time_text(began("dnskey:" + g.id))}});
      }
    }
  }
}

/// C. RFC 7583 §3.2.1: an old ZSK stays published until every signature it made has left caches (Iret = Dsgn + Dprp
/// + TTLsig): a cached RRset none of whose signers is in the DNSKEY RRset served now fails.
void Judge::rule_zsk_retired() {
  if (!now_.signed_zone) return;
  const std::set<std::string> usable_now = usable_ids(now_);
  for (std::size_t i = 0; i < size(); ++i) {
    const Snapshot& e = state(i);
    if (!differs(i) || !e.signed_zone) continue;
    const std::set<std::string> held = usable_ids(e);
    for (const SignerSet& set : e.signer_sets) {
      // No cache keeps an RRset past its signature's expiration (RFC 4035 §5.3.3).
      EpochSeconds until = cached_until(i, set.max_ttl);
      if (set.expires != 0) until = std::min(until, set.expires);
      if (until <= t_.now || !intersects(set, held) || intersects(set, usable_now)) continue;
      for (const Signer& g : set.signers) {
        if (held.count(g.id)) flag(Code::ZSK_RETIRED_TOO_EARLY, std::to_string(g.tag), until);
      }
    }
  }
}

/// A. RFC 7583 §3.3: a DS set caches may hold must point to a key that signs the DNSKEY RRset served now. When the
/// cached set is older than a DS added since, the new KSK took over before its DS propagated (§3.3.2); when a DS of
/// the cached set has been removed since, the old KSK stopped before that removal propagated (.nz 2023).
void Judge::rule_ds_cached() {
  if (!now_.ds || !now_.signed_zone) return;
  const std::set<std::string> signers = dnskey_signers(now_);
  for (std::size_t i = 0; i < size(); ++i) {
    const Snapshot& e = state(i);
    if (!e.ds || e.ds->records.empty() || e.ds->records == now_.ds->records) continue;
    const EpochSeconds until = cached_until(i, e.ds->ttl);
    if (until <= t_.now) continue;
    const auto& cached = e.ds->records;
    const bool matches =
        std::any_of(cached.begin(), cached.end(), [&](const SnapDs& d) { return signers.count(ds_key(d)) > 0; });
    const bool points = std::any_of(cached.begin(), cached.end(), [&](const SnapDs& d) { return !ds_key(d).empty(); });
    if (matches || !points) continue;
    const bool all_still =
        std::all_of(cached.begin(), cached.end(), [&](const SnapDs& d) { return has_ds(*now_.ds, d); });
    if (all_still) {
      for (const SnapKey& k : now_.keys) {
        const bool ds_now = std::any_of(now_.ds->records.begin(), now_.ds->records.end(),
                                        [&](const SnapDs& d) { return d.key == k.id; });
        if (signers.count(k.id) && ds_now) flag(Code::KSK_ACTIVE_BEFORE_DS, std::to_string(k.tag), until);
      }
    } else {
      for (const SnapDs& d : cached) {
        if (!ds_key(d).empty() && !has_ds(*now_.ds, d))
          flag(Code::KSK_OLD_REMOVED_TOO_EARLY, std::to_string(d.tag), until);
      }
    }
  }
}

/// D. RFC 7583 §3.3.2: the DS set served now must point to a key that signs every DNSKEY RRset caches may hold; a
/// DS set changed before the DNSKEY RRset signed by its key propagated fails with the cached one.
void Judge::rule_dnskey_cached() {
  if (!now_.ds || now_.ds->records.empty() || !now_.signed_zone) return;
  std::set<std::string> pointed;
  for (const SnapDs& d : now_.ds->records) {
    if (!d.key.empty()) pointed.insert(d.key);
  }
  const std::set<std::string> signers = dnskey_signers(now_);
  const bool valid_now =
      std::any_of(pointed.begin(), pointed.end(), [&](const std::string& id) { return signers.count(id); });
  if (!valid_now) return;
  for (std::size_t i = 0; i < size(); ++i) {
    const Snapshot& e = state(i);
    if (!differs(i) || !e.signed_zone || !e.ds || e.ds->records == now_.ds->records) continue;
    const EpochSeconds until = cached_until(i, e.dnskey_ttl);
    if (until <= t_.now) continue;
    const std::set<std::string> held = dnskey_signers(e);
    if (held.empty() || std::any_of(held.begin(), held.end(), [&](const std::string& id) { return pointed.count(id); }))
      continue;
    for (const SnapKey& k : e.keys) {
      if (held.count(k.id)) flag(Code::DS_REPLACED_TOO_EARLY, std::to_string(k.tag), until);
    }
  }
}

/// E. RFC 6781 §4.3.2: going insecure, the DS is removed first and the zone stays signed until the DS has left
/// caches (Slack 2021).
void Judge::rule_unsigned() {
  if (now_.signed_zone || !now_.ds) return;
  bool was_signed = false;
  for (std::size_t i = 0; i < size(); ++i) was_signed |= state(i).signed_zone;
  if (!was_signed) return;
  for (const SnapDs& d : now_.ds->records)
    flag(Code::UNSIGN_BEFORE_DS_REMOVED, std::to_string(d.tag), t_.now, {}, {{"detail", "ds-published"}});
  if (!now_.ds->records.empty()) return;
  for (std::size_t i = 0; i < size(); ++i) {
    const Snapshot& e = state(i);
    if (!e.ds) continue;
    const EpochSeconds until = cached_until(i, e.ds->ttl);
    if (until <= t_.now) continue;
    for (const SnapDs& d : e.ds->records)
      flag(Code::UNSIGN_BEFORE_DS_REMOVED, std::to_string(d.tag), until, {}, {{"detail", "ds-cached"}});
  }
}

/// F. RFC 6781 §4.1.4 (conservative): signatures of a new algorithm reach caches before its key, its key before its
/// DS; in removal the DS goes first, then the key, then the signatures. Each step out of that order fails validators
/// that require every algorithm of the DNSKEY RRset (RFC 4035 §2.2) or the DS set; the liberal approach (key and
/// signatures at once, RFC 6840 §5.11 validators accept it) is reported under its condition.
void Judge::rule_algorithms() {
  if (!now_.signed_zone) return;
  const std::set<std::uint8_t> keys_now = algorithms_of(now_, usable_ids(now_));
  const std::set<std::uint8_t> signing_now = algorithms_of(now_, dnskey_signers(now_));
  for (std::size_t i = 0; i < size(); ++i) {
    const Snapshot& e = state(i);
    if (!differs(i) || !e.signed_zone) continue;
    const std::set<std::uint8_t> keys_then = algorithms_of(e, usable_ids(e));
    if (keys_then == keys_now && (!e.ds || !now_.ds)) continue;
    auto flag_step = [&](const char* step, std::uint8_t alg, EpochSeconds until, const char* condition) {
      flag(Code::ALGORITHM_ROLLOVER_ORDER, std::to_string(alg), until, condition, {{"step", step}});
    };
    // A key of a new algorithm while RRsets cached from then lack its signatures.
    for (std::uint8_t a : keys_now) {
      if (keys_then.count(a)) continue;
      for (const SignerSet& set : e.signer_sets) {
        const EpochSeconds until = cached_until(i, set.max_ttl);
        if (until > t_.now && !algorithms_of(set).count(a)) flag_step("key-before-signatures", a, until, "liberal");
      }
    }
    // Signatures of a removed algorithm gone while DNSKEY RRsets cached from then hold its key.
    const EpochSeconds dnskey_until = cached_until(i, e.dnskey_ttl);
    for (std::uint8_t a : keys_then) {
      if (keys_now.count(a) || dnskey_until <= t_.now) continue;
      for (const SignerSet& set : now_.signer_sets) {
        if (!algorithms_of(set).count(a)) flag_step("signatures-removed-before-key", a, dnskey_until, "liberal");
      }
    }
    // A DS of an algorithm that DNSKEY RRsets cached from then do not sign with.
    if (now_.ds && dnskey_until > t_.now) {
      const std::set<std::uint8_t> signing_then = algorithms_of(e, dnskey_signers(e));
      for (const SnapDs& d : now_.ds->records) {
        const bool new_in_ds = !e.ds || std::none_of(e.ds->records.begin(), e.ds->records.end(),
                                                     [&](const SnapDs& x) { return x.algorithm == d.algorithm; });
        if (new_in_ds && !signing_then.count(d.algorithm)) flag_step("ds-before-key", d.algorithm, dnskey_until, "");
      }
    }
    // A key gone while a DS set cached from then names its algorithm (and another DS of that set still matches:
    // otherwise rule A reports it).
    if (e.ds && now_.ds) {
      const EpochSeconds ds_until = cached_until(i, e.ds->ttl);
      const std::set<std::string> signers = dnskey_signers(now_);
      const bool a_holds = std::any_of(e.ds->records.begin(), e.ds->records.end(),
                                       [&](const SnapDs& d) { return signers.count(ds_key(d)) > 0; });
      for (const SnapDs& d : e.ds->records) {
        if (ds_until > t_.now && a_holds && !signing_now.count(d.algorithm))
          flag_step("key-removed-before-ds", d.algorithm, ds_until, "");
      }
    }
  }
}

/// RFC 5011: resolvers that track the zone's KSKs accept a new one only after the add hold-down (§2.4.1), and the
/// operator keeps a revoked key published for the remove hold-down (§6.1) rather than removing it unrevoked.
void Judge::rule_rfc5011() {
  if (!t_.options.rfc5011 || size() == 0 || !now_.signed_zone) return;
  const std::set<std::string> signers = dnskey_signers(now_);
  const bool old_signs = std::any_of(signers.begin(), signers.end(),
                                     [&](const std::string& id) { return seen_before("signs-dnskey:" + id); });
  for (const SnapKey& k : now_.keys) {
    if (old_signs || !signers.count(k.id) || !k.sep()) continue;
    const EpochSeconds published = began("dnskey:" + k.id);
    if (published == kUnknownTime) continue;
    const EpochSeconds safe = published + t_.options.add_holddown + now_.dnskey_ttl + t_.options.propagation;
    if (safe > t_.now)
      flag(Code::RFC5011_HOLDDOWN_VIOLATION, std::to_string(k.tag), safe, {}, {{"detail", "add-holddown"}});
  }
  const Snapshot& latest = state(size() - 1);
  for (const SnapKey& k : latest.keys) {
    if (!k.sep() || now_.key(k.id) || !seen_before("signs-dnskey:" + k.id)) continue;
    if (!seen_before("revoked:" + k.id)) {
      if (!t_.options.sampled) {
        const EpochSeconds safe = t_.now + t_.options.remove_holddown + now_.dnskey_ttl + t_.options.propagation;
        flag(Code::RFC5011_HOLDDOWN_VIOLATION, std::to_string(k.tag), safe, {},
             {{"detail", "removed-before-revocation"}});
      }
      continue;
    }
    const EpochSeconds revoked = began("revoked:" + k.id);
    if (revoked == kUnknownTime) continue;
    const EpochSeconds safe = revoked + t_.options.remove_holddown;
    if (safe > t_.now) {
      flag(Code::RFC5011_HOLDDOWN_VIOLATION, std::to_string(k.tag), safe, "revoked-too-briefly",
           {{"detail", "revoked-too-briefly"}});
    }
  }
}

}  // namespace

std::vector<TimingVerdict> judge_timing(const Timeline& t, const Snapshot& current) {
  Judge j(t, current);
  j.rule_zsk_prepublish();
  j.rule_zsk_retired();
  j.rule_ds_cached();
  j.rule_dnskey_cached();
  j.rule_unsigned();
  j.rule_algorithms();
  j.rule_rfc5011();
  return j.verdicts();
}

}  // namespace zw::rollover
