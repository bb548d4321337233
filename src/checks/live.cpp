// live.cpp: checks of what only the wire shows: which servers answer, over which transport, with EDNS, and whether
// the delegation the parent gives matches what the zone's own servers say.
#include "checks/live.hpp"

#include <algorithm>
#include <tuple>

namespace zw::checks {
namespace {

/// A finding about the zone, shown by the servers `ids`.
void report(const std::string& zone, const std::vector<std::string>& ids, catalog::Code code, Reporter::Params params,
            FindingSink& sink, catalog::When when = {}) {
  ZoneContext ctx;
  ctx.name = zone;
  ctx.servers = ids;
  std::sort(ctx.servers.begin(), ctx.servers.end());
  Reporter(ctx, sink).zone(code, std::move(params), when);
}

void check_transports(const LiveZone& z, FindingSink& sink) {
  for (const LiveServer& s : z.servers) {
    // RFC 1035 §4.2: a server listed for the zone must answer; over UDP first, and RFC 7766 §5: "authoritative
    // servers MUST support TCP".
    // Junk and answers to other questions are reported as such; the server is not silent.
    for (const auto& [malformed, mismatched, proto] :
         {std::tuple{s.udp_malformed, s.udp_mismatched, "udp"}, std::tuple{s.tcp_malformed, s.tcp_mismatched, "tcp"}}) {
      if (malformed)
        report(z.name, {s.id}, catalog::Code::NS_RESPONSE_MALFORMED, {{"address", s.address}, {"transport", proto}},
               sink);
      if (mismatched)
        report(z.name, {s.id}, catalog::Code::NS_RESPONSE_MISMATCH, {{"address", s.address}, {"transport", proto}},
               sink);
    }
    // RFC 1035 §4.1.1: TC says the message was cut to fit its transport; over TCP nothing is cut (§4.2.2), and a
    // resolver has no other transport to ask with.
    if (s.tcp_truncated) report(z.name, {s.id}, catalog::Code::TCP_ANSWER_TRUNCATED, {{"address", s.address}}, sink);
    // The run's --deadline ended questions to the server before they were answered: what it would say is unknown.
    if (s.unfinished > 0) {
      report(z.name, {s.id}, catalog::Code::CHECK_INCOMPLETE,
             {{"address", s.address}, {"count", std::to_string(s.unfinished)}}, sink);
    }
    const bool udp_dead = s.udp_tried && !s.udp_answered && !s.udp_malformed && !s.udp_mismatched;
    const bool tcp_dead = s.tcp_tried && !s.tcp_answered && !s.tcp_malformed && !s.tcp_mismatched;
    if (udp_dead && tcp_dead) {
      report(z.name, {s.id}, catalog::Code::NS_UNREACHABLE, {{"address", s.address}, {"transport", "udp and tcp"}},
             sink);
    } else if (udp_dead) {
      report(z.name, {s.id}, catalog::Code::NS_UNREACHABLE, {{"address", s.address}, {"transport", "udp"}}, sink);
    } else if (tcp_dead) {
      report(z.name, {s.id}, catalog::Code::TCP_UNSUPPORTED, {{"address", s.address}}, sink);
    }
    // RFC 6891 §7: a responder that supports EDNS includes an OPT record in its answer to a query with one.
    if (s.edns_broken) report(z.name, {s.id}, catalog::Code::EDNS_UNSUPPORTED, {{"address", s.address}}, sink);
    // RFC 9715: answers above 1232 octets need TCP fallback or risk fragmentation.
    if (s.udp_oversized > 0) {
      // Over UDP, beyond the size the query offered (RFC 6891 §6.2.3): fragments, or datagrams resolvers drop.
      report(z.name, {s.id}, catalog::Code::RESPONSE_TOO_LARGE, {{"size", std::to_string(s.udp_oversized)}}, sink);
    } else if (s.largest_answer > 1232) {
      // Measured over TCP: the fallback works, so the risk is to resolvers that ask with a larger buffer.
      report(z.name, {s.id}, catalog::Code::RESPONSE_TOO_LARGE, {{"size", std::to_string(s.largest_answer)}}, sink,
             catalog::When(catalog::Code::RESPONSE_TOO_LARGE, "tcp-answers"));
    }
  }
}

void check_delegation(const LiveZone& z, FindingSink& sink) {
  if (!z.has_parent) return;
  std::vector<std::string> all;
  for (const LiveServer& s : z.servers) all.push_back(s.id);
  // RFC 4035 §5.2: a DS at the parent with no DNSKEY at the child is a bogus delegation (.na 2019).
  if (!z.parent_ds_tags.empty() && !z.child_serves_dnskey && !zone_unreachable(z)) {
    std::string tags;
    for (const std::string& t : z.parent_ds_tags) tags += (tags.empty() ? "" : " ") + t;
    report(z.name, all, catalog::Code::DS_WITHOUT_DNSKEY, {{"keytag", tags}}, sink);
  }
}

}  // namespace

void check_service(const std::string& zone, const std::string& service, const infra::Spread& spread,
                   FindingSink& sink) {
  if (!infra::single_asn(spread)) return;
  const auto& [asn, org] = *spread.asns.begin();
  std::string where = "AS" + std::to_string(asn) + (org.empty() ? "" : " (" + org + ")");
  if (spread.prefixes.size() == 1) where += ", one prefix " + *spread.prefixes.begin();
  if (spread.countries.size() == 1) where += ", " + *spread.countries.begin();
  const bool anycast = std::any_of(spread.addresses.begin(), spread.addresses.end(),
                                   [](const infra::NsAddress& a) { return a.info.anycast; });
  where += anycast ? ", anycast" : ", unicast";
  report(zone, {}, catalog::Code::SERVICE_ENDPOINT_CONCENTRATION, {{"service", service}, {"where", where}}, sink);
}

bool zone_unreachable(const LiveZone& z) {
  const bool tried =
      std::any_of(z.servers.begin(), z.servers.end(), [](const LiveServer& s) { return s.udp_tried || s.tcp_tried; });
  // An answer with TC brings no data: servers that only truncate (and never complete over TCP) give nothing.
  return tried && std::none_of(z.servers.begin(), z.servers.end(), [](const LiveServer& s) { return s.data_answered; });
}

void check_live_zone(const LiveZone& z, FindingSink& sink) {
  std::vector<std::string> all;
  for (const LiveServer& s : z.servers) all.push_back(s.id);
  // RFC 1034 §4.3.1: a zone no server answers for cannot be resolved at all (facebook.com 2021).
  if (zone_unreachable(z)) {
    report(z.name, all, catalog::Code::ZONE_UNREACHABLE, {{"servers", std::to_string(z.servers.size())}}, sink);
  }
  check_transports(z, sink);
  check_delegation(z, sink);
  // RFC 4035 §5.4, RFC 5155 §8: a denial a validator cannot verify is bogus (Slack, 2021).
  for (const LiveDenial& d : z.denials) {
    if (d.detail.empty()) continue;
    report(z.name, d.servers, catalog::Code::DENIAL_PROOF_INVALID,
           {{"qname", d.qname}, {"qtype", zone::type_name(d.qtype)}, {"detail", d.detail}}, sink);
  }
}

void check_resolver_verdict(const std::string& zone, const std::string& ours, const std::string& theirs,
                            const std::string& why_bogus, FindingSink& sink) {
  if (theirs == "bogus") {
    report(zone, {}, catalog::Code::RESOLVER_VERDICT_BOGUS, {{"why_bogus", why_bogus.empty() ? "-" : why_bogus}}, sink);
  }
  // RFC 4035 §4.3: both validators read the same data from the same anchor; their verdicts must agree.
  if (theirs != "error" && ours != "error" && ours != theirs) {
    report(zone, {}, catalog::Code::VALIDATOR_DISAGREEMENT, {{"ours", ours}, {"theirs", theirs}}, sink);
  }
}

}  // namespace zw::checks
