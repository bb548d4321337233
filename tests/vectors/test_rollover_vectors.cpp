// test_rollover_vectors.cpp: every rollover sequence of test-vectors/rollover/ reports, step by step, what its
// headers say (the contract of vector_header.hpp; zw-expect-param pins a param such as the earliest safe time).
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "catalog/catalog.hpp"
#include "vectors/rollover_sequences.hpp"

namespace fs = std::filesystem;

namespace {

/// The codes a step reported, checked against its header.
void check_step(const zw::test::StepRun& s) {
  const zw::test::Vector& v = s.step;
  const std::string name = v.path.parent_path().filename().string() + "/" + v.path.filename().string();
  std::set<std::string> reported, unexpected;
  for (const zw::Finding& f : s.run.findings) {
    const std::string code(zw::catalog::name(f.code));
    reported.insert(code);
    const bool allowed = v.allow.count(code) && f.severity < zw::Severity::Warning;
    if (!v.expect.count(code) && !allowed)
      unexpected.insert(code + "(" + std::string(zw::severity_name(f.severity)) + ")");
  }
  for (const std::string& c : v.expect) {
    INFO(name << " must report " << c);
    CHECK(reported.count(c) == 1);
  }
  for (const std::string& c : v.forbid) {
    INFO(name << " must not report " << c);
    CHECK(reported.count(c) == 0);
  }
  std::string extra;
  for (const auto& c : unexpected) extra += c + " ";
  INFO(name << " reported unexpected codes: " << extra);
  CHECK(unexpected.empty());
  for (const auto& [code, param] : v.expect_params) {
    const std::string key = param.substr(0, param.find('='));
    const std::string value = param.substr(param.find('=') + 1);
    bool found = false;
    std::string seen;
    for (const zw::Finding& f : s.run.findings) {
      if (zw::catalog::name(f.code) != code) continue;
      seen += f.param(key) + " ";
      found = found || f.param(key) == value;
    }
    INFO(name << ": some " << code << " must carry " << param << "; seen: " << seen);
    CHECK(found);
  }
}

}  // namespace

TEST_CASE("every rollover sequence reports at each step what its headers say", "[vectors][rollover]") {
  const auto dirs = zw::test::sequence_dirs();
  REQUIRE(!dirs.empty());
  for (const fs::path& dir : dirs) {
    DYNAMIC_SECTION(dir.filename().string()) {
      const auto runs = zw::test::run_sequence(dir);
      REQUIRE(runs.size() >= 2);
      for (const auto& s : runs) check_step(s);
    }
  }
}

TEST_CASE("every code a rollover sequence expects exists in the catalogue", "[vectors][rollover]") {
  for (const fs::path& dir : zw::test::sequence_dirs()) {
    for (const fs::path& p : zw::test::sequence_steps(dir)) {
      const zw::test::Vector v = zw::test::read_header(p);
      for (const auto* set : {&v.expect, &v.allow, &v.forbid}) {
        for (const std::string& c : *set) {
          INFO(p.string() << ": " << c);
          CHECK(zw::catalog::find(c).has_value());
        }
      }
    }
  }
}
