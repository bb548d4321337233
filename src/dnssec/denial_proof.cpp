// denial_proof.cpp: judging one answer's NSEC/NSEC3 denial of existence, in O(n log n) over its records.
#include "dnssec/denial_proof.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "core/bytes.hpp"
#include "dnssec/nsec3.hpp"
#include "zone/zone.hpp"

namespace zw::dnssec {
namespace {

namespace rrtype = zone::rrtype;
using core::WireName;

constexpr std::uint16_t kTypeAny = 255;
constexpr std::size_t kNone = SIZE_MAX;

/// A type bitmap, ascending.
using Types = std::vector<std::uint16_t>;

bool has(const Types& t, std::uint16_t type) {
  return std::binary_search(t.begin(), t.end(), type);
}

Types merged(const Types& a, const Types& b) {
  Types out;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

/// "*." prepended to `name` (RFC 4592 §2.1.1: the wildcard at a closest encloser).
WireName wildcard_at(std::string_view name) {
  return std::string("\1*", 2) + std::string(name);
}

/// The suffix of `name` with its last `labels` labels (the root not counted).
std::string_view ancestor_with_labels(std::string_view name, int labels) {
  return core::name_strip_labels(name, core::name_label_count(name) - labels);
}

/// The longest common ancestor of two lower-case names, as a suffix of `a`.
std::string_view common_ancestor(std::string_view a, std::string_view b) {
  const auto oa = core::name_label_offsets(a);
  const auto ob = core::name_label_offsets(b);
  std::size_t common = 0;
  while (common < oa.size() && common < ob.size() &&
         a.substr(oa[oa.size() - 1 - common]) == b.substr(ob[ob.size() - 1 - common])) {
    ++common;
  }
  return common == 0 ? a.substr(a.size() - 1) : a.substr(oa[oa.size() - common]);
}

/// Denial records sorted by owner, answering "which record matches this key" and "which one covers it" in
/// O(log n) whatever their overlaps. RFC 4034 §4.1.1 and RFC 5155 §1.3: a record covers the keys strictly between
/// its owner and its next owner; a record whose next owner does not sort after its owner wraps around.
template <class Key>
class SpanIndex {
 public:
  struct Span {
    Key owner;
    Key next;
    std::size_t record;
  };

  void build(std::vector<Span> spans) {
    spans_ = std::move(spans);
    std::stable_sort(spans_.begin(), spans_.end(), [](const Span& x, const Span& y) { return x.owner < y.owner; });
    reach_.assign(spans_.size(), kNone);
    for (std::size_t i = 0; i < spans_.size(); ++i) {
      const Span& s = spans_[i];
      std::size_t best = i == 0 ? kNone : reach_[i - 1];
      if (!wraps(s) && (best == kNone || spans_[best].next < s.next)) best = i;
      reach_[i] = best;
      if (wraps(s) && (wrap_first_ == kNone || s.owner < spans_[wrap_first_].owner)) wrap_first_ = i;
      if (wraps(s) && (wrap_reach_ == kNone || spans_[wrap_reach_].next < s.next)) wrap_reach_ = i;
    }
  }

  bool empty() const { return spans_.empty(); }

  /// Calls f(first_record, other_record) for every record whose owner equals an earlier one's.
  template <class F>
  void for_each_duplicate(F f) const {
    for (std::size_t i = 1, head = 0; i < spans_.size(); ++i) {
      if (spans_[head].owner < spans_[i].owner) {
        head = i;
      } else {
        f(spans_[head].record, spans_[i].record);
      }
    }
  }

  /// The first record whose owner is `k` (its types are the union of every such record's: see for_each_duplicate).
  const Span* match(const Key& k) const {
    auto it = lower_bound(k);
    return it != spans_.end() && !(k < it->owner) ? &*it : nullptr;
  }

  /// A record that covers `k`.
  const Span* cover(const Key& k) const {
    const auto before = static_cast<std::size_t>(lower_bound(k) - spans_.begin());
    if (before > 0 && reach_[before - 1] != kNone && k < spans_[reach_[before - 1]].next)
      return &spans_[reach_[before - 1]];
    if (wrap_first_ != kNone && spans_[wrap_first_].owner < k) return &spans_[wrap_first_];
    if (wrap_reach_ != kNone && k < spans_[wrap_reach_].next) return &spans_[wrap_reach_];
    return nullptr;
  }

 private:
  static bool wraps(const Span& s) { return !(s.owner < s.next); }
  typename std::vector<Span>::const_iterator lower_bound(const Key& k) const {
    return std::lower_bound(spans_.begin(), spans_.end(), k, [](const Span& s, const Key& x) { return s.owner < x; });
  }

  std::vector<Span> spans_;
  std::vector<std::size_t> reach_;  ///< reach_[i]: of the non-wrapping spans [0, i], the one reaching furthest
  std::size_t wrap_first_ = kNone;  ///< the wrapping span with the least owner
  std::size_t wrap_reach_ = kNone;  ///< the wrapping span with the greatest next owner
};

/// A lower-case wire name ordered canonically (RFC 4034 §6.1).
struct CanonicalName {
  WireName wire;
  friend bool operator<(const CanonicalName& a, const CanonicalName& b) {
    return core::name_compare(a.wire, b.wire) < 0;
  }
};

/// The NSEC records of the zone in one answer.
struct NsecSet {
  std::vector<Types> types;  ///< per record
  SpanIndex<CanonicalName> spans;
  std::vector<CanonicalName> existing;  ///< every owner and next owner in the zone, and the apex: names that exist

  const Types* types_at(std::string_view name) const {
    const auto* m = spans.match(CanonicalName{WireName(name)});
    return m ? &types[m->record] : nullptr;
  }
  bool covers(std::string_view name) const { return spans.cover(CanonicalName{WireName(name)}) != nullptr; }

  /// True when the records show `name` to exist: an owner or a next owner, or an ancestor of one.
  bool exists(std::string_view name) const {
    return std::binary_search(existing.begin(), existing.end(), CanonicalName{WireName(name)}) || exists_below(name);
  }

  /// True when a name below `name` exists: `name` is then at least an empty non-terminal (RFC 4592 §2.2.2).
  bool exists_below(std::string_view name) const {
    auto it = std::upper_bound(existing.begin(), existing.end(), CanonicalName{WireName(name)});
    return it != existing.end() && core::name_is_subdomain(it->wire, name) && it->wire != name;
  }

  /// The deepest ancestor of `name` that the records show to exist. The names below an ancestor are contiguous in
  /// canonical order, so the neighbours of `name` among the existing names share the longest ancestor with it.
  std::string_view closest_encloser(std::string_view name) const {
    auto it = std::upper_bound(existing.begin(), existing.end(), CanonicalName{WireName(name)});
    std::string_view best = name.substr(name.size() - 1);
    if (it != existing.end()) best = common_ancestor(name, it->wire);
    if (it != existing.begin()) {
      std::string_view other = common_ancestor(name, std::prev(it)->wire);
      if (other.size() > best.size()) best = other;
    }
    return best;
  }
};

/// The NSEC3 records of the zone in one answer, sharing one parameter set, with the hashes computed so far.
struct Nsec3Set {
  WireName zone;
  std::string salt;
  std::uint16_t iterations = 0;
  std::vector<Types> types;
  std::vector<std::uint8_t> flags;
  SpanIndex<Nsec3Digest> spans;
  std::map<WireName, Nsec3Digest> hashes;

  const Nsec3Digest& hash(std::string_view name) {
    auto [it, fresh] = hashes.try_emplace(WireName(name));
    if (fresh) nsec3_hash_into(name, salt, iterations, it->second);
    return it->second;
  }
  /// RFC 5155 §1.3: "An NSEC3 RR is said to "match" a name if the owner name of the NSEC3 RR is the same as the
  /// hashed owner name of that name."
  const Types* types_at(std::string_view name) {
    const auto* m = spans.match(hash(name));
    return m ? &types[m->record] : nullptr;
  }
  /// RFC 5155 §1.3: an NSEC3 RR covers a name "if the hash of the name or "next closer" name falls between the
  /// owner name and the next hashed owner name of the NSEC3". The record, or null.
  const SpanIndex<Nsec3Digest>::Span* cover(std::string_view name) { return spans.cover(hash(name)); }
};

/// The zone's denial records in one response.
struct Records {
  std::optional<NsecSet> nsec;
  std::optional<Nsec3Set> nsec3;
};

/// Reads the zone's NSEC records into out.nsec (left empty when there are none); a detail token when one is
/// malformed.
const char* collect_nsec(const WireName& zone, std::span<const ProofRecord> authority, Records& out) {
  std::vector<SpanIndex<CanonicalName>::Span> spans;
  NsecSet set;
  set.existing.push_back(CanonicalName{zone});
  for (const ProofRecord& r : authority) {
    if (r.type != rrtype::NSEC) continue;
    WireName owner = core::name_lower(r.owner);
    if (!core::name_is_subdomain(owner, zone)) continue;  // another zone's record says nothing of this one
    std::size_t pos = 0;
    WireName next;
    Types types;
    if (!core::read_wire_name(r.rdata, pos, next) || !parse_type_bitmap(std::string_view(r.rdata).substr(pos), types))
      return "malformed-record";
    core::name_to_lower(next);
    set.existing.push_back(CanonicalName{owner});
    if (core::name_is_subdomain(next, zone)) set.existing.push_back(CanonicalName{next});
    spans.push_back({CanonicalName{std::move(owner)}, CanonicalName{std::move(next)}, set.types.size()});
    set.types.push_back(std::move(types));
  }
  if (spans.empty()) return nullptr;
  std::sort(set.existing.begin(), set.existing.end());
  set.existing.erase(std::unique(set.existing.begin(), set.existing.end(),
                                 [](const CanonicalName& a, const CanonicalName& b) { return a.wire == b.wire; }),
                     set.existing.end());
  set.spans.build(std::move(spans));
  set.spans.for_each_duplicate(
      [&](std::size_t head, std::size_t dup) { set.types[head] = merged(set.types[head], set.types[dup]); });
  out.nsec = std::move(set);
  return nullptr;
}

/// The hashed owner of an NSEC3 record of `zone` (one base32hex label below the apex), or nothing.
std::optional<Nsec3Digest> hashed_owner(const WireName& owner, const WireName& zone, bool& malformed) {
  if (owner.size() < 2 || core::name_strip_labels(owner, 1) != zone) return std::nullopt;
  Nsec3Digest d;
  const auto len = static_cast<unsigned char>(owner[0]);
  malformed = !base32hex_decode_digest(std::string_view(owner).substr(1, len), d);
  return d;
}

/// Reads the zone's usable NSEC3 records into out.nsec3 (left empty when there are none); a detail token when one is
/// malformed, when their parameters differ, or when their iterations are over the cap.
const char* collect_nsec3(const WireName& zone, std::span<const ProofRecord> authority, Records& out) {
  std::vector<SpanIndex<Nsec3Digest>::Span> spans;
  Nsec3Set set;
  set.zone = zone;
  for (const ProofRecord& r : authority) {
    if (r.type != rrtype::NSEC3) continue;
    bool bad_owner = false;
    const auto owner = hashed_owner(core::name_lower(r.owner), zone, bad_owner);
    if (!owner) continue;  // not a record of this zone
    const auto rd = parse_nsec3(r.rdata);
    if (!rd) return "malformed-record";
    // RFC 5155 §8.1: "A validator MUST ignore NSEC3 RRs with unknown hash types." §8.2: "A validator MUST ignore
    // NSEC3 RRs with a Flag fields value other than zero or one."
    if (rd->algorithm != kNsec3HashSha1 || rd->flags > kNsec3FlagOptOut) continue;
    Types types;
    if (bad_owner || rd->next.size() != kNsec3HashLength || !parse_type_bitmap(rd->bitmap, types))
      return "malformed-record";
    // RFC 5155 §8.2: "A validator MAY treat a response as bogus if the response contains NSEC3 RRs that contain
    // different values for hash algorithm, iterations, or salt from each other for that zone."
    if (spans.empty()) {
      set.salt = std::string(rd->salt);
      set.iterations = rd->iterations;
    } else if (set.salt != rd->salt || set.iterations != rd->iterations) {
      return "nsec3-params-inconsistent";
    }
    Nsec3Digest next;
    std::copy(rd->next.begin(), rd->next.end(), next.begin());
    spans.push_back({*owner, next, set.types.size()});
    set.types.push_back(std::move(types));
    set.flags.push_back(rd->flags);
  }
  if (spans.empty()) return nullptr;
  // RFC 9276 §3.2: "Validating resolvers MAY return an insecure response to their clients when processing NSEC3
  // records with iterations larger than 0" (and MAY answer SERVFAIL): above the cap the proof is not hashed at all.
  if (set.iterations > kNsec3IterationsUnbudgeted) return "nsec3-iterations-over-cap";
  set.spans.build(std::move(spans));
  set.spans.for_each_duplicate(
      [&](std::size_t head, std::size_t dup) { set.types[head] = merged(set.types[head], set.types[dup]); });
  out.nsec3 = std::move(set);
  return nullptr;
}

/// What the answer claims once its CNAME chain is followed.
enum class Claim : std::uint8_t { None, NxDomain, NoData, Referral };

struct Analysis {
  Claim claim = Claim::None;
  WireName name;                                     ///< the end of the CNAME chain, or the delegation of a referral
  std::vector<std::pair<WireName, int>> expansions;  ///< owners expanded from wildcards, with their RRSIG labels
};

/// The answer section by lower-case owner.
class AnswerIndex {
 public:
  explicit AnswerIndex(std::span<const ProofRecord> answer) : answer_(answer) {
    for (std::size_t i = 0; i < answer.size(); ++i) by_owner_.emplace_back(core::name_lower(answer[i].owner), i);
    std::sort(by_owner_.begin(), by_owner_.end());
  }

  /// The records at `owner`.
  template <class F>
  void each_at(const WireName& owner, F f) const {
    auto it = std::lower_bound(by_owner_.begin(), by_owner_.end(), std::make_pair(owner, std::size_t{0}));
    for (; it != by_owner_.end() && it->first == owner; ++it) f(answer_[it->second]);
  }

 private:
  std::span<const ProofRecord> answer_;
  std::vector<std::pair<WireName, std::size_t>> by_owner_;
};

/// An RRset of the answer at one owner: whether it is there, and the least RRSIG Labels field covering it.
struct RrsetSeen {
  bool present = false;
  const ProofRecord* first = nullptr;
  int labels = -1;
};

RrsetSeen rrset_at(const AnswerIndex& index, const WireName& owner, std::uint16_t type) {
  RrsetSeen seen;
  index.each_at(owner, [&](const ProofRecord& r) {
    if (r.type == type || (type == kTypeAny && r.type != rrtype::RRSIG)) {
      seen.present = true;
      if (!seen.first) seen.first = &r;
    }
    // RFC 4034 §3.1: Type Covered (2) | Algorithm (1) | Labels (1) | ...
    if (r.type != rrtype::RRSIG || r.rdata.size() < 4) return;
    const auto covered = core::be16(r.rdata, 0);
    const int labels = static_cast<unsigned char>(r.rdata[3]);
    if ((covered == type || type == kTypeAny) && (seen.labels < 0 || labels < seen.labels)) seen.labels = labels;
  });
  return seen;
}

/// Notes an RRset that was expanded from a wildcard. RFC 4035 §5.3.4: "If the number of labels in an RRset's owner
/// name is greater than the Labels field of the covering RRSIG RR, then the RRset and its covering RRSIG RR were
/// created as a result of wildcard expansion." (RFC 4034 §3.1.3: the Labels field does not count a leading "*".)
void note_expansion(Analysis& a, const WireName& owner, const RrsetSeen& seen) {
  const int labels = core::name_label_count(owner) - (core::name_is_wildcard(owner) ? 1 : 0);
  if (seen.labels >= 0 && seen.labels < labels) a.expansions.emplace_back(owner, seen.labels);
}

/// The delegation below the apex at or above `name` whose NS RRset the authority section carries, or empty.
WireName referral_cut(const WireName& zone, const WireName& name, std::span<const ProofRecord> authority) {
  WireName cut;
  for (const ProofRecord& r : authority) {
    if (r.type != rrtype::NS) continue;
    WireName owner = core::name_lower(r.owner);
    if (owner != zone && core::name_is_subdomain(owner, zone) && core::name_is_subdomain(name, owner) &&
        owner.size() > cut.size())
      cut = std::move(owner);
  }
  return cut;
}

Analysis analyse(const ProofQuestion& q, const WireName& zone, std::span<const ProofRecord> answer,
                 std::span<const ProofRecord> authority) {
  Analysis a;
  const AnswerIndex index(answer);
  WireName name = core::name_lower(q.qname);
  // Each name is visited once, so every answer record is read at most twice, loops included.
  std::set<WireName> visited;
  while (true) {
    if (!core::name_is_subdomain(name, zone) || !visited.insert(name).second) return a;  // another zone's, or a loop
    const RrsetSeen data = rrset_at(index, name, q.qtype);
    if (data.present) {
      note_expansion(a, name, data);
      return a;
    }
    if (q.qtype == rrtype::CNAME) break;
    const RrsetSeen cname = rrset_at(index, name, rrtype::CNAME);
    WireName target;
    std::size_t pos = 0;
    if (!cname.present || !core::read_wire_name(cname.first->rdata, pos, target)) break;
    note_expansion(a, name, cname);
    name = core::name_lower(target);
  }
  a.name = name;
  if (q.rcode == 3) {
    a.claim = Claim::NxDomain;
    return a;
  }
  WireName cut = referral_cut(zone, name, authority);
  if (cut.empty() || (q.qtype == rrtype::DS && cut == name)) {
    a.claim = Claim::NoData;
    return a;
  }
  // A referral: with a DS RRset the delegation is signed and nothing is denied.
  const bool signed_cut = std::any_of(authority.begin(), authority.end(), [&](const ProofRecord& r) {
    return r.type == rrtype::DS && core::name_lower(r.owner) == cut;
  });
  if (!signed_cut) {
    a.claim = Claim::Referral;
    a.name = std::move(cut);
  }
  return a;
}

const char* claimed_kind(const Analysis& a) {
  switch (a.claim) {
    case Claim::NxDomain: return "nxdomain";
    case Claim::NoData: return "nodata";
    case Claim::Referral: return "insecure-delegation";
    case Claim::None: break;
  }
  return a.expansions.empty() ? "" : "wildcard-answer";
}

ProofResult fail(const char* kind, const char* detail) {
  return ProofResult{false, kind, detail};
}

ProofResult proven(const char* kind) {
  return ProofResult{true, kind, {}};
}

/// True when the types are those of a record at a zone cut the answer cannot see below. RFC 6840 §4.1: an NSEC or
/// NSEC3 record at a delegation (NS without SOA) or at a DNAME belongs to the parent side and must not be used to
/// deny names below it, nor any type at it but DS.
bool marks_cut(const Types& t) {
  return (has(t, rrtype::NS) && !has(t, rrtype::SOA)) || has(t, rrtype::DNAME);
}

/// The NODATA check of the record matching the name. RFC 5155 §8.5: "The validator MUST verify that an NSEC3 RR
/// that matches QNAME is present and that both the QTYPE and the CNAME type are not set in its Type Bit Maps
/// field." (RFC 4035 §5.4 likewise for NSEC; §8.6 for DS.)
ProofResult nodata_at_match(const Types& t, std::uint16_t qtype) {
  if (qtype != rrtype::DS && has(t, rrtype::NS) && !has(t, rrtype::SOA)) return fail("nodata", "ancestor-delegation");
  if (has(t, qtype)) return fail("nodata", "nodata-type-present");
  if (qtype != rrtype::CNAME && has(t, rrtype::CNAME)) return fail("nodata", "nodata-cname-present");
  return proven("nodata");
}

/// The type check of the wildcard record of a wildcard NODATA (RFC 4035 §3.1.3.4, RFC 5155 §8.7: "the bits
/// corresponding to both QTYPE and CNAME MUST NOT be set in the wildcard matching NSEC3 RR").
ProofResult wildcard_nodata(const Types& t, std::uint16_t qtype) {
  if (has(t, qtype) || has(t, rrtype::CNAME)) return fail("nodata", "wildcard-type-present");
  return proven("wildcard-nodata");
}

/// RFC 5155 §8.9 (and RFC 4035 §5.2 for NSEC): the record matching the delegation must have "the NS bit is set and
/// that the DS bit is not set", and not the SOA bit, which would make it the child's.
ProofResult delegation_at_match(const Types& t) {
  if (has(t, rrtype::NS) && !has(t, rrtype::DS) && !has(t, rrtype::SOA)) return proven("insecure-delegation");
  return fail("insecure-delegation", "delegation-bitmap-wrong");
}

// ---- NSEC: RFC 4035 §3.1.3, §5.4; RFC 7129 §3 ----------------------------------------------------------------

/// RFC 4035 §5.3.4: the validator "must take additional steps to verify the non-existence of an exact match or
/// closer wildcard match for the query": an NSEC covers the owner, and no ancestor closer than the wildcard's
/// exists.
const char* wildcard_answer(const NsecSet& s, const WireName& owner, int labels) {
  if (s.exists(owner) || !s.covers(owner)) return "qname-not-covered";
  const std::string_view ce = s.closest_encloser(owner);
  if (const Types* t = s.types_at(ce); t && marks_cut(*t)) return "ancestor-delegation";
  if (core::name_label_count(ce) > labels) return "wildcard-not-closest";
  return nullptr;
}

/// RFC 4035 §3.1.3.2: "An NSEC RR proving that there is no exact match for <SNAME, SCLASS>" and "An NSEC RR
/// proving that the zone contains no RRsets that would match <SNAME, SCLASS> via wildcard name expansion": the
/// wildcard at the closest encloser (RFC 7129 §3), which is also shown to be no delegation or DNAME.
ProofResult nxdomain(const NsecSet& s, const WireName& name) {
  if (s.exists(name)) return fail("nxdomain", "nxdomain-name-exists");
  if (!s.covers(name)) return fail("nxdomain", "qname-not-covered");
  const std::string_view ce = s.closest_encloser(name);
  if (const Types* t = s.types_at(ce); t && marks_cut(*t)) return fail("nxdomain", "ancestor-delegation");
  const WireName wildcard = wildcard_at(ce);
  if (s.types_at(wildcard) || !s.covers(wildcard)) return fail("nxdomain", "wildcard-not-denied");
  return proven("nxdomain");
}

/// RFC 4035 §3.1.3.1 (the NSEC at the name), an empty non-terminal (an NSEC covering the name whose next owner is
/// below it), or §3.1.3.4 (the name covered, the wildcard at its closest encloser without the type).
ProofResult nodata(const NsecSet& s, const WireName& name, std::uint16_t qtype) {
  if (const Types* t = s.types_at(name)) return nodata_at_match(*t, qtype);
  if (!s.covers(name)) return fail("nodata", "no-matching-record");
  const std::string_view ce = s.closest_encloser(name);
  if (const Types* t = s.types_at(ce); t && marks_cut(*t)) return fail("nodata", "ancestor-delegation");
  if (s.exists_below(name)) return proven("nodata");
  const Types* w = s.types_at(wildcard_at(ce));
  return w ? wildcard_nodata(*w, qtype) : fail("nodata", "no-matching-record");
}

ProofResult referral(const NsecSet& s, const WireName& cut) {
  const Types* t = s.types_at(cut);
  return t ? delegation_at_match(*t) : fail("insecure-delegation", "no-matching-record");
}

// ---- NSEC3: RFC 5155 §8 --------------------------------------------------------------------------------------

struct Encloser {
  WireName closest;
  bool opt_out = false;       ///< the NSEC3 covering the next closer name has the Opt-Out flag
  bool name_matched = false;  ///< an NSEC3 matches the name itself
  const char* error = nullptr;
};

/// RFC 5155 §8.3: "the validator MUST find the longest name, X, such that X is an ancestor of QNAME that is matched
/// by an NSEC3 RR present in the response", and "The name one label longer than X (but still an ancestor of -- or
/// equal to -- QNAME) is covered by an NSEC3 RR present in the response." At most one hash per label of the name.
Encloser closest_encloser(Nsec3Set& s, const WireName& name) {
  Encloser e;
  std::string_view x = name;
  const Types* t = nullptr;
  while (!(t = s.types_at(x)) && x.size() > s.zone.size()) x = core::name_strip_labels(x, 1);
  if (!t) {
    e.error = "no-closest-encloser";
    return e;
  }
  e.closest = WireName(x);
  if (x.size() == name.size()) {
    e.name_matched = true;
    return e;
  }
  // §8.3: "The DNAME type bit must not be set and the NS type bit may only be set if the SOA type bit is set."
  if (marks_cut(*t)) {
    e.error = "ancestor-delegation";
    return e;
  }
  const auto* c = s.cover(ancestor_with_labels(name, core::name_label_count(x) + 1));
  if (!c) {
    e.error = "next-closer-not-covered";
    return e;
  }
  e.opt_out = (s.flags[c->record] & kNsec3FlagOptOut) != 0;
  return e;
}

/// RFC 5155 §8.8: "Validators MUST verify that there is an NSEC3 RR that covers the "next closer" name to QNAME
/// present in the response", the closest encloser being the wildcard's parent, from the RRSIG Labels field.
const char* wildcard_answer(Nsec3Set& s, const WireName& owner, int labels) {
  if (labels < core::name_label_count(s.zone)) return "next-closer-not-covered";
  return s.cover(ancestor_with_labels(owner, labels + 1)) ? nullptr : "next-closer-not-covered";
}

/// RFC 5155 §8.4: "A validator MUST verify that there is a closest encloser proof for QNAME present in the
/// response and that there is an NSEC3 RR that covers the wildcard at the closest encloser".
ProofResult nxdomain(Nsec3Set& s, const WireName& name) {
  const Encloser e = closest_encloser(s, name);
  if (e.name_matched) return fail("nxdomain", "nxdomain-name-exists");
  if (e.error) return fail("nxdomain", e.error);
  const WireName wildcard = wildcard_at(e.closest);
  if (s.types_at(wildcard) || !s.cover(wildcard)) return fail("nxdomain", "wildcard-not-denied");
  return proven(e.opt_out ? "opt-out" : "nxdomain");
}

/// RFC 5155 §8.5 (a matching NSEC3), §8.6 for DS: "If there is no such NSEC3 RR, then the validator MUST verify
/// that a closest provable encloser proof for QNAME is present in the response, and that the NSEC3 RR that covers
/// the "next closer" name has the Opt-Out bit set.", else §8.7: "The validator MUST verify a closest encloser proof
/// for QNAME and MUST find an NSEC3 RR present in the response that matches the wildcard name generated by
/// prepending the asterisk label to the closest encloser."
ProofResult nodata(Nsec3Set& s, const WireName& name, std::uint16_t qtype) {
  if (const Types* t = s.types_at(name)) return nodata_at_match(*t, qtype);
  const Encloser e = closest_encloser(s, name);
  if (qtype == rrtype::DS) {
    if (e.error) return fail("nodata", e.error);
    return e.opt_out ? proven("opt-out") : fail("nodata", "next-closer-not-opt-out");
  }
  if (e.error)
    return fail("nodata", e.error == std::string_view("ancestor-delegation") ? e.error : "no-matching-record");
  const Types* w = s.types_at(wildcard_at(e.closest));
  return w ? wildcard_nodata(*w, qtype) : fail("nodata", "no-matching-record");
}

/// RFC 5155 §8.9: "If there is no NSEC3 RR present that matches the delegation name, then the validator MUST verify
/// a closest provable encloser proof for the delegation name. The validator MUST verify that the Opt-Out bit is set
/// in the NSEC3 RR that covers the "next closer" name to the delegation name."
ProofResult referral(Nsec3Set& s, const WireName& cut) {
  if (const Types* t = s.types_at(cut)) return delegation_at_match(*t);
  const Encloser e = closest_encloser(s, cut);
  if (e.error) return fail("insecure-delegation", e.error);
  return e.opt_out ? proven("opt-out") : fail("insecure-delegation", "next-closer-not-opt-out");
}

template <class Set>
ProofResult prove(Set& s, const Analysis& a, std::uint16_t qtype) {
  for (const auto& [owner, labels] : a.expansions) {
    if (const char* why = wildcard_answer(s, owner, labels)) return fail(claimed_kind(a), why);
  }
  switch (a.claim) {
    case Claim::NxDomain: return nxdomain(s, a.name);
    case Claim::NoData: return nodata(s, a.name, qtype);
    case Claim::Referral: return referral(s, a.name);
    case Claim::None: break;
  }
  return proven("wildcard-answer");
}

}  // namespace

ProofResult check_denial_proof(const ProofQuestion& q, std::span<const ProofRecord> answer,
                               std::span<const ProofRecord> authority) {
  if (q.rcode != 0 && q.rcode != 3) return {};
  const WireName zone = core::name_lower(q.zone);
  const Analysis a = analyse(q, zone, answer, authority);
  if (a.claim == Claim::None && a.expansions.empty()) return {};
  Records r;
  if (const char* error = collect_nsec(zone, authority, r)) return fail(claimed_kind(a), error);
  if (const char* error = collect_nsec3(zone, authority, r)) return fail(claimed_kind(a), error);
  if (!r.nsec && !r.nsec3) return fail(claimed_kind(a), "no-denial-records");
  // A zone denies with one of the two; should a response carry both, either proof is enough.
  std::optional<ProofResult> by_nsec;
  if (r.nsec) {
    by_nsec = prove(*r.nsec, a, q.qtype);
    if (by_nsec->proven || !r.nsec3) return *by_nsec;
  }
  ProofResult by_nsec3 = prove(*r.nsec3, a, q.qtype);
  return by_nsec3.proven || !by_nsec ? by_nsec3 : *by_nsec;
}

}  // namespace zw::dnssec
