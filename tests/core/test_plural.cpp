// test_plural.cpp: counts in finding messages and in the text report agree with their nouns ("1 key", "2 keys").
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "catalog/catalog.hpp"
#include "core/finding.hpp"
#include "pipeline/zone_job.hpp"
#include "report/report.hpp"

using namespace zw;

namespace {

/// Plural nouns that must not follow the number 1.
const std::regex kOnePlural(
    "(^|[^0-9.])1 (additional |distinct |unsigned )?(signatures|keys|names|delegations|iterations|nameservers|RRsets|"
    "octets|servers|records|KSKs|findings|zones|errors|warnings|notices)\\b");

}  // namespace

TEST_CASE("count_noun: one is singular, everything else plural", "[plural]") {
  CHECK(count_noun(1, "key") == "1 key");
  CHECK(count_noun(0, "key") == "0 keys");
  CHECK(count_noun(2, "RRset") == "2 RRsets");
  CHECK(count_noun(21, "signature") == "21 signatures");
}

TEST_CASE("every template rendered with counts of 1 reads in the singular", "[plural][catalog]") {
  for (const catalog::Entry& e : catalog::all()) {
    Finding f;
    f.code = e.code;
    for (std::string_view p : catalog::param_names(e)) f.params.emplace_back(std::string(p), "1");
    const std::string msg = render_message(f);
    INFO(e.name << ": " << msg);
    CHECK_FALSE(std::regex_search(msg, kOnePlural));
    CHECK(msg.find('{') == std::string::npos);
  }
  Finding f;
  f.code = catalog::Code::NSEC3_ITERATIONS_NONZERO;
  f.params = {{"iterations", "1"}};
  CHECK(render_message(f) == "NSEC3 uses 1 additional iteration");
  f.params = {{"iterations", "10"}};
  CHECK(render_message(f) == "NSEC3 uses 10 additional iterations");
}

TEST_CASE("the text report's zone line counts in the singular where there is one", "[plural][report]") {
  report::Run result;
  report::Subject z;
  z.name = "example.";
  z.file = "example.zone";
  z.records = 1;
  z.rrsets = 1;
  z.signatures = 1;
  z.keys = 1;
  z.signed_zone = true;
  z.chain = "assumed";
  z.verdict = report::Verdict::Secure;
  result.subjects.push_back(z);
  std::ostringstream out;
  report::write_text(out, result, {});
  INFO(out.str());
  CHECK_FALSE(std::regex_search(out.str(), kOnePlural));
  CHECK(out.str().find("1 record, 1 RRset, 1 signature, 1 key;") != std::string::npos);
}
