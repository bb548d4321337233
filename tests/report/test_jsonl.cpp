// test_jsonl.cpp: the jsonl format: every line a JSON object holding one zone and exactly its findings.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/report_support.hpp"

using namespace zw::test;

TEST_CASE("jsonl: one parseable line per zone in canonical order with that zone's findings", "[report][jsonl]") {
  const std::string args = " " + kExpired + " " + kArab + " " + kEr + " " + kBadTtl;
  Run lines = run_zw("zone -f jsonl" + args);
  Run whole = run_zw("zone -f json" + args);
  CHECK(lines.status == 3);
  auto doc = nlohmann::json::parse(whole.out);
  std::istringstream in(lines.out);
  std::size_t i = 0;
  for (std::string line; std::getline(in, line); ++i) {
    INFO(line.substr(0, 200));
    auto j = nlohmann::json::parse(line);
    REQUIRE(i < doc["zones"].size());
    CHECK(j["zone"] == doc["zones"][i]["zone"]);
    CHECK(j["verdict"] == doc["zones"][i]["verdict"]);
    CHECK(j["now"] == "2026-06-01T00:00:00Z");
    nlohmann::json expected = nlohmann::json::array();
    for (const auto& f : doc["findings"]) {
      if (!j["zone"].is_null() && f["zone"] == j["zone"]) expected.push_back(f);
    }
    CHECK(j["findings"] == expected);
  }
  CHECK(i == 3);
  CHECK(lines.out.find("\"zone\":\"er.\"") != std::string::npos);
  CHECK(run_zw("zone -f jsonl" + args).out == lines.out);
}
