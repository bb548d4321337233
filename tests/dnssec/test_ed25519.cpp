// test_ed25519.cpp: the Ed25519 verifier behind zw::dnssec::verify (libsodium) against the RFC 8032 §7.1 test
// vectors, corrupted and non-canonical signatures (S ≥ L, RFC 8032 §5.1.7), and the small-order cases where it is
// stricter than OpenSSL 3.0, with a differential check against OpenSSL (see verify_ed25519 in src/dnssec/crypto.cpp).
#include <openssl/bn.h>
#include <openssl/evp.h>

#include <array>
#include <catch2/catch.hpp>
#include <fstream>
#include <optional>  // before core/handles.hpp: ldns/common.h #defines false as 0
#include <string>
#include <vector>

#include "core/codec.hpp"
#include "core/handles.hpp"
#include "dnssec/crypto.hpp"
#include "dnssec/rr_file.hpp"

using namespace zw::dnssec;
using zw::core::hex_encode;
using namespace std::string_literals;

namespace {

std::string from_hex(std::string_view hex) {
  return zw::core::hex_decode(hex).value();
}

const unsigned char* ubytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

/// An Ed25519 DNSKEY (RFC 8080 §3) with the raw public key `pk`, parsed.
PublicKey ed25519_key(std::string_view pk) {
  return parse_dnskey("\x01\x00\x03\x0f"s + std::string(pk));
}

/// OpenSSL 3.0's answer for the same input (EVP_DigestVerify), to show where the two agree and where they do not.
bool openssl_accepts(std::string_view pk, std::string_view msg, std::string_view sig) {
  zw::core::EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, ubytes(pk), pk.size()));
  zw::core::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  return key && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), ubytes(sig), sig.size(), ubytes(msg), msg.size()) == 1;
}

std::string sha512(std::string_view data) {
  std::array<unsigned char, 64> out{};
  unsigned int len = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha512(), nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

zw::core::BignumPtr bn_le(std::string_view le) {
  zw::core::BignumPtr bn(BN_lebin2bn(ubytes(le), static_cast<int>(le.size()), nullptr));
  REQUIRE(bn);
  return bn;
}

std::string le32(const BIGNUM* bn) {
  std::string out(32, '\0');
  REQUIRE(BN_bn2lebinpad(bn, reinterpret_cast<unsigned char*>(out.data()), 32) == 32);
  return out;
}

/// L = 2^252 + 27742317777372353535851937790883648493, the order of the base point (RFC 8032 §5.1), little-endian.
const std::string kOrderL = from_hex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
/// Encodings of the neutral element (0, 1) and of the base point B (RFC 8032 §5.1).
const std::string kIdentity = from_hex("0100000000000000000000000000000000000000000000000000000000000000");
const std::string kBasePoint = from_hex("5866666666666666666666666666666666666666666666666666666666666666");

struct Vector {
  const char* name;
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 §7.1, TEST 1 to TEST 3.
const Vector kVectors[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe"
     "24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302a"
     "eeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed2"
     "8dc027beceea1ec40a"},
};

/// verify's answer, checked to be the same as OpenSSL's (used where the two must agree).
VerifyResult verify_agreeing(const PublicKey& key, std::string_view msg, std::string_view sig) {
  const VerifyResult r = verify(key, msg, sig);
  CHECK(openssl_accepts(key.public_key, msg, sig) == (r == VerifyResult::Valid));
  return r;
}

}  // namespace

TEST_CASE("Ed25519: RFC 8032 §7.1 test vectors 1-3 verify, corrupted signatures do not", "[crypto][ed25519]") {
  for (const Vector& v : kVectors) {
    INFO(v.name);
    const PublicKey key = ed25519_key(from_hex(v.public_key));
    REQUIRE(key.problem == KeyProblem::None);
    CHECK(key.bits == 256);
    const std::string msg = from_hex(v.message);
    const std::string sig = from_hex(v.signature);
    REQUIRE(sig.size() == 64);
    CHECK(verify_agreeing(key, msg, sig) == VerifyResult::Valid);

    for (std::size_t byte :
         {std::size_t{0}, std::size_t{17}, std::size_t{31}, std::size_t{32}, std::size_t{50}, std::size_t{62}}) {
      for (unsigned bit : {0U, 5U}) {
        INFO("signature bit " << bit << " of octet " << byte << " flipped");
        std::string bad = sig;
        bad[byte] = static_cast<char>(static_cast<unsigned char>(bad[byte]) ^ (1U << bit));
        CHECK(verify_agreeing(key, msg, bad) == VerifyResult::Invalid);
      }
    }
    std::string other = msg.empty() ? "\x00"s : msg;
    other[0] = static_cast<char>(other[0] ^ 0x01);
    CHECK(verify_agreeing(key, other, sig) == VerifyResult::Invalid);
    CHECK(verify(key, msg, sig.substr(0, 63)) == VerifyResult::Malformed);
    CHECK(verify(key, msg, sig + "\x00"s) == VerifyResult::Malformed);
  }
}

