// test_nsec3.cpp: NSEC3 hash known answers (RFC 5155 Appendix A, unbound's test_nsec3_hash.1), base32hex and the
// NSEC3/NSEC3PARAM/type-bitmap parsers.
#include <catch2/catch.hpp>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/name.hpp"
#include "dnssec/nsec3.hpp"

using namespace zw::dnssec;
using zw::core::base32hex_decode;
using zw::core::base32hex_encode;
using namespace std::string_literals;

namespace {

std::string source(const std::string& rel) {
  return std::string(ZW_SOURCE_DIR) + "/" + rel;
}

zw::core::WireName wire(const std::string& text) {
  zw::core::WireName out;
  std::string err;
  REQUIRE(zw::core::parse_name(text, ".", out, err));
  zw::core::name_to_lower(out);
  return out;
}

std::string from_hex(std::string_view hex) {
  return zw::core::hex_decode(hex).value();
}

std::string hash_text(const std::string& name, const std::string& salt_hex, std::uint16_t iterations) {
  return base32hex_encode(nsec3_hash(wire(name), from_hex(salt_hex), iterations));
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

/// "; H(name) = hash" comments of the RFC 5155 Appendix A zone (one of them spans two lines).
std::vector<std::pair<std::string, std::string>> appendix_a_hashes() {
  std::ifstream in(source("test-vectors/kat/rfc5155-appendix-a.zone"));
  REQUIRE(in);
  std::vector<std::pair<std::string, std::string>> out;
  std::string line;
  std::string pending;
  while (std::getline(in, line)) {
    if (line.rfind(";", 0) != 0) continue;
    std::string body = trim(line.substr(1));
    if (body.rfind("H(", 0) == 0) {
      auto close = body.find(')');
      REQUIRE(close != std::string::npos);
      std::string name = body.substr(2, close - 2);
      auto eq = body.find('=', close);
      if (eq == std::string::npos) {
        pending = name;
      } else {
        out.emplace_back(name, trim(body.substr(eq + 1)));
      }
    } else if (!pending.empty() && body.rfind("=", 0) == 0) {
      out.emplace_back(pending, trim(body.substr(1)));
      pending.clear();
    }
  }
  return out;
}

}  // namespace

TEST_CASE("NSEC3 hashes of the RFC 5155 Appendix A zone", "[nsec3][kat]") {
  const auto cases = appendix_a_hashes();
  REQUIRE(cases.size() == 12);
  for (const auto& [name, expected] : cases) {
    INFO("H(" << name << ")");
    // Appendix A: hash algorithm 1, salt aabbccdd, 12 additional iterations.
    CHECK(hash_text(name + ".", "aabbccdd", 12) == expected);
  }
}

TEST_CASE("NSEC3 hashes of unbound's test_nsec3_hash.1", "[nsec3][kat][corpus]") {
  std::ifstream in(source("test-vectors/unbound/test_nsec3_hash.1"));
  REQUIRE(in);
  std::string line;
  std::string section;
  std::string qname;
  std::string answer;
  std::string salt;
  int iterations = -1;
  std::size_t checked = 0;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == ';') continue;
    if (line == "ENTRY_BEGIN") {
      qname.clear();
      answer.clear();
      salt.clear();
      iterations = -1;
      continue;
    }
    if (line.rfind("SECTION ", 0) == 0) {
      section = line.substr(8);
      continue;
    }
    if (line == "ENTRY_END") {
      INFO("query " << qname << ", expected owner " << answer);
      REQUIRE(!qname.empty());
      REQUIRE(!answer.empty());
      REQUIRE(iterations >= 0);
      // The query name is hashed in canonical (lower-case) form, whatever its case in the question.
      CHECK(hash_text(qname, salt == "-" ? "" : salt, static_cast<std::uint16_t>(iterations)) == answer);
      ++checked;
      continue;
    }
    std::istringstream words(line);
    std::vector<std::string> w;
    for (std::string t; words >> t;) w.push_back(t);
    if (section == "QUESTION" && !w.empty()) qname = w[0];
    if (section == "ANSWER" && !w.empty()) {
      std::string owner = w[0];
      answer = owner.substr(0, owner.find('.'));
      for (char& c : answer) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (section == "AUTHORITY") {
      for (std::size_t i = 0; i + 4 < w.size(); ++i) {
        if (w[i] != "NSEC3") continue;
        REQUIRE(w[i + 1] == "1");  // SHA-1
        iterations = std::stoi(w[i + 3]);
        salt = w[i + 4];
      }
    }
  }
  CHECK(checked == 16);
}

