// test_denial_proof.cpp: one answer's denial proof: the example responses of RFC 5155 Appendix B, NSEC and NSEC3
// cases for every kind and every detail token of DENIAL_PROOF_INVALID, and hostile input with bounded work.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/codec.hpp"
#include "core/name.hpp"
#include "dnssec/denial_proof.hpp"
#include "dnssec/nsec3.hpp"
#include "dnssec/rr_file.hpp"

using namespace zw;
using dnssec::ProofQuestion;
using dnssec::ProofRecord;
using dnssec::ProofResult;

namespace {

constexpr std::uint16_t kA = 1, kCname = 5, kMx = 15, kAaaa = 28, kDs = 43;
constexpr int kNxdomain = 3;

core::WireName wire(const std::string& text) {
  core::WireName out;
  std::string err;
  REQUIRE(core::parse_name(text, ".", out, err));
  core::name_to_lower(out);
  return out;
}

/// One record from its presentation format ("owner type rdata"), encoded by ldns.
ProofRecord rr(const std::string& line) {
  const auto t = dnssec::test::parse_rr_line(line);
  return ProofRecord{t.owner, t.type, t.rdata};
}

/// An RRSIG over `type` at `owner` with the Labels field `labels` (the signature itself is never checked here).
ProofRecord rrsig(const std::string& owner, const std::string& type, int labels) {
  return rr(owner + " RRSIG " + type + " 13 " + std::to_string(labels) +
            " 3600 20300101000000 20200101000000 4242 example. " + std::string(86, 'A') + "==");
}

ProofQuestion ask(const std::string& qname, std::uint16_t qtype, int rcode = 0, const std::string& zone = "example.") {
  return ProofQuestion{wire(zone), wire(qname), qtype, rcode};
}

std::string nsec3_label(const std::string& name, const std::string& salt_hex = "", std::uint16_t iterations = 0) {
  return core::base32hex_encode(dnssec::nsec3_hash(wire(name), core::hex_decode(salt_hex).value(), iterations));
}

/// A signed NSEC zone: its names (with their types) in canonical order, and the NSEC record at or around a name.
class NsecZone {
 public:
  NsecZone(std::string apex, std::vector<std::pair<std::string, std::string>> names)
      : apex_(std::move(apex)), names_(std::move(names)) {
    std::sort(names_.begin(), names_.end(),
              [](const auto& a, const auto& b) { return core::name_compare(wire(a.first), wire(b.first)) < 0; });
  }
  /// The NSEC record owned by `name`.
  ProofRecord match(const std::string& name) const { return record(index_of(name)); }
  /// The NSEC record whose span holds `name` (which must not own one).
  ProofRecord cover(const std::string& name) const {
    std::size_t i = 0;
    for (std::size_t k = 0; k < names_.size(); ++k) {
      const int c = core::name_compare(wire(names_[k].first), wire(name));
      REQUIRE(c != 0);
      if (c < 0) i = k;
    }
    return record(i);
  }

 private:
  std::size_t index_of(const std::string& name) const {
    for (std::size_t k = 0; k < names_.size(); ++k)
      if (names_[k].first == name) return k;
    FAIL("no NSEC at " << name);
    return 0;
  }
  ProofRecord record(std::size_t i) const {
    const std::string& next = i + 1 < names_.size() ? names_[i + 1].first : apex_;
    return rr(names_[i].first + " NSEC " + next + " " + names_[i].second);
  }
  std::string apex_;
  std::vector<std::pair<std::string, std::string>> names_;
};

/// A signed NSEC3 zone: the hashes of its names (with their types) in order, and the record matching or covering a
/// name.
class Nsec3Zone {
 public:
  Nsec3Zone(std::string apex, const std::vector<std::pair<std::string, std::string>>& names, int flags = 0,
            std::string salt = "", std::uint16_t iterations = 0)
      : apex_(std::move(apex)), flags_(flags), salt_(std::move(salt)), iterations_(iterations) {
    for (const auto& [name, types] : names) ring_.emplace(hash(name), types);
  }
  ProofRecord match(const std::string& name) const {
    auto it = ring_.find(hash(name));
    REQUIRE(it != ring_.end());
    return record(it);
  }
  ProofRecord cover(const std::string& name) const {
    const std::string h = hash(name);
    REQUIRE(ring_.count(h) == 0);
    auto it = ring_.upper_bound(h);
    return record(it == ring_.begin() ? std::prev(ring_.end()) : std::prev(it));
  }
  std::string hash(const std::string& name) const { return nsec3_label(name, salt_, iterations_); }
  /// True when the hash of `name` sorts after every hashed owner (`after`) or before them all: the last record,
  /// which wraps around, covers it. (Base32hex keeps the order of the octets it encodes.)
  bool past_the_ends(const std::string& name, bool after) const {
    const std::string h = hash(name);
    return after ? ring_.rbegin()->first < h : h < ring_.begin()->first;
  }

