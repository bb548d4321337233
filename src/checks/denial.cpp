// denial.cpp: authenticated denial of existence: the NSEC chain and its bitmaps (RFC 4034 §4, RFC 4035 §2.3), the
// NSEC3 ring, bitmaps and parameters (RFC 5155), the RFC 9276 parameter policy and the RFC 9077 TTL.
#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>

#include "checks/common.hpp"
#include "core/bytes.hpp"
#include "core/codec.hpp"
#include "core/parallel.hpp"
#include "dnssec/nsec3.hpp"
#include "zone/rdata.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
using dnssec::Nsec3Digest;
using zone::NodeKind;
namespace rrtype = zone::rrtype;

/// Iterations from which NSEC3 is reported as excessive rather than merely non-zero. RFC 9276 §3.2: "Validating
/// resolvers MAY return an insecure response to their clients when processing NSEC3 records with iterations larger
/// than 0"; BIND 9.20, Knot Resolver and PowerDNS Recursor do so (or answer SERVFAIL) above 50 (the catalogue's
/// rationale for NSEC3_ITERATIONS_EXCESSIVE).
constexpr std::uint16_t kIterationsExcessive = 51;

/// Opt-out is justified only in a zone with at least this many unsigned delegations that are also the majority of
/// its names. RFC 9276 §3.1: "For small zones, the use of opt-out-based NSEC3 records is NOT RECOMMENDED. For very
/// large and sparsely signed zones, where the majority of the records are insecure delegations, opt-out MAY be
/// used." A .com-style registry (well over 100 million delegations, under 10 % with DS) clears both bars by orders
/// of magnitude; what opt-out buys it is not having to sign an NSEC3 for every delegation added or removed. Below a
/// thousand unsigned delegations a full chain is a few thousand signatures that any signer makes in seconds, so
/// opt-out only takes away proof of non-existence for nothing; and where most delegations are signed (or most names
/// are not delegations at all) the NSEC3 records stay anyway.
constexpr std::size_t kOptOutMinUnsigned = 1000;

/// What a name holds, for denial purposes.
enum : std::uint8_t { kReal = 1, kHasNsec = 2, kHasNsec3 = 4 };

std::string salt_text(std::string_view salt) {
  return salt.empty() ? "-" : core::hex_encode(salt, core::LetterCase::Upper);
}

std::string digest_text(const Nsec3Digest& d) {
  return core::base32hex_encode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

std::string types_text(const std::vector<std::uint16_t>& types) {
  if (types.empty()) return "none";
  std::string out;
  for (std::uint16_t t : types) out += (out.empty() ? "" : " ") + zone::type_name(t);
  return out;
}

/// The facts every part of the check shares.
struct Facts {
  const zone::Zone& z;
  std::uint32_t apex = 0;
  std::string apex_text;
  std::vector<std::uint8_t> bits;             ///< kReal / kHasNsec / kHasNsec3 per name (0 outside the zone)
  std::optional<std::uint32_t> negative;      ///< min(SOA TTL, SOA MINIMUM)
  std::uint16_t ignored_type = 0;             ///< a type left out of bitmap comparisons (NSEC in a mixed zone)
  std::size_t nsec3_names = 0;                ///< names that own NSEC3 records
  std::vector<std::uint16_t> scratch_bitmap;  ///< reused type lists (no allocation per name)
  std::vector<std::uint16_t> scratch_missing;
  std::vector<std::uint16_t> scratch_extra;

  Facts(const zone::Zone& zone, std::uint32_t apex_index) : z(zone), apex(apex_index) {}

  bool real(std::uint32_t n) const { return (bits[n] & kReal) != 0; }
  /// RFC 4035 §2.3: "Each owner name in the zone that has authoritative data or a delegation point NS RRset MUST
  /// have an NSEC resource record."
  bool needs_denial(std::uint32_t n) const {
    NodeKind k = z.kinds[n];
    return real(n) && (k == NodeKind::Apex || k == NodeKind::Authoritative || k == NodeKind::Delegation);
  }
  zone::SourceRef first_src(std::uint32_t n) const { return z.records[z.rrsets[z.name_rrsets[n]].first].src; }
  std::string hashed_owner_text(const Nsec3Digest& d) const {
    return digest_text(d) + (apex_text == "." ? "." : "." + apex_text);
  }
};

Facts gather(const zone::Zone& z, std::uint32_t apex) {
  Facts f(z, apex);
  f.apex_text = core::name_to_text(z.names[apex]);
  f.bits.assign(z.names.size(), 0);
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    if (z.kinds[n] == NodeKind::OutOfZone) continue;
    bool other = false;
    std::uint8_t b = 0;
    const zone::RRset* sigs = nullptr;
    for (const zone::RRset& s : z.rrsets_of(n)) {
      if (s.type == rrtype::NSEC) {
        b |= kHasNsec;
      } else if (s.type == rrtype::NSEC3) {
        b |= kHasNsec3;
      } else if (s.type == rrtype::RRSIG) {
        sigs = &s;
      } else {
        other = true;
      }
    }
    // RFC 4035 §2.3: "An NSEC record (and its associated RRSIG RRset) MUST NOT be the only RRset at any particular
    // owner name." A name whose only data is denial records and their signatures is not a name of the zone. NSEC3
    // records and their signatures (even ones left behind by a removed NSEC3) belong to the hashed namespace; any
    // other RRSIG, even an orphan one, is data that makes the name exist (Knot's missing.signed).
    if (!other && sigs) {
      for (const zone::Record& r : z.records_of(*sigs)) {
        const std::uint16_t covered = zone::rrsig_type_covered(z.rdata(r)).value_or(0);
        if ((covered == rrtype::NSEC && (b & kHasNsec)) || covered == rrtype::NSEC3) continue;
        other = true;
        break;
      }
    }
    f.bits[n] = static_cast<std::uint8_t>(b | (other ? kReal : 0));
  }
  const zone::RRset* soa = nullptr;
  if (const auto fields = zone::apex_soa(z, &soa)) {
    // RFC 9077 §3.1: "The TTL of the NSEC RR that is returned MUST be the lesser of the MINIMUM field of the SOA
    // record and the TTL of the SOA itself." (§3.3 says the same of NSEC3.)
    f.negative = std::min(z.ttl_of(*soa), fields->minimum);
  }
  return f;
}

/// Compares a record's bitmap with the types it should list; reports NSEC_BITMAP_MISMATCH about `name` (or, for an
/// empty non-terminal, about the NSEC3 record itself). `expected` must be sorted and unique.
void compare_bitmap(Facts& f, Reporter& rep, const std::vector<std::uint16_t>& expected, std::string_view bitmap,
                    const zone::Record& rec, std::optional<std::uint32_t> name, Code broken_code) {
  if (!dnssec::parse_type_bitmap(bitmap, f.scratch_bitmap)) {
    Reporter::Params p = {{"detail", "malformed-bitmap"}};
    if (broken_code == Code::NSEC_CHAIN_BROKEN) p.insert(p.begin(), {"next", "-"});
    rep.record(broken_code, rec, std::move(p));
    return;
  }
  auto& actual = f.scratch_bitmap;
  if (f.ignored_type) actual.erase(std::remove(actual.begin(), actual.end(), f.ignored_type), actual.end());
  f.scratch_missing.clear();
  f.scratch_extra.clear();
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(f.scratch_missing));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(f.scratch_extra));
  if (f.scratch_missing.empty() && f.scratch_extra.empty()) return;
  Reporter::Params p = {{"missing", types_text(f.scratch_missing)}, {"extra", types_text(f.scratch_extra)}};
  if (name) {
    rep.name(Code::NSEC_BITMAP_MISMATCH, *name, rec.type, rec.src, std::move(p));
  } else {
    rep.record(Code::NSEC_BITMAP_MISMATCH, rec, std::move(p));
  }
}

