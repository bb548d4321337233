// live.hpp: what the live walk learned about a zone beyond its records (reachability, transports, EDNS, the
// delegation as the parent gives it), and the checks that read it. Pure: the check job fills the facts.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "infra/diversity.hpp"

namespace zw::checks {

/// One address of one nameserver of a zone, as asked.
struct LiveServer {
  std::string id;  ///< "NAME/ADDRESS"
  std::string address;
  bool udp_tried = false, udp_answered = false;  ///< answered: some well-formed answer arrived
  bool tcp_tried = false, tcp_answered = false;
  bool edns_broken = false;  ///< an answer to an EDNS query came without OPT, or with FORMERR/BADVERS
  bool udp_malformed = false, tcp_malformed = false;    ///< bytes came that are not a DNS message
  bool udp_mismatched = false, tcp_mismatched = false;  ///< only answers to other IDs or questions came
  std::size_t largest_answer = 0;                       ///< octets of its largest answer (either transport)
  std::string largest_query;                            ///< "NAME TYPE" of that answer
  bool data_answered = false;     ///< some answer without TC arrived (TC answers alone bring no data)
  bool tcp_truncated = false;     ///< an answer over TCP had TC set
  std::size_t udp_oversized = 0;  ///< octets of its largest UDP answer above the payload size the query offered
  std::size_t unfinished = 0;     ///< questions to it that --deadline ended before they were answered
};

/// A denial the servers gave: the answer to a question about a name or type that should not exist.
struct LiveDenial {
  std::string qname;  ///< presentation
  std::uint16_t qtype = 0;
  int rcode = 0;
  std::string detail;                ///< empty: proven; else the closed token of DENIAL_PROOF_INVALID
  std::vector<std::string> servers;  ///< who gave this answer
};

/// Everything a live check reads about one zone.
struct LiveZone {
  std::string name;
  bool has_parent = false;
  std::vector<std::string> parent_ds_tags;  ///< key tags of the DS records the parent serves (sorted)
  bool child_serves_dnskey = false;         ///< some server of the zone answered its DNSKEY query with records
  std::vector<LiveServer> servers;
  std::vector<LiveDenial> denials;
};

/// ZONE_UNREACHABLE, NS_UNREACHABLE, TCP_UNSUPPORTED, NS_RESPONSE_MALFORMED, NS_RESPONSE_MISMATCH, EDNS_UNSUPPORTED,
/// RESPONSE_TOO_LARGE, DS_WITHOUT_DNSKEY and
/// DENIAL_PROOF_INVALID for one zone. (The delegation as the parent's and the child's views show it — NS sets and
/// glue — is compared by the chain checks, as for zone files.)
void check_live_zone(const LiveZone& z, FindingSink& sink);

/// A validator's verdict compared with ours: RESOLVER_VERDICT_BOGUS, VALIDATOR_DISAGREEMENT.
void check_resolver_verdict(const std::string& zone, const std::string& ours, const std::string& theirs,
                            const std::string& why_bogus, FindingSink& sink);

/// SERVICE_ENDPOINT_CONCENTRATION: every address of the watched name `service` (in `zone`) that the address data
/// covers — two or more — originates from one AS (Telegram 2018: one site, one AS). `spread` is over its addresses.
void check_service(const std::string& zone, const std::string& service, const infra::Spread& spread, FindingSink& sink);

/// True when servers of the zone were asked and none answered with data (ZONE_UNREACHABLE): answers with TC bring
/// none, so servers that truncate over UDP and never complete over TCP count as silent.
bool zone_unreachable(const LiveZone& z);

}  // namespace zw::checks
