// stages.cpp: which rollover a version of a zone is in (RFC 6781 §4.1, RFC 7583 §3), from its keys and what the
// timeline says about them.
#include <algorithm>
#include <set>

#include "rollover/rules.hpp"

namespace zw::rollover {
namespace {

std::string tags_text(std::vector<std::uint16_t> tags) {
  if (tags.empty()) return "-";
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
  std::string out;
  for (std::uint16_t t : tags) out += (out.empty() ? "" : " ") + std::to_string(t);
  return out;
}

std::vector<std::uint16_t> tags_of(const std::vector<const SnapKey*>& keys) {
  std::vector<std::uint16_t> out;
  for (const SnapKey* k : keys) out.push_back(k->tag);
  return out;
}

/// The timeline as the stage rules read it.
class Reader {
 public:
  Reader(const Timeline& t, const Snapshot& cur) : t_(t), cur_(cur) {
    if (!t.prior || t.prior->epochs.empty()) return;
    const Epoch* newest = &t.prior->epochs.front();
    for (const Epoch& e : t.prior->epochs) {
      if (e.last_seen >= newest->last_seen) newest = &e;
    }
    if (!newest->state.same_state(cur)) previous_ = &newest->state;
  }

  bool seen_before(const std::string& item) const {
    auto s = t_.prior ? t_.prior->item(item) : std::nullopt;
    return s && s->first < t_.now;
  }

  /// Keys of the newest earlier state that match `keep` and are no longer published.
  template <typename Keep>
  std::vector<const SnapKey*> removed(Keep keep) const {
    std::vector<const SnapKey*> out;
    if (!previous_) return out;
    for (const SnapKey& k : previous_->keys) {
      if (keep(k) && !cur_.key(k.id)) out.push_back(&k);
    }
    return out;
  }

  void sep_stage(std::uint8_t alg, std::vector<Stage>& out) const;
  void zsk_stage(std::uint8_t alg, std::vector<Stage>& out) const;
  void algorithm_stage(std::vector<Stage>& out) const;