/// Types below 128 as a bit set: the bitmaps of nearly every name fit, so they are compared without going back to
/// the RDATA (which, visited in name order, is scattered over the arena).
struct TypeMask {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  bool operator==(const TypeMask&) const = default;
};

/// The mask of a sorted type list; false when a type is 128 or above.
bool type_mask(const std::vector<std::uint16_t>& types, TypeMask& m) {
  m = {};
  for (std::uint16_t t : types) {
    if (t >= 128) return false;
    (t < 64 ? m.lo : m.hi) |= std::uint64_t{1} << (t % 64);
  }
  return true;
}

void sort_unique(std::vector<std::uint16_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

/// The types an NSEC at `n` must list.
void expected_nsec_types(const Facts& f, std::uint32_t n, std::vector<std::uint16_t>& out) {
  const zone::Zone& z = f.z;
  out.clear();
  if (z.kinds[n] == NodeKind::Delegation) {
    // RFC 4035 §2.3: "Bits corresponding to the delegation NS RRset and any RRsets for which the parent zone has
    // authoritative data MUST be set; bits corresponding to any non-NS RRset for which the parent is not
    // authoritative MUST be clear." The parent is authoritative for DS and for the NSEC and its RRSIG.
    out.push_back(rrtype::NS);
    if (z.find(n, rrtype::DS)) out.push_back(rrtype::DS);
  } else {
    // RFC 4034 §4.1.2: "The Type Bit Maps field identifies the RRset types that exist at the NSEC RR's owner name."
    for (const zone::RRset& s : z.rrsets_of(n)) out.push_back(s.type);
  }
  out.push_back(rrtype::RRSIG);
  out.push_back(rrtype::NSEC);
  sort_unique(out);
}

/// The types an NSEC3 matching real name `n` must list.
void expected_nsec3_types(const Facts& f, std::uint32_t n, std::vector<std::uint16_t>& out) {
  const zone::Zone& z = f.z;
  out.clear();
  if (z.kinds[n] == NodeKind::Delegation) {
    // As for NSEC (RFC 4035 §2.3): NS, and DS with its RRSIG when the delegation is signed; an unsigned
    // delegation's NS RRset is not signed, so its bitmap has no RRSIG.
    out.push_back(rrtype::NS);
    if (z.find(n, rrtype::DS)) {
      out.push_back(rrtype::DS);
      out.push_back(rrtype::RRSIG);
    }
  } else {
    // RFC 5155 §7.1: "The Type Bit Maps field of every NSEC3 RR in a signed zone MUST indicate the presence of all
    // types present at the original owner name, except for the types solely contributed by an NSEC3 RR itself."
    // Every RRset at an authoritative name is signed, so RRSIG is among them whether or not the signatures are
    // there (missing ones are RRSIG_MISSING, not a bitmap error).
    for (const zone::RRset& s : z.rrsets_of(n)) {
      if (s.type != rrtype::NSEC3 && s.type != f.ignored_type) out.push_back(s.type);
    }
    out.push_back(rrtype::RRSIG);
  }
  sort_unique(out);
}

/// RFC 5155 §4: only an NSEC3PARAM at the apex tells servers to answer with NSEC3; one at another name is
/// meaningless data, reported at its own name.
void check_stray_params(const Facts& f, Reporter& rep) {
  const zone::Zone& z = f.z;
  for (const zone::RRset& s : z.rrsets) {
    if (s.type == rrtype::NSEC3PARAM && s.name != f.apex && z.kinds[s.name] != NodeKind::OutOfZone) {
      rep.rrset(Code::NSEC3_PARAM_MISMATCH, s, {{"detail", "param-off-apex"}});
    }
  }
}

// ---- NSEC ------------------------------------------------------------------------------------------------------

/// The NSEC check of one zone (RFC 4034 §4, RFC 4035 §2.3), in named steps over shared state.
struct NsecCheck {
  Facts& f;
  Reporter& rep;
  const zone::Zone& z;
  std::vector<std::uint32_t> needed;  ///< the names that must have an NSEC, in canonical order
  std::vector<std::int32_t> pos;      ///< each name's index in `needed`; -1 for the others
  core::WireName next;                ///< the Next Domain Name read last

  NsecCheck(Facts& facts, Reporter& reporter) : f(facts), rep(reporter), z(facts.z) {}

  /// Reads the Next Domain Name of `r` into `next`; `p` is then the offset of the type bitmap.
  bool read_next(const zone::Record& r, std::size_t& p) {
    p = 0;
    return core::read_wire_name(z.rdata(r), p, next);
  }

  void run() {
    find_needed();
    check_stray();
    const std::vector<std::uint8_t> ok = good_links();
    std::vector<std::uint16_t> expected;
    for (std::size_t i = 0; i < needed.size(); ++i) {
      if (!ok[i]) check_link(i, expected);
    }
  }

  void find_needed();
  void check_stray();
  std::vector<std::uint8_t> good_links() const;
  void check_link(std::size_t i, std::vector<std::uint16_t>& expected);
  Reporter::Params next_params(std::size_t i, std::uint32_t want) const;
};

void NsecCheck::find_needed() {
  pos.assign(z.names.size(), -1);
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    if (!f.needs_denial(n)) continue;
    pos[n] = static_cast<std::int32_t>(needed.size());
    needed.push_back(n);
  }
}

/// NSEC records where none belong.
void NsecCheck::check_stray() {
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    if (!(f.bits[n] & kHasNsec) || f.needs_denial(n)) continue;
    const zone::RRset* set = z.find(n, rrtype::NSEC);
    std::size_t p = 0;
    std::string next_text = read_next(z.records[set->first], p) ? core::name_to_text(next) : "-";
    const char* detail = "only-rrset";
    NodeKind k = z.kinds[n];
    if (k == NodeKind::Glue) {
      // RFC 4034 §4.1.1: "Owner names of RRsets for which the given zone is not authoritative (such as glue
      // records) MUST NOT be listed in the Next Domain Name unless at least one authoritative RRset exists at the
      // same owner name." Such a name has no NSEC of its own either.
      detail = "at-glue";
    } else if (k == NodeKind::Occluded) {
      detail = "at-occluded";
    }
    rep.rrset(Code::NSEC_CHAIN_BROKEN, *set, {{"next", next_text}, {"detail", detail}});
  }
}

