// codec.hpp: the text encodings of binary data that zone files and key files use (RFC 4648): hex, base64 and
// base32hex. One copy of each; the decoders are table-driven and write into one allocation, as the loader needs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zw::core {

/// Hex digit values (either case), -1 for anything else.
inline constexpr std::array<std::int8_t, 256> kHexValue = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<std::int8_t>(c);
  for (int c = 0; c < 6; ++c) t['a' + c] = t['A' + c] = static_cast<std::int8_t>(10 + c);
  return t;
}();

/// The value of a hexadecimal digit (either case), or -1.
inline int hex_value(char c) {
  return kHexValue[static_cast<unsigned char>(c)];
}
inline bool is_hex_digit(char c) {
  return hex_value(c) >= 0;
}
/// A character of the RFC 4648 §4 base64 alphabet, or the pad '='.
bool is_base64_char(char c);

/// The case of the letters an encoder writes.
enum class LetterCase : std::uint8_t { Lower, Upper };

/// Hex of `bytes`, two digits an octet, no separators.
std::string hex_encode(std::string_view bytes, LetterCase letters = LetterCase::Lower);
/// Decodes an even number of hex digits (either case), appended to `out`; false (and `out` unchanged) otherwise.
bool append_hex_decoded(std::string_view text, std::string& out);
/// The same, as a value; empty on any violation. The empty text decodes to the empty string.
std::optional<std::string> hex_decode(std::string_view text);

/// RFC 4648 §4 base64 with padding.
std::string base64_encode(std::string_view bytes);
/// Strict RFC 4648 §4 base64 (a multiple of 4 characters, canonical padding, the bits the padding leaves over
/// zero), appended to `out`; false (and `out` unchanged) for anything else, the empty text included.
bool append_base64_decoded(std::string_view text, std::string& out);
/// Base64 as people write it in key files: white space (space, tab, CR, LF) anywhere is ignored and the padding may
/// be left out; otherwise as strict as append_base64_decoded. The empty text decodes to the empty string.
std::optional<std::string> base64_decode_relaxed(std::string_view text);

/// RFC 4648 §7 base32hex without padding (RFC 5155 §3.3); lower case, as NSEC3 owner names are written.
std::string base32hex_encode(std::string_view bytes, LetterCase letters = LetterCase::Lower);
/// Strict RFC 4648 §7 base32hex without padding, case-insensitive: 2, 4, 5 or 7 digits in the last group, the
/// bits left over zero. Appended to `out`; false (and `out` unchanged) otherwise. The empty text decodes to nothing.
bool append_base32hex_decoded(std::string_view text, std::string& out);
/// The same, as a value; empty on any violation.
std::optional<std::string> base32hex_decode(std::string_view text);
/// The same into dst[0..size): false unless `text` decodes to exactly `size` octets (dst may then be clobbered).
bool base32hex_decode_to(std::string_view text, unsigned char* dst, std::size_t size);

}  // namespace zw::core
