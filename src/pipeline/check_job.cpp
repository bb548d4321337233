// check_job.cpp: the check job's steps: read the inputs (names, hints, anchors, or a capture), walk (or replay),
// ask the independent validator, build each server's view of each zone, check the views as the zone job does, add
// the live checks and the validator's verdict, and fold everything into one run.
#include "pipeline/check_job.hpp"

#include <arpa/inet.h>
#include <ldns/ldns.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "checks/live.hpp"
#include "core/error.hpp"
#include "core/input.hpp"
#include "core/name.hpp"
#include "core/parallel.hpp"
#include "core/thread_pool.hpp"
#include "dnssec/denial_proof.hpp"
#include "infra/address_facts.hpp"
#include "infra/diversity.hpp"
#include "live/capture.hpp"
#include "live/event_loop.hpp"
#include "live/resolver.hpp"
#include "live/transport_event.hpp"
#include "live/transport_replay.hpp"
#include "live/transport_sharded.hpp"
#include "live/walker.hpp"
#include "live/wire.hpp"
#include "pipeline/chain_inputs.hpp"
#include "pipeline/zone_job.hpp"
#include "zone/loader.hpp"

namespace zw::pipeline {
namespace {

using live::Outcome;
using live::Proto;

constexpr const char* kDefaultAnchor = "/usr/share/dns/root.key";

/// The job's inputs, from the command line or from a capture.
struct Inputs {
  live::Capture capture;  ///< names, hints, anchors, seed and time; exchanges too when replaying
  live::Hints hints;
  std::vector<zone::AnchorRecord> anchors;
  std::vector<std::string> anchor_files;  ///< -k as given (live runs)
  std::vector<live::Question> probes;
};

/// A list or an anchor file, whole (the shared bounded reader: regular files, pipes and FIFOs, gzip, no NUL bytes).
std::string read_small_file(const std::string& path, const char* what) {
  core::ReadLimits limits;
  limits.max_bytes = zone::kMaxAnchorFileBytes;
  limits.too_large = std::string("the ") + what + " is larger than 1 MiB";
  return core::read_input_file(path, core::InputKinds::streams, limits);
}

/// A name as given, made absolute and lower-case; `where` names its origin in the error.
std::string canonical_name(const std::string& given, const std::string& where) {
  std::string text = given;
  if (text.empty()) throw Error(where + ": an empty name");
  if (text.back() != '.') text.push_back('.');
  core::WireName w;
  std::string err;
  if (!core::parse_name(text, ".", w, err)) throw Error(where + ": " + given + ": " + err);
  return core::name_to_text(core::name_lower(w));
}

std::vector<std::string> read_list(const std::string& file) {
  std::istringstream in(read_small_file(file, "list"));
  std::vector<std::string> names;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    std::string name, extra;
    if (!(fields >> name)) continue;
    const std::string where = file + ":" + std::to_string(number);
    if (fields >> extra) throw Error(where + ": one name per line", file, number);
    try {
      names.push_back(canonical_name(name, where));
    } catch (const Error& e) {
      throw Error(e.what(), file, number);
    }
  }
  return names;
}

/// The --probe questions, and A and AAAA of every --service name.
std::vector<live::Question> parse_probes(const std::vector<std::string>& probes,
                                         const std::vector<std::string>& services = {}) {
  std::vector<live::Question> out;
  for (const std::string& s : services) {
    const std::string name = canonical_name(s, "--service " + s);
    out.push_back({name, zone::rrtype::A});
    out.push_back({name, zone::rrtype::AAAA});
  }
  for (const std::string& p : probes) {
    const auto slash = p.rfind('/');
    if (slash == std::string::npos) throw Error("--probe " + p + ": expected NAME/TYPE");
    const std::string type = p.substr(slash + 1);
    const ldns_rr_type t = ldns_get_rr_type_by_name(type.c_str());
    if (t == 0) throw Error("--probe " + p + ": unknown type " + type);
    out.push_back({canonical_name(p.substr(0, slash), "--probe " + p), static_cast<std::uint16_t>(t)});
  }
  return out;
}

std::vector<zone::AnchorRecord> parse_anchors(const std::vector<std::string>& texts,
                                              const std::vector<std::string>& names, core::EpochSeconds now) {
  zone::AnchorReadOptions opt;
  opt.allow_dnskey = true;
  opt.now = now;
  std::vector<zone::AnchorRecord> out;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto recs = zone::read_anchor_text(texts[i], names[i], opt);
    require_usable_anchor(recs, names[i]);
    out.insert(out.end(), recs.begin(), recs.end());
  }
  return out;
}

Inputs read_live_inputs(const CheckJob& job, core::EpochSeconds now) {
  Inputs in;
  live::Capture& c = in.capture;
  c.now = now;
  for (const std::string& n : job.names) c.names.push_back(canonical_name(n, "name"));
  for (const std::string& l : job.lists) {
    auto more = read_list(l);
    c.names.insert(c.names.end(), more.begin(), more.end());
  }
  if (c.names.empty()) throw Error("no name to check (NAME… or --list FILE)");
  in.hints = live::read_hints_file(job.root_hints);
  c.root_hints = in.hints.text;
  in.anchor_files = job.anchor_files.empty() ? std::vector<std::string>{kDefaultAnchor} : job.anchor_files;
  for (const std::string& f : in.anchor_files) c.anchors.push_back(read_small_file(f, "trust anchor"));
  in.anchors = parse_anchors(c.anchors, in.anchor_files, now);
  c.seed =
      job.seed ? *job.seed : static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  in.probes = parse_probes(job.probes, job.services);
  for (const std::string& s : job.services) c.services.push_back(canonical_name(s, "--service " + s));
  return in;
}