/// Links that are right (one record, next name as expected, bitmap exactly the types present), found on all cores;
/// everything else is examined in order by check_link.
std::vector<std::uint8_t> NsecCheck::good_links() const {
  std::vector<std::uint8_t> ok(needed.size(), 0);
  core::parallel_for(
      needed.size(),
      [&](std::size_t i) {
        const std::uint32_t n = needed[i];
        const zone::RRset* set = z.find(n, rrtype::NSEC);
        if (!set || set->count != 1) return;
        const std::string_view rd = z.rdata(z.records[set->first]);
        thread_local core::WireName nx;
        thread_local std::vector<std::uint16_t> want_types, have_types;
        std::size_t p = 0;
        if (!core::read_wire_name(rd, p, nx)) return;
        if (!core::name_equal(nx, z.names[needed[(i + 1) % needed.size()]])) return;
        expected_nsec_types(f, n, want_types);
        if (!dnssec::parse_type_bitmap(rd.substr(p), have_types)) return;
        if (f.ignored_type) {
          have_types.erase(std::remove(have_types.begin(), have_types.end(), f.ignored_type), have_types.end());
        }
        ok[i] = want_types == have_types ? 1 : 0;
      },
      4096);
  return ok;
}

/// The NSEC of needed[i], which is not right: missing, repeated, malformed, pointing elsewhere or with a wrong bitmap.
void NsecCheck::check_link(std::size_t i, std::vector<std::uint16_t>& expected) {
  std::uint32_t n = needed[i];
  const zone::RRset* set = z.find(n, rrtype::NSEC);
  if (!set) {
    rep.name(Code::NSEC_CHAIN_BROKEN, n, rrtype::NSEC, f.first_src(n),
             {{"next", "-"}, {"detail", z.kinds[n] == NodeKind::Delegation ? "missing-at-delegation" : "missing"}});
    return;
  }
  const zone::Record& rec = z.records[set->first];
  if (set->count > 1) {
    rep.rrset(Code::NSEC_CHAIN_BROKEN, *set,
              {{"next", "-"}, {"detail", "multiple"}, {"count", std::to_string(set->count)}});
  }
  std::size_t p = 0;
  if (!read_next(rec, p)) {
    rep.record(Code::NSEC_CHAIN_BROKEN, rec, {{"next", "-"}, {"detail", "malformed"}});
    return;
  }
  // RFC 4034 §4.1.1: "The Next Domain field contains the next owner name (in the canonical ordering of the zone)
  // that has authoritative data or contains a delegation point NS RRset" and "The value of the Next Domain Name
  // field in the last NSEC record in the zone is the name of the zone apex".
  std::uint32_t want = needed[(i + 1) % needed.size()];
  if (!core::name_equal(next, z.names[want])) {
    rep.record(Code::NSEC_CHAIN_BROKEN, rec, next_params(i, want));
  }
  expected_nsec_types(f, n, expected);
  compare_bitmap(f, rep, expected, z.rdata(rec).substr(p), rec, n, Code::NSEC_CHAIN_BROKEN);
}

/// The NSEC_CHAIN_BROKEN params of the NSEC of needed[i], which points to `next` rather than to `want`: why.
Reporter::Params NsecCheck::next_params(std::size_t i, std::uint32_t want) const {
  std::string want_text = core::name_to_text(z.names[want]);
  auto target = z.find_name(next);
  std::int32_t tp = target ? pos[*target] : -1;
  const auto ii = static_cast<std::int32_t>(i);
  Reporter::Params link{{"next", core::name_to_text(next)}, {"expected", want_text}};
  if (i + 1 == needed.size()) {
    link = {{"next", core::name_to_text(next)}, {"detail", "not-closing"}, {"expected", f.apex_text}};
  } else if (tp < 0) {
    link.emplace_back("detail", target ? "next-no-data" : "next-not-in-zone");
  } else if (tp == 0) {
    link.emplace_back("detail", "closes-early");
    link.emplace_back("count", std::to_string(needed.size() - i - 1));
  } else if (tp > ii + 1) {
    link.emplace_back("detail", "skips");
    link.emplace_back("count", std::to_string(tp - ii - 1));
  } else {
    link.emplace_back("detail", "points-back");
  }
  return link;
}

void check_nsec(Facts& f, Reporter& rep) {
  NsecCheck(f, rep).run();
}

// ---- NSEC3 -----------------------------------------------------------------------------------------------------

/// The parameters that must be the same across the chain (RFC 5155 §7.1): hash algorithm, flags other than
/// Opt-Out, iterations and salt.
struct ParamKey {
  std::uint8_t algorithm = 0;
  std::uint8_t flags = 0;
  std::uint16_t iterations = 0;
  std::string_view salt;

  auto tie() const { return std::tie(algorithm, flags, iterations, salt); }
  bool operator<(const ParamKey& o) const { return tie() < o.tie(); }
  bool operator==(const ParamKey& o) const { return tie() == o.tie(); }
};

/// A parameter set as NSEC3PARAM RDATA is written: hash algorithm, flags, iterations, salt.
std::string param_text(const ParamKey& k) {
  return std::to_string(k.algorithm) + " " + std::to_string(k.flags) + " " + std::to_string(k.iterations) + " " +
         salt_text(k.salt);
}

/// One NSEC3 record of the chain.
struct Link {
  Nsec3Digest owner{};
  Nsec3Digest next{};
  std::uint32_t record = 0;
  std::uint8_t flags = 0;
  bool small = false;  ///< the bitmap parsed and lists only types below 128, as in `types`
  TypeMask types;      ///< bit t set for each listed type t < 128
  std::string_view bitmap;
};

/// A name that needs (or may have) an NSEC3: a real name or an empty non-terminal, as a suffix of a zone name.
struct Candidate {
  std::uint32_t name = 0;             ///< index into Zone::names
  std::uint16_t offset = 0;           ///< the candidate's wire name is names[name].substr(offset)
  bool ent = false;                   ///< empty non-terminal
  bool required = false;              ///< must have an NSEC3 (else: an unsigned delegation or an ENT that may not)
  std::int32_t link = -1;             ///< the matching chain record
  std::uint32_t parent = UINT32_MAX;  ///< nearest candidate ancestor
};

int digest_cmp(const Nsec3Digest& a, const Nsec3Digest& b) {
  return std::memcmp(a.data(), b.data(), a.size());
}

/// The leading 32 bits of a hash, big-endian.
std::uint32_t digest_top(const Nsec3Digest& d) {
  return core::be32(d.data());
}

/// Finds hashes in the chain (records sorted by hashed owner, at least one) in constant time: the hashes are
/// uniform, so a table over their leading bits, about one entry per record, leaves a handful of records to search.
/// A binary search over the whole chain, a cache miss per step, cost more than everything else in the check.
class LinkIndex {
 public:
  explicit LinkIndex(const std::vector<Link>& links) {
    // The hashed owners alone, 20 octets each, so that a search touches a few cache lines, not whole records.
    owners_.reserve(links.size());
    for (const Link& l : links) owners_.push_back(l.owner);
    while (bits_ < 24 && (std::size_t{1} << bits_) < links.size()) ++bits_;
    first_.assign((std::size_t{1} << bits_) + 1, 0);
    std::size_t at = 0;
    for (std::size_t k = 0; k + 1 < first_.size(); ++k) {
      while (at < owners_.size() && bucket(owners_[at]) < k) ++at;
      first_[k] = static_cast<std::uint32_t>(at);
    }
    first_.back() = static_cast<std::uint32_t>(owners_.size());
  }

