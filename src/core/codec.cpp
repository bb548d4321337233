// codec.cpp: hex, base64 and base32hex (RFC 4648).
#include "core/codec.hpp"

namespace zw::core {
namespace {

constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kBase64Digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase32HexLower[] = "0123456789abcdefghijklmnopqrstuv";
constexpr char kBase32HexUpper[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";

// 0..63 for the base64 alphabet, 64 for '=', 0x80 for anything else.
constexpr std::array<std::uint8_t, 256> kBase64Value = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = 0x80;
  for (int i = 0; i < 26; ++i) {
    t['A' + i] = static_cast<std::uint8_t>(i);
    t['a' + i] = static_cast<std::uint8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) t['0' + i] = static_cast<std::uint8_t>(52 + i);
  t['+'] = 62;
  t['/'] = 63;
  t['='] = 64;
  return t;
}();

// 0..31 for the base32hex alphabet (either case), -1 for anything else.
constexpr std::array<std::int8_t, 256> kBase32HexValue = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  for (int c = 0; c < 10; ++c) t['0' + c] = static_cast<std::int8_t>(c);
  for (int c = 0; c < 22; ++c) t['a' + c] = t['A' + c] = static_cast<std::int8_t>(10 + c);
  return t;
}();

bool base64_decode_into(std::string_view text, std::string& out) {
  const std::size_t n = text.size();
  if (n == 0 || n % 4 != 0) return false;
  std::size_t pad = 0;
  if (text[n - 1] == '=') pad = text[n - 2] == '=' ? 2 : 1;
  const std::size_t at = out.size();
  out.resize(at + n / 4 * 3);
  auto* dst = reinterpret_cast<unsigned char*>(out.data() + at);
  const auto* src = reinterpret_cast<const unsigned char*>(text.data());
  unsigned bad = 0;
  const std::size_t full = pad ? n - 4 : n;
  for (std::size_t i = 0; i < full; i += 4, dst += 3) {
    const unsigned a = kBase64Value[src[i]], b = kBase64Value[src[i + 1]], c = kBase64Value[src[i + 2]],
                   d = kBase64Value[src[i + 3]];
    bad |= (a | b | c | d) & 0xc0;  // '=' (64) or not base64 (0x80)
    const unsigned v = (a << 18) | (b << 12) | (c << 6) | d;
    dst[0] = static_cast<unsigned char>(v >> 16);
    dst[1] = static_cast<unsigned char>(v >> 8);
    dst[2] = static_cast<unsigned char>(v);
  }
  if (bad) return false;
  if (pad) {
    const unsigned a = kBase64Value[src[n - 4]], b = kBase64Value[src[n - 3]];
    const unsigned c = pad == 2 ? 0 : kBase64Value[src[n - 2]];
    if ((a | b | c) & 0xc0) return false;
    // RFC 4648 §3.5: the bits the padding leaves over must be zero.
    if (pad == 2 ? (b & 0x0f) != 0 : (c & 0x03) != 0) return false;
    const unsigned v = (a << 18) | (b << 12) | (c << 6);
    dst[0] = static_cast<unsigned char>(v >> 16);
    if (pad == 1) dst[1] = static_cast<unsigned char>(v >> 8);
    out.resize(out.size() - pad);
  }
  return true;
}

}  // namespace

bool is_base64_char(char c) {
  return (kBase64Value[static_cast<unsigned char>(c)] & 0x80) == 0;
}

std::string hex_encode(std::string_view bytes, LetterCase letters) {
  const char* digits = letters == LetterCase::Upper ? kHexUpper : kHexLower;
  std::string out(bytes.size() * 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = digits[b >> 4];
    out[2 * i + 1] = digits[b & 0x0f];
  }
  return out;
}