/// The services a live run asked (from its capture), then those given to the replay that it did not ask: their
/// questions were not recorded, so no server answers them.
std::vector<std::string> replay_services(const std::vector<std::string>& recorded,
                                         const std::vector<std::string>& given) {
  std::vector<std::string> out = recorded;
  for (const std::string& s : given) {
    const std::string name = canonical_name(s, "--service " + s);
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

Inputs read_capture_inputs(const std::string& file) {
  Inputs in;
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw Error(file + ": cannot read the capture", file);
  // A capture vector starts with '#' lines that say what it must show (test-vectors/capture): not part of the capture.
  std::string line;
  std::streampos start = stream.tellg();
  while (stream.peek() == '#' && std::getline(stream, line)) start = stream.tellg();
  stream.clear();
  stream.seekg(start);
  in.capture = live::read_capture(stream, file);
  in.hints = live::parse_hints(in.capture.root_hints, file + ": root_hints");
  std::vector<std::string> names;
  for (std::size_t i = 0; i < in.capture.anchors.size(); ++i)
    names.push_back(file + ": anchors[" + std::to_string(i) + "]");
  in.anchors = parse_anchors(in.capture.anchors, names, in.capture.now);
  return in;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// A walk's answers, each parsed once, and its exchanges by (zone, address).
class Answers {
 public:
  explicit Answers(const live::Walk& w) : walk(w), parsed_(w.exchanges.size()) {
    // The live transport parsed what it received; a replay's answers are parsed here, on every core.
    for (std::size_t i = 0; i < w.exchanges.size(); ++i) {
      const live::Observation& o = w.exchanges[i];
      index_[{w.exchange_zone[i], o.request.address}].push_back(i);
      by_zone_[w.exchange_zone[i]].push_back(i);
    }
    core::parallel_for(
        w.exchanges.size(),
        [&](std::size_t i) {
          const live::Response& r = w.exchanges[i].response;
          if (r.outcome != Outcome::Answer) return;
          parsed_[i] = r.message;
          if (!parsed_[i]) {
            if (auto m = live::parse_message(r.wire, nullptr, false))
              parsed_[i] = std::make_shared<const live::Message>(std::move(*m));
          }
        },
        64);
  }

  /// The parsed answer of exchange `i`, or null when there is none.
  const live::Message* message(std::size_t i) const { return parsed_[i].get(); }

  /// The exchanges with `address` about `zone`, in walk order.
  const std::vector<std::size_t>& of(const std::string& zone, const std::string& address) const {
    static const std::vector<std::size_t> none;
    auto it = index_.find({zone, address});
    return it == index_.end() ? none : it->second;
  }

  /// The exchanges with any server of `zone`, in walk order.
  const std::vector<std::size_t>& of(const std::string& zone) const {
    static const std::vector<std::size_t> none;
    auto it = by_zone_.find(zone);
    return it == by_zone_.end() ? none : it->second;
  }

  const live::Walk& walk;

 private:
  std::map<std::string, std::vector<std::size_t>> by_zone_;
  std::vector<std::shared_ptr<const live::Message>> parsed_;
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> index_;
};

std::string query_text(const live::Request& r) {
  return r.qname + " " + zone::type_name(r.qtype);
}

/// Whether a record of an answer belongs in the view of `zone`: at or below its apex. The SOA and its signatures in
/// negative answers carry the negative TTL (RFC 2308 §3): the view takes the SOA from the answer to the SOA query.
bool view_record(const live::WireRecord& r, const std::string& zone, bool authority) {
  if (!live::name_under(r.owner, zone)) return false;
  if (!authority) return true;
  if (r.type == zone::rrtype::SOA) return false;
  if (r.type == zone::rrtype::RRSIG && r.rdata.size() >= 2) {
    const auto covered = static_cast<std::uint16_t>((static_cast<unsigned char>(r.rdata[0]) << 8) |
                                                    static_cast<unsigned char>(r.rdata[1]));
    return covered != zone::rrtype::SOA;
  }
  return true;
}

/// Adds a record of an answer to a view, sourced by its exchange.
void add_record(zone::ZoneBuilder& b, const live::WireRecord& r, std::uint32_t exchange) {
  core::WireName owner;
  std::string err;
  if (!core::parse_name(r.owner, ".", owner, err)) return;
  b.add(owner, r.type, r.rclass, r.ttl, r.canonical, zone::SourceRef::exchange(exchange));
}

/// The glue of a referral: addresses of nameservers below the cut it refers to (RFC 9471). Addresses of other names
/// in the additional section belong to other zones.
void add_glue(zone::ZoneBuilder& b, const live::Message& m, std::uint32_t exchange) {
  for (const live::WireRecord& cut : m.authority) {
    if (cut.type != zone::rrtype::NS) continue;
    for (const live::WireRecord& r : m.additional) {
      if ((r.type != zone::rrtype::A && r.type != zone::rrtype::AAAA) || !live::name_under(r.owner, cut.owner))
        continue;
      add_record(b, r, exchange);
    }
    break;
  }
}

/// One server address's view of a zone: every record of its answers, each sourced by its exchange. Null when the
/// address never answered but with TC (it is unreachable or truncates everything, not lame).
std::optional<View> server_view(const Answers& answers, const live::ZoneWalk& z, const std::string& address,
                                const std::vector<std::string>& ids) {
  core::WireName origin;
  std::string err;
  if (!core::parse_name(z.name, ".", origin, err)) return std::nullopt;
  zone::ZoneBuilder b(core::name_lower(origin));
  std::vector<zone::Exchange> exchanges;
  checks::Coverage coverage;
  coverage.complete = false;
  bool answered = false;
  std::size_t formerr = 0, with_data = 0;
  for (std::size_t i : answers.of(z.name, address)) {
    const live::Observation& o = answers.walk.exchanges[i];
    const live::Message* m = answers.message(i);
    // TC: the TCP answer to the same question is the complete one. A server whose every answer is cut (TC over
    // TCP too, or a TCP answer that never arrives) gave no data: it has no view, as one that never answered.
    if (!m || m->tc) continue;
    answered = true;
    // RFC 6891 §7: FORMERR to a query with OPT is a server without EDNS (EDNS_UNSUPPORTED), not one without the zone.
    if (m->rcode == 1 && o.request.edns) {
      ++formerr;
      continue;
    }
    ++with_data;
    core::WireName q;
    if (core::parse_name(o.request.qname, ".", q, err))
      coverage.asked.emplace_back(core::name_lower(q), o.request.qtype);
    const auto local = static_cast<std::uint32_t>(exchanges.size());
    exchanges.push_back(
        {o.request.server, o.request.address, live::proto_name(o.request.proto), query_text(o.request)});
    for (const live::WireRecord& r : m->answer) {
      if (view_record(r, z.name, false)) add_record(b, r, local);
    }
    for (const live::WireRecord& r : m->authority) {
      if (view_record(r, z.name, true)) add_record(b, r, local);
    }
    if (!m->aa) add_glue(b, *m, local);
  }
  if (!answered || (with_data == 0 && formerr > 0)) return std::nullopt;
  zone::Zone built = std::move(b).finish();
  built.exchanges = std::move(exchanges);
  std::sort(coverage.asked.begin(), coverage.asked.end());
  coverage.asked.erase(std::unique(coverage.asked.begin(), coverage.asked.end()), coverage.asked.end());
  View v;
  v.zone = std::make_shared<const zone::Zone>(std::move(built));
  v.servers = ids;
  v.coverage = std::move(coverage);
  for (const auto& [name, addr] : live::zone_servers(answers.walk, z)) v.ns_addresses[name].push_back(addr);
  return v;
}

/// Addresses of a zone with every "NAME/ADDRESS" that has them.
std::map<std::string, std::vector<std::string>> ids_by_address(const live::Walk& w, const live::ZoneWalk& z) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, address] : live::zone_servers(w, z)) out[address].push_back(name + "/" + address);
  return out;
}