  /// The last record whose hashed owner is at or before `h` (wrapping round to the last record), and whether its
  /// hashed owner is `h`.
  std::pair<std::size_t, bool> find(const Nsec3Digest& h) const {
    const std::size_t k = bucket(h);
    auto begin = owners_.begin() + first_[k];
    auto end = owners_.begin() + first_[k + 1];
    auto ub = std::upper_bound(begin, end, h,
                               [](const Nsec3Digest& a, const Nsec3Digest& b) { return digest_cmp(a, b) < 0; });
    if (ub == owners_.begin()) return {owners_.size() - 1, false};
    const auto at = static_cast<std::size_t>(ub - owners_.begin()) - 1;
    return {at, digest_cmp(owners_[at], h) == 0};
  }

 private:
  std::size_t bucket(const Nsec3Digest& d) const { return bits_ == 0 ? 0 : digest_top(d) >> (32 - bits_); }

  std::vector<Nsec3Digest> owners_;
  unsigned bits_ = 0;
  std::vector<std::uint32_t> first_;  ///< first_[k]: the first record whose leading bits are k or more
};

/// The offsets in `wire` of its ancestors strictly between it and the apex (it is `depth` labels below the apex)
/// that `prev`, the previous name in canonical order, is not at or below; nearest first. Once an ancestor of `wire`
/// is one of `prev`'s, so are all above it: a binary search finds the first, a few comparisons for a name of 125
/// labels rather than one per label.
void new_ent_offsets(std::string_view wire, int depth, std::string_view prev, std::vector<std::uint16_t>& ents) {
  ents.clear();
  if (depth < 2) return;
  const std::vector<std::size_t> offsets = core::name_label_offsets(wire);
  int first_shared = depth;
  if (!prev.empty()) {
    int lo = 1;
    while (lo < first_shared) {
      const int mid = lo + (first_shared - lo) / 2;
      if (core::name_is_subdomain(prev, wire.substr(offsets[static_cast<std::size_t>(mid)]))) {
        first_shared = mid;
      } else {
        lo = mid + 1;
      }
    }
  }
  for (int strip = 1; strip < first_shared; ++strip) {
    ents.push_back(static_cast<std::uint16_t>(offsets[static_cast<std::size_t>(strip)]));
  }
}

/// Real names that need an NSEC3 and the empty non-terminals above them, in canonical order. Names below one ENT are
/// contiguous in canonical order, so an ENT ancestor of a name is new exactly when the previous name is not at or
/// below it.
std::vector<Candidate> candidates(const Facts& f) {
  const zone::Zone& z = f.z;
  const int apex_labels = core::name_label_count(z.origin);
  std::vector<Candidate> out;
  out.reserve(z.names.size());
  std::string_view prev;
  std::vector<std::uint16_t> ents;
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    if (!f.needs_denial(n)) continue;
    const std::string_view wire = z.names[n];
    new_ent_offsets(wire, core::name_label_count(wire) - apex_labels, prev, ents);
    for (auto it = ents.rbegin(); it != ents.rend(); ++it) {
      Candidate c;
      c.name = n;
      c.offset = *it;
      c.ent = true;
      out.push_back(c);
    }
    Candidate c;
    c.name = n;
    // RFC 5155 §7.1: "Each owner name within the zone that owns authoritative RRSets MUST have a corresponding NSEC3
    // RR. Owner names that correspond to unsigned delegations MAY have a corresponding NSEC3 RR."
    c.required = z.kinds[n] != NodeKind::Delegation || z.find(n, rrtype::DS) != nullptr;
    out.push_back(c);
    prev = wire;
  }
  // Nearest candidate ancestor of each candidate.
  std::vector<std::uint32_t> stack;
  auto wire_of = [&](const Candidate& c) { return std::string_view(z.names[c.name]).substr(c.offset); };
  for (std::uint32_t i = 0; i < out.size(); ++i) {
    std::string_view w = wire_of(out[i]);
    while (!stack.empty() && !core::name_is_subdomain(w, wire_of(out[stack.back()]))) stack.pop_back();
    if (!stack.empty()) out[i].parent = stack.back();
    stack.push_back(i);
  }
  return out;
}

/// RFC 5155 §7.1: "Each empty non-terminal MUST have a corresponding NSEC3 RR, unless the empty non-terminal is
/// only derived from an insecure delegation covered by an Opt-Out NSEC3 RR." An ENT is therefore required as soon
/// as any name below it has (or must have) an NSEC3; descendants follow their ancestors in canonical order.
void mark_required_ents(std::vector<Candidate>& cands) {
  for (std::size_t i = cands.size(); i-- > 0;) {
    const Candidate& c = cands[i];
    if ((c.required || c.link >= 0) && c.parent != UINT32_MAX && cands[c.parent].ent) cands[c.parent].required = true;
  }
}

/// True when the records, sorted by hashed owner, form one ring: each next hashed owner is the owner of the next
/// record in hash order, the last one's the first one's (RFC 5155 §7.1 step 7).
bool ring_closed(std::vector<Link>& links) {
  std::sort(links.begin(), links.end(), [](const Link& a, const Link& b) { return digest_cmp(a.owner, b.owner) < 0; });
  for (std::size_t i = 0; i < links.size(); ++i) {
    const Link& next = links[(i + 1) % links.size()];
    if (digest_cmp(links[i].next, next.owner) != 0) return false;  // a gap, a duplicate or a wrong pointer
  }
  return true;
}

/// True when the records of a closed ring (sorted by hashed owner) cover the zone: a record for every name and empty
/// non-terminal that needs one (RFC 5155 §7.1), and no record for anything else. `cands` are the zone's candidates
/// (candidates()); every one is hashed.
bool ring_covers_zone(const Facts& f, std::vector<Candidate> cands, const std::vector<Link>& links,
                      const ParamKey& key) {
  const LinkIndex index(links);
  core::parallel_for(
      cands.size(),
      [&](std::size_t i) {
        Nsec3Digest h{};
        dnssec::nsec3_hash_into(std::string_view(f.z.names[cands[i].name]).substr(cands[i].offset), key.salt,
                                key.iterations, h);
        auto [at, match] = index.find(h);
        if (match) cands[i].link = static_cast<std::int32_t>(at);
      },
      4096);
  mark_required_ents(cands);
  std::vector<bool> used(links.size(), false);
  for (const Candidate& c : cands) {
    if (c.link >= 0) {
      used[static_cast<std::size_t>(c.link)] = true;
    } else if (c.required) {
      return false;
    }
  }
  return std::all_of(used.begin(), used.end(), [](bool u) { return u; });
}

/// The outcome of parsing one NSEC3 record.
enum class Parse : std::uint8_t { Malformed, Owner, OtherHash, OwnerLabel, NextLength, Ok };
struct Parsed {
  Parse state = Parse::Malformed;
  dnssec::Nsec3Rdata rdata;
  Link link;
};

/// How many parameter sets may be hashed over the whole zone to tell a complete chain from a fragment: the chain
/// the NSEC3PARAM names and a few beside it (a parameter change has one, RFC 5155 §7.3). Each costs a hash of every
/// name; a zone with thousands of parameter sets must not cost thousands of such passes. A set past the limit is
/// reported as not complete (NSEC3_PARAM_MISMATCH).
constexpr std::size_t kChainsHashed = 4;