 private:
  using Ring = std::map<std::string, std::string>;
  ProofRecord record(Ring::const_iterator it) const {
    auto next = std::next(it) == ring_.end() ? ring_.begin() : std::next(it);
    return rr(it->first + (apex_ == "." ? "." : "." + apex_) + " NSEC3 1 " + std::to_string(flags_) + " " +
              std::to_string(iterations_) + " " + (salt_.empty() ? "-" : salt_) + " " + next->first + " " + it->second);
  }
  std::string apex_;
  int flags_;
  std::string salt_;
  std::uint16_t iterations_;
  Ring ring_;
};

// The zone of the synthetic cases: an apex, an A, a CNAME, a DNAME, a signed and an unsigned delegation, a wildcard
// below the empty non-terminal w, and x.y below the empty non-terminal y.
const NsecZone& nsec_zone() {
  static const NsecZone zone("example.", {{"example.", "NS SOA RRSIG NSEC DNSKEY"},
                                          {"a.example.", "A RRSIG NSEC"},
                                          {"b.example.", "CNAME RRSIG NSEC"},
                                          {"dn.example.", "DNAME RRSIG NSEC"},
                                          {"dsub.example.", "NS DS RRSIG NSEC"},
                                          {"sub.example.", "NS RRSIG NSEC"},
                                          {"*.w.example.", "MX RRSIG NSEC"},
                                          {"x.y.example.", "A RRSIG NSEC"}});
  return zone;
}

std::vector<std::pair<std::string, std::string>> nsec3_names(bool with_unsigned_delegation) {
  std::vector<std::pair<std::string, std::string>> names = {{"example.", "NS SOA RRSIG DNSKEY NSEC3PARAM"},
                                                            {"a.example.", "A RRSIG"},
                                                            {"b.example.", "CNAME RRSIG"},
                                                            {"dn.example.", "DNAME RRSIG"},
                                                            {"dsub.example.", "NS DS RRSIG"},
                                                            {"w.example.", ""},
                                                            {"*.w.example.", "MX RRSIG"},
                                                            {"y.example.", ""},
                                                            {"x.y.example.", "A RRSIG"}};
  if (with_unsigned_delegation) names.emplace_back("sub.example.", "NS");
  return names;
}

const Nsec3Zone& nsec3_zone() {
  static const Nsec3Zone zone("example.", nsec3_names(true));
  return zone;
}
/// The same zone with opt-out (or without the flag): the unsigned delegation sub.example has no NSEC3 record.
const Nsec3Zone& opt_out_zone(bool opt_out) {
  static const Nsec3Zone with("example.", nsec3_names(false), 1);
  static const Nsec3Zone without("example.", nsec3_names(false), 0);
  return opt_out ? with : without;
}

using Rrs = std::vector<ProofRecord>;

struct Case {
  std::string name;
  ProofQuestion q;
  std::vector<ProofRecord> answer;
  std::vector<ProofRecord> authority;
  bool proven;
  std::string kind;
  std::string detail;
};

Case ok(std::string name, ProofQuestion q, Rrs answer, Rrs authority, std::string kind) {
  return Case{std::move(name), std::move(q), std::move(answer), std::move(authority), true, std::move(kind), ""};
}

Case bad(std::string name, ProofQuestion q, Rrs answer, Rrs authority, std::string kind, std::string detail) {
  Case c = ok(std::move(name), std::move(q), std::move(answer), std::move(authority), std::move(kind));
  c.proven = false;
  c.detail = std::move(detail);
  return c;
}

ProofRecord soa() {
  return rr("example. SOA ns1.example. hostmaster.example. 1 3600 300 3600000 3600");
}

std::vector<Case> nsec_cases() {
  const auto& z = nsec_zone();
  const auto wild_mx = std::vector<ProofRecord>{rr("foo.w.example. MX 1 a.example."), rrsig("foo.w.example.", "MX", 2)};
  return {
      ok("NSEC nxdomain after the last name", ask("z.example.", kA, kNxdomain), {},
         Rrs{z.cover("z.example."), z.cover("*.example.")}, "nxdomain"),
      ok("NSEC nxdomain under overlapping spans", ask("nope.example.", kA, kNxdomain), {},
         Rrs{rr("a.example. NSEC zz.example. A"), rr("m.example. NSEC ma.example. A"), z.cover("*.example.")},
         "nxdomain"),
      ok("NSEC nxdomain", ask("nope.example.", kA, kNxdomain), {},
         Rrs{soa(), z.cover("nope.example."), z.cover("*.example.")}, "nxdomain"),
      bad("NSEC nxdomain at an existing name", ask("a.example.", kA, kNxdomain), {}, Rrs{z.match("a.example.")},
          "nxdomain", "nxdomain-name-exists"),
      bad("NSEC nxdomain at an empty non-terminal", ask("y.example.", kA, kNxdomain), {},
          Rrs{z.cover("y.example."), z.cover("*.example.")}, "nxdomain", "nxdomain-name-exists"),
      bad("NSEC nxdomain without the covering record", ask("nope.example.", kA, kNxdomain), {},
          Rrs{z.cover("*.example.")}, "nxdomain", "qname-not-covered"),
      bad("NSEC nxdomain without the wildcard denial", ask("nope.example.", kA, kNxdomain), {},
          Rrs{z.cover("nope.example.")}, "nxdomain", "wildcard-not-denied"),
      bad("NSEC nxdomain below an existing wildcard", ask("nope.w.example.", kA, kNxdomain), {},
          Rrs{z.cover("nope.w.example."), z.match("*.w.example.")}, "nxdomain", "wildcard-not-denied"),
      bad("NSEC nxdomain below a delegation", ask("host.sub.example.", kA, kNxdomain), {},
          Rrs{z.match("sub.example."), z.cover("*.example.")}, "nxdomain", "ancestor-delegation"),
      bad("NSEC nxdomain below a DNAME", ask("host.dn.example.", kA, kNxdomain), {},
          Rrs{z.match("dn.example."), z.cover("*.example.")}, "nxdomain", "ancestor-delegation"),
      ok("NSEC nodata", ask("a.example.", kAaaa), {}, Rrs{soa(), z.match("a.example.")}, "nodata"),
      bad("NSEC nodata for a type present", ask("a.example.", kA), {}, Rrs{z.match("a.example.")}, "nodata",
          "nodata-type-present"),
      bad("NSEC nodata at a CNAME", ask("b.example.", kA), {}, Rrs{z.match("b.example.")}, "nodata",
          "nodata-cname-present"),
      bad("NSEC nodata at a delegation", ask("sub.example.", kA), {}, Rrs{z.match("sub.example.")}, "nodata",
          "ancestor-delegation"),
      ok("NSEC DS nodata at an unsigned delegation", ask("sub.example.", kDs), {}, Rrs{z.match("sub.example.")},
         "nodata"),
      ok("NSEC nodata at an empty non-terminal", ask("y.example.", kA), {}, Rrs{z.cover("y.example.")}, "nodata"),
      bad("NSEC nodata without a matching record", ask("a.example.", kAaaa), {}, Rrs{z.cover("nope.example.")},
          "nodata", "no-matching-record"),
      ok("NSEC wildcard nodata", ask("foo.w.example.", kAaaa), {},
         Rrs{z.cover("foo.w.example."), z.match("*.w.example.")}, "wildcard-nodata"),
      bad("NSEC wildcard nodata for a type the wildcard has", ask("foo.w.example.", kMx), {},
          Rrs{z.cover("foo.w.example."), z.match("*.w.example.")}, "nodata", "wildcard-type-present"),
      bad("NSEC wildcard nodata without the wildcard", ask("foo.w.example.", kAaaa), {},
          Rrs{rr("a.example. NSEC x.y.example. A RRSIG NSEC")}, "nodata", "no-matching-record"),
      ok("NSEC wildcard answer", ask("foo.w.example.", kMx), wild_mx, Rrs{z.cover("foo.w.example.")},
         "wildcard-answer"),
      bad("NSEC wildcard answer without proof", ask("foo.w.example.", kMx), wild_mx, Rrs{z.match("a.example.")},
          "wildcard-answer", "qname-not-covered"),
      bad("NSEC wildcard answer for an existing name", ask("a.example.", kA),
          Rrs{rr("a.example. A 192.0.2.1"), rrsig("a.example.", "A", 1)}, Rrs{z.match("a.example.")}, "wildcard-answer",
          "qname-not-covered"),
      bad("NSEC wildcard answer from a wildcard above an existing name", ask("q.y.example.", kA),
          Rrs{rr("q.y.example. A 192.0.2.1"), rrsig("q.y.example.", "A", 1)}, Rrs{z.cover("q.y.example.")},
          "wildcard-answer", "wildcard-not-closest"),
      ok("NSEC referral to an unsigned zone", ask("host.sub.example.", kA), {},
         Rrs{rr("sub.example. NS ns.sub.example."), z.match("sub.example.")}, "insecure-delegation"),
      bad("NSEC referral without DS at a signed delegation", ask("host.dsub.example.", kA), {},
          Rrs{rr("dsub.example. NS ns.dsub.example."), z.match("dsub.example.")}, "insecure-delegation",
          "delegation-bitmap-wrong"),
      bad("NSEC referral without a matching record", ask("host.sub.example.", kA), {},
          Rrs{rr("sub.example. NS ns.sub.example."), z.cover("nope.example.")}, "insecure-delegation",
          "no-matching-record"),
      ok("NSEC referral with DS", ask("host.dsub.example.", kA), {},
         Rrs{rr("dsub.example. NS ns.dsub.example."), rr("dsub.example. DS 4242 13 2 " + std::string(64, 'A'))}, ""),
      ok("NSEC nxdomain at the end of a CNAME chain", ask("alias.example.", kA, kNxdomain),
         Rrs{rr("alias.example. CNAME nope.example.")}, Rrs{z.cover("nope.example."), z.cover("*.example.")},
         "nxdomain"),
      bad("NSEC nxdomain through a CNAME expanded from a wildcard", ask("foo.w.example.", kA, kNxdomain),
          Rrs{rr("foo.w.example. CNAME nope.example."), rrsig("foo.w.example.", "CNAME", 2)},
          Rrs{z.cover("foo.w.example."), z.cover("nope.example.")}, "nxdomain", "wildcard-not-denied"),
  };
}

/// A name below the apex that neither the apex's NSEC3 record nor the one covering *.example covers.
std::string name_apart(const Nsec3Zone& z) {
  const ProofRecord apex = z.match("example."), wildcard = z.cover("*.example.");
  for (int i = 0;; ++i) {
    const std::string name = "nope" + std::to_string(i) + ".example.";
    const ProofRecord c = z.cover(name);
    if (c.owner != apex.owner && c.owner != wildcard.owner) return name;
  }
}

/// A name below the apex whose hash sorts after (or before) every hashed owner of `z`.
std::string name_past_the_ends(const Nsec3Zone& z, bool after) {
  for (int i = 0;; ++i) {
    const std::string name = "end" + std::to_string(i) + ".example.";
    if (z.past_the_ends(name, after)) return name;
  }
}

std::vector<Case> nsec3_cases() {
  const auto& z = nsec3_zone();
  const std::string apart = name_apart(z);
  const std::string after = name_past_the_ends(z, true), before = name_past_the_ends(z, false);
  const auto wild_mx = std::vector<ProofRecord>{rr("foo.w.example. MX 1 a.example."), rrsig("foo.w.example.", "MX", 2)};
  return {
      ok("NSEC3 nxdomain after the last hash", ask(after, kA, kNxdomain), {},
         Rrs{z.match("example."), z.cover(after), z.cover("*.example.")}, "nxdomain"),
      ok("NSEC3 nxdomain before the first hash", ask(before, kA, kNxdomain), {},
         Rrs{z.match("example."), z.cover(before), z.cover("*.example.")}, "nxdomain"),
      ok("NSEC3 nxdomain", ask("nope.example.", kA, kNxdomain), {},
         Rrs{soa(), z.match("example."), z.cover("nope.example."), z.cover("*.example.")}, "nxdomain"),
      bad("NSEC3 nxdomain at an existing name", ask("a.example.", kA, kNxdomain), {}, Rrs{z.match("a.example.")},
          "nxdomain", "nxdomain-name-exists"),
      bad("NSEC3 nxdomain without a closest encloser", ask("nope.example.", kA, kNxdomain), {},
          Rrs{z.match("x.y.example.")}, "nxdomain", "no-closest-encloser"),
      bad("NSEC3 nxdomain without the next closer", ask(apart, kA, kNxdomain), {},
          Rrs{z.match("example."), z.cover("*.example.")}, "nxdomain", "next-closer-not-covered"),
      bad("NSEC3 nxdomain without the wildcard denial", ask("nope.example.", kA, kNxdomain), {},
          Rrs{z.match("example."), z.cover("nope.example.")}, "nxdomain", "wildcard-not-denied"),
      bad("NSEC3 nxdomain below an existing wildcard", ask("nope.w.example.", kA, kNxdomain), {},
          Rrs{z.match("w.example."), z.cover("nope.w.example."), z.match("*.w.example.")}, "nxdomain",
          "wildcard-not-denied"),
      bad("NSEC3 nxdomain below a delegation", ask("host.sub.example.", kA, kNxdomain), {},
          Rrs{z.match("sub.example."), z.cover("host.sub.example."), z.cover("*.sub.example.")}, "nxdomain",
          "ancestor-delegation"),
      ok("NSEC3 nodata", ask("a.example.", kAaaa), {}, Rrs{soa(), z.match("a.example.")}, "nodata"),
      bad("NSEC3 nodata for a type present", ask("a.example.", kA), {}, Rrs{z.match("a.example.")}, "nodata",
          "nodata-type-present"),
      bad("NSEC3 nodata at a CNAME", ask("b.example.", kA), {}, Rrs{z.match("b.example.")}, "nodata",
          "nodata-cname-present"),
      bad("NSEC3 nodata at a delegation", ask("sub.example.", kA), {}, Rrs{z.match("sub.example.")}, "nodata",
          "ancestor-delegation"),
      ok("NSEC3 nodata at an empty non-terminal", ask("y.example.", kA), {}, Rrs{z.match("y.example.")}, "nodata"),
      bad("NSEC3 nodata without a matching record", ask("a.example.", kAaaa), {}, Rrs{z.match("example.")}, "nodata",
          "no-matching-record"),
      ok("NSEC3 wildcard nodata", ask("foo.w.example.", kAaaa), {},
         Rrs{z.match("w.example."), z.cover("foo.w.example."), z.match("*.w.example.")}, "wildcard-nodata"),
      bad("NSEC3 wildcard nodata for a type the wildcard has", ask("foo.w.example.", kMx), {},
          Rrs{z.match("w.example."), z.cover("foo.w.example."), z.match("*.w.example.")}, "nodata",
          "wildcard-type-present"),
      bad("NSEC3 wildcard nodata without the wildcard", ask("foo.w.example.", kAaaa), {},
          Rrs{z.match("w.example."), z.cover("foo.w.example.")}, "nodata", "no-matching-record"),
      ok("NSEC3 wildcard answer", ask("foo.w.example.", kMx), wild_mx, Rrs{z.cover("foo.w.example.")},
         "wildcard-answer"),
      bad("NSEC3 wildcard answer without the next closer", ask("foo.w.example.", kMx), wild_mx,
          Rrs{z.match("w.example.")}, "wildcard-answer", "next-closer-not-covered"),
      ok("NSEC3 referral to an unsigned zone", ask("host.sub.example.", kA), {},
         Rrs{rr("sub.example. NS ns.sub.example."), z.match("sub.example.")}, "insecure-delegation"),
      bad("NSEC3 referral without DS at a signed delegation", ask("host.dsub.example.", kA), {},
          Rrs{rr("dsub.example. NS ns.dsub.example."), z.match("dsub.example.")}, "insecure-delegation",
          "delegation-bitmap-wrong"),
      ok("NSEC3 DS nodata at an unsigned delegation", ask("sub.example.", kDs), {}, Rrs{z.match("sub.example.")},
         "nodata"),
  };
}

std::vector<Case> opt_out_cases() {
  const auto& o = opt_out_zone(true);
  const auto& n = opt_out_zone(false);
  const auto referral = rr("sub.example. NS ns.sub.example.");
  return {
      ok("opt-out referral", ask("host.sub.example.", kA), {},
         Rrs{referral, o.match("example."), o.cover("sub.example.")}, "opt-out"),
      ok("opt-out DS nodata", ask("sub.example.", kDs), {}, Rrs{o.match("example."), o.cover("sub.example.")},
         "opt-out"),
      ok("opt-out nxdomain", ask("nope.example.", kA, kNxdomain), {},
         Rrs{o.match("example."), o.cover("nope.example."), o.cover("*.example.")}, "opt-out"),
      bad("referral into a span without opt-out", ask("host.sub.example.", kA), {},
          Rrs{referral, n.match("example."), n.cover("sub.example.")}, "insecure-delegation",
          "next-closer-not-opt-out"),
      bad("DS nodata in a span without opt-out", ask("sub.example.", kDs), {},
          Rrs{n.match("example."), n.cover("sub.example.")}, "nodata", "next-closer-not-opt-out"),
      bad("opt-out referral without the next closer", ask("host.sub.example.", kA), {},
          Rrs{referral, o.match("example.")}, "insecure-delegation", "next-closer-not-covered"),
      bad("opt-out does not prove a NODATA", ask("sub.example.", kA), {},
          Rrs{o.match("example."), o.cover("sub.example.")}, "nodata", "no-matching-record"),
  };
}

/// An NSEC3 record of example. with the given fields (hash names, not names).
ProofRecord nsec3_record(const std::string& owner_hash, const std::string& params, const std::string& next_hash,
                         const std::string& types = "A RRSIG") {
  return rr(owner_hash + ".example. NSEC3 " + params + " " + next_hash + " " + types);
}

std::vector<Case> record_cases() {
  const std::string h1 = nsec3_label("a.example."), h2 = nsec3_label("b.example.");
  ProofRecord short_next = nsec3_zone().match("a.example.");
  short_next.rdata[5] = 19;  // Hash Length, after Hash Alg, Flags, Iterations and Salt Length (no salt)
  short_next.rdata.erase(6, 1);
  ProofRecord bad_bitmap = nsec_zone().match("a.example.");
  bad_bitmap.rdata += std::string("\x01\x00", 2);  // a window of length 0 (RFC 4034 §4.1.2)
  ProofRecord upper = nsec_zone().match("a.example.");
  std::transform(upper.owner.begin(), upper.owner.end(), upper.owner.begin(), ::toupper);
  return {
      bad("no denial records", ask("nope.example.", kA, kNxdomain), {}, Rrs{soa()}, "nxdomain", "no-denial-records"),
      bad("records of another zone are ignored", ask("nope.example.", kA, kNxdomain), {},
          Rrs{rr("a.other. NSEC z.other. A RRSIG NSEC"), nsec3_record(h1 + ".sub", "1 0 0 -", h2)}, "nxdomain",
          "no-denial-records"),
      bad("NSEC3 with an unknown hash algorithm is ignored", ask("a.example.", kAaaa), {},
          Rrs{nsec3_record(h1, "2 0 0 -", h2)}, "nodata", "no-denial-records"),
      bad("NSEC3 with unknown flags is ignored", ask("a.example.", kAaaa), {}, Rrs{nsec3_record(h1, "1 2 0 -", h2)},
          "nodata", "no-denial-records"),
      bad("NSEC3 parameters differ", ask("a.example.", kAaaa), {},
          Rrs{nsec3_zone().match("a.example."), nsec3_record(h2, "1 0 0 aabb", h1)}, "nodata",
          "nsec3-params-inconsistent"),
      bad("NSEC3 iterations over the cap", ask("a.example.", kAaaa), {}, Rrs{nsec3_record(h1, "1 0 151 -", h2)},
          "nodata", "nsec3-iterations-over-cap"),
      bad("NSEC3 next hash of 19 octets", ask("a.example.", kAaaa), {}, Rrs{short_next}, "nodata", "malformed-record"),
      bad("NSEC3 owner not a hash", ask("a.example.", kAaaa), {}, Rrs{nsec3_record("not-a-hash", "1 0 0 -", h2)},
          "nodata", "malformed-record"),
      bad("NSEC bitmap with an empty window", ask("a.example.", kAaaa), {}, Rrs{bad_bitmap}, "nodata",
          "malformed-record"),
      bad("NSEC next name truncated", ask("a.example.", kAaaa), {},
          Rrs{ProofRecord{wire("a.example."), 47,
                          "\x03"
                          "b"}},
          "nodata", "malformed-record"),
      ok("owner names compare without case", ask("a.example.", kAaaa), {}, Rrs{upper}, "nodata"),
      ok("an NSEC proof beside an unrelated NSEC3 record", ask("a.example.", kAaaa), {},
         Rrs{nsec_zone().match("a.example."), nsec3_zone().match("b.example.")}, "nodata"),
      ok("a positive answer claims nothing", ask("a.example.", kA),
         Rrs{rr("a.example. A 192.0.2.1"), rrsig("a.example.", "A", 2)}, {}, ""),
      ok("a CNAME out of the zone claims nothing here", ask("alias.example.", kA, kNxdomain),
         Rrs{rr("alias.example. CNAME nope.other.")}, {}, ""),
      ok("SERVFAIL claims nothing", ask("a.example.", kA, 2), {}, {}, ""),
      bad("two NSEC records at one name: the types of both count", ask("a.example.", kAaaa), {},
          Rrs{nsec_zone().match("a.example."), rr("a.example. NSEC b.example. AAAA")}, "nodata", "nodata-type-present"),
  };
}

/// The root zone: its apex is the root name.
std::vector<Case> root_cases() {
  const NsecZone nsec(".",
                      {{".", "NS SOA RRSIG NSEC DNSKEY"}, {"com.", "NS DS RRSIG NSEC"}, {"org.", "NS RRSIG NSEC"}});
  const Nsec3Zone nsec3(".", {{".", "NS SOA RRSIG DNSKEY NSEC3PARAM"}, {"com.", "NS DS RRSIG"}, {"org.", "NS"}});
  return {
      ok("root NSEC nxdomain", ask("nope.", kA, kNxdomain, "."), {}, Rrs{nsec.cover("nope."), nsec.cover("*.")},
         "nxdomain"),
      ok("root NSEC3 nxdomain", ask("nope.", kA, kNxdomain, "."), {},
         Rrs{nsec3.match("."), nsec3.cover("nope."), nsec3.cover("*.")}, "nxdomain"),
      ok("root NSEC referral to an unsigned TLD", ask("www.org.", kA, 0, "."), {},
         Rrs{rr("org. NS ns.org."), nsec.match("org.")}, "insecure-delegation"),
      ok("root NSEC3 DS nodata", ask("org.", kDs, 0, "."), {}, Rrs{nsec3.match("org.")}, "nodata"),
      ok("root referral with DS", ask("www.com.", kA, 0, "."), {},
         Rrs{rr("com. NS ns.com."), rr("com. DS 4242 13 2 " + std::string(64, 'B'))}, ""),
  };
}

std::vector<Case> all_cases() {
  std::vector<Case> all;
  for (auto part : {nsec_cases(), nsec3_cases(), opt_out_cases(), record_cases(), root_cases()})
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

ProofResult judge(const Case& c) {
  return dnssec::check_denial_proof(c.q, c.answer, c.authority);
}

}  // namespace

TEST_CASE("denial proofs of NSEC and NSEC3 answers, proven and not", "[denial-proof]") {
  for (const Case& c : all_cases()) {
    DYNAMIC_SECTION(c.name) {
      const ProofResult r = judge(c);
      CHECK(r.proven == c.proven);
      CHECK(r.kind == c.kind);
      CHECK(r.detail == c.detail);
    }
  }
}

TEST_CASE("every detail token of DENIAL_PROOF_INVALID is produced by a case", "[denial-proof][catalog]") {
  std::set<std::string> produced;
  for (const Case& c : all_cases()) produced.insert(judge(c).detail);
  produced.erase("");
  std::set<std::string> declared;
  for (const auto& d : catalog::details(catalog::Code::DENIAL_PROOF_INVALID)) declared.emplace(d.token);
  CHECK(produced == declared);
}

namespace {

/// Records without repeats: a server sends a record once, whatever it proves.
Rrs distinct(Rrs rrs) {
  Rrs out;
  for (auto& r : rrs) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const ProofRecord& o) {
      return o.owner == r.owner && o.type == r.type && o.rdata == r.rdata;
    });
    if (!seen) out.push_back(std::move(r));
  }
  return out;
}