std::vector<View> views_of(const Answers& answers) {
  const live::Walk& w = answers.walk;
  std::vector<View> views;
  for (const live::ZoneWalk& z : w.zones) {
    if (!z.subject) continue;
    for (const auto& [address, ids] : ids_by_address(w, z)) {
      if (auto v = server_view(answers, z, address, ids)) views.push_back(std::move(*v));
    }
  }
  return merge_identical(std::move(views));
}

/// The questions whose answer size RESPONSE_TOO_LARGE judges (FINDINGS.md: DNSKEY, referral and denial answers).
bool size_matters(const live::Request& r, const live::ZoneWalk& z) {
  return r.qtype == zone::rrtype::DNSKEY || r.qtype == zone::rrtype::DS || r.qname == z.nx_probe ||
         (r.qname == z.name && r.qtype == z.nodata_type) || (r.qtype == zone::rrtype::NS && r.qname != z.name);
}

/// What one address showed: which transports answered, EDNS, its largest answer.
checks::LiveServer server_facts(const Answers& answers, const live::ZoneWalk& z, const std::string& id,
                                const std::string& address) {
  checks::LiveServer s;
  s.id = id;
  s.address = address;
  for (std::size_t i : answers.of(z.name, address)) {
    const live::Observation& o = answers.walk.exchanges[i];
    if (o.response.outcome == Outcome::DeadlinePassed) {  // not a fact about the server, but about the run
      ++s.unfinished;
      continue;
    }
    const bool udp = o.request.proto == Proto::Udp;
    (udp ? s.udp_tried : s.tcp_tried) = true;
    if (o.response.outcome == Outcome::Malformed) (udp ? s.udp_malformed : s.tcp_malformed) = true;
    if (o.response.outcome == Outcome::Mismatch) (udp ? s.udp_mismatched : s.tcp_mismatched) = true;
    const live::Message* m = answers.message(i);
    if (!m) continue;
    (udp ? s.udp_answered : s.tcp_answered) = true;
    if (!m->tc) s.data_answered = true;
    if (!udp && m->tc) s.tcp_truncated = true;
    // RFC 6891 §6.2.3: a response over UDP no larger than the requestor's payload size (512 octets without EDNS).
    const std::size_t offered = o.request.edns ? std::max<std::size_t>(o.request.edns_size, 512) : 512;
    if (udp && m->size > offered && m->size > s.udp_oversized) s.udp_oversized = m->size;
    // RFC 6891 §7: an EDNS query gets an answer with OPT (or FORMERR from a server without EDNS); BADVERS is 16.
    if (udp && o.request.edns && (!m->has_opt || m->rcode == 1 || m->rcode == 16)) s.edns_broken = true;
    if (!udp && m->size > s.largest_answer && size_matters(o.request, z)) {
      s.largest_answer = m->size;
      s.largest_query = query_text(o.request);
    }
  }
  return s;
}

