// test_time.cpp: --now parsing, durations and RRSIG serial-number arithmetic.
#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/time.hpp"

using namespace zw::core;

TEST_CASE("time formats parse to the same instant", "[core][time]") {
  const EpochSeconds t = 1795392000;  // 2026-11-23T00:00:00Z
  CHECK(parse_time("1795392000", 0) == t);
  CHECK(parse_time("20261123000000", 0) == t);
  CHECK(parse_time("2026-11-23", 0) == t);
  CHECK(parse_time("2026-11-23T00:00:00Z", 0) == t);
  CHECK(parse_time("2026-11-23T01:30:00+01:30", 0) == t);
  CHECK(parse_time("now+1d", t) == t + 86400);
  CHECK(parse_time("now-2h", t) == t - 7200);
  CHECK(format_time(t) == "2026-11-23T00:00:00Z");
  CHECK(format_rrsig_time(t) == "20261123000000");
  CHECK_THROWS_AS(parse_time("2026-13-01", 0), zw::Error);
  CHECK_THROWS_AS(parse_time("yesterday", 0), zw::Error);
}

TEST_CASE("durations", "[core][time]") {
  CHECK(parse_duration("3d") == 3 * 86400);
  CHECK(parse_duration("1w2d12h") == 9 * 86400 + 12 * 3600);
  CHECK(parse_duration("90") == 90);
  CHECK_THROWS_AS(parse_duration("3x"), zw::Error);
  CHECK_THROWS_AS(parse_duration("99999999999999999999d"), zw::Error);  // not 0 because it does not fit
  CHECK_THROWS_AS(parse_duration("1099511627776w1099511627776w1099511627776w1099511627776w1099511627776w"
                                 "1099511627776w1099511627776w1099511627776w1099511627776w1099511627776w"
                                 "1099511627776w1099511627776w1099511627776w1099511627776w1099511627776w"),
                  zw::Error);
  CHECK(format_duration(2 * 86400 + 3 * 3600) == "2d3h");
}

TEST_CASE("RRSIG times use serial arithmetic around now", "[core][time]") {
  // RFC 4034 §3.1.5: values wrap every 136 years; the one closest to now is meant.
  const EpochSeconds now = make_epoch(2106, 2, 1, 0, 0, 0);  // past 2^32
  const EpochSeconds exp = make_epoch(2106, 3, 1, 0, 0, 0);
  CHECK(rrsig_time(static_cast<std::uint32_t>(exp), now) == exp);
  CHECK(rrsig_time(static_cast<std::uint32_t>(1795392000), 1795392000 + 10) == 1795392000);
}

TEST_CASE("eight digits are a date, as in BIND", "[core][time]") {
  const EpochSeconds t = 1795392000;  // 2026-11-23T00:00:00Z
  CHECK(parse_time("20261123", 0) == t);
  CHECK(parse_time("20260601", 0) == make_epoch(2026, 6, 1, 0, 0, 0));
  CHECK_THROWS_AS(parse_time("20261323", 0), zw::Error);
  CHECK_THROWS_AS(parse_time("20261100", 0), zw::Error);
  CHECK(parse_time("1795392000", 0) == t);  // nine digits and more stay seconds since the epoch
}

TEST_CASE("offsets from the wall clock, as ldns-verify-zone -t and kzonecheck -t take them", "[core][time]") {
  const EpochSeconds t = 1795392000;
  CHECK(parse_time("+86400", t) == t + 86400);
  CHECK(parse_time("-86400", t) == t - 86400);
  CHECK(parse_time("+1D", t) == t + 86400);
  CHECK(parse_time("-1D", t) == t - 86400);
  CHECK(parse_time("+1d", t) == t + 86400);
  CHECK(parse_time("-12H", t) == t - 12 * 3600);
  CHECK(parse_time("+12h", t) == t + 12 * 3600);
  CHECK(parse_time("+30m", t) == t + 30 * 60);
  CHECK(parse_time("+1M", t) == t + 30 * 86400);  // kzonecheck: M is a month, m a minute
  CHECK(parse_time("+1Y", t) == t + 365 * 86400);
  CHECK(parse_time("+1W", t) == t + 7 * 86400);
  CHECK(parse_time("+45s", t) == t + 45);
  CHECK(parse_time("+1d12h", t) == t + 86400 + 12 * 3600);
  CHECK(parse_time("now+1M", t) == parse_time("+1M", t));  // one set of units for both spellings
  CHECK(parse_time("now-30m", t) == t - 30 * 60);
  CHECK_THROWS_AS(parse_time("+", t), zw::Error);
  CHECK_THROWS_AS(parse_time("-", t), zw::Error);
  CHECK_THROWS_AS(parse_time("+1x", t), zw::Error);
  CHECK_THROWS_AS(parse_time("+D", t), zw::Error);
  CHECK_THROWS_AS(parse_time("+99999999999999999999", t), zw::Error);
  CHECK_THROWS_AS(parse_time("+999999999999Y", t), zw::Error);  // too far, and no signed overflow on the way
  CHECK_THROWS_AS(parse_time("+999999999999d999999999999d", t), zw::Error);
}
