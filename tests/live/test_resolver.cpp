// test_resolver.cpp: the validating resolver: unusable hints and anchors fail closed naming the file; [live] (inside a
// network namespace): a dead root costs the timeout, never a hang.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include "input_support.hpp"
#include "live/event_loop.hpp"
#include "live/resolver.hpp"

using namespace zw::live;
using zw::test::error_of;
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

/// The [live] tests send packets: only inside the network namespace of tests/lab/netns-run.
bool in_netns() {
  const char* v = std::getenv("ZW_IN_NETNS");
  return v != nullptr && std::string(v) == "1";
}

}  // namespace

TEST_CASE("a usable hints file and anchor make a resolver", "[resolver]") {
  ScratchDir dir;
  EventLoop loop;
  CHECK_NOTHROW(Resolver(loop, options(dir)));
  ResolverOptions dnskey = options(dir);
  dnskey.anchors = {dir.write("root.dnskey",
                              ". IN DNSKEY 257 3 13 RpeFCCiYlL2wuSHIxOlc7HQdTm3IUPeogfIehpKACC09xWct9pnpq22ws1Bu4tnw"
                              "YtdaN0GJtII6uMI6LPM3bw==\n")};
  CHECK_NOTHROW(Resolver(loop, dnskey));
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
