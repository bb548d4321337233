// test_detail_cases.cpp: each case of detail_cases.hpp shows its detail token or severity condition.
#include <catch2/catch.hpp>

#include "catalog/detail_cases.hpp"
#include "dnssec/analysis.hpp"
#include "support.hpp"
#include "zone/loader.hpp"

TEST_CASE("each detail case shows its token or condition", "[catalog][checks]") {
  for (const zw::test::DetailCase& c : zw::test::detail_case_list()) {
    DYNAMIC_SECTION(c.token) {
      zw::zone::LoadOptions lo;
      const zw::zone::Zone z = zw::zone::load_zone_text(c.zone, "case.zone", lo);
      const zw::dnssec::ZoneAnalysis a = zw::dnssec::analyse(z, c.verify);
      zw::checks::Options opt;
      opt.now = c.now;
      std::set<std::string> shown;
      for (const zw::Finding& f : zw::test::run_check(c.check, z, a, opt)) {
        const std::string code(zw::catalog::name(f.code));
        if (!f.param("detail").empty()) shown.insert(code + " detail=" + f.param("detail"));
        if (!f.condition.empty()) shown.insert(code + " when=" + std::string(f.condition));
      }
      std::string all;
      for (const auto& s : shown) all += s + "; ";
      INFO("shown: " << all);
      CHECK(shown.count(c.token) == 1);
    }
  }
}
