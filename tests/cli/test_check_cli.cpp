// test_check_cli.cpp: `zonewarden check` fails closed on inputs it cannot use (hints, anchors, lists, captures),
// naming the file and line, before it sends anything.
#include <catch2/catch.hpp>

#include "cli/cli_run.hpp"
#include "input_support.hpp"
#include "live/hints.hpp"

using zw::test::Run;
using zw::test::run_zw;
using zw::test::ScratchDir;

namespace {

const char* const kHints = ".\t3600000\tIN\tNS\ta.root.\na.root.\t3600000\tIN\tA\t127.53.255.1\n";
const char* const kAnchor = ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n";

}  // namespace

TEST_CASE("check: an anchor that is missing or unusable is exit 3, never an insecure result", "[cli][check]") {
  ScratchDir d;
  const std::string hints = d.write("root.hints", kHints);
  Run missing = run_zw("check --root-hints " + hints + " -k " + d.path.string() + "/nope.key example.");
  CHECK(missing.status == 3);
  CHECK(missing.err.find("nope.key") != std::string::npos);
  const std::string bad = d.write("bad.key", ". IN DS 20326 200 2 E06D44B80B8F1D39\n");
  Run unusable = run_zw("check --root-hints " + hints + " -k " + bad + " example.");
  CHECK(unusable.status == 3);
  CHECK(unusable.err.find("bad.key") != std::string::npos);
}

TEST_CASE("check: unusable root hints are exit 3 naming the file and line", "[cli][check]") {
  ScratchDir d;
  const std::string anchor = d.write("root.key", kAnchor);
  const std::string hints =
      d.write("root.hints", ".\t3600000\tIN\tNS\ta.root.\na.root.\t3600000\tIN\tA\tnot-an-address x\n");
  Run r = run_zw("check --root-hints " + hints + " -k " + anchor + " example.");
  CHECK(r.status == 3);
  CHECK(r.err.find("root.hints:2") != std::string::npos);
  const std::string empty = d.write("empty.hints", "; nothing\n");
  Run e = run_zw("check --root-hints " + empty + " -k " + anchor + " example.");
  CHECK(e.status == 3);
  CHECK(e.err.find("empty.hints") != std::string::npos);
}

TEST_CASE("check: a list with a bad name is exit 3 naming its line, and no name at all is exit 3", "[cli][check]") {
  ScratchDir d;
  const std::string anchor = d.write("root.key", kAnchor);
  const std::string hints = d.write("root.hints", kHints);
  const std::string list = d.write("zones.list", "# watch-list\nexample.com\n\nbad..name\n");
  Run r = run_zw("check --root-hints " + hints + " -k " + anchor + " --list " + list);
  CHECK(r.status == 3);
  CHECK(r.err.find("zones.list:4") != std::string::npos);
  Run none = run_zw("check --root-hints " + hints + " -k " + anchor);
  CHECK(none.status == 3);
}

TEST_CASE("check: a capture that is not one is exit 3 naming the file", "[cli][check][capture]") {
  ScratchDir d;
  const std::string cap = d.write("broken.json", "{\"format\":\"zonewarden-capture\",\"version\":1,\"names\":7}");
  Run r = run_zw("check --capture " + cap);
  CHECK(r.status == 3);
  CHECK(r.err.find("broken.json") != std::string::npos);
}

TEST_CASE("check: a replay judges the capture's address facts unless --asn-source is given", "[cli][check][capture]") {
  ScratchDir d;
  const std::string cap = std::string(ZW_SOURCE_DIR) + "/test-vectors/capture/singleasn.capture";
  Run recorded = run_zw("check --capture " + cap + " -f gcc");
  CHECK(recorded.status == 0);
  CHECK(recorded.out.find("[NS_SINGLE_ASN]") != std::string::npos);
  Run none = run_zw("check --capture " + cap + " -f gcc --asn-source none");
  CHECK(none.status == 0);
  CHECK(none.out.find("[NS_SINGLE_ASN]") == std::string::npos);
  // Data that places the two servers in two ASes, given on the command line or in ZONEWARDEN_OPTS.
  const std::string two = d.write("two.csv", "127.53.31.0,127.53.31.255,64500,A\n127.53.32.0,127.53.32.255,64501,B\n");
  Run other = run_zw("check --capture " + cap + " -f gcc --asn-source csv:" + two);
  CHECK(other.status == 0);
  CHECK(other.out.find("[NS_SINGLE_ASN]") == std::string::npos);
  CHECK(!other.out.empty());
  Run from_env = run_zw("check --capture " + cap + " -f gcc", "ZONEWARDEN_OPTS='--asn-source csv:" + two + "'");
  CHECK(from_env.out.find("[NS_SINGLE_ASN]") == std::string::npos);
  CHECK(from_env.status == 0);
}

TEST_CASE("root hints: NS names of the root with their addresses, other records are errors", "[check][hints]") {
  auto h = zw::live::parse_hints(
      ".  3600000  NS  A.ROOT.\nA.ROOT. 3600000 IN A 127.0.0.1\na.root. AAAA ::1\n. NS b.root.\n", "hints");
  CHECK(h.ns == std::set<std::string>{"a.root.", "b.root."});
  CHECK(h.addresses["a.root."] == std::set<std::string>{"127.0.0.1", "::1"});
  CHECK_THROWS_WITH(zw::live::parse_hints("example. NS a.root.\n", "hints"), Catch::Contains("hints:1"));
  CHECK_THROWS_WITH(zw::live::parse_hints(". NS a.root.\na.root. MX 10 x.\n", "hints"), Catch::Contains("hints:2"));
  CHECK_THROWS_WITH(zw::live::parse_hints(". NS a.root.\na.root. A ::1\n", "hints"), Catch::Contains("hints:2"));
  CHECK_THROWS_WITH(zw::live::parse_hints(". NS a.root.\n", "hints"), Catch::Contains("no root server"));
}
