// bytes.hpp: big-endian reads and writes of wire fields (RFC 1035 §2.3.2: network byte order).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace zw::core {

/// The 16-bit big-endian value at p[0..1].
inline std::uint16_t be16(const unsigned char* p) {
  return static_cast<std::uint16_t>((static_cast<unsigned>(p[0]) << 8) | p[1]);
}
/// The 32-bit big-endian value at p[0..3].
inline std::uint32_t be32(const unsigned char* p) {
  return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16 |
         static_cast<std::uint32_t>(p[2]) << 8 | static_cast<std::uint32_t>(p[3]);
}
/// The 16-bit big-endian value at s[pos..pos+1]; the caller has checked the bounds.
inline std::uint16_t be16(std::string_view s, std::size_t pos) {
  return be16(reinterpret_cast<const unsigned char*>(s.data()) + pos);
}
/// The 32-bit big-endian value at s[pos..pos+3]; the caller has checked the bounds.
inline std::uint32_t be32(std::string_view s, std::size_t pos) {
  return be32(reinterpret_cast<const unsigned char*>(s.data()) + pos);
}

/// Appends the low 8, 16 or 32 bits of `v`, big-endian.
inline void append_u8(std::string& out, std::uint64_t v) {
  out.push_back(static_cast<char>(v & 0xff));
}
inline void append_be16(std::string& out, std::uint64_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}
inline void append_be32(std::string& out, std::uint64_t v) {
  append_be16(out, v >> 16);
  append_be16(out, v);
}

/// Writes `v` big-endian at out[pos]; returns the position after it.
inline std::size_t store_be16(char* out, std::size_t pos, std::uint16_t v) {
  out[pos] = static_cast<char>(v >> 8);
  out[pos + 1] = static_cast<char>(v & 0xff);
  return pos + 2;
}
inline std::size_t store_be32(char* out, std::size_t pos, std::uint32_t v) {
  pos = store_be16(out, pos, static_cast<std::uint16_t>(v >> 16));
  return store_be16(out, pos, static_cast<std::uint16_t>(v & 0xffff));
}

}  // namespace zw::core
