// test_cli_options.cpp: option parsing: one value per occurrence of a repeatable option, comma lists, --enable, --.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/cli_run.hpp"

using zw::test::kSrc;
using zw::test::Run;
using zw::test::run_zw;

namespace {

const std::string kClean = kSrc + "/test-vectors/zone/clean/";
const std::string kEr = kSrc + "/zones/tld/ER.zone";

/// The zone files a JSON report covers, in order.
std::vector<std::string> zone_files(const Run& r) {
  std::vector<std::string> files;
  auto j = nlohmann::json::parse(r.out);
  for (const auto& z : j["zones"]) files.push_back(z["file"].get<std::string>());
  return files;
}

std::size_t count_code(const Run& r, const std::string& code) {
  std::size_t n = 0;
  const auto j = nlohmann::json::parse(r.out);
  for (const auto& f : j["findings"]) n += f["code"] == code ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("a repeatable option takes one value per occurrence, whatever follows it", "[cli][options]") {
  // Every DS and anchor file names a zone checked (one that names none is an input error).
  const std::string example = kClean + "clean-ecdsap256-nsec.zone";
  const std::string now = "--now 2026-01-01 -f json ";
  const std::string zones = " " + example + " " + kEr;
  const std::vector<std::string> expected{example, kEr};
  const std::vector<std::string> options{
      "--ds " + kClean + "clean-ecdsap256-nsec.ds --ds " + kClean + "clean-ed25519-nsec.ds",
      "-k " + kClean + "clean-ecdsap256-nsec.ds -k " + kClean + "clean-ed25519-nsec.ds",
      "--trust-anchor " + kClean + "clean-ecdsap256-nsec.ds",
      "--previous " + kEr,
      "--keys " + kSrc + "/test-vectors/keys",
      "--severity NS_SINGLE_DOMAIN=info --severity ZONE_UNSIGNED=notice",
      "--disable NS_SINGLE_DOMAIN --disable ZONE_UNSIGNED",
      "--disable NS_SINGLE_DOMAIN,ZONE_UNSIGNED",
      "--enable NS_SINGLE_DOMAIN",
  };
  for (const std::string& opt : options) {
    INFO("zonewarden zone " << opt << " FILE FILE");
    Run r = run_zw("zone " + now + opt + zones);
    CHECK(r.status != 3);
    INFO(r.err);
    if (r.status != 3) CHECK(zone_files(r) == expected);
  }
  // `--` ends the options: what follows is a file even when it looks like an option.
  Run dashes = run_zw("zone " + now + "--disable NS_SINGLE_DOMAIN -- " + kEr);
  CHECK(dashes.status != 3);
  CHECK(zone_files(dashes) == std::vector<std::string>{kEr});
}

TEST_CASE("disable takes comma lists and enable re-enables, in command-line order", "[cli][options]") {
  const std::string base = "zone --now 20241011163831 -f json ";
  CHECK(count_code(run_zw(base + kEr), "CHAIN_ANCHOR_ASSUMED") == 1);
  CHECK(count_code(run_zw(base + "--disable CHAIN_ANCHOR_ASSUMED,ZONE_UNSIGNED " + kEr), "CHAIN_ANCHOR_ASSUMED") == 0);
  CHECK(count_code(run_zw(base + "--disable CHAIN_ANCHOR_ASSUMED --enable CHAIN_ANCHOR_ASSUMED " + kEr),
                   "CHAIN_ANCHOR_ASSUMED") == 1);
  CHECK(count_code(run_zw(base + "--enable CHAIN_ANCHOR_ASSUMED --disable CHAIN_ANCHOR_ASSUMED " + kEr),
                   "CHAIN_ANCHOR_ASSUMED") == 0);
  CHECK(count_code(run_zw(base + "--disable ZONE_UNSIGNED,CHAIN_ANCHOR_ASSUMED --enable chain_anchor_assumed " + kEr),
                   "CHAIN_ANCHOR_ASSUMED") == 1);
  CHECK(run_zw(base + "--enable NO_SUCH_CODE " + kEr).status == 3);
  CHECK(run_zw(base + "--disable CHAIN_ANCHOR_ASSUMED, " + kEr).status == 3);
}