bool append_hex_decoded(std::string_view text, std::string& out) {
  if (text.size() % 2 != 0) return false;
  const std::size_t at = out.size();
  out.resize(at + text.size() / 2);
  auto* dst = reinterpret_cast<unsigned char*>(out.data() + at);
  int bad = 0;  // any -1 sets every bit
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int hi = hex_value(text[i]), lo = hex_value(text[i + 1]);
    bad |= hi | lo;
    *dst++ = static_cast<unsigned char>(((static_cast<unsigned>(hi) & 15U) << 4) | (static_cast<unsigned>(lo) & 15U));
  }
  if (bad < 0) {
    out.resize(at);
    return false;
  }
  return true;
}

std::optional<std::string> hex_decode(std::string_view text) {
  std::string out;
  if (!append_hex_decoded(text, out)) return std::nullopt;
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const std::uint32_t v =
        static_cast<std::uint32_t>(b[i]) << 16 | static_cast<std::uint32_t>(b[i + 1]) << 8 | b[i + 2];
    for (int s = 18; s >= 0; s -= 6) out.push_back(kBase64Digits[(v >> s) & 63]);
  }
  if (i + 1 == bytes.size()) {
    const std::uint32_t v = static_cast<std::uint32_t>(b[i]) << 16;
    out += {kBase64Digits[(v >> 18) & 63], kBase64Digits[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == bytes.size()) {
    const std::uint32_t v = static_cast<std::uint32_t>(b[i]) << 16 | static_cast<std::uint32_t>(b[i + 1]) << 8;
    out += {kBase64Digits[(v >> 18) & 63], kBase64Digits[(v >> 12) & 63], kBase64Digits[(v >> 6) & 63], '='};
  }
  return out;
}

bool append_base64_decoded(std::string_view text, std::string& out) {
  const std::size_t size = out.size();
  if (base64_decode_into(text, out)) return true;
  out.resize(size);
  return false;
}

std::optional<std::string> base64_decode_relaxed(std::string_view text) {
  std::string compact;
  compact.reserve(text.size() + 3);
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') compact.push_back(c);
  }
  if (compact.empty()) return std::string();
  // Padding left out: complete the last group (a lone digit there stays invalid).
  if (compact.back() != '=' && compact.size() % 4 >= 2) compact.append(4 - compact.size() % 4, '=');
  std::string out;
  if (!append_base64_decoded(compact, out)) return std::nullopt;
  return out;
}

std::string base32hex_encode(std::string_view bytes, LetterCase letters) {
  const char* digits = letters == LetterCase::Upper ? kBase32HexUpper : kBase32HexLower;
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char ch : bytes) {
    acc = (acc << 8) | static_cast<unsigned char>(ch);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out.push_back(digits[(acc >> bits) & 0x1F]);
    }
  }
  if (bits > 0) out.push_back(digits[(acc << (5 - bits)) & 0x1F]);
  return out;
}

bool base32hex_decode_to(std::string_view text, unsigned char* dst, std::size_t size) {
  if (text.size() * 5 / 8 != size) return false;
  std::uint32_t acc = 0;
  int bits = 0;
  int bad = 0;
  for (char c : text) {
    const int v = kBase32HexValue[static_cast<unsigned char>(c)];
    bad |= v;
    acc = (acc << 5) | (static_cast<std::uint32_t>(v) & 31U);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      *dst++ = static_cast<unsigned char>((acc >> bits) & 0xff);
    }
  }
  // RFC 4648 §6 without padding: 2, 4, 5 or 7 digits in the last group (never 5 bits or more left), the bits left
  // over zero.
  return bad >= 0 && bits < 5 && (acc & ((1U << bits) - 1)) == 0;
}

bool append_base32hex_decoded(std::string_view text, std::string& out) {
  const std::size_t at = out.size();
  const std::size_t octets = text.size() * 5 / 8;
  out.resize(at + octets);
  if (base32hex_decode_to(text, reinterpret_cast<unsigned char*>(out.data() + at), octets)) return true;
  out.resize(at);
  return false;
}

std::optional<std::string> base32hex_decode(std::string_view text) {
  std::string out;
  if (!append_base32hex_decoded(text, out)) return std::nullopt;
  return out;
}

}  // namespace zw::core