/// The parent's DS set for `z` as its servers gave it (key tags), and whether the zone's servers serve a DNSKEY.
void chain_facts(const Answers& answers, const live::ZoneWalk& z, checks::LiveZone& out) {
  const live::Walk& w = answers.walk;
  std::set<std::string> tags;
  std::vector<std::size_t> asked = answers.of(z.name);
  if (!z.parent.empty()) asked.insert(asked.end(), answers.of(z.parent).begin(), answers.of(z.parent).end());
  for (std::size_t i : asked) {
    const live::Observation& o = w.exchanges[i];
    if (o.response.outcome != Outcome::Answer || o.request.qname != z.name) continue;
    const bool parent_ds = w.exchange_zone[i] == z.parent && o.request.qtype == zone::rrtype::DS;
    const bool dnskey = w.exchange_zone[i] == z.name && o.request.qtype == zone::rrtype::DNSKEY;
    if (!parent_ds && !dnskey) continue;
    const live::Message* m = answers.message(i);
    if (!m || m->rcode != 0) continue;
    for (const live::WireRecord& r : m->answer) {
      if (r.owner != z.name) continue;
      if (parent_ds && r.type == zone::rrtype::DS && r.rdata.size() >= 2) {
        tags.insert(
            std::to_string((static_cast<unsigned char>(r.rdata[0]) << 8) | static_cast<unsigned char>(r.rdata[1])));
      }
      if (dnskey && r.type == zone::rrtype::DNSKEY) out.child_serves_dnskey = true;
    }
  }
  out.parent_ds_tags.assign(tags.begin(), tags.end());
}

std::vector<dnssec::ProofRecord> proof_records(const std::vector<live::WireRecord>& section) {
  std::vector<dnssec::ProofRecord> out;
  for (const live::WireRecord& r : section) {
    dnssec::ProofRecord p;
    std::string err;
    if (!core::parse_name(r.owner, ".", p.owner, err)) continue;
    p.type = r.type;
    p.rdata = r.rdata;
    out.push_back(std::move(p));
  }
  return out;
}

/// Every denial the zone's servers gave (NXDOMAIN, NODATA, referrals without DS, wildcard answers), judged by its
/// NSEC/NSEC3 records (RFC 4035 §5.4, RFC 5155 §8); the unproven ones become DENIAL_PROOF_INVALID, with the servers
/// that gave them. Only for a signed zone: an unsigned one proves nothing and need not.
void denial_facts(const Answers& answers, const live::ZoneWalk& z, checks::LiveZone& out) {
  if (!out.child_serves_dnskey) return;
  dnssec::ProofQuestion q;
  std::string err;
  if (!core::parse_name(z.name, ".", q.zone, err)) return;
  std::map<std::tuple<std::string, std::uint16_t, int, std::string>, std::set<std::string>> unproven;
  for (const auto& [name, address] : live::zone_servers(answers.walk, z)) {
    for (std::size_t i : answers.of(z.name, address)) {
      const live::Message* m = answers.message(i);
      const live::Request& rq = answers.walk.exchanges[i].request;
      if (!m || m->tc || (m->rcode != 0 && m->rcode != 3)) continue;
      if (!core::parse_name(rq.qname, ".", q.qname, err)) continue;
      q.qtype = rq.qtype;
      q.rcode = m->rcode;
      const auto result = dnssec::check_denial_proof(q, proof_records(m->answer), proof_records(m->authority));
      if (!result.proven) unproven[{rq.qname, rq.qtype, m->rcode, result.detail}].insert(name + "/" + address);
    }
  }
  for (const auto& [key, servers] : unproven) {
    const auto& [qname, qtype, rcode, detail] = key;
    out.denials.push_back({qname, qtype, rcode, detail, {servers.begin(), servers.end()}});
  }
}

checks::LiveZone zone_facts(const Answers& answers, const live::ZoneWalk& z) {
  const live::Walk& w = answers.walk;
  checks::LiveZone f;
  f.name = z.name;
  f.has_parent = !z.parent.empty();
  for (const auto& [name, address] : live::zone_servers(w, z))
    f.servers.push_back(server_facts(answers, z, name + "/" + address, address));
  chain_facts(answers, z, f);
  denial_facts(answers, z, f);
  return f;
}

/// What the walk and the validator observed.
struct Observed {
  live::Walk walk;
  std::vector<live::ResolverVerdict> verdicts;
};

