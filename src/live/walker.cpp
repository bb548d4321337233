// walker.cpp: the live walk as rounds of batches. Each round plans every question that is known to be needed and not
// yet asked (the zones' own questions to every address, UDP and TCP; the next label of each name being followed down
// the cuts), sends them as one batch, then lets what was learned plan the next round. Planning is idempotent: a
// question is asked once per (zone, address, transport), so a dead server costs one timeout.
#include "live/walker.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <deque>
#include <optional>
#include <tuple>

#include "core/name.hpp"
#include "live/wire.hpp"
#include "zone/zone.hpp"

namespace zw::live {
namespace {

using zone::rrtype::A;
using zone::rrtype::AAAA;
using zone::rrtype::DS;
using zone::rrtype::NS;

/// (zone, address, proto, qname, qtype): one question asked once.
using Key = std::tuple<std::string, std::string, int, std::string, std::uint16_t>;

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::string probe_label(std::uint64_t seed, const std::string& zone) {
  static const char* hex = "0123456789abcdef";
  std::uint64_t v = splitmix(seed ^ fnv1a(zone));
  std::string label = "zw-";
  for (int i = 0; i < 12; ++i, v >>= 4) label.push_back(hex[v & 15]);
  return label;
}

std::string child_of(const std::string& zone, const std::string& label) {
  return zone == "." ? label + "." : label + "." + zone;
}

/// The address an A or AAAA record holds, in presentation form; empty when its RDATA is not one.
std::string address_text(const WireRecord& r) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (r.type == A && r.rdata.size() == 4) return inet_ntop(AF_INET, r.rdata.data(), buf, sizeof buf) ? buf : "";
  if (r.type == AAAA && r.rdata.size() == 16) return inet_ntop(AF_INET6, r.rdata.data(), buf, sizeof buf) ? buf : "";
  return {};
}

/// What one answer to "NAME NS" says about a cut at NAME below `zone`.
struct CutAnswer {
  enum Kind { Unusable, Referral, NotCut, NxDomain } kind = Unusable;
  std::string cut;
  std::set<std::string> ns;
  std::map<std::string, std::set<std::string>> glue;
};

CutAnswer classify_cut(const Message& m, const std::string& zone, const std::string& q) {
  CutAnswer c;
  if (m.rcode == 3 && m.aa) {
    c.kind = CutAnswer::NxDomain;
    return c;
  }
  if (m.rcode != 0) return c;
  // A server authoritative for both sides answers with the child's apex NS set (RFC 1034 §4.3.2, step 3a).
  for (const WireRecord& r : m.answer) {
    if (m.aa && r.type == NS && r.owner == q && q != zone) {
      c.kind = CutAnswer::Referral;
      c.cut = q;
    }
  }
  // RFC 1034 §4.3.2, step 3b: a referral carries the cut's NS set in the authority section, without AA.
  if (c.kind == CutAnswer::Unusable && !m.aa) {
    for (const WireRecord& r : m.authority) {
      if (r.type == NS && r.owner != zone && name_under(r.owner, zone) && name_under(q, r.owner)) {
        c.kind = CutAnswer::Referral;
        c.cut = r.owner;
      }
    }
  }
  if (c.kind == CutAnswer::Referral) {
    for (const auto* section : {&m.answer, &m.authority}) {
      for (const WireRecord& r : *section) {
        if (r.type == NS && r.owner == c.cut) {
          core::WireName w;
          std::size_t pos = 0;
          if (core::read_wire_name(r.rdata, pos, w)) c.ns.insert(core::name_to_text(core::name_lower(w)));
        }
      }
    }
    for (const WireRecord& r : m.additional) {
      if ((r.type == A || r.type == AAAA) && c.ns.count(r.owner)) {
        const auto addr = address_text(r);
        if (!addr.empty()) c.glue[r.owner].insert(addr);
      }
    }
    return c;
  }
  if (m.aa) c.kind = CutAnswer::NotCut;
  return c;
}

/// A name followed down the cuts: a name checked (target) or a nameserver name whose addresses are needed.
struct Item {
  std::string name;
  bool target = true;
  std::size_t zone = 0;  ///< the deepest zone known to hold the name
  std::string next;      ///< the name asked next: one label below the zone (query minimisation, RFC 9156)
  bool done = false;
  bool final_asked = false;  ///< nameserver items: A and AAAA asked at the name's zone
};

class Walker {
 public:
  Walker(Transport& t, const WalkOptions& o) : t_(t), o_(o) {}

