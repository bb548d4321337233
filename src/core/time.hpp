// time.hpp: the --now clock, durations, and RRSIG serial-number time arithmetic (RFC 4034 §3.1.5).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zw::core {

/// Seconds since the Unix epoch (64-bit, UTC).
using EpochSeconds = std::int64_t;

/// Parses a time: epoch seconds (up to 12 digits, but not 8), YYYYMMDD, YYYYMMDDHHMMSS, YYYY-MM-DD, RFC 3339
/// (YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)), "now", "now+DUR", "now-DUR", or an offset "+N"/"-N" (seconds) and
/// "+ND", "-12h", "+1M" (kzonecheck's units, M = 30 days, m = minute) relative to `reference`. Throws zw::Error on
/// malformed input.
EpochSeconds parse_time(std::string_view text, EpochSeconds reference);

/// Parses a duration: plain seconds, or a sequence of <number><unit> with units s m h d w (e.g. "3d", "1w2d12h").
/// Throws zw::Error on malformed input.
std::int64_t parse_duration(std::string_view text);

/// RFC 3339 UTC, e.g. "2026-11-23T00:00:00Z".
std::string format_time(EpochSeconds t);
/// RRSIG presentation form YYYYMMDDHHMMSS.
std::string format_rrsig_time(EpochSeconds t);
/// Human duration, e.g. "2d3h", "45m", "-1d2h".
std::string format_duration(std::int64_t seconds);

/// Maps a 32-bit RRSIG time to the 64-bit epoch closest to `now` (serial arithmetic, RFC 4034 §3.1.5).
EpochSeconds rrsig_time(std::uint32_t value, EpochSeconds now);

/// Days-from-civil conversion (UTC), exposed for tests.
EpochSeconds make_epoch(int year, int month, int day, int hour, int minute, int second);

/// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil); inline for the loader, which
/// converts two RRSIG times a signature.
inline std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace zw::core
