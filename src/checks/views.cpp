// views.cpp: the views of one zone compared with each other (the answers of different servers).
#include <algorithm>
#include <map>
#include <set>

#include "checks/check.hpp"
#include "zone/rdata.hpp"

namespace zw::checks {

void check_view_consistency(const CheckInput& in, FindingSink& sink) {
  // The views of each zone, in input order.
  std::map<std::string, std::vector<const ZoneContext*>> zones;
  for (const ZoneContext& ctx : in.zones) zones[ctx.name].push_back(&ctx);
  for (const auto& [name, views] : zones) {
    if (views.size() < 2) continue;
    // RFC 1996 §1: secondaries that missed a NOTIFY or a transfer serve an older serial: every server of a zone
    // should answer with the same SOA serial.
    std::set<std::uint32_t> serials;
    for (const ZoneContext* v : views) {
      if (auto soa = zone::apex_soa(*v->zone)) serials.insert(soa->serial);
    }
    if (serials.size() < 2) continue;
    std::string list;
    for (std::uint32_t s : serials) list += (list.empty() ? "" : " ") + std::to_string(s);
    // One finding about the zone, named by every server that serves it.
    ZoneContext all = *views.front();
    all.servers.clear();
    for (const ZoneContext* v : views) all.servers.insert(all.servers.end(), v->servers.begin(), v->servers.end());
    std::sort(all.servers.begin(), all.servers.end());
    all.servers.erase(std::unique(all.servers.begin(), all.servers.end()), all.servers.end());
    Reporter(all, sink).zone(catalog::Code::SOA_SERIAL_MISMATCH, {{"serials", list}});
  }
}

}  // namespace zw::checks