  Walk run() {
    std::size_t root = add_zone(".", "");
    ZoneWalk& r = w_.zones[root];
    r.subject = !o_.names.empty();
    r.parent_ns = o_.hints.ns;
    for (const auto& [ns, addrs] : o_.hints.addresses) {
      if (!r.parent_ns.count(ns)) continue;
      for (const std::string& a : addrs) add_address(ns, a);
      r.glue[ns] = addrs;
    }
    std::vector<std::string> followed = o_.names;
    for (const Question& p : o_.probes) followed.push_back(p.qname);
    for (const std::string& n : followed) add_item(n, true);
    for (std::size_t round = 0;; ++round) {
      // Answers already at hand move the names on, and new nameserver names start their own resolution, until
      // only questions not yet asked stand in the way.
      for (bool moved = true; moved;) {
        moved = advance_items();
        moved = resolve_nameservers() || moved;
      }
      batch_.clear();
      batch_zone_.clear();
      batch_keys_.clear();
      plan_zones();
      plan_items();
      if (batch_.empty()) break;
      if (round == o_.max_rounds) {
        w_.budget_hits.push_back("max-rounds");
        break;
      }
      if (o_.progress) {
        o_.progress("walk: round " + std::to_string(round + 1) + ", " + std::to_string(obs_.size() + batch_.size()) +
                    " questions, " + std::to_string(w_.zones.size()) + " zones");
      }
      send();
      ++w_.rounds;
    }
    for (const Item& it : items_) {
      if (it.target && !w_.zone_of.count(it.name)) w_.zone_of[it.name] = w_.zones[it.zone].name;
    }
    w_.exchanges.assign(std::make_move_iterator(obs_.begin()), std::make_move_iterator(obs_.end()));
    return std::move(w_);
  }

 private:
  std::size_t add_zone(const std::string& name, const std::string& parent) {
    auto found = zone_index_.find(name);
    if (found != zone_index_.end()) return found->second;
    ZoneWalk z;
    z.name = name;
    z.parent = parent;
    z.subject = false;
    z.nx_probe = child_of(name, probe_label(o_.seed, name));
    z.nodata_type = kNodataProbeType;
    w_.zones.push_back(std::move(z));
    zone_index_[name] = w_.zones.size() - 1;
    return w_.zones.size() - 1;
  }

  void add_address(const std::string& ns, const std::string& address) {
    const bool v6 = address.find(':') != std::string::npos;
    if ((v6 && !o_.ipv6) || (!v6 && !o_.ipv4)) return;
    w_.addresses[ns].insert(address);
  }

  void add_item(const std::string& name, bool target) {
    for (const Item& it : items_) {
      if (it.name == name && it.target == target) return;
    }
    Item it;
    it.name = name;
    it.target = target;
    it.zone = 0;
    if (name == ".") {
      it.done = true;
      w_.zone_of["."] = ".";
    } else {
      it.next = last_labels(name, 1);
    }
    items_.push_back(std::move(it));
  }

  /// Every address of every NS name of zone `z` known so far, with its server name, sorted.
  std::vector<std::pair<std::string, std::string>> addresses_of(const ZoneWalk& z) const { return zone_servers(w_, z); }

  /// The parsed answer of a response (parsed once), or null when there is none.
  const Message* message(const Response* r) {
    if (r == nullptr || r->outcome != Outcome::Answer) return nullptr;
    if (r->message) return r->message.get();  // parsed by the transport
    auto [it, fresh] = parsed_.try_emplace(r);
    if (fresh) it->second = parse_message(r->wire, nullptr, false);
    return it->second ? &*it->second : nullptr;
  }

  const Response* asked(const std::string& zone, const std::string& address, Proto p, const std::string& q,
                        std::uint16_t type) const {
    auto it = sent_.find(Key{zone, address, static_cast<int>(p), q, type});
    return it == sent_.end() ? nullptr : &obs_[it->second].response;
  }

  void plan(const std::string& zone, const std::string& server, const std::string& address, Proto p,
            const std::string& q, std::uint16_t type) {
    Key k{zone, address, static_cast<int>(p), q, type};
    if (sent_.count(k) || batch_keys_.count(k)) return;
    Request r;
    r.server = server;
    r.address = address;
    r.proto = p;
    r.qname = q;
    r.qtype = type;
    const auto at = std::make_pair(address, static_cast<int>(p));
    if (dead_.count(at)) {
      // Known not to answer over this transport: the question is recorded as unanswered without being sent, so a
      // dead server costs one timeout however many questions it is owed.
      sent_[k] = obs_.size();
      obs_.push_back({std::move(r), Response{}});
      w_.exchange_zone.push_back(zone);
      return;
    }
    // An address not yet heard from over this transport gets one question first; the rest wait for its answer.
    if (!alive_.count(at) && !probing_.insert(at).second) return;
    batch_keys_[k] = batch_.size();
    batch_.push_back(std::move(r));
    batch_zone_.push_back(zone);
  }

