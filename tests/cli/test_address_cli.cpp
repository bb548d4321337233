// test_address_cli.cpp: --asn-source on the command line: the bundled extract of real IP-to-AS data on the real root
// zone, `zonewarden address`, and sources that cannot be used (exit status 3, naming the file and line).
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/cli_run.hpp"

using zw::test::Run;
using zw::test::run_zw;

namespace {
const std::string kSrc = ZW_SOURCE_DIR;
const std::string kRoot = kSrc + "/zones/root/root-2026073102.zone.gz";
const std::string kExtract = kSrc + "/zones/asn/asn-extract.csv";
}  // namespace

TEST_CASE("the real root zone with the bundled address extract: 165 single-AS TLDs", "[cli][infra]") {
  const Run r = run_zw("zone --now 2026-08-05 --asn-source " + kExtract + " -f json " + kRoot);
  REQUIRE(r.status <= 2);
  const auto doc = nlohmann::json::parse(r.out);
  std::set<std::string> single;
  for (const auto& f : doc["findings"]) {
    if (f["code"] == "NS_SINGLE_ASN") single.insert(f["owner"].get<std::string>() + " " + f["params"]["asn"].dump());
  }
  CHECK(single.size() == 165);
  CHECK(single.count("aaa. 12008") == 1);  // every server of .aaa at Vercara/UltraDNS
  CHECK(single.count("ax. 3238") == 1);    // Åland
  CHECK(single.count("kp. 131279") == 1);  // North Korea: one network
  const auto listed = [&](const std::string& tld) {
    return std::any_of(single.begin(), single.end(), [&](const std::string& s) { return s.rfind(tld + " ", 0) == 0; });
  };
  CHECK_FALSE(listed("com."));  // Verisign's servers sit in several ASes
  CHECK_FALSE(listed("de."));
  // Several ASes, one organisation: CentralNic's TLDs.
  std::map<std::string, std::string> operators;
  for (const auto& f : doc["findings"]) {
    if (f["code"] == "NS_SINGLE_OPERATOR")
      operators[f["owner"].get<std::string>()] = f["params"]["organisation"].get<std::string>();
  }
  CHECK(operators.size() == 127);
  CHECK(std::count_if(operators.begin(), operators.end(), [](const auto& o) { return o.second == "CentralNic Ltd"; }) ==
        95);
  for (const auto& [tld, org] : operators) CHECK_FALSE(listed(tld));  // never both: one AS is not several
}

TEST_CASE("zonewarden address shows the AS, network and source of each address", "[cli][infra]") {
  const Run r = run_zw("address --asn-source " + kExtract + " 156.154.144.2 127.0.0.1");
  CHECK(r.status == 0);
  CHECK(r.out.find("156.154.144.2  AS12008 Vercara, LLC") != std::string::npos);
  CHECK(r.out.find("127.0.0.1  not covered (special-purpose address)") != std::string::npos);
  const Run j = run_zw("address -f json --asn-source " + kExtract + " 156.154.144.2");
  const auto doc = nlohmann::json::parse(j.out);
  CHECK(doc["addresses"][0]["asn"] == 12008);
  CHECK(doc["sources"][0]["built"] == "2026-06-17T00:00:00Z");
  CHECK(run_zw("address --asn-source " + kExtract + " not-an-address").status == 3);
}

TEST_CASE("an address source that cannot be used is exit status 3 naming the file and line", "[cli][infra]") {
  const auto dir = std::filesystem::temp_directory_path() / "zw-asn-cli";
  std::filesystem::create_directories(dir);
  const std::string bad = (dir / "bad.csv").string();
  std::ofstream(bad) << "1.0.0.0,1.0.0.255,13335,ok\n1.0.1.0,1.0.1.255,not-a-number,x\n";
  const Run r = run_zw("zone --now 2026-08-05 --asn-source " + bad + " " + kRoot);
  CHECK(r.status == 3);
  CHECK(r.err.find("bad.csv:2:") != std::string::npos);
  const Run missing = run_zw("zone --now 2026-08-05 --asn-source csv:" + (dir / "none.csv").string() + " " + kRoot);
  CHECK(missing.status == 3);
  CHECK(missing.err.find("none.csv") != std::string::npos);
  CHECK(run_zw("zone --now 2026-08-05 --asn-source none --asn-source " + kExtract + " " + kRoot).status == 3);
}
