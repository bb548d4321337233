// test_codec.cpp: hex, base64 and base32hex (RFC 4648 test vectors, round trips, invalid input) and the
// big-endian field helpers.
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "core/bytes.hpp"
#include "core/codec.hpp"

using namespace zw::core;
using namespace std::string_literals;

namespace {

std::optional<std::string> base64_strict(std::string_view text) {
  std::string out = "keep";
  if (!append_base64_decoded(text, out)) {
    CHECK(out == "keep");  // unchanged on failure
    return std::nullopt;
  }
  return out.substr(4);
}

std::optional<std::string> base32hex(std::string_view text) {
  std::string out = "keep";
  if (!append_base32hex_decoded(text, out)) {
    CHECK(out == "keep");
    return std::nullopt;
  }
  return out.substr(4);
}

std::string all_octets() {
  std::string s;
  for (int i = 0; i < 256; ++i) s.push_back(static_cast<char>(i));
  return s;
}

}  // namespace

TEST_CASE("base64: RFC 4648 §10 test vectors", "[core][codec]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64_encode(plain) == encoded);
    if (*plain) {
      CHECK(base64_strict(encoded) == std::string(plain));
    } else {
      CHECK_FALSE(base64_strict(encoded));  // strict: the empty text is not RDATA
    }
    CHECK(base64_decode_relaxed(encoded) == std::string(plain));
  }
}

TEST_CASE("base64: round trips and invalid input", "[core][codec]") {
  const std::string bytes = all_octets();
  for (std::size_t n = 0; n <= bytes.size(); n += 7) {
    const std::string enc = base64_encode(bytes.substr(0, n));
    CHECK(base64_decode_relaxed(enc) == bytes.substr(0, n));
    if (n) CHECK(base64_strict(enc) == bytes.substr(0, n));
  }
  CHECK_FALSE(base64_strict("Zm9"));       // not a multiple of 4
  CHECK_FALSE(base64_strict("Zm9v\n"));    // white space
  CHECK_FALSE(base64_strict("Zm=v"));      // '=' inside
  CHECK_FALSE(base64_strict("Zh=="));      // stray bits under the padding (RFC 4648 §3.5)
  CHECK_FALSE(base64_strict("Zm9="));      // stray bits
  CHECK_FALSE(base64_strict("Z==="));      // too much padding
  CHECK_FALSE(base64_strict("Zm9v-_=="));  // base64url is another alphabet
  CHECK(base64_decode_relaxed(" Zm9v\r\n YmE= ") == "fooba"s);
  CHECK(base64_decode_relaxed("Zm9vYmE") == "fooba"s);  // padding left out
  CHECK(base64_decode_relaxed("Zg") == "f"s);
  CHECK_FALSE(base64_decode_relaxed("Zm9vY"));  // a lone digit in the last group
  CHECK_FALSE(base64_decode_relaxed("Zh"));     // stray bits
  CHECK_FALSE(base64_decode_relaxed("Zg==Zg=="));
  CHECK_FALSE(base64_decode_relaxed("Zm9v!"));
  CHECK(is_base64_char('+'));
  CHECK(is_base64_char('='));
  CHECK_FALSE(is_base64_char('-'));
}

TEST_CASE("base32hex: RFC 4648 §10 test vectors", "[core][codec]") {
  // The RFC's vectors with their padding taken off (RFC 5155 §3.3 writes base32hex unpadded).
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "CO"},
                                                         {"fo", "CPNG"},
                                                         {"foo", "CPNMU"},
                                                         {"foob", "CPNMUOG"},
                                                         {"fooba", "CPNMUOJ1"},
                                                         {"foobar", "CPNMUOJ1E8"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base32hex_encode(plain, LetterCase::Upper) == encoded);
    CHECK(base32hex(encoded) == std::string(plain));
  }
  CHECK(base32hex_encode("foobar") == "cpnmuoj1e8");
  CHECK(base32hex("cpnmuoj1e8") == "foobar"s);  // case-insensitive
}

TEST_CASE("base32hex: round trips and invalid input", "[core][codec]") {
  const std::string bytes = all_octets();
  for (std::size_t n = 0; n <= bytes.size(); n += 5) {
    const std::string enc = base32hex_encode(bytes.substr(0, n));
    CHECK(base32hex(enc) == bytes.substr(0, n));
  }
  CHECK_FALSE(base32hex("C"));             // 1 digit in the last group
  CHECK_FALSE(base32hex("CPN"));           // 3
  CHECK_FALSE(base32hex("CPNMUO"));        // 6
  CHECK_FALSE(base32hex("CP"));            // bits left over not zero
  CHECK_FALSE(base32hex("CPNMUOJ1E8=="));  // padding
  CHECK_FALSE(base32hex("CPNMUOW1"));      // 'W' is past the alphabet
  CHECK_FALSE(base32hex("CPNM OJ1E8"));
}

TEST_CASE("hex: encode, decode, invalid input", "[core][codec]") {
  CHECK(hex_encode("") == "");
  CHECK(hex_encode("\x00\x01\xab\xff"s) == "0001abff");
  CHECK(hex_encode("\x00\x01\xab\xff"s, LetterCase::Upper) == "0001ABFF");
  const std::string bytes = all_octets();
  CHECK(hex_decode(hex_encode(bytes)) == bytes);
  CHECK(hex_decode(hex_encode(bytes, LetterCase::Upper)) == bytes);
  CHECK(hex_decode("") == ""s);
  CHECK(hex_decode("aBcD") == "\xab\xcd"s);
  CHECK_FALSE(hex_decode("abc"));
  CHECK_FALSE(hex_decode("0g"));
  CHECK_FALSE(hex_decode("0x00"));
  CHECK_FALSE(hex_decode("00 11"));
  std::string out = "keep";
  CHECK_FALSE(append_hex_decoded("zz", out));
  CHECK(out == "keep");
  for (int c = 0; c < 256; ++c) {
    const auto ch = static_cast<char>(c);
    const bool digit = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    CHECK(is_hex_digit(ch) == digit);
  }
}

TEST_CASE("big-endian fields", "[core][codec]") {
  const std::string s = "\x01\x02\x03\x04\xff\xfe"s;
  CHECK(be16(s, 0) == 0x0102);
  CHECK(be16(s, 4) == 0xfffe);
  CHECK(be32(s, 0) == 0x01020304U);
  CHECK(be32(s, 2) == 0x0304fffeU);
  std::string out;
  append_u8(out, 0x1ff);
  append_be16(out, 0x12345);
  append_be32(out, 0xdeadbeefULL);
  CHECK(out == "\xff\x23\x45\xde\xad\xbe\xef"s);
  std::string buf(6, '\0');
  CHECK(store_be32(buf.data(), store_be16(buf.data(), 0, 0xabcd), 0x01020304U) == 6);
  CHECK(buf == "\xab\xcd\x01\x02\x03\x04"s);
}
