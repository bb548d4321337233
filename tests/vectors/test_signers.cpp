// test_signers.cpp: the corpus of zones real signers wrote (test-vectors/signers/) is complete. The verdicts
// themselves are checked by the vector test, which walks that folder too; this test keeps a half-finished
// regeneration by scripts/make-signer-zones from silently shrinking what it checks.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "pipeline/zone_job.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kDir = fs::path(ZW_SOURCE_DIR) / "test-vectors" / "signers";

std::string header_value(const fs::path& zone, const std::string& key) {
  std::ifstream in(zone);
  std::string line;
  const std::string prefix = "; " + key + ":";
  while (std::getline(in, line) && line.rfind(";", 0) == 0) {
    if (line.rfind(prefix, 0) == 0) {
      std::string v = line.substr(prefix.size());
      auto b = v.find_first_not_of(' ');
      return b == std::string::npos ? std::string() : v.substr(b);
    }
  }
  return {};
}

}  // namespace

TEST_CASE("every signer signs with every algorithm it supports", "[vectors][signers]") {
  REQUIRE(fs::is_directory(kDir));
  std::map<std::string, std::set<std::string>> algorithms;  // signer -> algorithm names in file names
  std::size_t zones = 0;
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() != ".zone") continue;
    ++zones;
    std::string name = e.path().stem().string();
    auto dash = name.find('-');
    REQUIRE(dash != std::string::npos);
    auto dash2 = name.find('-', dash + 1);
    if (name.rfind("defect-", 0) != 0) algorithms[name.substr(0, dash)].insert(name.substr(dash + 1, dash2 - dash - 1));
  }
  CHECK(zones >= 26);
  const std::set<std::string> all = {"rsasha256", "rsasha512", "ecdsap256", "ecdsap384", "ed25519", "ed448"};
  for (const char* signer : {"bind", "ldns", "knot"}) {
    INFO("signer " << signer);
    CHECK(algorithms[signer] == all);
  }
}

TEST_CASE("every signer zone names an existing DS file and its own origin and time", "[vectors][signers]") {
  for (const auto& e : fs::directory_iterator(kDir)) {
    if (e.path().extension() != ".zone") continue;
    INFO(e.path().filename().string());
    std::string args = header_value(e.path(), "zw-args");
    REQUIRE(args.rfind("--ds ", 0) == 0);
    CHECK(fs::is_regular_file(kDir / args.substr(5)));
    CHECK(header_value(e.path(), "zw-origin") == "example.");
    CHECK_FALSE(header_value(e.path(), "zw-now").empty());
  }
}

TEST_CASE("an NSEC3PARAM off the apex of an NSEC zone is reported at its own name", "[vectors][signers]") {
  // RFC 5155 §4: only an NSEC3PARAM at the apex tells servers to answer with NSEC3. One elsewhere is meaningless
  // data; it does not make the NSEC zone a mix of both denial methods.
  const fs::path zone = kDir / "defect-ldns-nsec3param-off-apex.zone";
  zw::pipeline::ZoneJob job;
  job.files = {zone.string()};
  job.origin = "example.";
  job.ds_files = {(kDir / "bind-ldns-ed25519.ds").string()};
  job.options.now = zw::core::parse_time(header_value(zone, "zw-now"), 0);
  const zw::report::Run r = zw::pipeline::run_zone_job(job);
  std::vector<const zw::Finding*> found;
  for (const zw::Finding& f : r.findings) {
    if (f.code == zw::catalog::Code::NSEC3_PARAM_MISMATCH) found.push_back(&f);
  }
  REQUIRE(found.size() == 1);
  CHECK(found[0]->owner == "np.example.");
  CHECK(found[0]->type == "NSEC3PARAM");
  CHECK(found[0]->line > 0);
}
