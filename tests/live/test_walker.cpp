// test_walker.cpp: the walker over recorded answers (a capture vector through the replay transport): the zone cuts
// it finds, the servers it asks, and its budgets.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "live/capture.hpp"
#include "live/transport_replay.hpp"
#include "live/walker.hpp"

using namespace zw::live;

namespace {

Capture read_vector(const std::string& name) {
  std::ifstream in(std::string(ZW_SOURCE_DIR) + "/test-vectors/capture/" + name);
  std::string line;
  std::stringstream json;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '#') continue;
    json << line << "\n";
  }
  return read_capture(json, name);
}

WalkOptions options_of(const Capture& c) {
  WalkOptions o;
  o.names = c.names;
  o.hints = parse_hints(c.root_hints, "hints");
  o.seed = c.seed;
  o.ipv6 = false;
  return o;
}

const ZoneWalk* find_zone(const Walk& w, const std::string& name) {
  for (const ZoneWalk& z : w.zones) {
    if (z.name == name) return &z;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the walker finds every cut down to the name and asks every server of each zone", "[walker]") {
  const Capture c = read_vector("nsmismatch.capture");
  ReplayTransport t(c.exchanges);
  const Walk w = walk(t, options_of(c));
  CHECK(t.unmatched() == 0);
  CHECK(w.zone_of.at("nsmismatch.svc.") == "nsmismatch.svc.");
  const ZoneWalk* z = find_zone(w, "nsmismatch.svc.");
  REQUIRE(z != nullptr);
  CHECK(z->parent == "svc.");
  CHECK(find_zone(w, "svc.")->parent == ".");
  // The parent's NS set and the zone's own differ: both are asked, every address of each name.
  CHECK(z->parent_ns == std::set<std::string>{"ns1.hosting.svc.", "ns2.hosting.svc."});
  CHECK(z->child_ns == std::set<std::string>{"ns1.hosting.svc.", "ns2.hosting.svc.", "ns8.hosting.svc."});
  CHECK(zone_servers(w, *z).size() == 3);
  // Out-of-bailiwick names were resolved by the walk itself through hosting.svc., which is not checked.
  const ZoneWalk* hosting = find_zone(w, "hosting.svc.");
  REQUIRE(hosting != nullptr);
  CHECK_FALSE(hosting->subject);
  // Every question of the zone went to each of its three addresses over UDP.
  for (const auto& [name, address] : zone_servers(w, *z)) {
    const auto asked = std::count_if(w.exchanges.begin(), w.exchanges.end(), [&](const Observation& o) {
      return o.request.address == address && o.request.qname == "nsmismatch.svc." && o.request.qtype == 48 &&
             o.request.proto == Proto::Udp;
    });
    CHECK(asked == 1);
  }
}

TEST_CASE("a dead server is asked one question per transport, the rest recorded as unanswered", "[walker]") {
  const Capture c = read_vector("slow.capture");
  ReplayTransport t(c.exchanges);
  const Walk w = walk(t, options_of(c));
  std::size_t sent = 0, unsent = 0;
  for (const Observation& o : w.exchanges) {
    if (o.request.address != "127.53.34.1") continue;
    (o.response.attempts == 0 ? unsent : sent) += 1;
  }
  CHECK(sent == 2);  // one over UDP, one over TCP
  CHECK(unsent > 10);
}

TEST_CASE("the walk's budgets stop it and say so", "[walker]") {
  const Capture c = read_vector("clean.capture");
  {
    ReplayTransport t(c.exchanges);
    WalkOptions o = options_of(c);
    o.max_zones = 3;
    const Walk w = walk(t, o);
    CHECK(w.zones.size() <= 3);
    CHECK(std::find(w.budget_hits.begin(), w.budget_hits.end(), "max-zones") != w.budget_hits.end());
  }
  {
    ReplayTransport t(c.exchanges);
    WalkOptions o = options_of(c);
    o.max_rounds = 2;
    const Walk w = walk(t, o);
    CHECK(std::find(w.budget_hits.begin(), w.budget_hits.end(), "max-rounds") != w.budget_hits.end());
  }
}
