// test_config.cpp: options from a configuration file (-c) and from ZONEWARDEN_OPTS, the command line last.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "cli/cli_run.hpp"

using zw::test::Run;
using zw::test::run_zw;

namespace {
const std::string kSrc = ZW_SOURCE_DIR;
const std::string kEr = kSrc + "/zones/tld/ER.zone";  // valid 2024-10-11, its signatures expired since

std::string write(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "zw-config-tests";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("a configuration file sets a command's options, the command line wins", "[cli][config]") {
  const std::string conf = write("a.conf", "[zone]\nnow = \"20241011163511\"\nasn-source = [\"none\"]\n");
  CHECK(run_zw("-c " + conf + " zone " + kEr).status == 0);                   // valid at the file's --now
  CHECK(run_zw("-c " + conf + " zone --now 2026-12-01 " + kEr).status == 2);  // expired at the command line's
  CHECK(run_zw("zone --asn-source none " + kEr).status == 2);                 // no file: today, expired
}

TEST_CASE("a configuration key that names no option is exit status 3", "[cli][config]") {
  const Run r = run_zw("-c " + write("b.conf", "[zone]\nnonsense = 3\n") + " zone " + kEr);
  CHECK(r.status == 3);
  CHECK(r.err.find("'zone.nonsense' names no option") != std::string::npos);
  CHECK(run_zw("-c " + write("c.conf", "[zone]\nnow = \"not a time\"\n") + " zone " + kEr).status == 3);
  CHECK(run_zw("-c /nonexistent/zonewarden.conf zone " + kEr).status == 3);
}

TEST_CASE("ZONEWARDEN_OPTS adds options before the command line's", "[cli][config]") {
  CHECK(run_zw("zone " + kEr, "ZONEWARDEN_OPTS='--now 20241011163511 --asn-source none'").status == 0);
  CHECK(run_zw("zone --now 2026-12-01 " + kEr, "ZONEWARDEN_OPTS='--now 20241011163511 --asn-source none'").status == 2);
  const Run bad = run_zw("zone " + kEr, "ZONEWARDEN_OPTS='$(id)'");
  CHECK(bad.status == 3);
  CHECK(bad.err.find("ZONEWARDEN_OPTS") != std::string::npos);
}

TEST_CASE("the example of zonewarden.conf(5) is a valid configuration", "[cli][config]") {
  std::ifstream page(kSrc + "/man/zonewarden.conf.5");
  std::string line, example;
  bool in = false;
  while (std::getline(page, line)) {
    if (line == ".nf") {
      in = true;
    } else if (line == ".fi") {
      break;
    } else if (in) {
      example += line + "\n";
    }
  }
  REQUIRE(example.find("[check]") != std::string::npos);
  // Its address files are examples: the bundled extract stands in for them.
  for (const char* path : {"/var/lib/zonewarden/ip2asn-v4.tsv.gz", "/var/lib/zonewarden/ip2asn-v6.tsv.gz"}) {
    const auto at = example.find(path);
    REQUIRE(at != std::string::npos);
    example.replace(at, std::string(path).size(), kSrc + "/zones/asn/asn-extract.csv");
  }
  const Run r = run_zw("-c " + write("example.conf", example) + " zone --now 20241011163511 " + kEr);
  INFO(r.err);
  CHECK(r.status == 0);
}
