// views.hpp: views of a zone that come from servers rather than from a zone file (DESIGN.md §1, Views): each
// server's answers for a zone form a view; servers whose answers are identical share one.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "zone/zone.hpp"

namespace zw::pipeline {

/// A view of a zone from servers, ready to check.
struct View {
  std::shared_ptr<const zone::Zone> zone;
  std::vector<std::string> servers;  ///< sorted "NAME/ADDRESS" of every server that gave these answers
  checks::Coverage coverage;         ///< what was asked of them
  /// The zone's nameserver names (presentation, lower-case) with the addresses the walk found (ZoneContext).
  std::map<std::string, std::vector<std::string>> ns_addresses;
};

/// The zone `z` as one server answered it: every record's provenance becomes the exchange `e`.
View view_from_answers(zone::Zone z, const zone::Exchange& e, checks::Coverage coverage = {});

/// True when two zones hold the same records: names, types, classes, TTLs and RDATA (provenance aside).
bool same_records(const zone::Zone& a, const zone::Zone& b);

/// Views with the same records and coverage become one view that names all their servers; order is kept by first
/// appearance.
std::vector<View> merge_identical(std::vector<View> views);

}  // namespace zw::pipeline