live::WalkOptions walk_options(const CheckJob& job, const Inputs& in) {
  live::WalkOptions wo;
  wo.names = in.capture.names;
  wo.hints = in.hints;
  wo.ipv4 = job.ipv4;
  wo.ipv6 = job.ipv6;
  wo.probes = in.probes;
  wo.seed = in.capture.seed;
  wo.progress = job.progress;
  return wo;
}

/// The zones the names checked are in, each once, in walk order.
std::vector<std::string> target_zones(const live::Walk& w) {
  std::vector<std::string> out;
  for (const live::ZoneWalk& z : w.zones) {
    for (const auto& [name, zone] : w.zone_of) {
      if (zone == z.name && std::find(out.begin(), out.end(), z.name) == out.end()) out.push_back(z.name);
    }
  }
  return out;
}

/// Whether some server of `zone` answered anything.
bool answered(const live::Walk& w, const std::string& zone) {
  for (std::size_t i = 0; i < w.exchanges.size(); ++i) {
    if (w.exchange_zone[i] == zone && w.exchanges[i].response.outcome == Outcome::Answer) return true;
  }
  return false;
}

/// Why the validator's verdicts are "error" when --deadline left it no time (kept in captures: a replay warns alike).
constexpr const char* kValidatorNotAsked = "--deadline passed before the validator was asked";

/// libunbound's verdicts on the checked zones' SOA and DNSKEY, within `left` seconds of the run's --deadline (none:
/// negative); when less than a tenth of a second is left, it is not asked and every verdict is "error".
std::vector<live::ResolverVerdict> resolve(const CheckJob& job, const Inputs& in, const live::Walk& w,
                                           live::EventLoop& loop, double left) {
  live::ResolverOptions ro;
  ro.root_hints = job.root_hints;
  ro.anchors = in.anchor_files;
  ro.ipv4 = job.ipv4;
  ro.ipv6 = job.ipv6;
  ro.timeout_seconds = std::max(4 * job.timeout_seconds, 5.0);
  ro.now = in.capture.now;  // anchors with validity periods (root-anchors.xml) are judged at --now, as ours are
  std::vector<live::Question> questions;
  for (const std::string& z : target_zones(w)) {
    if (!answered(w, z)) continue;  // no server answers: there is nothing to validate
    questions.push_back({z, zone::rrtype::SOA});
    questions.push_back({z, zone::rrtype::DNSKEY});
  }
  if (left >= 0 && left < 0.1) {
    std::vector<live::ResolverVerdict> out;
    for (const live::Question& q : questions) out.push_back({q, "error", 2, kValidatorNotAsked});
    return out;
  }
  live::Resolver resolver(loop, ro);
  if (left >= 0) return resolver.resolve(questions, std::min(ro.timeout_seconds, left));
  return resolver.resolve(questions);
}

/// The live walk; `fd_warning` says when RLIMIT_NOFILE lowered --parallel (see live::raise_fd_limit).
live::Walk walk_live(const CheckJob& job, const Inputs& in, live::EventLoop& loop, std::string& fd_warning) {
  live::TransportOptions t;
  // A question costs at most --timeout, its retries included: a dead server costs one timeout (DESIGN.md §4).
  t.timeout_seconds = job.timeout_seconds / (1 + job.retries);
  t.retries = job.retries;
  t.parallel = job.parallel;
  t.per_address = job.per_address;
  t.deadline_seconds = job.deadline_seconds;
  fd_warning = live::raise_fd_limit(t);
  // One shard per core, each with its share of --parallel (the file descriptors allow no more in all).
  const std::size_t shards = std::clamp<std::size_t>(core::worker_count(), 1, 8);
  t.parallel = std::max<std::size_t>(1, live::event_transport_parallel(t) / shards);
  std::vector<std::unique_ptr<live::Transport>> transports;
  std::vector<std::unique_ptr<live::EventLoop>> loops;
  transports.push_back(live::make_event_transport(loop, t));
  for (std::size_t i = 1; i < shards; ++i) {
    loops.push_back(std::make_unique<live::EventLoop>());
    transports.push_back(live::make_event_transport(*loops.back(), t));
  }
  live::ShardedTransport transport(std::move(transports), std::move(loops));
  return live::walk(transport, walk_options(job, in));
}

/// What a capture keeps of a live run. Questions the walker did not send (their address was known dead) are not
/// observations: a replay skips them again.
void keep(const Observed& o, Inputs& in) {
  for (const live::Observation& x : o.walk.exchanges) {
    if (x.response.attempts != 0 || x.response.outcome != Outcome::Timeout) in.capture.exchanges.push_back(x);
  }
  in.capture.resolver = o.verdicts;
}

Observed observe_capture(const CheckJob& job, Inputs& in) {
  auto transport = live::make_replay_transport(in.capture.exchanges);
  Observed o;
  o.walk = live::walk(*transport, walk_options(job, in));
  o.verdicts = in.capture.resolver;
  return o;
}

void save_capture(const std::string& file, const live::Capture& c) {
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(file + ": cannot write the capture", file);
    live::write_capture(out, c);
    out.flush();
    if (!out) throw Error(file + ": cannot write the capture", file);
  }
  if (std::rename(tmp.c_str(), file.c_str()) != 0) throw Error(file + ": cannot write the capture", file);
}

