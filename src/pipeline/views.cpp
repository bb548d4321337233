// views.cpp: views from server answers, and the merging of identical ones.
#include "pipeline/views.hpp"

#include <algorithm>

namespace zw::pipeline {

View view_from_answers(zone::Zone z, const zone::Exchange& e, checks::Coverage coverage) {
  z.exchanges = {e};
  for (zone::Record& r : z.records) r.src = zone::SourceRef::exchange(0);
  for (zone::OutOfZoneRecord& r : z.out_of_zone) r.src = zone::SourceRef::exchange(0);
  View v;
  v.zone = std::make_shared<const zone::Zone>(std::move(z));
  v.servers = {e.server_id()};
  std::sort(coverage.asked.begin(), coverage.asked.end());
  v.coverage = std::move(coverage);
  return v;
}

bool same_records(const zone::Zone& a, const zone::Zone& b) {
  if (a.origin != b.origin || a.names != b.names || a.records.size() != b.records.size()) return false;
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    const zone::Record& x = a.records[i];
    const zone::Record& y = b.records[i];
    if (x.name != y.name || x.type != y.type || x.rclass != y.rclass || x.ttl != y.ttl || a.rdata(x) != b.rdata(y)) {
      return false;
    }
  }
  return true;
}

std::vector<View> merge_identical(std::vector<View> views) {
  std::vector<View> out;
  for (View& v : views) {
    auto same = std::find_if(out.begin(), out.end(), [&](const View& o) {
      return o.coverage.complete == v.coverage.complete && o.coverage.asked == v.coverage.asked &&
             same_records(*o.zone, *v.zone);
    });
    if (same == out.end()) {
      out.push_back(std::move(v));
      continue;
    }
    same->servers.insert(same->servers.end(), v.servers.begin(), v.servers.end());
    std::sort(same->servers.begin(), same->servers.end());
    same->servers.erase(std::unique(same->servers.begin(), same->servers.end()), same->servers.end());
  }
  return out;
}

}  // namespace zw::pipeline
