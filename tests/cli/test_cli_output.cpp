// test_cli_output.cpp: what a pipeline reads: the evaluation time, JSON documents for errors, per-zone errors,
// failed writes, messages and the quiet mode.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/cli_run.hpp"

using zw::test::kSrc;
using zw::test::Run;
using zw::test::run_zw;

namespace {

const std::string kEr = kSrc + "/zones/tld/ER.zone";
const std::string kArab = kSrc + "/zones/tld/XN--WGBH1C.zone";

}  // namespace

TEST_CASE("text output names the evaluation time on its first line", "[cli][now]") {
  Run r = run_zw("zone --now 20260601 " + kEr, "NO_COLOR=1");
  CHECK(r.status == 2);  // the .er signatures have expired by then
  CHECK(r.out.rfind("zonewarden zone: evaluated at 2026-06-01T00:00:00Z\n", 0) == 0);
  Run offset = run_zw("zone --now +1D " + kEr);
  CHECK(offset.status != 3);
  CHECK(offset.out.rfind("zonewarden zone: evaluated at ", 0) == 0);
  CHECK(run_zw("zone --now -86400 " + kEr).status != 3);
}