/// The NSEC3 check of one zone (RFC 5155 §7.1, §8, RFC 9276), in named steps over shared state.
struct Nsec3Check {
  Facts& f;
  Reporter& rep;
  const zone::Zone& z;
  const zone::RRset* param_set = nullptr;                          ///< the NSEC3PARAM RRset at the apex
  std::map<ParamKey, std::pair<std::size_t, std::uint32_t>> sets;  ///< key -> (records, first record)
  std::vector<Link> all;                                           ///< well-formed SHA-1 records, in zone order
  std::vector<const ParamKey*> key_of;                             ///< all[i]'s parameters (a key of `sets`)
  std::uint32_t first_nsec3 = UINT32_MAX;                          ///< the first NSEC3 record in zone order
  std::vector<dnssec::Nsec3ParamRdata> params;                     ///< the apex NSEC3PARAM records that parse
  std::optional<ParamKey> chain;                                   ///< the parameters of the chain checked
  bool named_by_param = false;                                     ///< the NSEC3PARAM names `chain`
  std::size_t chains_hashed = 0;                                   ///< parameter sets hashed by complete()
  std::size_t required_names = 0;                                  ///< real names that must have an NSEC3
  std::vector<Link> links;                                         ///< the chain, sorted by hashed owner
  std::vector<Candidate> cands;                                    ///< names that need (or may have) an NSEC3
  std::vector<Nsec3Digest> hashes;                                 ///< each candidate's hash (the first hashed)
  std::vector<std::int32_t> cover;                                 ///< the chain record covering each hash
  std::size_t hashed_count = 0;  ///< candidates hashed: all, or the first ones in canonical order (hashing budget)

  Nsec3Check(Facts& facts, Reporter& reporter) : f(facts), rep(reporter), z(facts.z) {}

  void broken(const zone::Record& r, const char* detail, Reporter::Params extra = {}) {
    Reporter::Params p{{"detail", detail}};
    p.insert(p.end(), extra.begin(), extra.end());
    rep.record(Code::NSEC3_CHAIN_BROKEN, r, std::move(p));
  }

  void run();
  std::vector<std::uint32_t> nsec3_records() const;
  std::vector<Parsed> parse_records(const std::vector<std::uint32_t>& records) const;
  void collect_records();
  void choose_chain();
  void find_candidates();
  bool complete(std::vector<Link> set_links, const ParamKey& key);
  void check_parameter_sets();
  void check_param_records();
  void report_policy(Code code, Reporter::Params p);
  void check_policy();
  void build_chain();
  void check_ring();
  void hash_names();
  void check_bitmaps();
  void check_unused();
  std::vector<std::uint32_t> missing_ent_runs() const;
  void check_missing();
  void check_unsigned_delegation(std::size_t i);
  void check_optout();
};

void Nsec3Check::run() {
  // NSEC3PARAM: RFC 5155 §7.1, step 8: "Finally, add an NSEC3PARAM RR with the same Hash Algorithm, Iterations,
  // and Salt fields to the zone apex."
  param_set = z.find(f.apex, rrtype::NSEC3PARAM);
  check_stray_params(f, rep);
  collect_records();
  choose_chain();
  if (chain) check_parameter_sets();
  check_param_records();
  check_policy();
  if (!chain || chain->algorithm != dnssec::kNsec3HashSha1) return;
  build_chain();
  check_ring();
  hash_names();
  check_bitmaps();
  check_unused();
  mark_required_ents(cands);
  check_missing();
  check_optout();
}

/// The NSEC3 records of the zone, in zone order.
std::vector<std::uint32_t> Nsec3Check::nsec3_records() const {
  std::vector<std::uint32_t> records;
  records.reserve(f.nsec3_names);
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    if (!(f.bits[n] & kHasNsec3)) continue;
    const zone::RRset* set = z.find(n, rrtype::NSEC3);
    for (std::uint32_t ri = set->first; ri < set->first + set->count; ++ri) records.push_back(ri);
  }
  return records;
}

/// Every NSEC3 record parsed, on all cores.
std::vector<Parsed> Nsec3Check::parse_records(const std::vector<std::uint32_t>& records) const {
  const int apex_labels = core::name_label_count(z.origin);
  std::vector<Parsed> parsed(records.size());
  core::parallel_for(
      records.size(),
      [&](std::size_t i) {
        Parsed& out = parsed[i];
        const zone::Record& r = z.records[records[i]];
        auto p = dnssec::parse_nsec3(z.rdata(r));
        if (!p) return;
        out.rdata = *p;
        // RFC 5155 §3: "The owner name for the NSEC3 RR is the base32 encoding of the hashed owner name prepended
        // as a single label to the name of the zone."
        const std::string_view owner = z.names[r.name];
        out.state = Parse::Owner;
        if (core::name_label_count(owner) != apex_labels + 1) return;
        out.state = Parse::OtherHash;
        if (p->algorithm != dnssec::kNsec3HashSha1) return;  // reported with the parameters
        Link& link = out.link;
        out.state = Parse::OwnerLabel;
        const auto label_len = static_cast<unsigned char>(owner[0]);
        if (!dnssec::base32hex_decode_digest(owner.substr(1, label_len), link.owner)) return;
        out.state = Parse::NextLength;
        if (p->next.size() != dnssec::kNsec3HashLength) return;
        std::memcpy(link.next.data(), p->next.data(), dnssec::kNsec3HashLength);
        link.record = records[i];
        link.flags = p->flags;
        link.bitmap = p->bitmap;
        thread_local std::vector<std::uint16_t> types;
        link.small = dnssec::parse_type_bitmap(p->bitmap, types) && type_mask(types, link.types);
        out.state = Parse::Ok;
      },
      4096);
  return parsed;
}

/// The NSEC3 records and their parameter sets: parsed on all cores, then parameter sets and problems taken in zone
/// order.
void Nsec3Check::collect_records() {
  const std::vector<std::uint32_t> records = nsec3_records();
  const std::vector<Parsed> parsed = parse_records(records);
  std::pair<const ParamKey, std::pair<std::size_t, std::uint32_t>>* last_set = nullptr;
  all.reserve(f.nsec3_names);
  key_of.reserve(f.nsec3_names);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::uint32_t ri = records[i];
    const zone::Record& r = z.records[ri];
    const Parsed& p = parsed[i];
    first_nsec3 = std::min(first_nsec3, ri);
    if (p.state == Parse::Malformed) {
      broken(r, "malformed");
      continue;
    }
    ParamKey key{p.rdata.algorithm, static_cast<std::uint8_t>(p.rdata.flags & ~dnssec::kNsec3FlagOptOut),
                 p.rdata.iterations, p.rdata.salt};
    // Records of one chain share their parameters: look the set up only when they change.
    if (!last_set || !(last_set->first == key)) last_set = &*sets.try_emplace(key, 0, ri).first;
    ++last_set->second.first;
    switch (p.state) {
      case Parse::Owner: broken(r, "owner-not-below-apex"); continue;
      case Parse::OwnerLabel: broken(r, "owner-not-hash"); continue;
      case Parse::NextLength: broken(r, "next-length", {{"octets", std::to_string(p.rdata.next.size())}}); continue;
      case Parse::Ok: break;
      default: continue;
    }
    all.push_back(p.link);
    key_of.push_back(&last_set->first);
  }
}

