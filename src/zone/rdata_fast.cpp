// rdata_fast.cpp: native RDATA parsers for the common DNSSEC zone types; anything unusual goes back to ldns.
#include "zone/rdata_fast.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "core/bytes.hpp"
#include "core/codec.hpp"
#include "core/decimal.hpp"
#include "core/ldns.hpp"
#include "core/time.hpp"

namespace zw::zone {
namespace {

constexpr std::size_t kMaxName = 255;

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

using core::all_digits;

// Plain decimal (no sign, no units) up to `max`.
bool number(const Token& tok, std::uint64_t max, std::uint64_t& v) {
  auto parsed = tok.quoted ? std::nullopt : core::parse_decimal(tok.text, max, 10);
  v = parsed.value_or(0);
  return parsed.has_value();
}

using core::append_be16;
using core::append_be32;
using core::append_u8;

bool u8(const Token& t, std::string& out) {
  std::uint64_t v = 0;
  if (!number(t, 0xff, v)) return false;
  append_u8(out, v);
  return true;
}
bool u16(const Token& t, std::string& out) {
  std::uint64_t v = 0;
  if (!number(t, 0xffff, v)) return false;
  append_be16(out, v);
  return true;
}
bool u32(const Token& t, std::string& out) {
  std::uint64_t v = 0;
  if (!number(t, 0xffffffffULL, v)) return false;
  append_be32(out, v);
  return true;
}

// A domain name without escapes; relative names are completed with `origin`. Written in place: one resize to an
// upper bound (every character gives at most one octet, plus the first length octet and the origin), then trimmed.
bool name(const Token& tok, std::string_view origin, bool lowercase, std::string& out) {
  std::string_view t = tok.text;
  if (tok.quoted || t.empty()) return false;
  const std::size_t start = out.size();
  if (t == "@") {
    if (origin.empty()) return false;
    for (char c : origin) out.push_back(lowercase ? lower(c) : c);
    return true;
  }
  if (t == ".") {
    out.push_back('\0');
    return true;
  }
  out.resize(start + t.size() + 1 + origin.size());
  char* const base = out.data() + start;
  char* w = base;
  char* label = w++;
  for (char c : t) {
    if (c == '\\') return false;
    if (c == '.') {
      const auto len = static_cast<std::size_t>(w - label - 1);
      if (len == 0 || len > 63) return false;
      *label = static_cast<char>(len);
      label = w++;
      continue;
    }
    *w++ = lowercase ? lower(c) : c;
  }
  const auto len = static_cast<std::size_t>(w - label - 1);
  if (len == 0) {
    *label = '\0';  // ended in '.': the last length octet is the root label
  } else {
    if (len > 63 || origin.empty()) return false;
    *label = static_cast<char>(len);
    for (char c : origin) *w++ = lowercase ? lower(c) : c;
  }
  const auto size = static_cast<std::size_t>(w - base);
  out.resize(start + size);
  return size <= kMaxName;
}

// Base64 over the concatenated tokens: canonical padding only, no stray bits.
bool base64(std::span<const Token> toks, std::string& out) {
  if (toks.empty()) return false;
  thread_local std::string joined;
  std::string_view text;
  if (toks.size() == 1) {
    if (toks[0].quoted) return false;
    text = toks[0].text;
  } else {
    joined.clear();
    for (const Token& tok : toks) {
      if (tok.quoted) return false;
      joined += tok.text;
    }
    text = joined;
  }
  return core::append_base64_decoded(text, out);
}

bool hex(std::span<const Token> toks, std::string& out) {
  if (toks.empty()) return false;
  std::size_t digits = 0;
  for (const Token& tok : toks) {
    if (tok.quoted) return false;
    digits += tok.text.size();
  }
  if (digits % 2 != 0) return false;
  const std::size_t at = out.size();
  out.resize(at + digits / 2);
  auto* dst = reinterpret_cast<unsigned char*>(out.data() + at);
  int bad = 0;  // any -1 sets every bit
  unsigned high = 0;
  bool half = false;
  for (const Token& tok : toks) {
    for (char c : tok.text) {
      const int v = core::hex_value(c);
      bad |= v;
      if (half) {
        *dst++ = static_cast<unsigned char>((high << 4) | (static_cast<unsigned>(v) & 15U));
      } else {
        high = static_cast<unsigned>(v) & 15U;
      }
      half = !half;
    }
  }
  if (bad < 0) {
    out.resize(at);
    return false;
  }
  return true;
}

// "-" or 1..255 octets of hex, preceded by the length octet (RFC 5155 §3.3).
bool salt(const Token& tok, std::string& out) {
  if (tok.quoted) return false;
  if (tok.text == "-") {
    out.push_back('\0');
    return true;
  }
  if (tok.text.size() > 510) return false;
  const std::size_t at = out.size();
  out.push_back('\0');
  if (!hex(std::span<const Token>(&tok, 1), out)) return false;
  out[at] = static_cast<char>(out.size() - at - 1);
  return true;
}

// RFC 4034 §3.2: YYYYMMDDHHmmSS in UTC, kept modulo 2^32 (serial number arithmetic) as ldns does.
bool timestamp(const Token& tok, std::string& out) {
  std::string_view t = tok.text;
  if (tok.quoted || t.size() != 14 || !all_digits(t)) return false;
  auto num = [&](std::size_t pos, std::size_t len) {
    unsigned v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) v = v * 10 + static_cast<unsigned>(t[i] - '0');
    return v;
  };
  const unsigned y = num(0, 4), mo = num(4, 2), d = num(6, 2), h = num(8, 2), mi = num(10, 2), s = num(12, 2);
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[mo - 1] + (mo == 2 && leap ? 1U : 0U)) return false;
  const std::int64_t secs = core::days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
  append_be32(out, static_cast<std::uint64_t>(secs) & 0xffffffffULL);
  return true;
}