TEST_CASE("Ed25519: a signature with S ≥ L is invalid (RFC 8032 §5.1.7)", "[crypto][ed25519]") {
  for (const Vector& v : kVectors) {
    INFO(v.name);
    const PublicKey key = ed25519_key(from_hex(v.public_key));
    REQUIRE(key.problem == KeyProblem::None);
    const std::string msg = from_hex(v.message);
    const std::string sig = from_hex(v.signature);
    // S + L satisfies the group equation ([S + L]B = [S]B) but is not the canonical scalar: the classic
    // malleability a verifier must refuse.
    zw::core::BignumPtr s = bn_le(sig.substr(32));
    zw::core::BignumPtr l = bn_le(kOrderL);
    zw::core::BignumPtr s_plus_l(BN_new());
    REQUIRE(BN_add(s_plus_l.get(), s.get(), l.get()) == 1);
    CHECK(verify_agreeing(key, msg, sig.substr(0, 32) + le32(s_plus_l.get())) == VerifyResult::Invalid);
    CHECK(verify_agreeing(key, msg, sig.substr(0, 32) + kOrderL) == VerifyResult::Invalid);  // S = L
    std::string high = sig;
    high[63] = static_cast<char>(static_cast<unsigned char>(high[63]) | 0xe0);  // S ≥ 2^253
    CHECK(verify_agreeing(key, msg, high) == VerifyResult::Invalid);
  }
}