TEST_CASE("NSEC3 hash: no salt, no iterations, long salt and many iterations", "[nsec3]") {
  // Reference values from Python's hashlib over the same canonical wire names.
  CHECK(hash_text("example.", "", 0) == "3msev9usmd4br9s97v51r2tdvmr9iqo1");
  CHECK(hash_text("WWW.Example.", "aabbccdd", 100) == "idf82mtfjvhgfr0lm26hip2dl4f909a5");
  CHECK(hash_text(".", "", 0) == "bekjp7dgpvsjukll47bk43i3urmq4u2f");
  Nsec3Digest d;
  nsec3_hash_into(wire("example."), "", 0, d);
  CHECK(std::string(reinterpret_cast<const char*>(d.data()), d.size()) == nsec3_hash(wire("example."), "", 0));
  // A 255-octet salt and a 255-octet name fit the fixed buffer.
  std::string salt(255, '\x5a');
  std::string name;
  for (int i = 0; i < 3; ++i) name += "\x3f" + std::string(63, 'a');
  name += "\x3d" + std::string(61, 'b') + std::string(1, '\0');
  REQUIRE(name.size() == 255);
  CHECK(nsec3_hash(name, salt, 3).size() == 20);
}

TEST_CASE("base32hex follows RFC 4648 §10 without padding, in lower case", "[nsec3]") {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},
      {"f", "co"},
      {"fo", "cpng"},
      {"foo", "cpnmu"},
      {"foob", "cpnmuog"},
      {"fooba", "cpnmuoj1"},
      {"foobar", "cpnmuoj1e8"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base32hex_encode(plain) == encoded);
    auto upper = encoded;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(base32hex_decode(encoded) == plain);
    CHECK(base32hex_decode(upper) == plain);
  }
  CHECK_FALSE(base32hex_decode("cpnmu===").has_value());  // padding is not used in NSEC3
  CHECK_FALSE(base32hex_decode("cw").has_value());        // 'w' is outside the alphabet
  CHECK_FALSE(base32hex_decode("c").has_value());         // 5 bits: no whole octet
  CHECK_FALSE(base32hex_decode("cpn").has_value());
  CHECK_FALSE(base32hex_decode("cpnmuo").has_value());
  CHECK_FALSE(base32hex_decode("cp").has_value());  // non-zero trailing bits
  Nsec3Digest d;
  CHECK(base32hex_decode_digest("0p9mhaveqvm6t7vbl5lop2u3t2rp3tom", d));
  CHECK(base32hex_encode(std::string(reinterpret_cast<const char*>(d.data()), d.size())) ==
        "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom");
  CHECK_FALSE(base32hex_decode_digest("0p9mhaveqvm6t7vbl5lop2u3t2rp3to", d));
  CHECK_FALSE(base32hex_decode_digest("0p9mhaveqvm6t7vbl5lop2u3t2rp3tomm", d));
  CHECK_FALSE(base32hex_decode_digest("0p9mhaveqvm6t7vbl5lop2u3t2rp3toz", d));
}

TEST_CASE("NSEC3, NSEC3PARAM and type bitmap RDATA", "[nsec3]") {
  // 1 1 12 aabbccdd <20-octet hash> A RRSIG
  std::string next(20, '\x11');
  std::string rd = "\x01\x01\x00\x0c\x04\xaa\xbb\xcc\xdd\x14"s + next + "\x00\x06\x40\x00\x00\x00\x00\x02"s;
  auto n3 = parse_nsec3(rd);
  REQUIRE(n3);
  CHECK(n3->algorithm == 1);
  CHECK(n3->flags == kNsec3FlagOptOut);
  CHECK(n3->iterations == 12);
  CHECK(n3->salt == "\xaa\xbb\xcc\xdd"s);
  CHECK(n3->next == next);
  std::vector<std::uint16_t> types;
  REQUIRE(parse_type_bitmap(n3->bitmap, types));
  CHECK(types == std::vector<std::uint16_t>{1, 46});
  CHECK_FALSE(parse_nsec3(rd.substr(0, 12)).has_value());
  CHECK_FALSE(parse_nsec3("\x01\x00\x00\x00\x00\x00"s).has_value());  // hash length 0

  auto p = parse_nsec3param("\x01\x00\x00\x00\x00"s);
  REQUIRE(p);
  CHECK(p->iterations == 0);
  CHECK(p->salt.empty());
  CHECK_FALSE(parse_nsec3param("\x01\x00\x00\x00\x02\xaa"s).has_value());  // truncated salt
  CHECK_FALSE(parse_nsec3param("\x01\x00\x00\x00\x00\x00"s).has_value());  // trailing octet

  // Two windows: NS SOA (window 0) and CAA 257 (window 1).
  REQUIRE(parse_type_bitmap("\x00\x01\x30\x01\x01\x40"s, types));
  CHECK(types == std::vector<std::uint16_t>{2, 3, 257});
  CHECK(parse_type_bitmap("", types));
  CHECK(types.empty());
  CHECK_FALSE(parse_type_bitmap("\x01\x01\x40\x00\x01\x60"s, types));  // windows out of order
  CHECK_FALSE(parse_type_bitmap("\x00\x00"s, types));                  // empty window
  CHECK_FALSE(parse_type_bitmap("\x00\x02\x60"s, types));              // truncated
  CHECK_FALSE(parse_type_bitmap("\x00"s + std::string(1, '\x21') + std::string(33, '\x01'), types));  // > 32 octets
}
