// test_cli_output.cpp: what a pipeline reads: the evaluation time, JSON documents for errors, per-zone errors,
// failed writes, messages and the quiet mode.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_run.hpp"

using zw::test::kSrc;
using zw::test::Run;
using zw::test::run_zw;

namespace {

const std::string kEr = kSrc + "/zones/tld/ER.zone";
const std::string kArab = kSrc + "/zones/tld/XN--WGBH1C.zone";

}  // namespace

TEST_CASE("text output names the evaluation time on its first line", "[cli][now]") {
  Run r = run_zw("zone --now 20260601 " + kEr, "NO_COLOR=1");
  CHECK(r.status == 2);  // the .er signatures have expired by then
  CHECK(r.out.rfind("zonewarden zone: evaluated at 2026-06-01T00:00:00Z\n", 0) == 0);
  Run offset = run_zw("zone --now +1D " + kEr);
  CHECK(offset.status != 3);
  CHECK(offset.out.rfind("zonewarden zone: evaluated at ", 0) == 0);
  CHECK(run_zw("zone --now -86400 " + kEr).status != 3);
}

TEST_CASE("with -f json an input or usage error is still a JSON document", "[cli][json][errors]") {
  Run missing = run_zw("zone -f json /nonexistent/missing.zone");
  CHECK(missing.status == 3);
  CHECK(missing.err.find("zonewarden: error:") != std::string::npos);
  auto j = nlohmann::json::parse(missing.out);
  CHECK(j["schema_version"].is_number());
  CHECK(j["exit"] == 3);
  CHECK(j["error"]["message"].get<std::string>().find("/nonexistent/missing.zone") != std::string::npos);
  CHECK(j["error"]["file"] == "/nonexistent/missing.zone");
  CHECK(j["error"]["line"].is_null());

  const std::string bad_ttl = kSrc + "/test-vectors/malformed/bad-ttl.zone";
  auto syntax = nlohmann::json::parse(run_zw("zone --format=json " + bad_ttl).out);
  CHECK(syntax["exit"] == 3);
  CHECK(syntax["error"]["file"] == bad_ttl);
  CHECK(syntax["error"]["line"] == 4);

  for (const std::string& usage : {"zone -f json --no-such-option " + kEr, "zone --format json --now yesterday " + kEr,
                                   "zone -f json --disable NO_SUCH_CODE " + kEr, std::string("zone -f json")}) {
    INFO(usage);
    Run r = run_zw(usage);
    CHECK(r.status == 3);
    auto u = nlohmann::json::parse(r.out);
    CHECK(u["exit"] == 3);
    CHECK(u["error"]["message"].is_string());
    CHECK(u["error"]["file"].is_null());
    CHECK(u["error"]["line"].is_null());
  }
}

TEST_CASE("a failed write of the report is exit 3 with a message", "[cli][errors]") {
  for (const char* format : {"text", "json"}) {
    INFO(format);
    Run r = run_zw(std::string("zone -f ") + format + " --now 20241011163831 " + kEr, "", "/dev/full");
    CHECK(r.status == 3);
    CHECK(r.err.find("zonewarden: error:") != std::string::npos);
  }
}

TEST_CASE("an unreadable zone file does not hide the other zones' reports", "[cli][errors]") {
  const std::string bad_ttl = kSrc + "/test-vectors/malformed/bad-ttl.zone";
  const std::string files = " " + kEr + " " + bad_ttl + " " + kArab;
  Run j = run_zw("zone -f json --now 20241011163831" + files);
  CHECK(j.status == 3);
  CHECK(j.err.find("bad-ttl.zone:4") != std::string::npos);
  auto doc = nlohmann::json::parse(j.out);
  REQUIRE(doc["zones"].size() == 3);
  CHECK(doc["zones"][0]["zone"] == "er.");
  CHECK(doc["zones"][0]["verdict"] == "secure");
  CHECK(doc["zones"][0]["error"].is_null());
  CHECK(doc["zones"][1]["file"] == bad_ttl);
  CHECK(doc["zones"][1]["verdict"] == "error");
  CHECK(doc["zones"][1]["error"]["line"] == 4);
  CHECK(doc["zones"][2]["zone"] == "xn--wgbh1c.");
  CHECK(doc["summary"]["exit"] == 3);

  // The zones after the unreadable one keep their own facts (here: the DS set as their entry point).
  const std::string clean = kSrc + "/test-vectors/zone/clean/clean-ecdsap256-nsec";
  auto chain = nlohmann::json::parse(
      run_zw("zone -f json --now 2026-01-01 --ds " + clean + ".ds " + bad_ttl + " " + clean + ".zone").out);
  REQUIRE(chain["zones"].size() == 2);
  CHECK(chain["zones"][1]["chain"] == "ds");
  CHECK(chain["zones"][1]["verdict"] == "secure");
  // A DS set that may belong to the unreadable zone is no reason to hide the others.
  Run ds = run_zw("zone -f json --now 2026-01-01 --ds " + clean + ".ds " + bad_ttl + " " + kEr);
  CHECK(ds.status == 3);
  auto ds_doc = nlohmann::json::parse(ds.out);
  REQUIRE(ds_doc["zones"].size() == 2);
  CHECK(ds_doc["zones"][1]["zone"] == "er.");

  Run t = run_zw("zone --now 20241011163831" + files, "NO_COLOR=1");
  CHECK(t.status == 3);
  CHECK(t.out.find("zone er.") != std::string::npos);
  CHECK(t.out.find("zone xn--wgbh1c.") != std::string::npos);
  CHECK(t.out.find("zone " + bad_ttl + ": error: ") != std::string::npos);
}