/// The response is proven as `kind`, and no longer once any one of its records is left out.
void check_proof_and_its_parts(const ProofQuestion& q, const Rrs& answer, const Rrs& authority,
                               const std::string& kind) {
  const ProofResult r = dnssec::check_denial_proof(q, answer, authority);
  CHECK(r.proven);
  CHECK(r.kind == kind);
  for (std::size_t drop = 0; drop < authority.size(); ++drop) {
    Rrs fewer = authority;
    fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(drop));
    INFO("without " << core::name_to_text(authority[drop].owner));
    CHECK_FALSE(dnssec::check_denial_proof(q, answer, fewer).proven);
  }
}

}  // namespace

TEST_CASE("every proof a server of the zone gives is proven, and none without one of its records", "[denial-proof]") {
  const NsecZone& nsec = nsec_zone();
  const Nsec3Zone nsec3("example.", nsec3_names(true), 0, "aabbccdd", 12);
  for (int i = 0; i < 100; ++i) {
    const std::string label = "r" + std::to_string(i) + ".";
    INFO(label);
    // A name error below each existing name that has no wildcard: RFC 4035 §3.1.3.2, RFC 5155 §7.2.2.
    for (const std::string parent : {"example.", "a.example.", "y.example.", "x.y.example."}) {
      const std::string name = label + parent;
      const ProofQuestion q = ask(name, kA, kNxdomain);
      check_proof_and_its_parts(q, {}, distinct({nsec.cover(name), nsec.cover("*." + parent)}), "nxdomain");
      check_proof_and_its_parts(q, {}, distinct({nsec3.match(parent), nsec3.cover(name), nsec3.cover("*." + parent)}),
                                "nxdomain");
    }
    // An answer from the wildcard *.w, and a NODATA from it: RFC 4035 §3.1.3.3, §3.1.3.4, RFC 5155 §7.2.5, §7.2.6.
    const std::string name = label + "w.example.";
    const Rrs mx = {rr(name + " MX 1 a.example."), rrsig(name, "MX", 2)};
    check_proof_and_its_parts(ask(name, kMx), mx, {nsec.cover(name)}, "wildcard-answer");
    check_proof_and_its_parts(ask(name, kMx), mx, {nsec3.cover(name)}, "wildcard-answer");
    check_proof_and_its_parts(ask(name, kAaaa), {}, {nsec.cover(name)}, "wildcard-nodata");
    check_proof_and_its_parts(ask(name, kAaaa), {},
                              distinct({nsec3.match("w.example."), nsec3.cover(name), nsec3.match("*.w.example.")}),
                              "wildcard-nodata");
  }
}