TEST_CASE("Ed25519: small-order keys and R values are invalid (OpenSSL 3.0 accepts them)", "[crypto][ed25519]") {
  // The identity as public key decodes (x = 0, sign bit clear), but it is a point of small order: under it,
  // (R = B, S = 1) satisfies [S]B = R + [k]A for every message, a forgery anyone can make. parse_dnskey refuses the
  // key (KEY_EC_POINT_INVALID), so it never verifies anything; libsodium would refuse it too.
  const PublicKey identity = ed25519_key(kIdentity);
  CHECK(identity.problem == KeyProblem::SmallOrder);
  const std::string forged = kBasePoint + kIdentity;  // R = B, S = 1 (little-endian 1 = the identity's encoding)
  for (const std::string& msg : {""s, "any data"s, "\x07"s + "example\x03"s + "com\x00"s}) {
    CHECK(openssl_accepts(kIdentity, msg, forged));
    CHECK(verify(identity, msg, forged) != VerifyResult::Valid);
  }

  // A genuine key (TEST 1) and R = the identity: with the secret scalar a, S = k·a mod L satisfies
  // [S]B = R + [k]A. Such a signature is never made by an honest signer (R = [r]B with r = 0 mod L); libsodium
  // refuses any R of small order, OpenSSL compares encodings and accepts it.
  const Vector& v = kVectors[0];
  const std::string pk = from_hex(v.public_key);
  const PublicKey key = ed25519_key(pk);
  REQUIRE(key.problem == KeyProblem::None);
  std::string a_bytes = sha512(from_hex(v.secret)).substr(0, 32);  // RFC 8032 §5.1.5: clamp the first half
  a_bytes[0] = static_cast<char>(static_cast<unsigned char>(a_bytes[0]) & 0xf8);
  a_bytes[31] = static_cast<char>((static_cast<unsigned char>(a_bytes[31]) & 0x7f) | 0x40);
  const std::string msg = "small-order R";
  zw::core::BignumPtr a = bn_le(a_bytes);
  zw::core::BignumPtr k = bn_le(sha512(kIdentity + pk + msg));
  zw::core::BignumPtr l = bn_le(kOrderL);
  zw::core::BignumPtr s(BN_new());
  zw::core::BnCtxPtr ctx(BN_CTX_new());
  REQUIRE(BN_mod_mul(s.get(), k.get(), a.get(), l.get(), ctx.get()) == 1);
  const std::string small_r = kIdentity + le32(s.get());
  CHECK(openssl_accepts(pk, msg, small_r));
  CHECK(verify(key, msg, small_r) == VerifyResult::Invalid);
  CHECK(verify(key, "other data", small_r) == VerifyResult::Invalid);

  // Encodings with x = 0 and the sign bit set, or y ≥ p, never reach the verifier: parse_dnskey refuses them.
  CHECK(ed25519_key(from_hex("0100000000000000000000000000000000000000000000000000000000000080")).problem ==
        KeyProblem::PointInvalid);
  CHECK(ed25519_key(from_hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")).problem ==
        KeyProblem::PointInvalid);
}

TEST_CASE("Ed25519: where verify and OpenSSL 3.0 differ, verify is the stricter", "[crypto][ed25519]") {
  // Every encoding of a point of small order (orders 1, 2, 4, 8; canonical, with the sign bit set, and y ≥ p) as
  // the key and as R, against S ∈ {0, 1, L − 1, L}. Keys parse_dnskey refuses (all of the small-order ones) count
  // as verifying nothing.
  const std::vector<std::string> small_order = {
      from_hex("0000000000000000000000000000000000000000000000000000000000000000"),
      from_hex("0000000000000000000000000000000000000000000000000000000000000080"),
      kIdentity,
      from_hex("0100000000000000000000000000000000000000000000000000000000000080"),
      from_hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
      from_hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
      from_hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
      from_hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"),
      from_hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
      from_hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
      from_hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
      from_hex("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
  };
  std::vector<std::string> keys = small_order;
  keys.push_back(from_hex(kVectors[0].public_key));
  std::vector<std::string> rs = small_order;
  rs.push_back(kBasePoint);
  std::string l_minus_1 = kOrderL;
  l_minus_1[0] = static_cast<char>(l_minus_1[0] - 1);
  const std::string zero(32, '\0');
  int cases = 0, openssl_only = 0, verify_only = 0;
  for (const std::string& pk : keys) {
    const PublicKey key = ed25519_key(pk);
    for (const std::string& r : rs) {
      for (const std::string& s : {zero, kIdentity, l_minus_1, kOrderL}) {  // kIdentity read as a scalar is 1
        for (const std::string& msg : {""s, "a"s, "zonewarden"s, std::string(200, 'z')}) {
          const std::string sig = r + s;
          // A key parse_dnskey refuses verifies nothing.
          const bool ours = key.problem == KeyProblem::None && verify(key, msg, sig) == VerifyResult::Valid;
          const bool theirs = openssl_accepts(pk, msg, sig);
          ++cases;
          if (theirs && !ours) ++openssl_only;
          if (ours && !theirs) ++verify_only;
        }
      }
    }
  }
  CHECK(cases > 1000);
  CHECK(verify_only == 0);
  CHECK(openssl_only > 0);  // the small-order forgeries OpenSSL 3.0 accepts
}

namespace {

/// The encodings of the 8 points of small order on edwards25519 (the torsion subgroup: the identity, the point of
/// order 2, two of order 4, four of order 8), each canonical; the sign bit of x is bit 7 of the last octet.
const char* const kSmallOrderCanonical[] = {
    "0100000000000000000000000000000000000000000000000000000000000000",  // (0, 1), order 1
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // (0, −1), order 2
    "0000000000000000000000000000000000000000000000000000000000000000",  // (+√−1, 0), order 4
    "0000000000000000000000000000000000000000000000000000000000000080",  // (−√−1, 0), order 4
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",  // order 8
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",  // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",  // order 8
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",  // order 8
};

/// Non-canonical encodings of small-order points: x = 0 with the sign bit set, and y + p for y ∈ {0, 1}.
const char* const kSmallOrderNonCanonical[] = {
    "0100000000000000000000000000000000000000000000000000000000000080",  // (0, 1), sign bit set
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // (0, −1), sign bit set
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p ≡ 0
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // y = p ≡ 0, sign bit set
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // y = p + 1 ≡ 1
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",  // y = p + 1 ≡ 1, sign bit set
};

/// An Ed448 DNSKEY (RFC 8080 §3) with the raw public key `pk`, parsed.
PublicKey ed448_key(std::string_view pk) {
  return parse_dnskey("\x01\x00\x03\x10"s + std::string(pk));
}

}  // namespace

TEST_CASE("Ed25519: all 8 small-order public keys are refused, canonical or not", "[crypto][ed25519][small-order]") {
  for (const char* hex : kSmallOrderCanonical) {
    INFO(hex);
    const PublicKey key = ed25519_key(from_hex(hex));
    CHECK(key.problem == KeyProblem::SmallOrder);
    CHECK_FALSE(key.pkey);
  }
  for (const char* hex : kSmallOrderNonCanonical) {
    INFO(hex);
    const PublicKey key = ed25519_key(from_hex(hex));
    CHECK((key.problem == KeyProblem::SmallOrder || key.problem == KeyProblem::PointInvalid));
    CHECK_FALSE(key.pkey);
  }
  // Real keys stay usable, among them one whose y is one of the small-order y values plus a small amount.
  for (const Vector& v : kVectors) CHECK(ed25519_key(from_hex(v.public_key)).problem == KeyProblem::None);
  CHECK(ed25519_key(kBasePoint).problem == KeyProblem::None);
}

TEST_CASE("Ed448: the identity and the points of order 2 and 4 are refused", "[crypto][ed448][small-order]") {
  const std::string zeros(56, '\0');
  std::string minus_one(56, '\xff');  // p − 1 = 2^448 − 2^224 − 2, little-endian
  minus_one[0] = '\xfe';
  minus_one[28] = '\xfe';
  const std::string small_order[] = {
      "\x01"s + std::string(55, '\0') + "\x00"s,  // (0, 1), order 1
      minus_one + "\x00"s,                        // (0, −1), order 2
      zeros + "\x00"s,                            // (±1, 0), order 4
      zeros + "\x80"s,
  };
  for (const std::string& pk : small_order) {
    INFO(hex_encode(pk));
    const PublicKey key = ed448_key(pk);
    CHECK(key.problem == KeyProblem::SmallOrder);
    CHECK_FALSE(key.pkey);
  }
  // RFC 8032 §7.4, the first key ("blank"): a real key stays usable.
  CHECK(
      ed448_key(from_hex("5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e5"
                         "0f6cd1fa1abeafe8256180"))
          .problem == KeyProblem::None);
}

TEST_CASE("Ed25519: the forged signature of the small-order vector verifies under OpenSSL, the key is refused",
          "[crypto][ed25519][small-order]") {
  // test-vectors/zone/algorithm/ed25519-small-order.zone publishes the identity as DNSKEY 1295 and signs the apex TXT
  // RRset with R = the identity, S = 0: [0]B = R + [k]A holds for any data, so OpenSSL's raw Ed25519 verify accepts
  // it. zonewarden refuses the key (KEY_EC_POINT_INVALID, expected by the vector) and counts no valid signature.
  std::ifstream in(ZW_SOURCE_DIR "/test-vectors/zone/algorithm/ed25519-small-order.zone");
  REQUIRE(in.good());
  std::vector<test::TestRr> txt;
  std::optional<test::TestRr> forged;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("example.\t", 0) != 0) continue;
    if (line.find("\tTXT\t") != std::string::npos) txt.push_back(test::parse_rr_line(line));
    if (line.find("RRSIG\tTXT 15 1 ") != std::string::npos && line.find(" 1295 example. ") != std::string::npos) {
      forged = test::parse_rr_line(line);
    }
  }
  REQUIRE(txt.size() == 1);
  REQUIRE(forged);
  const std::optional<Rrsig> sig = parse_rrsig(forged->rdata);
  REQUIRE(sig);
  CHECK(sig->signature == kIdentity + std::string(32, '\0'));
  const std::string data = signed_data(*sig, txt[0].owner, txt[0].type, txt[0].rclass, {txt[0].rdata});
  CHECK(openssl_accepts(kIdentity, data, sig->signature));
  CHECK(openssl_accepts(kIdentity, data + "other data", sig->signature));

  const PublicKey key = parse_dnskey("\x01\x00\x03\x0f"s + kIdentity);
  CHECK(key.tag == 1295);
  CHECK(key.problem == KeyProblem::SmallOrder);
  CHECK(verify(key, data, sig->signature) != VerifyResult::Valid);
}
