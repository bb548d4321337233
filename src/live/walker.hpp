// walker.hpp: the live walk (DESIGN.md §4): from the root hints down every zone cut to each name checked, asking
// every address of every nameserver of each zone on the way, over UDP and TCP. The walker only collects: every
// exchange is an Observation; what the answers mean is for the views and checks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "live/capture.hpp"
#include "live/hints.hpp"
#include "live/resolver.hpp"
#include "live/transport.hpp"

namespace zw::live {

struct WalkOptions {
  std::vector<std::string> names;  ///< names to check, presentation, absolute, lower-case
  Hints hints;
  bool ipv4 = true;
  bool ipv6 = true;
  std::vector<Question> probes;     ///< --probe NAME/TYPE: asked of the servers of the zone NAME is in
  std::uint64_t seed = 0;           ///< picks the names of denial probes
  std::size_t max_zones = 4096;     ///< budget: zones discovered in one walk
  std::size_t max_rounds = 64;      ///< budget: rounds of batches
  std::size_t max_ns_names = 4096;  ///< budget: nameserver names resolved
  /// Told before each round what the walk is doing ("walk: round 3, 412 questions asked, 27 zones"); may be empty.
  std::function<void(std::string)> progress;
};

/// What the walk learned about one zone.
struct ZoneWalk {
  std::string name;
  std::string parent;               ///< empty for the root
  bool subject = true;              ///< on the path of a name checked (its servers were asked everything)
  std::set<std::string> parent_ns;  ///< the delegation's NS names (from every parent server; the hints for the root)
  std::map<std::string, std::set<std::string>> glue;  ///< addresses the parent's referrals gave for NS names
  std::set<std::string> child_ns;                     ///< the apex NS names the zone's own servers gave
  std::set<std::string> unresolved;                   ///< NS names for which no address was found
  std::string nx_probe;                               ///< the random name asked for a denial proof
  std::uint16_t nodata_type = 0;                      ///< the type asked at the apex for a denial proof
};

/// The result of a walk. Zones are in walk order (parents before children).
struct Walk {
  std::vector<Observation> exchanges;
  std::vector<std::string> exchange_zone;  ///< exchange_zone[i]: the zone whose servers exchanges[i] asked
  std::vector<ZoneWalk> zones;
  std::map<std::string, std::set<std::string>> addresses;  ///< every NS name's addresses found (glue or resolved)
  std::map<std::string, std::string> zone_of;  ///< each name checked → the zone it is in (empty: not found)
  std::vector<std::string> budget_hits;        ///< budgets that stopped the walk ("max-zones", …)
  std::size_t rounds = 0;                      ///< batches sent
};

/// The type asked at a zone's apex to see a NODATA proof.
inline constexpr std::uint16_t kNodataProbeType = 10;  // NULL (RFC 1035 §3.3.10): never in a zone

/// Walks. Deterministic for a given seed and answers (a replay transport gives the same walk).
Walk walk(Transport& transport, const WalkOptions& options);

/// The servers of zone `z` as "NAME/ADDRESS" → address, for every address of every NS name (parent and child sets).
std::vector<std::pair<std::string, std::string>> zone_servers(const Walk& w, const ZoneWalk& z);

}  // namespace zw::live