/// libunbound's verdict for a zone from its SOA and DNSKEY answers.
live::ResolverVerdict their_verdict(const std::vector<live::ResolverVerdict>& all, const std::string& zone) {
  live::ResolverVerdict soa, dnskey;
  soa.verdict = dnskey.verdict = "error";
  for (const live::ResolverVerdict& v : all) {
    if (v.question.qname != zone) continue;
    (v.question.qtype == zone::rrtype::SOA ? soa : dnskey) = v;
  }
  if (soa.verdict == "bogus") return soa;
  if (dnskey.verdict == "bogus") return dnskey;
  if (soa.verdict == "error" || dnskey.verdict == "error") return soa.verdict == "error" ? soa : dnskey;
  return soa;
}

/// Subjects for the zones the walk reached but no server answered for, in walk order with the others.
void add_unanswered(report::Run& run, const live::Walk& w) {
  std::vector<report::Subject> ordered;
  for (const live::ZoneWalk& z : w.zones) {
    if (!z.subject) continue;
    auto it = std::find_if(run.subjects.begin(), run.subjects.end(),
                           [&](const report::Subject& s) { return s.name == z.name; });
    if (it != run.subjects.end()) {
      ordered.push_back(std::move(*it));
      run.subjects.erase(it);
      continue;
    }
    report::Subject s;
    s.name = z.name;
    s.verdict = report::Verdict::Error;
    s.error = z.name + ": no server answered for the zone";
    ordered.push_back(std::move(s));
  }
  for (report::Subject& s : run.subjects) ordered.push_back(std::move(s));
  run.subjects = std::move(ordered);
}

/// Counts and the exit status again, after the live findings joined the run.
void recount(report::Run& run, const std::vector<std::string>& unreachable, Severity fail_on) {
  for (report::Subject& s : run.subjects) s.counts = {};
  for (const Finding& f : run.findings) {
    for (report::Subject& s : run.subjects) {
      if (s.name == f.zone) ++s.counts[static_cast<std::size_t>(f.severity)];
    }
  }
  run.exit = checks::exit_status(run.findings, fail_on);
  for (const report::Subject& s : run.subjects) {
    // A zone no server answered is a finding (ZONE_UNREACHABLE), not a failure to check.
    const bool dark = std::find(unreachable.begin(), unreachable.end(), s.name) != unreachable.end();
    if (!s.checked() && !dark) run.exit = kExitCannotCheck;
  }
}

/// Whether ZONE_BOGUS for `zone` names some but not all of the servers that answered for it.
bool partly_bogus(const report::Run& run, const live::Walk& w, const std::string& zone) {
  std::set<std::string> answering;
  for (std::size_t i = 0; i < w.exchanges.size(); ++i) {
    const live::Observation& o = w.exchanges[i];
    if (w.exchange_zone[i] == zone && o.response.outcome == Outcome::Answer) answering.insert(o.request.address);
  }
  for (const Finding& f : run.findings) {
    if (f.zone != zone || f.code != catalog::Code::ZONE_BOGUS) continue;
    std::set<std::string> bogus;
    for (const std::string& id : f.servers) bogus.insert(id.substr(id.rfind('/') + 1));
    return !bogus.empty() && bogus.size() < answering.size();
  }
  return false;
}

/// The addresses every server of its zone gave for `name` (A and AAAA in the answers to the --service probes, the
/// in-zone CNAME chain included).
std::vector<infra::Address> service_addresses(const Answers& answers, const std::string& name) {
  std::vector<infra::Address> out;
  const live::Walk& w = answers.walk;
  for (std::size_t i = 0; i < w.exchanges.size(); ++i) {
    const live::Request& r = w.exchanges[i].request;
    if (r.qname != name || (r.qtype != zone::rrtype::A && r.qtype != zone::rrtype::AAAA)) continue;
    const live::Message* m = answers.message(i);
    if (m == nullptr) continue;
    for (const live::WireRecord& rec : m->answer) {
      if (rec.type != r.qtype) continue;
      if (auto a = infra::Address::from_rdata(rec.rdata)) out.push_back(*a);
    }
  }
  return out;
}

/// SERVICE_ENDPOINT_CONCENTRATION for every --service name the walk reached.
void check_services(const CheckJob& job, const Answers& answers, FindingSink& sink) {
  if (job.services.empty() || !job.addresses || job.addresses->empty()) return;
  for (const std::string& s : job.services) {
    const std::string name = canonical_name(s, "--service " + s);
    auto zone = answers.walk.zone_of.find(name);
    if (zone == answers.walk.zone_of.end() || zone->second.empty()) continue;
    const std::vector<infra::Address> addresses = service_addresses(answers, name);
    if (addresses.empty()) continue;
    checks::check_service(zone->second, name, infra::spread_of({{name, addresses}}, *job.addresses), sink);
  }
}

/// The run from the walk alone: every view checked as the zone job checks zone files, and the live checks. The
/// validator's verdict is compared afterwards (finish), so that both can run at once.
struct Checked {
  report::Run run;
  std::vector<Finding> live;
  std::vector<std::string> unreachable;
};

