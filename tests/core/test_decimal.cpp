// test_decimal.cpp: the one strict reader of unsigned decimal numbers, and the options that read through it.
#include <catch2/catch.hpp>

#include "cli/cli_run.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

using zw::core::parse_decimal;

TEST_CASE("parse_decimal reads digits only and refuses overflow", "[core][decimal]") {
  CHECK(parse_decimal("0") == 0U);
  CHECK(parse_decimal("007") == 7U);
  CHECK(parse_decimal("18446744073709551615") == 18446744073709551615ULL);
  CHECK_FALSE(parse_decimal("18446744073709551616"));
  CHECK_FALSE(parse_decimal("99999999999999999999999"));
  CHECK(parse_decimal("65535", 65535) == 65535U);
  CHECK_FALSE(parse_decimal("65536", 65535));
  for (const char* bad : {"", "+1", "-1", " 1", "1 ", "1e3", "0x10", "١"}) {
    INFO(bad);
    CHECK_FALSE(parse_decimal(bad));
  }
  static_assert(parse_decimal("42") == 42U);
}

TEST_CASE("sizes and durations take digits only", "[core][decimal][cli]") {
  using zw::test::kSrc;
  using zw::test::run_zw;
  for (const char* bad : {"+64M", " 64M", "-64M", "64MB", "M", "99999999999999999999K"}) {
    INFO(bad);
    CHECK(run_zw(std::string("zone --max-input-size '") + bad + "' " + kSrc + "/zones/tld/ARPA.zone").status == 3);
  }
  CHECK(run_zw("zone --max-input-size 64M --now 20241011161057 " + kSrc + "/zones/tld/ARPA.zone").status != 3);
  CHECK(zw::core::parse_duration("86400") == 86400);
  CHECK(zw::core::parse_duration("1w2d") == 9 * 86400);
  CHECK_THROWS_AS(zw::core::parse_duration("99999999999999999999"), zw::Error);
  CHECK_THROWS_AS(zw::core::parse_duration("99999999999999999999d"), zw::Error);
}