/// The chain's parameters: the NSEC3PARAM's when some NSEC3 records use them, else the most common set.
void Nsec3Check::choose_chain() {
  if (param_set) {
    for (const zone::Record& r : z.records_of(*param_set)) {
      auto p = dnssec::parse_nsec3param(z.rdata(r));
      if (!p) {
        rep.record(Code::NSEC3_PARAM_MISMATCH, r, {{"detail", "param-malformed"}});
        continue;
      }
      params.push_back(*p);
    }
  }
  if (params.size() == 1 && params[0].flags == 0) {
    ParamKey k{params[0].algorithm, 0, params[0].iterations, params[0].salt};
    if (sets.count(k)) chain = k;
  }
  named_by_param = chain.has_value();
  if (!chain && !sets.empty()) {
    auto best = sets.begin();
    for (auto it = sets.begin(); it != sets.end(); ++it) {
      if (it->second.first > best->second.first ||
          (it->second.first == best->second.first && it->second.second < best->second.second)) {
        best = it;
      }
    }
    chain = best->first;
  }
}

/// The names that need (or may have) an NSEC3, once, and how many of them are real names that must have one.
void Nsec3Check::find_candidates() {
  if (!cands.empty()) return;
  cands = candidates(f);
  required_names = static_cast<std::size_t>(
      std::count_if(cands.begin(), cands.end(), [](const Candidate& c) { return !c.ent && c.required; }));
}

/// True when `set_links` (the well-formed records of one parameter set) form one complete NSEC3 chain over the zone:
/// one ring in hash order, a record for every name and empty non-terminal that needs one (RFC 5155 §7.1), and no
/// record for anything else. Bitmaps are not compared: this only tells a finished chain from a fragment. At most
/// kChainsHashed sets are hashed over the zone; later ones are not complete.
bool Nsec3Check::complete(std::vector<Link> set_links, const ParamKey& key) {
  if (set_links.empty() || key.algorithm != dnssec::kNsec3HashSha1 || key.flags != 0 ||
      key.iterations >= kIterationsExcessive) {
    return false;
  }
  find_candidates();
  // RFC 5155 §7.1: "Each owner name within the zone that owns authoritative RRSets MUST have a corresponding NSEC3
  // RR": a set with fewer records than such names is a fragment, known without hashing.
  if (set_links.size() < required_names || !ring_closed(set_links) || chains_hashed == kChainsHashed) return false;
  ++chains_hashed;
  return ring_covers_zone(f, cands, set_links, key);
}

/// Parameter consistency: every set other than the chain's, and the chain's flags and hash algorithm.
void Nsec3Check::check_parameter_sets() {
  // The well-formed records of each parameter set, grouped once.
  std::map<const ParamKey*, std::vector<Link>> links_of;
  if (named_by_param && sets.size() > 1) {
    for (std::size_t i = 0; i < all.size(); ++i) links_of[key_of[i]].push_back(all[i]);
  }
  std::optional<bool> named_complete;
  for (const auto& [key, info] : sets) {
    if (key == *chain) continue;
    // RFC 5155 §7.3: a parameter change builds the new chain beside the old one and switches the NSEC3PARAM when
    // it is complete; servers answer from the chain the NSEC3PARAM names (RFC 5155 §4). A second complete chain
    // beside a complete named one is that transition in progress.
    if (named_by_param && links_of[&key].size() == info.first && complete(links_of[&key], key)) {
      if (!named_complete) named_complete = complete(links_of[&sets.find(*chain)->first], *chain);
      if (*named_complete) {
        rep.record(Code::NSEC3_CHAIN_EXTRA, z.records[info.second],
                   {{"records", std::to_string(info.first)},
                    {"iterations", std::to_string(key.iterations)},
                    {"salt", salt_text(key.salt)}});
        continue;
      }
    }
    // RFC 5155 §7.1 step 8 (above): one set of parameters, shared by the chain and the NSEC3PARAM.
    rep.record(Code::NSEC3_PARAM_MISMATCH, z.records[info.second],
               {{"detail", "second-set"},
                {"count", std::to_string(info.first)},
                {"params", param_text(key)},
                {"chain", param_text(*chain)}});
  }
  const zone::Record& first_of_chain = z.records[sets[*chain].second];
  if (chain->flags != 0) {
    // RFC 5155 §8.2: "Validators MUST ignore NSEC3 RRs with a Flag fields value other than zero or one."
    rep.record(Code::NSEC3_PARAM_MISMATCH, first_of_chain,
               {{"detail", "flags-reserved"}, {"chain", param_text(*chain)}});
  }
  if (chain->algorithm != dnssec::kNsec3HashSha1) {
    // RFC 5155 §8.1: "Validators MUST ignore NSEC3 RRs with unknown hash types."
    rep.record(Code::NSEC3_PARAM_MISMATCH, first_of_chain,
               {{"detail", "hash-unknown"}, {"hash_algorithm", std::to_string(chain->algorithm)}});
  }
}

/// The NSEC3PARAM RRset: present, one record, flags 0, the chain's parameters.
void Nsec3Check::check_param_records() {
  if (!param_set) {
    rep.name(Code::NSEC3_PARAM_MISMATCH, f.apex, rrtype::NSEC3PARAM, f.first_src(f.apex),
             {{"detail", "param-missing"}});
    return;
  }
  if (param_set->count > 1) {
    rep.rrset(Code::NSEC3_PARAM_MISMATCH, *param_set,
              {{"detail", "param-multiple"}, {"count", std::to_string(param_set->count)}});
  }
  for (const zone::Record& r : z.records_of(*param_set)) {
    auto p = dnssec::parse_nsec3param(z.rdata(r));
    if (!p) continue;
    ParamKey k{p->algorithm, 0, p->iterations, p->salt};
    if (p->flags != 0) {
      // RFC 5155 §4.1.2: "The Opt-Out flag is not used and is set to zero. All other flags are reserved for future
      // use, and must be zero. NSEC3PARAM RRs with a Flags field value other than zero MUST be ignored."
      rep.record(Code::NSEC3_PARAM_MISMATCH, r, {{"detail", "param-flags"}, {"flags", std::to_string(p->flags)}});
    } else if (chain && !(k == ParamKey{chain->algorithm, 0, chain->iterations, chain->salt})) {
      rep.record(Code::NSEC3_PARAM_MISMATCH, r,
                 {{"detail", "param-differs"},
                  {"params", param_text(k)},
                  {"chain", param_text(ParamKey{chain->algorithm, 0, chain->iterations, chain->salt})}});
    }
  }
}

/// Reports a finding about the zone's NSEC3 parameters: at the NSEC3PARAM, else the first NSEC3 record, else the
/// zone.
void Nsec3Check::report_policy(Code code, Reporter::Params p) {
  if (param_set) {
    rep.rrset(code, *param_set, std::move(p));
  } else if (first_nsec3 != UINT32_MAX) {
    rep.record(code, z.records[first_nsec3], std::move(p));
  } else {
    rep.zone(code, std::move(p));
  }
}