namespace {

/// The NSEC3 records of the RFC 5155 Appendix A zone by hashed owner label, in presentation format on one line.
std::map<std::string, ProofRecord> appendix_a_nsec3() {
  std::ifstream in(std::string(ZW_SOURCE_DIR) + "/test-vectors/kat/rfc5155-appendix-a.zone");
  REQUIRE(in);
  std::map<std::string, ProofRecord> out;
  std::string line;
  std::string pending;
  std::string owner;  // a record without an owner of its own has the previous one's
  while (std::getline(in, line)) {
    line = line.substr(0, line.find(';'));
    if (line.empty()) continue;
    if (pending.empty()) {
      std::istringstream words(line);
      std::string first, second;
      words >> first >> second;
      const bool owned = line[0] != ' ';
      if (owned) owner = first;
      if ((owned ? second : first) != "NSEC3") continue;
      pending = owned ? line : owner + line;
    } else {
      pending += " " + line;
    }
    if (line.find(')') == std::string::npos) continue;
    std::erase_if(pending, [](char ch) { return ch == '(' || ch == ')'; });
    ProofRecord r = rr(pending);
    out.emplace(std::string(r.owner.substr(1, 32)), r);
    pending.clear();
  }
  REQUIRE(out.size() == 12);
  return out;
}

}  // namespace

