// time.cpp: time parsing/formatting without the C library's local-time machinery.
#include "core/time.hpp"

#include <cctype>
#include <limits>

#include "core/decimal.hpp"
#include "core/error.hpp"

namespace zw::core {
namespace {

// A field of a date already known to be digits (at most four).
int num(std::string_view s) {
  return static_cast<int>(parse_decimal(s).value_or(0));
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yy + (m <= 2));
}

void check_fields(std::string_view text, int mo, int d, int h, int mi, int s) {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    throw Error("invalid time \"" + std::string(text) + "\": field out of range");
  }
}

// [+|-]N[unit]... relative to `reference`, as ldns-verify-zone -t ("+86400") and kzonecheck -t ("-1D") take it.
// Units are kzonecheck's: Y year (365 days), M month (30 days), W week, D day, h hour, m minute, s second; a number
// without a unit is seconds. d, w, H and y are accepted too: only M and m differ by case.
EpochSeconds parse_offset(std::string_view text, EpochSeconds reference) {
  auto bad = [&]() {
    return Error("invalid time offset \"" + std::string(text) + "\" (use e.g. +86400, -1D, +12h, +1M)");
  };
  std::int64_t total = 0;
  std::size_t i = 1;
  if (i == text.size()) throw bad();
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i || j - i > 12) throw bad();
    const auto v = static_cast<std::int64_t>(*parse_decimal(text.substr(i, j - i)));  // at most 12 digits
    std::int64_t unit = 1;
    if (j < text.size()) {
      switch (text[j]) {
        case 's':
        case 'S': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h':
        case 'H': unit = 3600; break;
        case 'd':
        case 'D': unit = 86400; break;
        case 'w':
        case 'W': unit = 7 * 86400; break;
        case 'M': unit = 30 * 86400; break;
        case 'y':
        case 'Y': unit = 365 * 86400; break;
        default: throw bad();
      }
      ++j;
    } else if (i != 1) {
      throw bad();  // "+1d30": a bare number only alone
    }
    // At most 2^40 s (some 35,000 years) in all; checked before multiplying, so nothing overflows.
    constexpr std::int64_t kMax = std::int64_t{1} << 40;
    if (v > kMax / unit || total > kMax - v * unit) throw bad();
    total += v * unit;
    i = j;
  }
  return text[0] == '+' ? reference + total : reference - total;
}

}  // namespace

EpochSeconds make_epoch(int year, int month, int day, int hour, int minute, int second) {
  const std::int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

std::int64_t parse_duration(std::string_view text) {
  if (text.empty()) throw Error("empty duration");
  if (all_digits(text)) {
    auto v = parse_decimal(text, std::numeric_limits<std::int64_t>::max());
    if (!v) throw Error("invalid duration \"" + std::string(text) + "\"");
    return static_cast<std::int64_t>(*v);
  }
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i || j >= text.size())
      throw Error("invalid duration \"" + std::string(text) + "\" (use e.g. 3d, 12h, 1w2d)");
    auto parsed = parse_decimal(text.substr(i, j - i), std::numeric_limits<std::int64_t>::max());
    if (!parsed) throw Error("duration too large: \"" + std::string(text) + "\"");
    const auto v = static_cast<std::int64_t>(*parsed);
    std::int64_t unit = 0;
    switch (std::tolower(static_cast<unsigned char>(text[j]))) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 7 * 86400; break;
      default: throw Error("invalid duration unit in \"" + std::string(text) + "\" (s, m, h, d, w)");
    }
    constexpr std::int64_t kMax = std::int64_t{1} << 40;
    if (v > kMax || total > kMax * 7 * 86400 - v * unit) {
      throw Error("duration too large: \"" + std::string(text) + "\"");
    }
    total += v * unit;
    i = j + 1;
  }
  return total;
}