  /// The questions every server of a zone checked is asked (issue: NS, SOA, DNSKEY, CDS, CDNSKEY, NSEC3PARAM, the
  /// apex A, AAAA, MX, TXT, probes, a random non-existent name and a missing type, in-zone NS names' addresses).
  std::vector<std::pair<std::string, std::uint16_t>> zone_questions(const ZoneWalk& z) const {
    using namespace zone::rrtype;
    std::vector<std::pair<std::string, std::uint16_t>> q;
    for (std::uint16_t t : {SOA, NS, DNSKEY, CDS, CDNSKEY, NSEC3PARAM, A, AAAA, MX, TXT}) q.emplace_back(z.name, t);
    q.emplace_back(z.nx_probe, A);
    q.emplace_back(z.name, z.nodata_type);
    for (const Question& p : o_.probes) {
      auto at = w_.zone_of.find(p.qname);
      if (at != w_.zone_of.end() && at->second == z.name) q.emplace_back(p.qname, p.qtype);
    }
    std::set<std::string> names = z.parent_ns;
    names.insert(z.child_ns.begin(), z.child_ns.end());
    for (const std::string& n : names) {
      if (name_under(n, z.name)) {
        q.emplace_back(n, A);
        q.emplace_back(n, AAAA);
      }
    }
    return q;
  }

  /// Over TCP every server is asked what a validator needs most and what is largest (SOA, NS, DNSKEY, the denial
  /// of a name), and every question whose UDP answer was truncated (RFC 7766 §5: TCP must work for all of them).
  bool ask_over_tcp(const ZoneWalk& z, const std::string& address, const std::string& q, std::uint16_t t) const {
    using namespace zone::rrtype;
    if (q == z.name && (t == SOA || t == NS || t == DNSKEY)) return true;
    if (q == z.nx_probe) return true;
    return truncated_.count(Key{z.name, address, static_cast<int>(Proto::Udp), q, t}) != 0;
  }

  void plan_zones() {
    for (const ZoneWalk& z : w_.zones) {
      if (!z.subject) continue;
      const auto questions = zone_questions(z);
      for (const auto& [server, address] : addresses_of(z)) {
        for (const auto& [q, t] : questions) {
          plan(z.name, server, address, Proto::Udp, q, t);
          if (ask_over_tcp(z, address, q, t)) plan(z.name, server, address, Proto::Tcp, q, t);
        }
      }
    }
  }

