// test_finding_order.cpp: sort_findings orders findings exactly as finding_less does, names parsed once.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "core/finding.hpp"

using namespace zw;

TEST_CASE("sort_findings gives finding_less's order", "[core][finding]") {
  std::mt19937 rng(20261207);
  const std::vector<std::string> names = {"example.",     "a.example.",    "B.example.",   "b.example.",
                                          "*.example.",   "z.a.example.",  "not a name..", "",
                                          "example.net.", "\\065.example."};
  const std::vector<catalog::Code> codes = {catalog::Code::RRSIG_EXPIRED, catalog::Code::NSEC_CHAIN_BROKEN,
                                            catalog::Code::KEYTAG_COLLISION};
  std::vector<Finding> findings;
  for (int i = 0; i < 2000; ++i) {
    Finding f;
    f.code = codes[rng() % codes.size()];
    f.severity = static_cast<Severity>(rng() % 5);
    f.zone = names[rng() % 3];
    f.owner = names[rng() % names.size()];
    f.type = rng() % 2 ? "A" : "";
    f.params = {{"keytag", std::to_string(rng() % 4)}};
    f.line = static_cast<std::uint32_t>(rng() % 3);
    findings.push_back(f);
  }
  std::vector<Finding> expected = findings;
  std::sort(expected.begin(), expected.end(), finding_less);
  sort_findings(findings);
  REQUIRE(findings.size() == expected.size());
  for (std::size_t i = 0; i < findings.size(); ++i) {
    INFO(i);
    CHECK_FALSE(finding_less(findings[i], expected[i]));
    CHECK_FALSE(finding_less(expected[i], findings[i]));
  }
}
