// test_threaded_runs.cpp: whole zone runs on several cores give the bytes one core gives. Tagged [threads]: under
// scripts/test --tsan the binary they run is the ThreadSanitizer build, which fails a run that races.
#include <catch2/catch.hpp>
#include <string>

#include "cli/cli_run.hpp"
#include "input_support.hpp"

using namespace zw;

namespace {

/// Runs `args` at -j 1 and at -j 4 and checks both give the same status and output, with no sanitizer report.
void same_on_every_core_count(const std::string& args) {
  INFO(args);
  test::Run one = test::run_zw("zone -q -f json -j 1 " + args);
  test::Run four = test::run_zw("zone -q -f json -j 4 " + args);
  CHECK(one.err.find("ThreadSanitizer") == std::string::npos);
  CHECK(four.err.find("ThreadSanitizer") == std::string::npos);
  CHECK(one.status >= 0);
  CHECK(one.status <= 2);
  CHECK(four.status == one.status);
  CHECK(four.out == one.out);
}

}  // namespace

TEST_CASE("a root zone and an NSEC3 TLD zone give the same report on one core and on four", "[threads][runs]") {
  const std::string root = test::kSrc + "/zones/root/";
  same_on_every_core_count("--now 20190401000000 -k " + root + "root-anchors.xml " + root + "root-2019033102.zone.gz");
  same_on_every_core_count("--now 20261210000000 " + test::kSrc + "/zones/tld/FJ.zone.gz");
  // Several zones in one run, with the previous version of one of them.
  same_on_every_core_count("--now 20190201000000 --previous " + root + "root-2019010300.zone.gz " + root +
                           "root-2019012200.zone.gz " + test::kSrc + "/zones/tld/XN--WGBH1C.zone");
}

TEST_CASE("two zone runs at once with one key history keep every key", "[threads][runs]") {
  test::ScratchDir dir;
  const std::string history = (dir.path / "history").string();
  const std::string signers = test::kSrc + "/test-vectors/signers/";
  const std::string zw = ZW_BINARY;
  const std::string cmd = "(" + zw + " zone -q -j 2 --now 20261210000000 --key-history " + history + " " + signers +
                          "bind-ed25519-csk-nsec3.zone >/dev/null 2>&1 & " + zw +
                          " zone -q -j 2 --now 20261210000000 --key-history " + history + " " + signers +
                          "bind-ecdsap384-csk-nsec.zone >/dev/null 2>&1 & wait)";
  REQUIRE(std::system(cmd.c_str()) == 0);
  const std::string text = test::slurp(history);
  CHECK(text.rfind("# zonewarden key-history version 1\n", 0) == 0);
  CHECK(text.find(" 257 3 15 ") != std::string::npos);  // the Ed25519 CSK
  CHECK(text.find(" 257 3 14 ") != std::string::npos);  // the ECDSA P-384 CSK
}
