// test_resolver.cpp: the validating resolver: unusable hints and anchors fail closed naming the file; [live] (inside a
// network namespace): a dead root costs the timeout, never a hang; the test lab's zones get the verdicts its manifest
// says.
#include <event2/event.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "input_support.hpp"
#include "live/event_loop.hpp"
#include "live/lab_support.hpp"
#include "live/resolver.hpp"

using namespace zw::live;
using zw::test::error_of;
using zw::test::in_netns;
using zw::test::Lab;
using zw::test::lab;
using zw::test::ScratchDir;

namespace {

const char* const kHints =
    ".\t3600000\tIN\tNS\ta.root.\n"
    "a.root.\t3600000\tIN\tA\t127.53.255.1\n";
// A DS for the root that matches no key: enough to configure validation.
const char* const kAnchor = ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n";

ResolverOptions options(const ScratchDir& dir) {
  ResolverOptions o;
  o.root_hints = dir.write("root.hints", kHints);
  o.anchors = {dir.write("root.key", kAnchor)};
  o.timeout_seconds = 2;
  return o;
}

ResolverOptions lab_options(const Lab& l) {
  ResolverOptions o;
  o.root_hints = l.file("root_hints");
  o.anchors = {l.file("trust_anchor")};
  o.ipv6 = false;
  o.timeout_seconds = 20;
  return o;
}

}  // namespace

TEST_CASE("a usable hints file and anchor make a resolver", "[resolver]") {
  ScratchDir dir;
  EventLoop loop;
  const ResolverOptions o = options(dir);
  CHECK_NOTHROW(Resolver(loop, o));
  ResolverOptions dnskey = o;
  dnskey.anchors = {dir.write("root.dnskey",
                              ". IN DNSKEY 257 3 13 RpeFCCiYlL2wuSHIxOlc7HQdTm3IUPeogfIehpKACC09xWct9pnpq22ws1Bu4tnw"
                              "YtdaN0GJtII6uMI6LPM3bw==\n")};
  const Resolver both(loop, ResolverOptions{o.root_hints, {o.anchors[0], dnskey.anchors[0]}});
  CHECK(both.anchor_records() ==
        std::vector<std::string>{". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D",
                                 ". IN DNSKEY 257 3 13 RpeFCCiYlL2wuSHIxOlc7HQdTm3IUPeogfIehpKACC09xWct9pnpq22ws1Bu4tnw"
                                 "YtdaN0GJtII6uMI6LPM3bw=="});
}

TEST_CASE("a question that is not a domain name is an error verdict at once", "[resolver]") {
  ScratchDir dir;
  EventLoop loop;
  Resolver resolver(loop, options(dir));
  const auto start = std::chrono::steady_clock::now();
  const auto verdicts = resolver.resolve(std::vector<Question>{{"a..b.", 1}, {std::string(300, 'x') + ".", 1}});
  CHECK(zw::test::seconds_since(start) < 1);
  REQUIRE(verdicts.size() == 2);
  CHECK(verdicts[0].verdict == "error");
  CHECK(verdicts[0].question.qname == "a..b.");
  CHECK(verdicts[1].verdict == "error");
  CHECK(verdicts[1].rcode == 2);
  CHECK(resolver.in_flight() == 0);
  CHECK(resolver.resolve(std::vector<Question>{}).empty());
}

TEST_CASE("unusable root hints fail closed naming the file", "[resolver]") {
  ScratchDir dir;
  EventLoop loop;
  ResolverOptions o = options(dir);

  o.root_hints = (dir.path / "missing.hints").string();
  CHECK(error_of([&] { Resolver r(loop, o); }).find(o.root_hints) != std::string::npos);

  o.root_hints = dir.write("garbage.hints", "this is not a zone file\n");
  CHECK(error_of([&] { Resolver r(loop, o); }).find(o.root_hints) != std::string::npos);

  o.root_hints = dir.write("no-ns.hints", "a.root. 3600 IN A 127.53.255.1\n");
  CHECK(error_of([&] { Resolver r(loop, o); }) == o.root_hints + ": root hints without an NS record for the root");

  o.root_hints = dir.write("no-address.hints", ". 3600 IN NS a.root.\n");
  CHECK(error_of([&] { Resolver r(loop, o); }) ==
        o.root_hints + ": root hints without an address of a root server (A or AAAA)");

  o.root_hints = dir.write("v4.hints", kHints);
  o.ipv4 = false;
  CHECK(error_of([&] { Resolver r(loop, o); }) ==
        o.root_hints + ": root hints without an address of a root server (AAAA, with IPv4 off)");

  o.root_hints.clear();
  o.ipv4 = true;
  CHECK(error_of([&] { Resolver r(loop, o); }) == "root hints: no file given");
}

