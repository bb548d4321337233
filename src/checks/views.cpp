// views.cpp: the views of one zone compared with each other (the answers of different servers): SOA serials and the
// data a validator depends on. A difference names the servers at fault: those that differ from the most servers,
// or, when as many servers serve each side, those whose signatures fail.
#include <algorithm>
#include <map>
#include <set>

#include "checks/check.hpp"
#include "core/name.hpp"
#include "zone/rdata.hpp"

namespace zw::checks {
namespace {

using Group = std::vector<const ZoneContext*>;

/// The servers of `views`, sorted, each once.
std::vector<std::string> servers_of(const Group& views) {
  std::vector<std::string> out;
  for (const ZoneContext* v : views) out.insert(out.end(), v->servers.begin(), v->servers.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::size_t server_count(const Group& g) {
  return servers_of(g).size();
}

bool has_failing_signature(const ZoneContext& v) {
  return std::any_of(v.analysis->sigs.begin(), v.analysis->sigs.end(), [](const dnssec::SigInfo& s) {
    return s.status == dnssec::SigStatus::Invalid || s.status == dnssec::SigStatus::NoKey;
  });
}

/// The views at fault among groups of views that disagree: every group but the one served by the most servers; on
/// a tie, the groups whose signatures fail; when that does not decide either, all of them.
Group at_fault(const std::vector<Group>& groups) {
  std::size_t best = 0;
  for (const Group& g : groups) best = std::max(best, server_count(g));
  std::vector<std::size_t> largest;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (server_count(groups[i]) == best) largest.push_back(i);
  }
  std::set<std::size_t> right;
  if (largest.size() == 1) {
    right.insert(largest[0]);
  } else {
    for (std::size_t i : largest) {
      if (std::none_of(groups[i].begin(), groups[i].end(),
                       [](const ZoneContext* v) { return has_failing_signature(*v); }))
        right.insert(i);
    }
    if (right.size() != 1) right.clear();
  }
  Group out;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (!right.count(i)) out.insert(out.end(), groups[i].begin(), groups[i].end());
  }
  return out;
}

void report_zone(const Group& faulty, catalog::Code code, Reporter::Params params, FindingSink& sink) {
  ZoneContext all = *faulty.front();
  all.servers = servers_of(faulty);
  Reporter(all, sink).zone(code, std::move(params));
}

/// RFC 1996 §1: secondaries that missed a NOTIFY or a transfer serve an older serial: every server of a zone
/// should answer with the same SOA serial. Returns the views that serve the serial most servers serve.
Group check_serials(const Group& views, FindingSink& sink) {
  std::map<std::uint32_t, Group> by_serial;
  for (const ZoneContext* v : views) {
    if (auto soa = zone::apex_soa(*v->zone)) by_serial[soa->serial].push_back(v);
  }
  if (by_serial.size() < 2) return views;
  std::vector<Group> groups;
  std::string list;
  for (const auto& [serial, g] : by_serial) {
    groups.push_back(g);
    list += (list.empty() ? "" : " ") + std::to_string(serial);
  }
  // A tie between serials is decided for the newest (RFC 1982 order is not needed between two serving servers:
  // the larger value is the one most recently published in every case a stale secondary produces).
  Group faulty = at_fault(groups);
  if (faulty.size() == views.size()) {
    const Group& newest = by_serial.rbegin()->second;
    faulty.clear();
    for (const ZoneContext* v : views) {
      if (std::find(newest.begin(), newest.end(), v) == newest.end()) faulty.push_back(v);
    }
  }
  report_zone(faulty, catalog::Code::SOA_SERIAL_MISMATCH, {{"serials", list}}, sink);
  Group current;
  for (const ZoneContext* v : views) {
    if (std::find(faulty.begin(), faulty.end(), v) == faulty.end()) current.push_back(v);
  }
  return current;
}

/// The RDATA of an RRset (sorted, as the zone keeps it), or empty when the view lacks it.
std::vector<std::string> rrset_content(const zone::Zone& z, const core::WireName& owner, std::uint16_t type) {
  std::vector<std::string> out;
  if (const zone::RRset* s = z.find(std::string_view(owner), type)) {
    for (const zone::Record& r : z.records_of(*s)) out.emplace_back(z.rdata(r));
  }
  return out;
}

/// The signatures over `type` at `owner`.
std::vector<std::string> signatures_over(const zone::Zone& z, const core::WireName& owner, std::uint16_t type) {
  std::vector<std::string> out;
  for (const std::string& rd : rrset_content(z, owner, zone::rrtype::RRSIG)) {
    if (zone::rrsig_type_covered(rd) == type) out.push_back(rd);
  }
  return out;
}

/// RFC 4035 §5: a validator's result must not depend on which server it asks. Compares the keys, NS sets, DS sets
/// and the signatures over every RRset the views share; one finding per type that differs.
void check_data(const Group& views, FindingSink& sink) {
  std::set<std::pair<core::WireName, std::uint16_t>> rrsets;
  for (const ZoneContext* v : views) {
    for (const zone::RRset& s : v->zone->rrsets) {
      if (s.type != zone::rrtype::RRSIG) rrsets.insert({v->zone->names[s.name], s.type});
    }
  }
  std::map<std::string, Group> faulty_by_type;
  for (const auto& [owner, type] : rrsets) {
    const bool keyed = type == zone::rrtype::DNSKEY || type == zone::rrtype::NS || type == zone::rrtype::DS ||
                       type == zone::rrtype::CDS || type == zone::rrtype::CDNSKEY;
    for (bool sigs : {false, true}) {
      if (!sigs && !keyed) continue;
      std::map<std::vector<std::string>, Group> by_content;
      for (const ZoneContext* v : views) {
        if (!v->zone->find(std::string_view(owner), type)) continue;  // not shown by this server: nothing to compare
        by_content[sigs ? signatures_over(*v->zone, owner, type) : rrset_content(*v->zone, owner, type)].push_back(v);
      }
      if (by_content.size() < 2) continue;
      std::vector<Group> groups;
      for (auto& [content, g] : by_content) groups.push_back(g);
      Group& f = faulty_by_type[sigs ? "RRSIG" : zone::type_name(type)];
      for (const ZoneContext* v : at_fault(groups)) {
        if (std::find(f.begin(), f.end(), v) == f.end()) f.push_back(v);
      }
    }
  }
  for (const auto& [type, faulty] : faulty_by_type) {
    if (!faulty.empty()) report_zone(faulty, catalog::Code::SERVER_DATA_MISMATCH, {{"type", type}}, sink);
  }
}

}  // namespace

void check_view_consistency(const CheckInput& in, FindingSink& sink) {
  // The views of each zone, in input order.
  std::map<std::string, Group> zones;
  for (const ZoneContext& ctx : in.zones) zones[ctx.name].push_back(&ctx);
  for (const auto& [name, views] : zones) {
    if (views.size() < 2) continue;
    check_data(check_serials(views, sink), sink);
  }
}

}  // namespace zw::checks