EpochSeconds parse_time(std::string_view text, EpochSeconds reference) {
  if (text == "now") return reference;
  // now+DUR is the offset +DUR: one set of units, so that "now+1M" and "+1M" are the same month.
  if (text.size() > 3 && text.substr(0, 3) == "now" && (text[3] == '+' || text[3] == '-')) {
    return parse_offset(text.substr(3), reference);
  }
  if (all_digits(text) && text.size() == 14) {
    int y = num(text.substr(0, 4)), mo = num(text.substr(4, 2)), d = num(text.substr(6, 2));
    int h = num(text.substr(8, 2)), mi = num(text.substr(10, 2)), s = num(text.substr(12, 2));
    check_fields(text, mo, d, h, mi, s);
    return make_epoch(y, mo, d, h, mi, s);
  }
  if (text.size() > 0 && (text[0] == '+' || text[0] == '-')) return parse_offset(text, reference);
  if (all_digits(text) && text.size() == 8) {
    // YYYYMMDD, a date as BIND's tools take it; an epoch of eight digits would be in 1970-1973.
    int y = num(text.substr(0, 4)), mo = num(text.substr(4, 2)), d = num(text.substr(6, 2));
    check_fields(text, mo, d, 0, 0, 0);
    return make_epoch(y, mo, d, 0, 0, 0);
  }
  if (all_digits(text) && text.size() <= 12) return static_cast<EpochSeconds>(*parse_decimal(text));
  // YYYY-MM-DD[(T| )HH:MM[:SS[.frac]]][Z|±HH:MM]
  auto bad = [&]() {
    return Error("invalid time \"" + std::string(text) + "\" (use epoch, YYYYMMDDHHMMSS or RFC 3339)");
  };
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !all_digits(text.substr(0, 4)) ||
      !all_digits(text.substr(5, 2)) || !all_digits(text.substr(8, 2))) {
    throw bad();
  }
  int y = num(text.substr(0, 4)), mo = num(text.substr(5, 2)), d = num(text.substr(8, 2));
  int h = 0, mi = 0, s = 0;
  std::int64_t offset = 0;
  std::size_t i = 10;
  if (i < text.size() && (text[i] == 'T' || text[i] == 't' || text[i] == ' ')) {
    if (text.size() < i + 6 || text[i + 3] != ':' || !all_digits(text.substr(i + 1, 2)) ||
        !all_digits(text.substr(i + 4, 2))) {
      throw bad();
    }
    h = num(text.substr(i + 1, 2));
    mi = num(text.substr(i + 4, 2));
    i += 6;
    if (i < text.size() && text[i] == ':') {
      if (text.size() < i + 3 || !all_digits(text.substr(i + 1, 2))) throw bad();
      s = num(text.substr(i + 1, 2));
      i += 3;
      if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
      }
    }
  }
  if (i < text.size()) {
    if (text[i] == 'Z' || text[i] == 'z') {
      ++i;
    } else if (text[i] == '+' || text[i] == '-') {
      if (text.size() < i + 6 || text[i + 3] != ':' || !all_digits(text.substr(i + 1, 2)) ||
          !all_digits(text.substr(i + 4, 2))) {
        throw bad();
      }
      offset = num(text.substr(i + 1, 2)) * 3600 + num(text.substr(i + 4, 2)) * 60;
      if (text[i] == '-') offset = -offset;
      i += 6;
    }
  }
  if (i != text.size()) throw bad();
  check_fields(text, mo, d, h, mi, s);
  return make_epoch(y, mo, d, h, mi, s) - offset;
}

namespace {

/// `t` in UTC as year, month, day, hour, minute and second, through a printf `format` of six ints.
std::string format_civil(EpochSeconds t, const char* format) {
  std::int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  std::int64_t rem = t - days * 86400;
  int y = 0, m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, format, y, m, d, static_cast<int>(rem / 3600), static_cast<int>(rem / 60 % 60),
                static_cast<int>(rem % 60));
  return buf;
}

}  // namespace

std::string format_time(EpochSeconds t) {
  return format_civil(t, "%04d-%02d-%02dT%02d:%02d:%02dZ");
}

std::string format_rrsig_time(EpochSeconds t) {
  return format_civil(t, "%04d%02d%02d%02d%02d%02d");
}

std::string format_duration(std::int64_t seconds) {
  std::string out;
  out.reserve(16);
  if (seconds < 0) {
    out.push_back('-');
    seconds = -seconds;
  }
  std::int64_t d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
  if (d) out += std::to_string(d) + "d";
  if (h) out += std::to_string(h) + "h";
  if (m && d == 0) out += std::to_string(m) + "m";
  if (s && d == 0 && h == 0) out += std::to_string(s) + "s";
  if (out.empty() || out == "-") out.append("0s");
  return out;
}

EpochSeconds rrsig_time(std::uint32_t value, EpochSeconds now) {
  auto now32 = static_cast<std::uint32_t>(static_cast<std::uint64_t>(now));
  auto delta = static_cast<std::int32_t>(value - now32);
  return now + delta;
}

}  // namespace zw::core