/// The RFC 9276 policy, once per zone, about the chain's parameters (or the NSEC3PARAM's).
void Nsec3Check::check_policy() {
  std::optional<ParamKey> policy = chain;
  if (!policy && !params.empty()) policy = ParamKey{params[0].algorithm, 0, params[0].iterations, params[0].salt};
  if (!policy) return;
  // RFC 9276 §3.1: "If NSEC3 must be used, then an iterations count of 0 MUST be used to alleviate computational
  // burdens." Above common resolver limits the finding is the error alone, not both.
  if (policy->iterations >= kIterationsExcessive) {
    report_policy(Code::NSEC3_ITERATIONS_EXCESSIVE, {{"iterations", std::to_string(policy->iterations)}});
  } else if (policy->iterations > 0) {
    report_policy(Code::NSEC3_ITERATIONS_NONZERO, {{"iterations", std::to_string(policy->iterations)}});
  }
  // RFC 9276 §3.1: "Operators SHOULD NOT use a salt by indicating a zero-length salt value instead".
  if (!policy->salt.empty())
    report_policy(Code::NSEC3_SALT_PRESENT, {{"salt", core::hex_encode(policy->salt, core::LetterCase::Upper)}});
}

/// The chain: records with the chain's parameters, sorted by hashed owner once, one per hashed owner.
void Nsec3Check::build_chain() {
  if (sets[*chain].first == all.size()) {
    links = std::move(all);
  } else {
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (*key_of[i] == *chain) links.push_back(all[i]);
    }
  }
  // Hashed owners of equal length sort in canonical order as their digests do, so the records usually arrive sorted.
  auto link_less = [](const Link& a, const Link& b) {
    int c = digest_cmp(a.owner, b.owner);
    return c != 0 ? c < 0 : a.record < b.record;
  };
  if (!std::is_sorted(links.begin(), links.end(), link_less)) std::sort(links.begin(), links.end(), link_less);
  std::size_t w = 0;
  for (std::size_t i = 0; i < links.size(); ++i) {
    if (w > 0 && digest_cmp(links[w - 1].owner, links[i].owner) == 0) {
      broken(z.records[links[i].record], "duplicate-owner");
      continue;
    }
    links[w++] = links[i];
  }
  links.resize(w);
}

/// RFC 5155 §7.1, step 7: "The next hashed owner name of the last NSEC3 RR in the zone contains the value of the
/// hashed owner name of the first NSEC3 RR in the hash order."
void Nsec3Check::check_ring() {
  for (std::size_t i = 0; i < links.size(); ++i) {
    const Nsec3Digest& want = links[(i + 1) % links.size()].owner;
    if (digest_cmp(links[i].next, want) == 0) continue;
    auto at = std::lower_bound(links.begin(), links.end(), links[i].next,
                               [](const Link& l, const Nsec3Digest& h) { return digest_cmp(l.owner, h) < 0; });
    bool exists = at != links.end() && digest_cmp(at->owner, links[i].next) == 0;
    const char* detail = !exists ? "next-not-owner" : i + 1 == links.size() ? "last-not-first" : "next-out-of-order";
    broken(z.records[links[i].record], detail, {{"next", digest_text(links[i].next)}, {"expected", digest_text(want)}});
  }
}

/// Every name that needs an NSEC3, hashed on all cores, and looked up in the chain there: the record whose hashed
/// owner it is (if any) and the record that covers it (the last one at or before it in hash order, the last of all
/// when it precedes the first).
void Nsec3Check::hash_names() {
  find_candidates();
  hashes.assign(cands.size(), Nsec3Digest{});
  cover.assign(cands.size(), -1);
  const std::string_view salt = chain->salt;
  const std::uint16_t iterations = chain->iterations;
  // RFC 9276 §3.2: "Validating resolvers MAY return an insecure response to their clients when processing NSEC3
  // records with iterations larger than 0." Above the iterations where every validator in use does, the names are
  // hashed within a budget: the first ones in canonical order (so that each hashed name's ancestors are hashed),
  // and a finding says the rest is unverified.
  const std::size_t limit = dnssec::nsec3_names_within_budget(iterations);
  hashed_count = std::min(cands.size(), limit);
  if (hashed_count < cands.size()) {
    report_policy(Code::VALIDATION_BUDGET_EXCEEDED, {{"detail", "nsec3-hashing"}, {"limit", std::to_string(limit)}});
  }
  const LinkIndex index(links);
  core::parallel_for(
      hashed_count,
      [&](std::size_t i) {
        Candidate& c = cands[i];
        dnssec::nsec3_hash_into(std::string_view(z.names[c.name]).substr(c.offset), salt, iterations, hashes[i]);
        if (links.empty()) return;
        auto [at, match] = index.find(hashes[i]);
        cover[i] = static_cast<std::int32_t>(at);
        if (match) c.link = static_cast<std::int32_t>(at);
      },
      std::max<std::size_t>(1, 4096 / (std::size_t{iterations} + 1)));
}

/// The bitmap of each name's NSEC3. Those that match are found on all cores; the rare others are examined in order.
void Nsec3Check::check_bitmaps() {
  std::vector<std::uint8_t> matches(hashed_count, 0);
  core::parallel_for(
      hashed_count,
      [&](std::size_t i) {
        const Candidate& c = cands[i];
        if (c.link < 0) {
          matches[i] = 1;
          return;
        }
        const Link& l = links[static_cast<std::size_t>(c.link)];
        thread_local std::vector<std::uint16_t> want;
        want.clear();
        // RFC 5155 §7.1 step 3 lists the types at the original owner: an empty non-terminal has none.
        if (!c.ent) expected_nsec3_types(f, c.name, want);
        TypeMask m;
        matches[i] = l.small && type_mask(want, m) && m == l.types ? 1 : 0;
      },
      4096);
  std::vector<std::uint16_t> expected;
  for (std::size_t i = 0; i < hashed_count; ++i) {
    if (matches[i]) continue;
    const Candidate& c = cands[i];
    const Link& l = links[static_cast<std::size_t>(c.link)];
    expected.clear();
    if (!c.ent) expected_nsec3_types(f, c.name, expected);
    compare_bitmap(f, rep, expected, l.bitmap, z.records[l.record], c.ent ? std::nullopt : std::optional(c.name),
                   Code::NSEC3_CHAIN_BROKEN);
  }
}

/// Records whose hashed owner is the hash of no name. Known only when every name was hashed.
void Nsec3Check::check_unused() {
  if (hashed_count < cands.size()) return;
  std::vector<bool> used(links.size(), false);
  for (const Candidate& c : cands) {
    if (c.link >= 0) used[static_cast<std::size_t>(c.link)] = true;
  }
  for (std::size_t k = 0; k < links.size(); ++k) {
    if (!used[k]) {
      broken(z.records[links[k].record], "unused-owner");
    }
  }
}

/// In missing_ent_runs: a candidate about which no empty-non-terminal finding is made.
constexpr std::uint32_t kNotReported = UINT32_MAX;

/// Required empty non-terminals without an NSEC3, one finding per subtree: for the topmost of each connected run of
/// them, how many more the run holds below it; kNotReported for every other candidate. A name of 255 octets has
/// up to 125 ENTs above it, and a finding each made zones of deep names report hundreds of thousands.
std::vector<std::uint32_t> Nsec3Check::missing_ent_runs() const {
  std::vector<std::uint32_t> below(hashed_count, kNotReported);
  std::vector<std::uint32_t> top(hashed_count, kNotReported);
  auto missing = [&](std::size_t i) {
    const Candidate& c = cands[i];
    return c.ent && c.required && c.link < 0;
  };
  for (std::size_t i = 0; i < hashed_count; ++i) {
    if (!missing(i)) continue;
    // Ancestors come first in canonical order, so the parent's run is known.
    const std::uint32_t parent = cands[i].parent;
    if (parent != UINT32_MAX && missing(parent)) {
      top[i] = top[parent];
      ++below[top[i]];
    } else {
      top[i] = static_cast<std::uint32_t>(i);
      below[i] = 0;
    }
  }
  return below;
}