// RFC 4034 §4.1.2 type bit maps from mnemonics.
bool type_bitmap(std::span<const Token> toks, std::string& out) {
  std::array<std::uint16_t, 64> small{};
  std::size_t n = 0;
  std::string many;  // spill when a record lists more than 64 types
  std::vector<std::uint16_t> types;
  for (const Token& tok : toks) {
    if (tok.quoted) return false;
    std::uint16_t t = type_from_text(tok.text);
    if (t == 0) return false;
    if (n < small.size()) {
      small[n++] = t;
    } else {
      if (types.empty()) types.assign(small.begin(), small.end());
      types.push_back(t);
    }
  }
  if (types.empty()) types.assign(small.begin(), small.begin() + static_cast<std::ptrdiff_t>(n));
  std::sort(types.begin(), types.end());
  types.erase(std::unique(types.begin(), types.end()), types.end());
  std::size_t i = 0;
  while (i < types.size()) {
    const unsigned window = types[i] >> 8;
    std::array<unsigned char, 32> bits{};
    unsigned used = 0;
    for (; i < types.size() && (types[i] >> 8) == window; ++i) {
      const unsigned low = types[i] & 0xff;
      bits[low / 8] |= static_cast<unsigned char>(0x80U >> (low % 8));
      used = low / 8 + 1;
    }
    out.push_back(static_cast<char>(window));
    out.push_back(static_cast<char>(used));
    out.append(reinterpret_cast<const char*>(bits.data()), used);
  }
  return true;
}

bool ipv4(const Token& tok, std::string& out) {
  if (tok.quoted || tok.text.size() > 15) return false;
  char buf[16];
  std::memcpy(buf, tok.text.data(), tok.text.size());
  buf[tok.text.size()] = '\0';
  unsigned char addr[4];
  if (inet_pton(AF_INET, buf, addr) != 1) return false;
  out.append(reinterpret_cast<const char*>(addr), 4);
  return true;
}

bool ipv6(const Token& tok, std::string& out) {
  if (tok.quoted || tok.text.size() > 45) return false;
  char buf[46];
  std::memcpy(buf, tok.text.data(), tok.text.size());
  buf[tok.text.size()] = '\0';
  unsigned char addr[16];
  if (inet_pton(AF_INET6, buf, addr) != 1) return false;
  out.append(reinterpret_cast<const char*>(addr), 16);
  return true;
}