TEST_CASE("the example responses of RFC 5155 Appendix B are proven", "[denial-proof][kat]") {
  auto zone = appendix_a_nsec3();
  auto n3 = [&](const char* label) { return zone.at(label); };
  const ProofRecord soa_rr = soa();
  struct Kat {
    const char* name;
    ProofQuestion q;
    std::vector<ProofRecord> answer;
    std::vector<ProofRecord> authority;
    const char* kind;
  };
  const std::vector<Kat> kats = {
      // B.1: the closest encloser x.w.example, the next closer c.x.w.example covered by an Opt-Out record.
      {"B.1 name error",
       ask("a.c.x.w.example.", kA, kNxdomain),
       {},
       {soa_rr, n3("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"), n3("b4um86eghhds6nea196smvmlo4ors995"),
        n3("35mthgpgcu1qg68fab165klnsnk3dpvl")},
       "opt-out"},
      {"B.2 no data error", ask("ns1.example.", kMx), {}, {soa_rr, n3("2t7b4g4vsa5smi47k61mv5bv1a22bojr")}, "nodata"},
      {"B.2.1 no data error, empty non-terminal",
       ask("y.w.example.", kA),
       {},
       {soa_rr, n3("ji6neoaepv8b5o6k4ev33abha8ht9fgc")},
       "nodata"},
      {"B.3 referral to an opt-out unsigned zone",
       ask("mc.c.example.", kMx),
       {},
       {rr("c.example. NS ns1.c.example."), rr("c.example. NS ns2.c.example."), n3("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom"),
        n3("35mthgpgcu1qg68fab165klnsnk3dpvl")},
       "opt-out"},
      {"B.4 wildcard expansion",
       ask("a.z.w.example.", kMx),
       {rr("a.z.w.example. MX 1 ai.example."), rrsig("a.z.w.example.", "MX", 2)},
       {rr("example. NS ns1.example."), rr("example. NS ns2.example."), n3("q04jkcevqvmu85r014c7dkba38o0ji5r")},
       "wildcard-answer"},
      {"B.5 wildcard no data error",
       ask("a.z.w.example.", kAaaa),
       {},
       {soa_rr, n3("k8udemvp1j2f7eg6jebps17vp3n8i58h"), n3("q04jkcevqvmu85r014c7dkba38o0ji5r"),
        n3("r53bq7cc2uvmubfu5ocmm6pers9tk9en")},
       "wildcard-nodata"},
      {"B.6 DS child zone no data error",
       ask("example.", kDs),
       {},
       {soa_rr, n3("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom")},
       "nodata"},
  };
  for (const Kat& k : kats) {
    DYNAMIC_SECTION(k.name) {
      const ProofResult r = dnssec::check_denial_proof(k.q, k.answer, k.authority);
      CHECK(r.proven);
      CHECK(r.kind == k.kind);
      CHECK(r.detail.empty());
    }
  }
  SECTION("each response without one of its records is not proven") {
    for (const Kat& k : kats) {
      for (std::size_t drop = 0; drop < k.authority.size(); ++drop) {
        if (k.authority[drop].type != 50) continue;
        auto authority = k.authority;
        authority.erase(authority.begin() + static_cast<std::ptrdiff_t>(drop));
        INFO(k.name << " without authority record " << drop);
        CHECK_FALSE(dnssec::check_denial_proof(k.q, k.answer, authority).proven);
      }
    }
  }
}