Checked check_walk(const CheckJob& job, const Inputs& in, const live::Walk& w) {
  ZoneJob zj;
  const Answers answers(w);
  zj.views = views_of(answers);
  zj.anchor_records = in.anchors;
  zj.addresses = job.addresses;
  zj.rollover = job.rollover;
  zj.options = job.options;
  zj.options.now = in.capture.now;
  zj.policy = job.policy;
  zj.fail_on = job.fail_on;
  Checked c;
  report::Run& run = c.run;
  if (!zj.views.empty()) run = run_zone_job(zj);
  run.command = "check";
  run.now = in.capture.now;
  add_unanswered(run, w);
  run.inputs.names = in.capture.names;
  for (report::Subject& s : run.subjects) {
    for (const live::ZoneWalk& z : w.zones) {
      if (z.name != s.name) continue;
      s.servers.clear();
      for (const auto& [name, address] : live::zone_servers(w, z)) s.servers.push_back(name + "/" + address);
      std::sort(s.servers.begin(), s.servers.end());
    }
  }
  FindingSink sink;
  for (const live::ZoneWalk& z : w.zones) {
    if (!z.subject) continue;
    checks::LiveZone facts = zone_facts(answers, z);
    if (checks::zone_unreachable(facts)) c.unreachable.push_back(z.name);
    checks::check_live_zone(facts, sink);
  }
  for (const std::string& b : w.budget_hits) run.warnings.push_back("walk budget reached: " + b);
  const auto late = std::count_if(w.exchanges.begin(), w.exchanges.end(), [](const live::Observation& x) {
    return x.response.outcome == Outcome::DeadlinePassed;
  });
  if (late > 0) {
    run.warnings.push_back("--deadline passed: " + std::to_string(late) +
                           " questions were not sent or not answered; the report says what was learned before");
  }
  check_services(job, answers, sink);
  c.live = sink.take();
  report::Metrics& m = run.metrics;
  m.walk_rounds = w.rounds;
  for (const live::Observation& x : w.exchanges) {
    ++(x.request.proto == live::Proto::Udp ? m.questions_udp : m.questions_tcp);
    if (x.response.outcome != Outcome::Answer) ++m.questions_unanswered;
  }
  return c;
}

/// The validator's verdicts compared with ours, every finding merged, counts and exit status.
report::Run finish(Checked c, const CheckJob& job, const Observed& o) {
  report::Run& run = c.run;
  FindingSink sink;
  if (!o.verdicts.empty()) {
    for (const std::string& zone : target_zones(o.walk)) {
      auto s = std::find_if(run.subjects.begin(), run.subjects.end(),
                            [&](const report::Subject& x) { return x.name == zone; });
      const live::ResolverVerdict theirs = their_verdict(o.verdicts, zone);
      std::string ours = s == run.subjects.end() ? "error" : report::verdict_name(s->verdict);
      // Bogus from some servers only: a resolver's verdict depends on the server it asks (.de 2026); either is right.
      if (ours == "bogus" && partly_bogus(run, o.walk, zone)) ours = theirs.verdict;
      checks::check_resolver_verdict(zone, ours, theirs.verdict, theirs.why_bogus, sink);
    }
  }
  if (std::any_of(o.verdicts.begin(), o.verdicts.end(),
                  [](const live::ResolverVerdict& v) { return v.why_bogus == kValidatorNotAsked; })) {
    run.warnings.push_back(std::string(kValidatorNotAsked) + ": the report has no verdict of libunbound's");
  }
  std::vector<Finding> live = sink.take();
  live.insert(live.end(), std::make_move_iterator(c.live.begin()), std::make_move_iterator(c.live.end()));
  checks::apply_policy(live, job.policy);
  live.insert(live.end(), std::make_move_iterator(run.findings.begin()), std::make_move_iterator(run.findings.end()));
  run.findings = checks::merge_findings(std::move(live));
  recount(run, c.unreachable, job.fail_on);
  if (job.subject_done) {
    for (std::size_t i = 0; i < run.subjects.size(); ++i) job.subject_done(run, i);
  }
  return std::move(run);
}

/// A capture analysed again: its services and, unless --asn-source is given, its address facts (no lookup).
report::Run replay(const CheckJob& given) {
  CheckJob job = given;
  Inputs in = read_capture_inputs(job.capture);
  if (job.now_given) in.capture.now = job.options.now;
  job.services = replay_services(in.capture.services, given.services);
  if (in.capture.addresses && !job.asn_source_given)
    job.addresses = infra::recorded_address_data(*in.capture.addresses);
  in.probes = parse_probes(job.probes, job.services);
  const auto t0 = std::chrono::steady_clock::now();
  Observed o = observe_capture(job, in);
  const double walk_seconds = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  Checked checked = check_walk(job, in, o.walk);
  checked.run.metrics.walk_seconds = walk_seconds;  // the replay of the walk
  checked.run.metrics.analysis_seconds = seconds_since(t1);
  return finish(std::move(checked), job, o);
}