  const Timeline& t_;
  const Snapshot& cur_;
  const Snapshot* previous_ = nullptr;
};

/// KSK or CSK rollovers among the SEP keys of one algorithm.
void Reader::sep_stage(std::uint8_t alg, std::vector<Stage>& out) const {
  std::vector<const SnapKey*> sep, revoked, signing, idle;
  bool csk = false;
  for (const SnapKey& k : cur_.keys) {
    if (k.algorithm != alg || !k.sep()) continue;
    if (k.revoked()) {
      revoked.push_back(&k);
      continue;
    }
    sep.push_back(&k);
    csk |= k.signs_data;
    (k.signs_dnskey ? signing : idle).push_back(&k);
  }
  const std::string kind = csk ? "CSK" : "KSK";
  const bool double_ds = cur_.ds && std::any_of(idle.begin(), idle.end(), [&](const SnapKey* k) {
                           return std::any_of(cur_.ds->records.begin(), cur_.ds->records.end(),
                                              [&](const SnapDs& d) { return d.key == k->id; });
                         });
  const std::string prepublish = t_.options.rfc5011 ? "RFC 5011" : double_ds ? "double-DS" : "pre-publish";
  if (!revoked.empty()) {
    out.push_back({kind, "old-key-revoked", "RFC 5011", tags_text(tags_of(revoked)), tags_text(tags_of(signing))});
  } else if (signing.size() >= 2) {
    std::vector<const SnapKey*> old_keys, new_keys;
    for (const SnapKey* k : signing) (seen_before("signs-dnskey:" + k->id) ? old_keys : new_keys).push_back(k);
    if (old_keys.empty() || new_keys.empty()) old_keys = signing, new_keys.clear();
    out.push_back({kind, "double-signature", csk ? "double-signature" : "double-KSK", tags_text(tags_of(old_keys)),
                   tags_text(tags_of(new_keys))});
  } else if (signing.size() == 1 && !idle.empty()) {
    const bool idle_signed_before =
        std::all_of(idle.begin(), idle.end(), [&](const SnapKey* k) { return seen_before("signs-dnskey:" + k->id); });
    if (idle_signed_before) {
      out.push_back({kind, "new-key-active", prepublish, tags_text(tags_of(idle)), tags_text(tags_of(signing))});
    } else {
      out.push_back({kind, "new-key-published", prepublish, tags_text(tags_of(signing)), tags_text(tags_of(idle))});
    }
  } else if (cur_.ds && sep.size() == 1) {
    // Double-DS (RFC 7583 §3.3.2): a DS for a key not published, before the key arrives or after it left.
    std::vector<std::uint16_t> orphans;
    bool seen = false;
    for (const SnapDs& d : cur_.ds->records) {
      // A DS for a key that is not published: its tag names no key (a tag of a published key with a digest that
      // matches it not is a broken DS, the DS checks' business).
      const bool tag_published = std::any_of(cur_.keys.begin(), cur_.keys.end(), [&](const SnapKey& k) {
        return k.tag == d.tag && k.algorithm == d.algorithm;
      });
      if (d.algorithm != alg || !d.key.empty() || tag_published) continue;
      orphans.push_back(d.tag);
      seen |= seen_before("ds:" + d.item());
    }
    // Only beside a DS that still validates: a DS set whose every record points nowhere is no rollover but a bogus
    // chain.
    const bool anchored = std::any_of(cur_.ds->records.begin(), cur_.ds->records.end(),
                                      [&](const SnapDs& d) { return d.key == sep.front()->id; });
    if (!anchored) orphans.clear();
    auto gone = removed([&](const SnapKey& k) { return k.algorithm == alg && k.sep(); });
    if (!orphans.empty() && !gone.empty()) {
      out.push_back({kind, "old-key-removed", "double-DS", tags_text(tags_of(gone)), tags_text(tags_of(sep))});
    } else if (!orphans.empty()) {
      out.push_back({kind, seen && previous_ ? "old-ds-remaining" : "new-ds-published", "double-DS",
                     seen && previous_ ? tags_text(orphans) : tags_text(tags_of(sep)),
                     seen && previous_ ? tags_text(tags_of(sep)) : tags_text(orphans)});
    }
  }
  if (revoked.empty() && sep.size() == 1 && out.empty()) {
    auto gone = removed([&](const SnapKey& k) { return k.algorithm == alg && k.sep(); });
    if (!gone.empty())
      out.push_back({kind, "old-key-removed", prepublish, tags_text(tags_of(gone)), tags_text(tags_of(sep))});
  }
}

/// ZSK rollovers among the other zone keys of one algorithm.
void Reader::zsk_stage(std::uint8_t alg, std::vector<Stage>& out) const {
  std::vector<const SnapKey*> zsk, signing, idle;
  for (const SnapKey& k : cur_.keys) {
    if (k.algorithm != alg || k.sep() || k.revoked()) continue;
    zsk.push_back(&k);
    (k.signs_data ? signing : idle).push_back(&k);
  }
  // Two ZSKs over the same RRsets: double signatures. Two that split the zone between them (multi-signer setups, a
  // tag collision) are not a rollover.
  const bool together = std::any_of(cur_.signer_sets.begin(), cur_.signer_sets.end(), [&](const SignerSet& set) {
    return std::count_if(set.signers.begin(), set.signers.end(), [&](const Signer& g) {
             return std::any_of(signing.begin(), signing.end(), [&](const SnapKey* k) { return k->id == g.id; });
           }) >= 2;
  });
  if (signing.size() >= 2 && !together) return;
  if (signing.size() >= 2) {
    std::vector<const SnapKey*> old_keys, new_keys;
    for (const SnapKey* k : signing) (seen_before("signs-data:" + k->id) ? old_keys : new_keys).push_back(k);
    if (old_keys.empty() || new_keys.empty()) old_keys = signing, new_keys.clear();
    out.push_back(
        {"ZSK", "double-signature", "double-signature", tags_text(tags_of(old_keys)), tags_text(tags_of(new_keys))});
  } else if (signing.size() == 1 && !idle.empty()) {
    // An idle ZSK is pre-published or retired (both are common: the root keeps its old ZSK for days after the
    // switch); only the timeline tells which.
    const bool retired =
        std::all_of(idle.begin(), idle.end(), [&](const SnapKey* k) { return seen_before("signs-data:" + k->id); });
    const bool newer = std::all_of(idle.begin(), idle.end(), [&](const SnapKey* k) {
      return !seen_before("dnskey:" + k->id) && seen_before("dnskey:" + signing.front()->id);
    });
    const char* stage = retired ? "old-key-retired" : newer ? "new-key-published" : "idle-key-published";
    if (retired) {
      out.push_back({"ZSK", stage, "pre-publish", tags_text(tags_of(idle)), tags_text(tags_of(signing))});
    } else {
      out.push_back({"ZSK", stage, "pre-publish", tags_text(tags_of(signing)), tags_text(tags_of(idle))});
    }
  } else if (zsk.size() == 1) {
    auto gone = removed([&](const SnapKey& k) { return k.algorithm == alg && !k.sep() && !k.revoked(); });
    if (!gone.empty())
      out.push_back({"ZSK", "old-key-removed", "pre-publish", tags_text(tags_of(gone)), tags_text(tags_of(zsk))});
  }
}

/// Algorithm rollovers (RFC 6781 §4.1.4): the zone's keys or signatures in two algorithms, or one just gone.
void Reader::algorithm_stage(std::vector<Stage>& out) const {
  // An algorithm counts once its keys sign something: a key of another algorithm that signs nothing is a stand-by
  // key (DNSKEY_STANDBY), or one of an algorithm nobody can use.
  std::set<std::uint8_t> keys, signing, before;
  for (const SnapKey& k : cur_.keys) {
    if (!k.revoked() && (k.signs_data || k.signs_dnskey)) keys.insert(k.algorithm);
  }
  for (const SignerSet& s : cur_.signer_sets) {
    for (const Signer& g : s.signers) signing.insert(g.algorithm);
  }
  if (previous_) {
    for (const SnapKey& k : previous_->keys) {
      if (!k.revoked() && (k.signs_data || k.signs_dnskey)) before.insert(k.algorithm);
    }
  }
  std::set<std::uint8_t> unpublished;
  std::set_difference(signing.begin(), signing.end(), keys.begin(), keys.end(),
                      std::inserter(unpublished, unpublished.end()));
  auto algs_text = [](const std::set<std::uint8_t>& s) {
    std::vector<std::uint16_t> v(s.begin(), s.end());
    return tags_text(v);
  };
  auto known_earlier = [&](std::uint8_t a) {
    if (!t_.prior) return false;
    return std::any_of(t_.prior->epochs.begin(), t_.prior->epochs.end(), [&](const Epoch& e) {
      return std::any_of(e.state.keys.begin(), e.state.keys.end(), [&](const SnapKey& k) { return k.algorithm == a; });
    });
  };
  if (!unpublished.empty()) {
    const bool leaving = std::all_of(unpublished.begin(), unpublished.end(), known_earlier);
    if (leaving) {
      out.push_back({"algorithm", "old-key-removed", "conservative", algs_text(unpublished), algs_text(keys)});
    } else {
      out.push_back({"algorithm", "new-signatures-published", "conservative", algs_text(keys), algs_text(unpublished)});
    }
    return;
  }
  if (keys.size() >= 2) {
    std::set<std::uint8_t> old_algs, new_algs;
    for (std::uint8_t a : keys) (before.count(a) || before.empty() ? old_algs : new_algs).insert(a);
    std::string stage = "both-algorithms-published";
    if (cur_.ds && !cur_.ds->records.empty()) {
      std::set<std::uint8_t> ds;
      for (const SnapDs& d : cur_.ds->records) ds.insert(d.algorithm);
      if (before.empty() || new_algs.empty()) {
        old_algs.clear(), new_algs.clear();
        for (std::uint8_t a : keys) (ds.count(a) ? old_algs : new_algs).insert(a);
        if (new_algs.empty()) old_algs = keys;
      }
      const bool ds_old =
          std::any_of(old_algs.begin(), old_algs.end(), [&](std::uint8_t a) { return ds.count(a) > 0; });
      const bool ds_new =
          std::any_of(new_algs.begin(), new_algs.end(), [&](std::uint8_t a) { return ds.count(a) > 0; });
      stage = new_algs.empty()   ? "both-algorithms-published"
              : ds_new && ds_old ? "new-ds-published"
              : ds_new           ? "old-ds-removed"
                                 : "new-key-published";
    }
    const bool liberal =
        previous_ && !new_algs.empty() && std::none_of(new_algs.begin(), new_algs.end(), [&](std::uint8_t a) {
          return std::any_of(previous_->signer_sets.begin(), previous_->signer_sets.end(), [&](const SignerSet& s) {
            return std::any_of(s.signers.begin(), s.signers.end(), [&](const Signer& g) { return g.algorithm == a; });
          });
        });
    out.push_back({"algorithm", stage, liberal ? "liberal" : "conservative", algs_text(old_algs), algs_text(new_algs)});
    return;
  }
  std::set<std::uint8_t> gone;
  std::set_difference(before.begin(), before.end(), keys.begin(), keys.end(), std::inserter(gone, gone.end()));
  if (!gone.empty() && !keys.empty())
    out.push_back({"algorithm", "old-algorithm-removed", "conservative", algs_text(gone), algs_text(keys)});
}

}  // namespace

std::vector<Stage> rollover_stages(const Timeline& t, const Snapshot& current) {
  std::vector<Stage> out;
  if (!current.signed_zone) return out;
  Reader r(t, current);
  r.algorithm_stage(out);
  std::set<std::uint8_t> algorithms;
  for (const SnapKey& k : current.keys) algorithms.insert(k.algorithm);
  for (std::uint8_t a : algorithms) {
    std::vector<Stage> sep;
    r.sep_stage(a, sep);
    out.insert(out.end(), sep.begin(), sep.end());
    r.zsk_stage(a, out);
  }
  return out;
}

}  // namespace zw::rollover