/// Names without an NSEC3, on all cores (an opt-out zone has hundreds of thousands: each needs a search).
void Nsec3Check::check_missing() {
  const std::vector<std::uint32_t> runs = missing_ent_runs();
  core::parallel_for(
      hashed_count,
      [&](std::size_t i) {
        const Candidate& c = cands[i];
        if (c.link >= 0) return;
        if (c.required) {
          const std::string hashed = f.hashed_owner_text(hashes[i]);
          if (c.ent) {
            if (runs[i] == kNotReported) return;
            Reporter::Params p{{"detail", runs[i] == 0 ? "ent-missing" : "ent-subtree-missing"},
                               {"name", core::name_to_text(std::string_view(z.names[c.name]).substr(c.offset))},
                               {"hashed", hashed}};
            if (runs[i] > 0) p.emplace_back("count", std::to_string(runs[i]));
            rep.zone(Code::NSEC3_CHAIN_BROKEN, std::move(p));
          } else {
            rep.name(Code::NSEC3_CHAIN_BROKEN, c.name, rrtype::NSEC3, f.first_src(c.name),
                     {{"detail", "missing"}, {"hashed", hashed}});
          }
          return;
        }
        if (c.ent || links.empty()) return;
        check_unsigned_delegation(i);
      },
      4096);
}

/// An unsigned delegation without an NSEC3: RFC 5155 §7.1: "if there is not a corresponding NSEC3 RR, there MUST be
/// an Opt-Out NSEC3 RR that covers the "next closer" name to the delegation." The next closer name is the ancestor
/// one label below the closest name that has an NSEC3 (the delegation itself or an ENT above it).
void Nsec3Check::check_unsigned_delegation(std::size_t i) {
  const Candidate& c = cands[i];
  std::uint32_t nc = static_cast<std::uint32_t>(i);
  while (cands[nc].parent != UINT32_MAX && cands[cands[nc].parent].link < 0) nc = cands[nc].parent;
  const Link& covering = links[static_cast<std::size_t>(cover[nc])];
  if (covering.flags & dnssec::kNsec3FlagOptOut) return;
  rep.name(Code::NSEC3_CHAIN_BROKEN, c.name, rrtype::NSEC3, f.first_src(c.name),
           {{"detail", "unsigned-delegation-no-optout"},
            {"hashed", f.hashed_owner_text(hashes[i])},
            {"covering", f.hashed_owner_text(covering.owner)}});
}

/// RFC 9276 §3.1 on Opt-Out, with the thresholds explained at kOptOutMinUnsigned.
void Nsec3Check::check_optout() {
  bool optout =
      std::any_of(links.begin(), links.end(), [](const Link& l) { return (l.flags & dnssec::kNsec3FlagOptOut) != 0; });
  if (!optout) return;
  std::size_t unsigned_delegations = 0;
  std::size_t names = 0;
  for (const Candidate& c : cands) {
    if (c.ent) continue;
    ++names;
    if (!c.required) ++unsigned_delegations;
  }
  if (unsigned_delegations < kOptOutMinUnsigned || unsigned_delegations * 2 <= names) {
    report_policy(Code::NSEC3_OPTOUT_UNJUSTIFIED, {{"delegations", std::to_string(unsigned_delegations)}});
  }
}

void check_nsec3(Facts& f, Reporter& rep) {
  Nsec3Check(f, rep).run();
}

// ---- TTL and the zone ------------------------------------------------------------------------------------------

void check_ttls(const Facts& f, Reporter& rep) {
  if (!f.negative) return;
  const zone::Zone& z = f.z;
  // One finding per type and wrong TTL value: a signer that uses the SOA MINIMUM does so for every record.
  std::map<std::pair<std::uint16_t, std::uint32_t>, bool> seen;
  for (const zone::RRset& s : z.rrsets) {
    if (s.type != rrtype::NSEC && s.type != rrtype::NSEC3) continue;
    if (z.kinds[s.name] == NodeKind::OutOfZone) continue;
    std::uint32_t ttl = z.ttl_of(s);
    if (ttl == *f.negative || !seen.emplace(std::make_pair(s.type, ttl), true).second) continue;
    rep.rrset(Code::DENIAL_TTL_WRONG, s, {{"ttl", std::to_string(ttl)}, {"expected", std::to_string(*f.negative)}});
  }
}

void check_zone(const ZoneContext& ctx, FindingSink& sink) {
  if (!ctx.zone || !ctx.analysis || !ctx.analysis->signed_zone) return;
  const zone::Zone& z = *ctx.zone;
  auto apex = z.apex();
  if (!apex) return;
  Reporter rep(ctx, sink);
  Facts f = gather(z, *apex);

  std::size_t nsec = 0;
  std::size_t nsec3 = 0;
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    if (f.bits[n] & kHasNsec) ++nsec;
    if (f.bits[n] & kHasNsec3) ++nsec3;
  }
  f.nsec3_names = nsec3;
  // RFC 5155 §4: only an NSEC3PARAM at the apex tells servers to answer with NSEC3; one at another name is
  // meaningless data, reported at its own name (below for NSEC zones, by check_nsec3 for NSEC3 zones).
  const bool param = z.find(f.apex, rrtype::NSEC3PARAM) != nullptr;
  if (nsec == 0 && nsec3 == 0) {
    // RFC 4035 §2.3: "Each owner name in the zone that has authoritative data or a delegation point NS RRset MUST
    // have an NSEC resource record" (or, RFC 5155 §7.1, an NSEC3 record).
    rep.zone(Code::DENIAL_MISSING);
    return;
  }
  // RFC 5155 §4: "The presence of an NSEC3PARAM RR at a zone apex indicates that the specified parameters may be
  // used by authoritative servers to choose an appropriate set of NSEC3 RRs for negative responses." So a zone with
  // both kinds of records answers with NSEC3 when it has an NSEC3PARAM, else with NSEC; the other kind is reported
  // once here (a half-finished transition: the NSEC3 chain is complete only when the NSEC chain is gone) and its
  // chain is not checked record by record.
  bool use_nsec3 = nsec3 > 0 && (param || nsec == 0);
  if (nsec > 0 && (nsec3 > 0 || param)) {
    Reporter::Params p{{"detail", nsec3 > 0 ? "nsec-and-nsec3" : "nsec-and-nsec3param"},
                       {"nsec_names", std::to_string(nsec)},
                       {"answer", use_nsec3 ? "NSEC3" : "NSEC"}};
    if (nsec3 > 0) p.emplace_back("nsec3_names", std::to_string(nsec3));
    rep.zone(Code::NSEC3_PARAM_MISMATCH, std::move(p));
  }
  // The mix is reported once (above); NSEC records are then left out of the NSEC3 bitmaps' comparison.
  if (use_nsec3 && nsec > 0) f.ignored_type = rrtype::NSEC;
  if (use_nsec3) {
    check_nsec3(f, rep);
  } else {
    check_stray_params(f, rep);
    check_nsec(f, rep);
  }
  check_ttls(f, rep);
}

}  // namespace

void check_denial(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone(ctx, sink);
}

}  // namespace zw::checks
