// decimal.hpp: the one strict reader of unsigned decimal numbers (zone files, key files, anchors, options, clocks).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace zw::core {

/// True for an ASCII digit (never for other Unicode digits or under a locale).
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// True when `text` is one or more ASCII digits and nothing else.
constexpr bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

/// The value of `text` when it is one to `max_digits` ASCII digits (leading zeros allowed; no sign, no blanks) and
/// not above `max`; empty otherwise, including on overflow.
constexpr std::optional<std::uint64_t> parse_decimal(std::string_view text,
                                                     std::uint64_t max = std::numeric_limits<std::uint64_t>::max(),
                                                     std::size_t max_digits = 20) {
  if (text.size() > max_digits || !all_digits(text)) return std::nullopt;
  std::uint64_t v = 0;
  if (text.size() <= 19) {  // below 10^19 < 2^64: no overflow possible (the hot path: TTLs, key tags, counts)
    for (char c : text) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  } else {
    for (char c : text) {
      const auto d = static_cast<std::uint64_t>(c - '0');
      if (v > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return std::nullopt;
      v = v * 10 + d;
    }
  }
  if (v > max) return std::nullopt;
  return v;
}

}  // namespace zw::core