TEST_CASE("the JSON document: schema version, clock, inputs, verdicts, uniform findings, typed params", "[cli][json]") {
  const std::string root = kSrc + "/zones/root/";
  Run r =
      run_zw("zone -f json -k " + root + "root-anchors.ds --now 2026-11-23 " + root + "root-2026073102.zone.gz " + kEr);
  CHECK(r.status == 2);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["schema_version"] == 1);
  CHECK(j["now"]["rfc3339"] == "2026-11-23T00:00:00Z");
  CHECK(j["now"]["epoch"] == 1795392000);
  CHECK(j["inputs"]["zone_files"] == nlohmann::json::array({root + "root-2026073102.zone.gz", kEr}));
  CHECK(j["inputs"]["trust_anchor_files"] == nlohmann::json::array({root + "root-anchors.ds"}));
  CHECK(j["inputs"]["ds_files"] == nlohmann::json::array());
  CHECK(j["inputs"]["previous_files"] == nlohmann::json::array());
  CHECK(j["inputs"]["key_dirs"] == nlohmann::json::array());
  CHECK(j["inputs"]["key_history"].is_null());
  REQUIRE(j["zones"].size() == 2);
  CHECK(j["zones"][0]["verdict"] == "bogus");
  CHECK(j["zones"][0]["counts"]["critical"] == 1);
  CHECK(j["zones"][0]["counts"]["error"].get<int>() > 2000);
  CHECK(j["zones"][1]["zone"] == "er.");
  CHECK(j["zones"][1]["counts"]["error"].is_number());
  const std::vector<std::string> fields{"code",   "severity", "zone",    "owner", "type",
                                        "params", "message",  "servers", "source"};
  for (const auto& f : j["findings"]) {
    std::vector<std::string> keys;
    for (const auto& [k, v] : f.items()) keys.push_back(k);
    std::sort(keys.begin(), keys.end());
    auto want = fields;
    std::sort(want.begin(), want.end());
    CHECK(keys == want);
    if (f["code"] == "RRSIG_EXPIRED") CHECK(f["params"]["keytag"].is_number_integer());
    if (f["code"] == "ZONE_BOGUS") CHECK(f["type"].is_null());
  }
}

TEST_CASE("an unsigned zone's verdict is insecure", "[cli][json]") {
  auto j = nlohmann::json::parse(run_zw("zone -f json " + kSrc + "/zones/tld/root-servers.net.zone").out);
  REQUIRE(j["zones"].size() == 1);
  CHECK(j["zones"][0]["verdict"] == "insecure");
}

TEST_CASE("a signed zone below an insecure delegation is insecure", "[cli][json]") {
  const std::string dir = kSrc + "/test-vectors/zone/chain/";
  auto j = nlohmann::json::parse(
      run_zw("zone -f json --now 2026-01-01 " + dir + "parent-no-ds-parent.zone " + dir + "parent-no-ds.zone").out);
  REQUIRE(j["zones"].size() == 2);
  CHECK(j["zones"][1]["chain"] == "insecure-delegation");
  CHECK(j["zones"][1]["verdict"] == "insecure");
}

TEST_CASE("the verdict does not depend on which codes are shown", "[cli][json]") {
  const std::string root = kSrc + "/zones/root/";
  auto j = nlohmann::json::parse(run_zw("zone -f json --disable ZONE_BOGUS -k " + root +
                                        "root-anchors.ds --now 2026-11-23 " + root + "root-2026073102.zone.gz")
                                     .out);
  REQUIRE(j["zones"].size() == 1);
  CHECK(j["zones"][0]["verdict"] == "bogus");
  CHECK(j["zones"][0]["counts"]["critical"] == 0);
  // An unsigned zone that a DS set names is bogus, not insecure: validators expect a signed zone.
  const std::string hist = kSrc + "/test-vectors/zone/history/";
  auto u = nlohmann::json::parse(run_zw("zone -f json --now 2026-01-01 --ds " + hist +
                                        "dnssec-removed-ds-published.ds " + hist + "dnssec-removed-ds-published.zone")
                                     .out);
  REQUIRE(u["zones"].size() == 1);
  CHECK(u["zones"][0]["verdict"] == "bogus");
}