/// Adds a batch's run to the whole: its zones not already there (a parent walked again by a later batch is reported
/// once, from its first batch) with their findings; the walk's counts add up.
std::vector<std::size_t> add_batch(report::Run& whole, report::Run part) {
  std::vector<std::size_t> added;
  std::set<std::string> known;
  for (const report::Subject& s : whole.subjects) known.insert(s.name);
  std::set<std::string> fresh;
  for (report::Subject& s : part.subjects) {
    if (known.count(s.name) || !fresh.insert(s.name).second) continue;
    added.push_back(whole.subjects.size());
    whole.subjects.push_back(std::move(s));
  }
  for (Finding& f : part.findings) {
    if (fresh.count(f.zone)) whole.findings.push_back(std::move(f));
  }
  for (report::ChainEdge& e : part.graph) {
    if (fresh.count(e.child)) whole.graph.push_back(std::move(e));
  }
  whole.warnings.insert(whole.warnings.end(), part.warnings.begin(), part.warnings.end());
  report::Metrics& m = whole.metrics;
  const report::Metrics& p = part.metrics;
  m.checks_seconds += p.checks_seconds;
  m.walk_seconds += p.walk_seconds;
  m.analysis_seconds += p.analysis_seconds;
  m.validator_seconds += p.validator_seconds;
  m.walk_rounds += p.walk_rounds;
  m.questions_udp += p.questions_udp;
  m.questions_tcp += p.questions_tcp;
  m.questions_unanswered += p.questions_unanswered;
  whole.exit = std::max(whole.exit, part.exit);
  return added;
}

/// A long streamed run (--list with -f jsonl): the names walked and checked CheckJob::stream_batch at a time, each
/// batch's zones told as final as soon as it is done. The checks across zones (KEY_REUSED) see one batch at a time.
report::Run run_in_batches(const CheckJob& given, const Inputs& in) {
  report::Run whole;
  const std::vector<std::string>& names = in.capture.names;
  const std::size_t batch = std::max<std::size_t>(1, given.stream_batch);
  for (std::size_t first = 0; first < names.size(); first += batch) {
    CheckJob part = given;
    part.names.assign(names.begin() + static_cast<std::ptrdiff_t>(first),
                      names.begin() + static_cast<std::ptrdiff_t>(std::min(names.size(), first + batch)));
    part.lists.clear();
    part.seed = in.capture.seed;
    part.options.now = in.capture.now;
    part.now_given = true;
    part.subject_done = nullptr;
    report::Run done = run_check_job(part);
    if (first == 0) {
      whole.command = done.command;
      whole.now = done.now;
      whole.inputs = done.inputs;
      whole.inputs.names = names;
    }
    for (std::size_t i : add_batch(whole, std::move(done))) given.subject_done(whole, i);
  }
  return whole;
}

}  // namespace

report::Run run_check_job(const CheckJob& given) {
  if (!given.capture.empty()) return replay(given);
  const core::EpochSeconds now =
      given.now_given ? given.options.now : static_cast<core::EpochSeconds>(std::time(nullptr));
  Inputs in = read_live_inputs(given, now);
  const bool streamed = given.subject_done && given.save_capture.empty();
  if (streamed && in.capture.names.size() > given.stream_batch) return run_in_batches(given, in);
  // A run that saves a capture keeps what the address data answered, for the replay to judge the same facts.
  CheckJob job = given;
  std::optional<infra::FactRecorder> recorder;
  if (!job.save_capture.empty()) {
    recorder.emplace(job.addresses);
    job.addresses = recorder->data();
  }
  live::EventLoop loop;
  Observed o;
  const auto t0 = std::chrono::steady_clock::now();
  std::string fd_warning;
  o.walk = walk_live(job, in, loop, fd_warning);
  const double walk_seconds = seconds_since(t0);
  // The views are checked on the pool while libunbound resolves on the event loop here.
  Checked checked;
  core::TaskGroup group;
  double analysis_seconds = 0;
  if (job.progress) {
    job.progress("checking " + std::to_string(o.walk.zones.size()) + " zones from " +
                 std::to_string(o.walk.exchanges.size()) + " answers" +
                 (job.resolver ? "; the validator resolves them alongside" : ""));
  }
  group.run([&] {
    const auto t1 = std::chrono::steady_clock::now();
    checked = check_walk(job, in, o.walk);
    analysis_seconds = seconds_since(t1);
  });
  const auto t2 = std::chrono::steady_clock::now();
  try {
    // The validator too ends by --deadline (counted, as the transport's, from the walk's start).
    const double left = job.deadline_seconds > 0 ? std::max(0.0, job.deadline_seconds - seconds_since(t0)) : -1;
    if (job.resolver) o.verdicts = resolve(job, in, o.walk, loop, left);
  } catch (...) {
    try {
      group.wait();
    } catch (...) {  // the first failure is the resolver's
    }
    throw;
  }
  const double validator_seconds = seconds_since(t2);
  group.wait();
  if (!fd_warning.empty()) checked.run.warnings.push_back(fd_warning);
  report::Metrics& m = checked.run.metrics;
  m.walk_seconds = walk_seconds;
  m.analysis_seconds = analysis_seconds;
  m.validator_seconds = job.resolver ? validator_seconds : 0;
  keep(o, in);
  if (recorder) in.capture.addresses = recorder->facts();
  if (!job.save_capture.empty()) save_capture(job.save_capture, in.capture);
  return finish(std::move(checked), job, o);
}

}  // namespace zw::pipeline
