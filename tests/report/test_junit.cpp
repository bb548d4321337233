// test_junit.cpp: the junit format validated by xmllint against the common JUnit schema (test-vectors/formats/).
#include <catch2/catch.hpp>
#include <regex>

#include "report/report_support.hpp"

using namespace zw::test;

namespace {

Run xmllint(const Scratch& dir, const std::string& xml) {
  REQUIRE(std::system("command -v xmllint >/dev/null 2>&1") == 0);  // scripts/setup installs libxml2-utils
  const std::string file = dir.put("report.xml", xml);
  return shell("xmllint --noout --schema '" + kSrc + "/test-vectors/formats/junit.xsd' '" + file + "'");
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("junit validates against the JUnit schema with a suite per zone and failures at or above the fail-on level",
          "[report][junit]") {
  Scratch dir("junit");
  Run r = run_zw("zone -f junit " + kExpired + " " + kEr + " " + kArab + " " + kBadTtl);
  CHECK(r.status == 3);
  Run v = xmllint(dir, r.out);
  INFO(v.out);
  CHECK(v.status == 0);
  CHECK(count(r.out, "<testsuite ") == 3);
  CHECK(r.out.find("<testsuite name=\"er.\" package=\"zonewarden\" id=\"0\" timestamp=\"2026-06-01T00:00:00\"") !=
        std::string::npos);
  CHECK(r.out.find("<testcase name=\"RRSIG_EXPIRED\" classname=\"er.\" time=\"0\">\n      <failure "
                   "type=\"RRSIG_EXPIRED\"") != std::string::npos);
  CHECK(r.out.find("<error type=\"input\"") != std::string::npos);
  // With --fail-on critical, only critical findings fail; the suite's count says so.
  Run strict = run_zw("zone -f junit --fail-on critical " + kExpired + " " + kEr);
  CHECK(xmllint(dir, strict.out).status == 0);
  std::smatch m;
  REQUIRE(std::regex_search(strict.out, m, std::regex("failures=\"([0-9]+)\"")));
  CHECK(std::stoul(m[1].str()) == count(strict.out, "<failure "));
  CHECK(count(strict.out, "<failure ") >= 1);
}

TEST_CASE("the JUnit schema check can fail", "[report][junit]") {
  Scratch dir("junit-bad");
  CHECK(xmllint(dir, "<testsuites><testsuite name=\"x\"/></testsuites>").status != 0);
}