  /// The addresses of `z` still worth asking: not known to be dead.
  std::vector<std::pair<std::string, std::string>> live_addresses(const ZoneWalk& z) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& sa : addresses_of(z)) {
      if (!dead_.count({sa.second, static_cast<int>(Proto::Udp)})) out.push_back(sa);
    }
    return out;
  }

  void plan_items() {
    for (const Item& it : items_) {
      if (it.done) continue;
      const ZoneWalk& z = w_.zones[it.zone];
      for (const auto& [server, address] : live_addresses(z)) {
        if (!it.target) {
          if (it.final_asked) {
            plan(z.name, server, address, Proto::Udp, it.name, A);
            plan(z.name, server, address, Proto::Udp, it.name, AAAA);
          } else {
            plan(z.name, server, address, Proto::Udp, it.next, NS);
          }
          continue;
        }
        // The parent side of a possible cut, from every parent server over both transports.
        for (Proto p : {Proto::Udp, Proto::Tcp}) {
          plan(z.name, server, address, p, it.next, NS);
          plan(z.name, server, address, p, it.next, DS);
        }
      }
    }
  }

  void send() {
    std::vector<Response> responses = t_.exchange(batch_);
    probing_.clear();
    std::set<std::pair<std::string, int>> answered, failed;
    for (std::size_t i = 0; i < batch_.size(); ++i) {
      const Request& rq = batch_[i];
      Response& rs = responses[i];
      const bool silent =
          rs.outcome == Outcome::Timeout || rs.outcome == Outcome::Unreachable || rs.outcome == Outcome::DeadlinePassed;
      (silent ? failed : answered).insert({rq.address, static_cast<int>(rq.proto)});
      const Key key{batch_zone_[i], rq.address, static_cast<int>(rq.proto), rq.qname, rq.qtype};
      // TC (RFC 1035 §4.1.1): the answer did not fit; the question is asked again over TCP.
      if (rs.outcome == Outcome::Answer && rs.wire.size() > 2 && (static_cast<unsigned char>(rs.wire[2]) & 0x02) != 0)
        truncated_.insert(key);
      sent_[key] = obs_.size();
      obs_.push_back({rq, std::move(rs)});
      w_.exchange_zone.push_back(batch_zone_[i]);
    }
    for (const auto& a : answered) alive_.insert(a);
    for (const auto& a : failed) {
      if (!alive_.count(a)) dead_.insert(a);
    }
  }

  /// Moves items on with what has been asked already. True when some item changed.
  bool advance_items() {
    bool changed = false;
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (!items_[i].done) changed = advance(i) || changed;
    }
    return changed;
  }

  bool advance(std::size_t i) {
    Item& it = items_[i];
    const ZoneWalk& z = w_.zones[it.zone];
    const auto servers = live_addresses(z);
    if (servers.empty()) {
      if (pending_for(z)) return false;
      return finish(it, "");  // no server of the zone answers: the walk cannot go below it
    }
    if (!it.target && it.final_asked) {
      for (const auto& sa : servers) {
        if (!asked(z.name, sa.second, Proto::Udp, it.name, A) || !asked(z.name, sa.second, Proto::Udp, it.name, AAAA))
          return false;
      }
      for (const auto& sa : servers) {
        for (std::uint16_t t : {A, AAAA}) take_addresses(*asked(z.name, sa.second, Proto::Udp, it.name, t), it.name);
      }
      return finish(it, z.name);
    }
    std::vector<const Response*> answers;
    for (const auto& sa : servers) {
      const Response* r = asked(z.name, sa.second, Proto::Udp, it.next, NS);
      if (!r) return false;
      answers.push_back(r);
    }
    return follow(i, answers);
  }

  bool finish(Item& it, const std::string& zone) {
    it.done = true;
    if (it.target) w_.zone_of[it.name] = zone.empty() ? w_.zones[it.zone].name : zone;
    return true;
  }

  /// Applies the first usable answer (servers in order) about the cut at `it.next`.
  bool follow(std::size_t i, const std::vector<const Response*>& answers) {
    Item& it = items_[i];
    const std::string zone = w_.zones[it.zone].name;
    CutAnswer decided;
    std::vector<CutAnswer> referrals;
    for (const Response* r : answers) {
      const Message* m = message(r);
      if (!m) continue;
      CutAnswer c = classify_cut(*m, zone, it.next);
      if (c.kind == CutAnswer::Unusable) continue;
      if (decided.kind == CutAnswer::Unusable) decided = c;
      if (c.kind == CutAnswer::Referral && c.cut == decided.cut) referrals.push_back(std::move(c));
    }
    switch (decided.kind) {
      case CutAnswer::Unusable: return finish(it, zone);  // every server lame or failing: the deepest zone known
      case CutAnswer::NxDomain: return finish(it, zone);
      case CutAnswer::NotCut:
        if (it.next == it.name) {
          if (it.target) return finish(it, zone);
          it.final_asked = true;
          return true;
        }
        it.next = last_labels(it.name, label_count(it.next) + 1);
        return true;
      case CutAnswer::Referral: enter_cut(i, decided.cut, referrals); return true;
    }
    return false;
  }

  void enter_cut(std::size_t i, const std::string& cut, const std::vector<CutAnswer>& referrals) {
    const std::string parent = w_.zones[items_[i].zone].name;
    if (w_.zones.size() >= o_.max_zones && !zone_index_.count(cut)) {
      w_.budget_hits.push_back("max-zones");
      finish(items_[i], parent);
      return;
    }
    const std::size_t c = add_zone(cut, parent);
    ZoneWalk& z = w_.zones[c];
    for (const CutAnswer& r : referrals) {
      z.parent_ns.insert(r.ns.begin(), r.ns.end());
      for (const auto& [ns, addrs] : r.glue) {
        z.glue[ns].insert(addrs.begin(), addrs.end());
        for (const std::string& a : addrs) add_address(ns, a);
      }
    }
    Item& it = items_[i];
    if (it.target) z.subject = true;
    it.zone = c;
    if (it.name == cut) {
      if (it.target) {
        finish(it, cut);
      } else {
        it.final_asked = true;
      }
    } else {
      it.next = last_labels(it.name, label_count(cut) + 1);
    }
  }

  void take_addresses(const Response& r, const std::string& name) {
    const Message* m = message(&r);
    if (!m || m->rcode != 0) return;
    for (const WireRecord& rec : m->answer) {
      if (rec.owner != name || (rec.type != A && rec.type != AAAA)) continue;
      const std::string a = address_text(rec);
      if (!a.empty()) add_address(name, a);
    }
  }

  /// Whether some NS name of `z` is still being resolved.
  bool pending_for(const ZoneWalk& z) const {
    for (const Item& it : items_) {
      if (!it.target && !it.done && (z.parent_ns.count(it.name) || z.child_ns.count(it.name))) return true;
    }
    return false;
  }

  /// The apex NS sets the zones' servers gave, and a resolution for every NS name without an address. True when a
  /// resolution was started.
  bool resolve_nameservers() {
    const std::size_t items_before = items_.size();
    for (std::size_t zi = 0; zi < w_.zones.size(); ++zi) {
      ZoneWalk& z = w_.zones[zi];
      if (z.subject) collect_child_ns(z);
      std::set<std::string> names = z.parent_ns;
      names.insert(z.child_ns.begin(), z.child_ns.end());
      for (const std::string& n : names) {
        if (w_.addresses.count(n)) continue;
        if (name_under(n, z.name)) {
          take_child_addresses(z, n);
          continue;  // in bailiwick: only glue or the zone's own answers can give its address
        }
        if (ns_items_ >= o_.max_ns_names) {
          if (std::find(w_.budget_hits.begin(), w_.budget_hits.end(), "max-ns-names") == w_.budget_hits.end())
            w_.budget_hits.push_back("max-ns-names");
          continue;
        }
        const std::size_t before = items_.size();
        add_item(n, false);
        ns_items_ += items_.size() - before;
      }
      z.unresolved.clear();
      for (const std::string& n : names) {
        if (!w_.addresses.count(n) && !resolving(n)) z.unresolved.insert(n);
      }
    }
    return items_.size() != items_before;
  }

  bool resolving(const std::string& n) const {
    for (const Item& it : items_) {
      if (!it.target && it.name == n && !it.done) return true;
    }
    return false;
  }

  void collect_child_ns(ZoneWalk& z) {
    for (const auto& [server, address] : addresses_of(z)) {
      for (Proto p : {Proto::Udp, Proto::Tcp}) {
        const Message* m = message(asked(z.name, address, p, z.name, NS));
        if (!m || !m->aa || m->rcode != 0) continue;
        for (const WireRecord& rec : m->answer) {
          if (rec.type != NS || rec.owner != z.name) continue;
          core::WireName w;
          std::size_t pos = 0;
          if (core::read_wire_name(rec.rdata, pos, w)) z.child_ns.insert(core::name_to_text(core::name_lower(w)));
        }
      }
    }
  }

  void take_child_addresses(const ZoneWalk& z, const std::string& n) {
    if (!z.subject) return;
    for (const auto& [server, address] : addresses_of(z)) {
      for (std::uint16_t t : {A, AAAA}) {
        if (const Response* r = asked(z.name, address, Proto::Udp, n, t)) take_addresses(*r, n);
      }
    }
  }

  Transport& t_;
  const WalkOptions& o_;
  Walk w_;
  std::map<std::string, std::size_t> zone_index_;
  std::deque<Observation> obs_;  ///< the exchanges so far (a deque: responses stay where they are)
  std::map<const Response*, std::optional<Message>> parsed_;
  std::map<Key, std::size_t> sent_;
  std::set<Key> truncated_;                             ///< UDP questions answered with TC=1
  std::set<std::pair<std::string, int>> dead_, alive_;  ///< (address, transport) heard from / never heard from
  std::set<std::pair<std::string, int>> probing_;       ///< (address, transport) with a first question in the batch
  std::vector<Item> items_;
  std::size_t ns_items_ = 0;
  std::vector<Request> batch_;
  std::vector<std::string> batch_zone_;
  std::map<Key, std::size_t> batch_keys_;
};

}  // namespace

std::vector<std::pair<std::string, std::string>> zone_servers(const Walk& w, const ZoneWalk& z) {
  std::set<std::string> names = z.parent_ns;
  names.insert(z.child_ns.begin(), z.child_ns.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& n : names) {
    auto it = w.addresses.find(n);
    if (it == w.addresses.end()) continue;
    for (const std::string& a : it->second) out.emplace_back(n, a);
  }
  return out;
}

Walk walk(Transport& transport, const WalkOptions& options) {
  return Walker(transport, options).run();
}

}  // namespace zw::live