TEST_CASE("unusable trust anchors fail closed naming the file", "[resolver]") {
  ScratchDir dir;
  EventLoop loop;
  ResolverOptions o = options(dir);

  o.anchors = {(dir.path / "missing.key").string()};
  CHECK(error_of([&] { Resolver r(loop, o); }).find(o.anchors[0]) != std::string::npos);

  o.anchors = {dir.write("garbage.key", "not an anchor at all\n")};
  CHECK(error_of([&] { Resolver r(loop, o); }).find(o.anchors[0]) != std::string::npos);

  o.anchors = {dir.write("a.key", kAnchor), dir.write("ns.key", ". IN NS a.root.\n")};
  CHECK(error_of([&] { Resolver r(loop, o); }).find(o.anchors[1]) != std::string::npos);

  o.anchors = {dir.write("empty.key", "; nothing\n")};
  CHECK(error_of([&] { Resolver r(loop, o); }).find(o.anchors[0]) != std::string::npos);

  o.anchors.clear();
  CHECK(error_of([&] { Resolver r(loop, o); }) == "trust anchor: no file given");
}

TEST_CASE("a root with nothing listening gives error verdicts within the timeout", "[resolver][live]") {
  if (!in_netns()) return;  // run through tests/lab/netns-run
  ScratchDir dir;
  EventLoop loop;
  ResolverOptions o = options(dir);
  o.timeout_seconds = 3;
  Resolver resolver(loop, o);
  const std::vector<Question> questions = {{".", 6}, {"example.", 48}, {"www.example.", 1}};
  const auto start = std::chrono::steady_clock::now();
  const std::vector<ResolverVerdict> verdicts = resolver.resolve(questions);
  const double took = zw::test::seconds_since(start);
  CHECK(took < o.timeout_seconds + 1.5);
  REQUIRE(verdicts.size() == 3);
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    INFO(verdicts[i].question.qname);
    CHECK(verdicts[i].question.qname == questions[i].qname);
    CHECK(verdicts[i].question.qtype == questions[i].qtype);
    CHECK(verdicts[i].verdict == "error");
    CHECK(verdicts[i].rcode == 2);
    CHECK(verdicts[i].why_bogus.empty());
  }
  // A second batch on the same resolver ends too.
  const auto again = resolver.resolve(std::vector<Question>{{"example.", 6}});
  CHECK(again.at(0).verdict == "error");
}

TEST_CASE("every clean signed zone of the lab is secure and its unsigned delegation insecure", "[resolver][live]") {
  if (!in_netns()) return;
  const Lab& l = lab();
  EventLoop loop;
  Resolver resolver(loop, lab_options(l));
  std::vector<Question> questions;
  std::vector<std::string> expected;
  for (const auto& z : l.manifest["zones"]) {
    if (!z["clean"].get<bool>()) continue;
    const bool is_signed = z["signed"].get<bool>();
    for (std::uint16_t type : {std::uint16_t{6}, std::uint16_t{48}}) {
      questions.push_back({z["name"].get<std::string>(), type});
      expected.push_back(is_signed ? "secure" : "insecure");
    }
  }
  REQUIRE(questions.size() >= 20);
  const auto verdicts = resolver.resolve(questions);
  REQUIRE(verdicts.size() == questions.size());
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    INFO(questions[i].qname << " " << questions[i].qtype << ": " << verdicts[i].why_bogus);
    CHECK(verdicts[i].verdict == expected[i]);
    CHECK(verdicts[i].rcode == 0);
    CHECK(verdicts[i].why_bogus.empty());
  }
  CHECK(l.scenarios().at("plain.nat.") == "clean");
}

