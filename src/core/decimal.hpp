// decimal.hpp: the one strict reader of unsigned decimal numbers (zone files, key files, anchors, options, clocks).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

namespace zw::core {

/// True when `text` is one or more ASCII digits and nothing else.
constexpr bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

/// The value of `text` when it is one or more ASCII digits (leading zeros allowed; no sign, no blanks) and not above
/// `max`; empty otherwise, including on overflow.
constexpr std::optional<std::uint64_t> parse_decimal(std::string_view text,
                                                     std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
  if (!all_digits(text)) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (v > (max - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace zw::core