bool parse(std::uint16_t type, std::span<const Token> t, std::string_view origin, std::string& out) {
  const std::size_t n = t.size();
  switch (type) {
    case 1: return n == 1 && ipv4(t[0], out);   // A
    case 28: return n == 1 && ipv6(t[0], out);  // AAAA
    case 2:
    case 5:
    case 12:
    case 39: return n == 1 && name(t[0], origin, true, out);                    // NS CNAME PTR DNAME
    case 15: return n == 2 && u16(t[0], out) && name(t[1], origin, true, out);  // MX
    case 6:                                                                     // SOA
      return n == 7 && name(t[0], origin, true, out) && name(t[1], origin, true, out) && u32(t[2], out) &&
             u32(t[3], out) && u32(t[4], out) && u32(t[5], out) && u32(t[6], out);
    case 43:
    case 59:  // DS CDS
      return n >= 4 && u16(t[0], out) && u8(t[1], out) && u8(t[2], out) && hex(t.subspan(3), out);
    case 48:
    case 60:  // DNSKEY CDNSKEY
      return n >= 4 && u16(t[0], out) && u8(t[1], out) && u8(t[2], out) && base64(t.subspan(3), out);
    case 46: {  // RRSIG
      if (n < 9 || t[0].quoted) return false;
      const std::uint16_t covered = type_from_text(t[0].text);
      if (covered == 0) return false;
      append_be16(out, covered);
      return u8(t[1], out) && u8(t[2], out) && u32(t[3], out) && timestamp(t[4], out) && timestamp(t[5], out) &&
             u16(t[6], out) && name(t[7], origin, true, out) && base64(t.subspan(8), out);
    }
    case 47:  // NSEC: RFC 6840 §5.1, the next name keeps its case
      return n >= 2 && name(t[0], origin, false, out) && type_bitmap(t.subspan(1), out);
    case 50: {  // NSEC3
      if (n < 5 || !u8(t[0], out) || !u8(t[1], out) || !u16(t[2], out) || !salt(t[3], out) || t[4].quoted) {
        return false;
      }
      const std::size_t length_at = out.size();
      out.push_back('\0');
      if (!append_base32hex(t[4].text, out)) return false;
      out[length_at] = static_cast<char>(out.size() - length_at - 1);
      return type_bitmap(t.subspan(5), out);
    }
    case 51: return n == 4 && u8(t[0], out) && u8(t[1], out) && u16(t[2], out) && salt(t[3], out);  // NSEC3PARAM
    default: return false;
  }
}

}  // namespace

std::optional<std::string> decode_base32hex(std::string_view text) {
  std::string out;
  if (!append_base32hex(text, out)) return std::nullopt;
  return out;
}

bool append_base32hex(std::string_view text, std::string& out) {
  const std::size_t octets = text.size() * 5 / 8;
  return octets != 0 && octets <= 255 && core::append_base32hex_decoded(text, out);  // RFC 5155 §3.3: 1 to 255
}

std::uint16_t type_from_text(std::string_view s) {
  struct Entry {
    std::string_view name;
    std::uint16_t type;
  };
  static constexpr std::array<Entry, 18> kCommon = {{{"A", 1},
                                                     {"NS", 2},
                                                     {"CNAME", 5},
                                                     {"SOA", 6},
                                                     {"PTR", 12},
                                                     {"MX", 15},
                                                     {"TXT", 16},
                                                     {"AAAA", 28},
                                                     {"SRV", 33},
                                                     {"DNAME", 39},
                                                     {"DS", 43},
                                                     {"RRSIG", 46},
                                                     {"NSEC", 47},
                                                     {"DNSKEY", 48},
                                                     {"NSEC3", 50},
                                                     {"NSEC3PARAM", 51},
                                                     {"CDS", 59},
                                                     {"CDNSKEY", 60}}};
  if (s.empty() || s.size() > 20) return 0;
  for (const Entry& e : kCommon) {
    if (e.name.size() != s.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < s.size() && same; ++i) same = (s[i] & ~0x20) == e.name[i] || s[i] == e.name[i];
    if (same) return e.type;
  }
  if (s.size() > 4 && (s.substr(0, 4) == "TYPE" || s.substr(0, 4) == "type")) {
    std::string_view d = s.substr(4);
    if (d.size() > 5 || !all_digits(d)) return 0;
    unsigned v = 0;
    for (char c : d) v = v * 10 + static_cast<unsigned>(c - '0');
    return v <= 0xffff ? static_cast<std::uint16_t>(v) : 0;
  }
  char buf[24];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = '\0';
  return static_cast<std::uint16_t>(ldns_get_rr_type_by_name(buf));
}

bool fast_name(std::string_view text, std::string_view origin, std::string& out) {
  const std::size_t size = out.size();
  if (name(Token{text, false}, origin, false, out)) return true;
  out.resize(size);
  return false;
}

bool fast_rdata(std::uint16_t type, std::span<const Token> tokens, std::string_view origin, std::string& out) {
  const std::size_t size = out.size();
  if (parse(type, tokens, origin, out) && out.size() - size <= 65535) return true;
  out.resize(size);
  return false;
}

}  // namespace zw::zone