TEST_CASE("the lab's zones with broken signatures or DS are bogus with a reason", "[resolver][live]") {
  if (!in_netns()) return;
  const Lab& l = lab();
  const auto scenarios = l.scenarios();
  EventLoop loop;
  Resolver resolver(loop, lab_options(l));
  const std::vector<Question> questions = {{"expired.svc.", 6}, {"badsig.svc.", 6},     {"dsmismatch.svc.", 6},
                                           {"future.svc.", 6},  {"unsignedds.svc.", 6}, {"shop.svc.", 6}};
  const auto verdicts = resolver.resolve(questions);
  REQUIRE(verdicts.size() == questions.size());
  for (std::size_t i = 0; i + 1 < verdicts.size(); ++i) {
    INFO(questions[i].qname << ": " << verdicts[i].verdict << " " << verdicts[i].why_bogus);
    CHECK(scenarios.at(questions[i].qname) != "clean");
    CHECK(verdicts[i].verdict == "bogus");
    CHECK_FALSE(verdicts[i].why_bogus.empty());
  }
  CHECK(verdicts.back().verdict == "secure");  // the same resolver still validates the clean sibling
}

TEST_CASE("the lab's DNSKEY trust anchor validates as its DS does", "[resolver][live]") {
  if (!in_netns()) return;
  const Lab& l = lab();
  EventLoop loop;
  ResolverOptions o = lab_options(l);
  o.anchors = {l.file("trust_anchor_dnskey")};
  Resolver resolver(loop, o);
  const auto verdicts = resolver.resolve(std::vector<Question>{{"bank.nat.", 6}, {"badsig.svc.", 6}});
  CHECK(verdicts.at(0).verdict == "secure");
  CHECK(verdicts.at(1).verdict == "bogus");
}

TEST_CASE("answers that come after their batch timed out are dropped", "[resolver][live]") {
  if (!in_netns()) return;
  const Lab& l = lab();
  EventLoop loop;
  Resolver resolver(loop, lab_options(l));
  const std::vector<Question> questions = {{"shop.svc.", 6}, {"bank.nat.", 48}, {"expired.svc.", 6}};
  const auto given_up = resolver.resolve(questions, 0);
  REQUIRE(given_up.size() == 3);
  for (const auto& v : given_up) CHECK(v.verdict == "error");
  CHECK(resolver.in_flight() == 3);
  // The late answers come while the next batch (the same questions) runs the loop.
  const auto answered = resolver.resolve(questions);
  REQUIRE(answered.size() == 3);
  CHECK(answered[0].verdict == "secure");
  CHECK(answered[1].verdict == "secure");
  CHECK(answered[2].verdict == "bogus");
  // And while the loop runs for another user of it.
  resolver.resolve(std::vector<Question>{{"z01.svc.", 6}, {"z02.svc.", 6}}, 0);
  CHECK(resolver.in_flight() >= 2);
  bool expired = false;
  event* timer = evtimer_new(
      loop.base(), [](evutil_socket_t, short, void* flag) { *static_cast<bool*>(flag) = true; }, &expired);
  const timeval tv{10, 0};
  evtimer_add(timer, &tv);
  while (resolver.in_flight() > 0 && !expired) event_base_loop(loop.base(), EVLOOP_ONCE);
  event_free(timer);
  CHECK(resolver.in_flight() == 0);
}

TEST_CASE("a lab zone with every server down is an error within the timeout", "[resolver][live]") {
  if (!in_netns()) return;
  const Lab& l = lab();
  REQUIRE(l.scenarios().at("dark.svc.") == "dark");
  REQUIRE(l.scenarios().at("slow.svc.") == "slow");
  EventLoop loop;
  Resolver resolver(loop, lab_options(l));
  const auto start = std::chrono::steady_clock::now();
  const auto verdicts = resolver.resolve(std::vector<Question>{{"dark.svc.", 6}, {"slow.svc.", 6}}, 3);
  CHECK(zw::test::seconds_since(start) < 4.5);
  CHECK(verdicts.at(0).verdict == "error");
  CHECK(verdicts.at(1).verdict == "secure");  // one server never answering costs no verdict
}
