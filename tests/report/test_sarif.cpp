// test_sarif.cpp: the sarif format validated against the official SARIF 2.1.0 JSON schema (test-vectors/formats/)
// with python3-jsonschema, for zone files and for a replayed live run.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/report_support.hpp"

using namespace zw::test;

namespace {

const char* kValidator = R"(import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
v = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:20]:
    print(list(e.path), e.message[:300])
sys.exit(1 if errors else 0)
)";

Run validate(const Scratch& dir, const std::string& sarif) {
  const std::string script = dir.put("validate.py", kValidator);
  const std::string doc = dir.put("report.sarif", sarif);
  return shell("/usr/bin/python3 '" + script + "' '" + kSrc + "/test-vectors/formats/sarif-schema-2.1.0.json' '" + doc +
               "'");
}

}  // namespace

TEST_CASE("sarif of zone files validates against the SARIF 2.1.0 schema with every result in its file",
          "[report][sarif]") {
  Scratch dir("sarif");
  Run r = run_zw("zone -f sarif " + kExpired + " " + kEr + " " + kBadTtl);
  CHECK(r.status == 3);
  Run v = validate(dir, r.out);
  INFO(v.out);
  CHECK(v.status == 0);
  auto doc = nlohmann::json::parse(r.out);
  CHECK(doc["version"] == "2.1.0");
  const auto& run = doc["runs"][0];
  const auto& rules = run["tool"]["driver"]["rules"];
  CHECK(rules.size() > 80);
  const auto& results = run["results"];
  REQUIRE(results.size() > 0);
  bool expired = false;
  std::size_t lines = 0;
  for (const auto& res : results) {
    // Every result is in the zone file at a line: a record's at its own, a zone-wide one (ZONE_BOGUS) at the SOA's.
    const auto& loc = res["locations"][0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uri"] == "file://" + kEr);
    if (loc.contains("region")) lines += loc["region"]["startLine"].get<int>() > 0 ? 1 : 0;
    CHECK(rules[res["ruleIndex"].get<std::size_t>()]["id"] == res["ruleId"]);
    expired = expired || (res["ruleId"] == "RRSIG_EXPIRED" && res["level"] == "error");
  }
  CHECK(expired);
  CHECK(lines == results.size());
  const auto& invocation = run["invocations"][0];
  CHECK(invocation["executionSuccessful"] == false);
  CHECK(invocation["exitCode"] == 3);
  CHECK(invocation["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 4);
}

TEST_CASE("sarif of a live run names the servers as logical locations and validates", "[report][sarif][check]") {
  Scratch dir("sarif-live");
  Run r = run_zw("check -f sarif --capture " + kSrc + "/test-vectors/capture/badsig.capture");
  CHECK(r.status == 2);
  Run v = validate(dir, r.out);
  INFO(v.out);
  CHECK(v.status == 0);
  auto doc = nlohmann::json::parse(r.out);
  bool server = false;
  for (const auto& res : doc["runs"][0]["results"]) {
    const auto& loc = res["locations"][0];
    CHECK_FALSE(loc.contains("physicalLocation"));
    REQUIRE(loc.contains("logicalLocations"));
    for (const auto& l : loc["logicalLocations"]) server = server || l["kind"] == "resource";
  }
  CHECK(server);
}

TEST_CASE("the SARIF schema check can fail", "[report][sarif]") {
  Scratch dir("sarif-bad");
  CHECK(validate(dir, R"({"version":"2.1.0","runs":[{"results":[]}]})").status != 0);
}