namespace {

double seconds_for(const ProofQuestion& q, const std::vector<ProofRecord>& answer,
                   const std::vector<ProofRecord>& authority, ProofResult& out) {
  const auto start = std::chrono::steady_clock::now();
  out = dnssec::check_denial_proof(q, answer, authority);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("hostile answers cost bounded work", "[denial-proof]") {
  ProofResult r;
  SECTION("50,000 NSEC records, every one spanning most of the zone") {
    std::vector<ProofRecord> authority;
    for (int i = 0; i < 50000; ++i)
      authority.push_back(rr("n" + std::to_string(i) + ".example. NSEC zzzz.example. A RRSIG NSEC"));
    // nope.example sorts after every n<i> owner and before zzzz: covered; so is *.example (before all: it is not).
    CHECK(seconds_for(ask("nope.example.", kA, kNxdomain), {}, authority, r) < 10.0);
    CHECK_FALSE(r.proven);
    CHECK(r.detail == "wildcard-not-denied");
    authority.push_back(nsec_zone().cover("*.example."));
    CHECK(seconds_for(ask("nope.example.", kA, kNxdomain), {}, authority, r) < 10.0);
    CHECK(r.proven);
  }
  SECTION("5,000 NSEC3 records at 150 iterations") {
    std::vector<ProofRecord> authority;
    for (int i = 0; i < 5000; ++i) {
      const std::string h = nsec3_label("n" + std::to_string(i) + ".example.", "", 150);
      authority.push_back(nsec3_record(h, "1 0 150 -", h));
    }
    CHECK(seconds_for(ask("nope.example.", kA, kNxdomain), {}, authority, r) < 10.0);
    CHECK_FALSE(r.proven);
  }
  SECTION("NSEC3 at 65,535 iterations is not hashed") {
    std::vector<ProofRecord> authority;
    for (int i = 0; i < 2000; ++i)
      authority.push_back(nsec3_record(nsec3_label(std::to_string(i) + "."), "1 0 65535 -", nsec3_label("x.")));
    // Hashing even the name once per record would take minutes.
    CHECK(seconds_for(ask(std::string(60, 'a') + ".b.c.d.example.", kA, kNxdomain), {}, authority, r) < 2.0);
    CHECK(r.detail == "nsec3-iterations-over-cap");
  }
  SECTION("a name of 120 labels costs one hash per label") {
    std::string name = "example.";
    for (int i = 0; i < 120; ++i) name = "a." + name;
    CHECK(seconds_for(ask(name, kA, kNxdomain), {}, {nsec3_zone().match("example.")}, r) < 2.0);
    CHECK(r.detail == "next-closer-not-covered");
  }
  SECTION("a CNAME loop and a long CNAME chain end") {
    CHECK(seconds_for(ask("l1.example.", kA),
                      {rr("l1.example. CNAME l2.example."), rr("l2.example. CNAME l1.example.")}, {}, r) < 2.0);
    std::vector<ProofRecord> loop = {rr("l1.example. CNAME l2.example."), rr("l2.example. CNAME l1.example.")};
    for (int i = 0; i < 50000; ++i) loop.push_back(rrsig("l1.example.", "CNAME", 2));
    CHECK(seconds_for(ask("l1.example.", kA), loop, {}, r) < 10.0);
    std::vector<ProofRecord> chain;
    for (int i = 0; i < 20000; ++i)
      chain.push_back(rr("c" + std::to_string(i) + ".example. CNAME c" + std::to_string(i + 1) + ".example."));
    CHECK(seconds_for(ask("c0.example.", kA, kNxdomain), chain, {}, r) < 10.0);
    CHECK(r.detail == "no-denial-records");
  }
  SECTION("empty type bitmaps") {
    CHECK(seconds_for(ask("a.example.", kA), {}, {rr("a.example. NSEC b.example.")}, r) < 2.0);
    CHECK(r.proven);  // an NSEC that lists no type denies every one
    CHECK(r.kind == "nodata");
  }
}

TEST_CASE("random records are judged without failing", "[denial-proof]") {
  // Owners and RDATA drawn from valid and broken pieces: every call returns a verdict with a declared token (and,
  // under the sanitizers, reads nothing out of bounds).
  std::mt19937 rng(20211001);
  const std::vector<ProofRecord> pieces = {nsec_zone().match("a.example."),  nsec_zone().cover("*.example."),
                                           nsec3_zone().match("example."),   nsec3_zone().cover("nope.example."),
                                           rrsig("foo.w.example.", "MX", 2), rr("foo.w.example. CNAME a.example.")};
  const std::vector<core::WireName> owners = {wire("example."),        wire("a.example."),
                                              wire("foo.w.example."),  wire(nsec3_label("example.") + ".example."),
                                              core::WireName("\0", 1), core::WireName("\3abc", 4)};
  const std::uint16_t types[] = {kA, kCname, kMx, kDs, 46, 47, 50};
  std::set<std::string> declared = {""};
  for (const auto& d : catalog::details(catalog::Code::DENIAL_PROOF_INVALID)) declared.emplace(d.token);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  for (int round = 0; round < 3000; ++round) {
    std::vector<ProofRecord> sections[2];
    for (auto& section : sections) {
      for (std::size_t i = pick(6); i > 0; --i) {
        ProofRecord r = pieces[pick(pieces.size())];
        if (pick(2) == 0) r.owner = owners[pick(owners.size())];
        if (pick(2) == 0) r.type = types[pick(std::size(types))];
        if (!r.rdata.empty() && pick(2) == 0) r.rdata.resize(pick(r.rdata.size()));
        if (!r.rdata.empty() && pick(2) == 0) r.rdata[pick(r.rdata.size())] = static_cast<char>(rng());
        section.push_back(std::move(r));
      }
    }
    const ProofQuestion q =
        ask(pick(2) ? "foo.w.example." : "a.example.", types[pick(std::size(types))], pick(2) ? 0 : kNxdomain);
    const ProofResult r = dnssec::check_denial_proof(q, sections[0], sections[1]);
    CHECK((r.proven == r.detail.empty()));
    CHECK(declared.count(r.detail) == 1);
  }
}
