// test_text_table.cpp: a live run of several zones ends its text report with a table of them.
#include <catch2/catch.hpp>
#include <regex>
#include <string>

#include "cli/cli_run.hpp"

using zw::test::run_zw;

namespace {
const std::string kCaptures = std::string(ZW_SOURCE_DIR) + "/test-vectors/capture/";

bool has_line(const std::string& text, const std::string& pattern) {
  return std::regex_search(text, std::regex(pattern, std::regex::multiline));
}
}  // namespace

TEST_CASE("a live text report of several zones ends with a table of them, worst finding included", "[report]") {
  const auto r = run_zw("check -q --capture " + kCaptures + "expired.capture");
  REQUIRE(r.status == 2);
  CHECK(has_line(r.out, "^zone +verdict +servers +critical +error +warning +notice +info +worst finding$"));
  CHECK(has_line(r.out, R"(^\. +secure +2 +0 +0 +0 +1 +0 +NS_SINGLE_DOMAIN$)"));
  CHECK(has_line(r.out, R"(^expired\.svc\. +bogus +2 +2 +8 +0 +1 +0 +RESOLVER_VERDICT_BOGUS$)"));
  // The table comes last, before the summary line.
  const auto table = r.out.find("worst finding");
  const auto summary = r.out.find("summary:");
  REQUIRE(table != std::string::npos);
  CHECK(table < summary);
  CHECK(r.out.find("zone ", summary) == std::string::npos);
}

TEST_CASE("zone reports and single-zone runs have no zone table", "[report]") {
  const auto zone =
      run_zw("zone -q --asn-source none --now 20241011163511 " + std::string(ZW_SOURCE_DIR) + "/zones/tld/ER.zone");
  CHECK(zone.out.find("worst finding") == std::string::npos);
}
