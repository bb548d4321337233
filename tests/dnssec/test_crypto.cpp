// test_crypto.cpp: known-answer (RFC 4034/4509/5702/6605/8080) and negative tests for the DNSSEC crypto primitives.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <optional>  // before core/handles.hpp: ldns/common.h #defines false as 0
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/codec.hpp"
#include "core/handles.hpp"
#include "dnssec/crypto.hpp"
#include "rr_file.hpp"

using namespace zw::dnssec;
using zw::core::hex_encode;
using zw::dnssec::test::read_rr_file;
using zw::dnssec::test::TestRr;
using namespace std::string_literals;

namespace {

constexpr std::uint16_t kTypeA = 1, kTypeDs = 43, kTypeRrsig = 46, kTypeDnskey = 48, kClassIn = 1;

std::string kat(const std::string& file) {
  return std::string(ZW_SOURCE_DIR) + "/test-vectors/kat/" + file;
}

void flip_bit(std::string& s, std::size_t byte, unsigned bit = 0) {
  s[byte] = static_cast<char>(static_cast<unsigned char>(s[byte]) ^ (1U << bit));
}

/// One RRSIG of a vector file with the key it names and the data it signs.
struct SigCase {
  std::uint16_t tag = 0;
  std::uint8_t algorithm = 0;
  PublicKey key;
  std::string data;
  std::string signature;
};

std::vector<SigCase> load_sig_cases(const std::string& file) {
  const std::vector<TestRr> rrs = read_rr_file(kat(file));
  std::vector<SigCase> out;
  for (const TestRr& r : rrs) {
    if (r.type != kTypeRrsig) continue;
    const auto sig = parse_rrsig(r.rdata);
    REQUIRE(sig);
    const TestRr* key_rr = nullptr;
    for (const TestRr& k : rrs) {
      if (k.type == kTypeDnskey && k.owner == sig->signer && key_tag(k.rdata) == sig->key_tag) key_rr = &k;
    }
    REQUIRE(key_rr != nullptr);
    std::vector<std::string_view> rdatas;
    for (const TestRr& x : rrs) {
      if (x.type == sig->type_covered && x.owner == r.owner && x.rclass == r.rclass) rdatas.push_back(x.rdata);
    }
    REQUIRE(!rdatas.empty());
    SigCase c;
    c.tag = sig->key_tag;
    c.algorithm = sig->algorithm;
    c.key = parse_dnskey(key_rr->rdata);
    c.data = signed_data(*sig, r.owner, sig->type_covered, r.rclass, rdatas);
    c.signature = std::string(sig->signature);
    out.push_back(std::move(c));
  }
  return out;
}

/// Checks that a good signature verifies and that the usual corruptions do not.
void check_case(const SigCase& c) {
  INFO("key tag " << c.tag << ", algorithm " << int{c.algorithm});
  REQUIRE(c.key.problem == KeyProblem::None);
  CHECK(c.key.algorithm == c.algorithm);
  CHECK(verify(c.key, c.data, c.signature) == VerifyResult::Valid);

  std::string data = c.data;
  flip_bit(data, data.size() - 1);  // last bit of the RDATA
  CHECK(verify(c.key, data, c.signature) == VerifyResult::Invalid);
  data = c.data;
  flip_bit(data, 0, 7);  // type covered
  CHECK(verify(c.key, data, c.signature) == VerifyResult::Invalid);

  std::string sig = c.signature;
  flip_bit(sig, sig.size() / 2 + 1, 3);
  CHECK(verify(c.key, c.data, sig) == VerifyResult::Invalid);
  sig = c.signature;
  flip_bit(sig, sig.size() - 1);
  CHECK(verify(c.key, c.data, sig) == VerifyResult::Invalid);

  const VerifyResult truncated = verify(c.key, c.data, c.signature.substr(0, c.signature.size() - 1));
  CHECK((truncated == VerifyResult::Malformed || truncated == VerifyResult::Invalid));
  CHECK(verify(c.key, c.data, "") == VerifyResult::Malformed);
  CHECK(verify(c.key, c.data, c.signature + '\0') != VerifyResult::Valid);
}

const TestRr& find_key(const std::vector<TestRr>& rrs, std::uint16_t tag) {
  for (const TestRr& r : rrs) {
    if (r.type == kTypeDnskey && key_tag(r.rdata) == tag) return r;
  }
  FAIL("no DNSKEY with tag " << tag);
  throw std::logic_error("unreachable");
}

/// Checks every DS of a file against the DNSKEY with its key tag.
int check_ds_records(const std::vector<TestRr>& rrs) {
  int checked = 0;
  for (const TestRr& r : rrs) {
    if (r.type != kTypeDs) continue;
    const auto ds = parse_ds(r.rdata);
    REQUIRE(ds);
    const TestRr& key = find_key(rrs, ds->key_tag);
    INFO("DS " << ds->key_tag << " digest type " << int{ds->digest_type});
    CHECK(ds->algorithm == parse_dnskey(key.rdata).algorithm);
    CHECK(ds->digest.size() == ds_digest_length(ds->digest_type));
    const auto digest = ds_digest(ds->digest_type, r.owner, key.rdata);
    REQUIRE(digest);
    CHECK(hex_encode(*digest) == hex_encode(ds->digest));
    // The owner is lower-cased before hashing.
    std::string upper = r.owner;
    for (char& ch : upper) {
      if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 32);
    }
    CHECK(ds_digest(ds->digest_type, upper, key.rdata) == digest);
    ++checked;
  }
  return checked;
}

std::string dnskey_rdata(std::uint16_t flags, std::uint8_t alg, std::string_view public_key) {
  std::string rd;
  rd.push_back(static_cast<char>(flags >> 8));
  rd.push_back(static_cast<char>(flags & 0xff));
  rd.push_back('\x03');
  rd.push_back(static_cast<char>(alg));
  rd.append(public_key);
  return rd;
}

std::string bn_bytes(const BIGNUM* bn) {
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

/// RSA public key field with a one-octet exponent length (RFC 3110 §2).
std::string rsa_field(std::string_view exponent, std::string_view modulus) {
  return std::string(1, static_cast<char>(exponent.size())) + std::string(exponent) + std::string(modulus);
}

/// A freshly generated key pair with its DNSKEY RDATA.
struct Generated {
  zw::core::EvpPkeyPtr pkey;
  std::string rdata;
};

Generated generate_rsa(std::size_t bits, std::uint8_t alg) {
  Generated g;
  g.pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
  REQUIRE(g.pkey);
  BIGNUM* n_raw = nullptr;
  BIGNUM* e_raw = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(g.pkey.get(), OSSL_PKEY_PARAM_RSA_N, &n_raw) == 1);
  zw::core::BignumPtr n(n_raw);
  REQUIRE(EVP_PKEY_get_bn_param(g.pkey.get(), OSSL_PKEY_PARAM_RSA_E, &e_raw) == 1);
  zw::core::BignumPtr e(e_raw);
  g.rdata = dnskey_rdata(256, alg, rsa_field(bn_bytes(e.get()), bn_bytes(n.get())));
  return g;
}

Generated generate_raw(const char* type, std::uint8_t alg) {
  Generated g;
  g.pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, type));
  REQUIRE(g.pkey);
  std::string pub(57, '\0');
  std::size_t len = pub.size();
  REQUIRE(EVP_PKEY_get_raw_public_key(g.pkey.get(), reinterpret_cast<unsigned char*>(pub.data()), &len) == 1);
  pub.resize(len);
  g.rdata = dnskey_rdata(256, alg, pub);
  return g;
}

std::string sign(EVP_PKEY* pkey, const char* md_name, std::string_view data) {
  // No assertions in here: the ECDSA loop below calls it a variable number of times.
  zw::core::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  const auto* in = reinterpret_cast<const unsigned char*>(data.data());
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, md_name, nullptr, nullptr, pkey, nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1) {
    return {};
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size()) != 1) return {};
  sig.resize(len);
  return sig;
}

/// DER ECDSA-Sig-Value → r | s (each left-padded to `half` octets), empty if malformed; short-form lengths only.
std::string der_to_raw(std::string_view der, std::size_t half) {
  if (der.size() < 8 || der[0] != 0x30) return {};
  std::size_t pos = 2;
  std::string out;
  for (int i = 0; i < 2; ++i) {
    if (pos + 2 > der.size() || der[pos] != 0x02) return {};
    const std::size_t len = static_cast<unsigned char>(der[pos + 1]);
    std::string_view v = der.substr(pos + 2, len);
    pos += 2 + len;
    while (!v.empty() && v[0] == 0) v.remove_prefix(1);
    if (v.size() > half) return {};
    out += std::string(half - v.size(), '\0') + std::string(v);
  }
  return out;
}

/// An RRSIG as signed_data needs it (no RDATA bytes behind it).
Rrsig make_rrsig(std::uint16_t type, std::uint8_t alg, std::uint8_t labels, std::uint16_t tag, std::string signer) {
  Rrsig s;
  s.type_covered = type;
  s.algorithm = alg;
  s.labels = labels;
  s.original_ttl = 3600;
  s.expiration = 1900000000;
  s.inception = 1700000000;
  s.key_tag = tag;
  s.signer = std::move(signer);
  return s;
}

// Root KSK-2010 (19036) as published with the REVOKE bit in root zone serial 2019012200.
const char* const kRootKsk2010Revoked =
    ". 172800 IN DNSKEY 385 3 8 "
    "AwEAAagAIKlVZrpC6Ia7gEzahOR+9W29euxhJhVVLOyQbSEW0O8gcCjFFVQUTf6v58fLjwBd0YI0EzrAcQqBGCzh/RStIoO8g0NfnfL2MTJRkxo"
    "XbfDaUeVPQuYEhg37NZWAJQ9VnMVDxP/VHL496M/QZxkjf5/Efucp2gaDX6RS6CXpoY68LsvPVjR0ZSwzz1apAzvN9dlzEheX7ICJBBtuA6G3LQpz"
    "W5hOA2hzCTMjJPJ8LbqF6dsV6DoBQzgul0sGIcGOYl7OyQdXfZ57relSQageu+ipAdTTJ25AsRTAoub8ONGcLmqrAmRLKBP1dfwhYB4N7knNnulq"
    "QxA+Uk1ihz0=";

}  // namespace

TEST_CASE("RFC 5702 RSASHA256 and RSASHA512 signatures verify", "[crypto]") {
  const auto sha256 = load_sig_cases("rfc5702-6.1-rsasha256.rr");
  REQUIRE(sha256.size() == 1);
  CHECK(sha256[0].tag == 9033);
  CHECK(sha256[0].key.tag == 9033);
  CHECK(sha256[0].key.bits == 512);
  CHECK(sha256[0].algorithm == 8);
  check_case(sha256[0]);

  const auto sha512 = load_sig_cases("rfc5702-6.2-rsasha512.rr");
  REQUIRE(sha512.size() == 1);
  CHECK(sha512[0].key.tag == 3740);
  CHECK(sha512[0].key.bits == 1024);
  CHECK(sha512[0].algorithm == 10);
  check_case(sha512[0]);

  // A key of the other algorithm/size does not verify it.
  CHECK(verify(sha512[0].key, sha256[0].data, sha256[0].signature) != VerifyResult::Valid);
}

TEST_CASE("RFC 6605 ECDSA signatures verify and their DS records match", "[crypto]") {
  const auto p256 = load_sig_cases("rfc6605-6.1-ecdsap256sha256.rr");
  REQUIRE(p256.size() == 1);
  CHECK(p256[0].key.tag == 55648);
  CHECK(p256[0].key.bits == 256);
  check_case(p256[0]);
  CHECK(check_ds_records(read_rr_file(kat("rfc6605-6.1-ecdsap256sha256.rr"))) == 1);

  const auto p384 = load_sig_cases("rfc6605-6.2-ecdsap384sha384.rr");
  REQUIRE(p384.size() == 1);
  CHECK(p384[0].key.tag == 10771);
  CHECK(p384[0].key.bits == 384);
  check_case(p384[0]);
  CHECK(check_ds_records(read_rr_file(kat("rfc6605-6.2-ecdsap384sha384.rr"))) == 1);

  // r | s of the wrong length for the curve.
  CHECK(verify(p256[0].key, p256[0].data, p384[0].signature) == VerifyResult::Malformed);
  CHECK(verify(p384[0].key, p384[0].data, p256[0].signature) == VerifyResult::Malformed);
  // r = 0 or s = 0 encodes as DER INTEGER 0 and is rejected by OpenSSL.
  CHECK(verify(p256[0].key, p256[0].data, std::string(64, '\0')) == VerifyResult::Invalid);
}

TEST_CASE("RFC 8080 Ed25519 and Ed448 signatures verify", "[crypto]") {
  const auto ed25519 = load_sig_cases("rfc8080-6.1-ed25519.rr");
  REQUIRE(ed25519.size() == 2);
  CHECK(ed25519[0].key.tag == 3613);
  CHECK(ed25519[1].key.tag == 35217);
  for (const SigCase& c : ed25519) {
    CHECK(c.key.bits == 256);
    check_case(c);
  }
  CHECK(verify(ed25519[1].key, ed25519[0].data, ed25519[0].signature) == VerifyResult::Invalid);
  CHECK(check_ds_records(read_rr_file(kat("rfc8080-6.1-ed25519.rr"))) == 2);

  const auto ed448 = load_sig_cases("rfc8080-6.2-ed448.rr");
  REQUIRE(ed448.size() == 2);
  CHECK(ed448[0].key.tag == 9713);
  CHECK(ed448[1].key.tag == 38353);
  for (const SigCase& c : ed448) {
    CHECK(c.key.bits == 456);
    check_case(c);
  }
  CHECK(verify(ed448[0].key, ed448[1].data, ed448[1].signature) == VerifyResult::Invalid);
  CHECK(verify(ed448[0].key, ed448[0].data, ed25519[0].signature) == VerifyResult::Malformed);
}

TEST_CASE("RFC 4034 §5.4 / RFC 4509 DS digests of dskey.example.com", "[crypto]") {
  const auto rrs = read_rr_file(kat("rfc4034-5.4-rfc4509-ds.rr"));
  const TestRr& key_rr = find_key(rrs, 60485);
  const PublicKey key = parse_dnskey(key_rr.rdata);
  CHECK(key.tag == 60485);
  CHECK(key.flags == 256);
  CHECK(key.protocol == 3);
  CHECK(key.algorithm == 5);
  CHECK(key.problem == KeyProblem::None);
  CHECK(key.pkey != nullptr);
  CHECK(key.bits == 1024);
  CHECK(check_ds_records(rrs) == 2);
  CHECK(hex_encode(*ds_digest(1, key_rr.owner, key_rr.rdata)) == "2bb183af5f22588179a53b0a98631fad1a292118");
  CHECK(hex_encode(*ds_digest(2, key_rr.owner, key_rr.rdata)) ==
        "d4b7d520e7bb5f0f67674a0cceb1e3e0614b93c4f9e99b8383f6a1e4469da50a");
  CHECK(ds_digest(4, key_rr.owner, key_rr.rdata)->size() == 48);
  CHECK_FALSE(ds_digest(3, key_rr.owner, key_rr.rdata));  // GOST
  CHECK_FALSE(ds_digest(0, key_rr.owner, key_rr.rdata));
  CHECK_FALSE(ds_digest(5, key_rr.owner, key_rr.rdata));
}

TEST_CASE("DS parsing and digest lengths", "[crypto]") {
  CHECK(ds_digest_length(1) == 20);
  CHECK(ds_digest_length(2) == 32);
  CHECK(ds_digest_length(3) == 32);
  CHECK(ds_digest_length(4) == 48);
  CHECK(ds_digest_length(0) == 0);
  CHECK(ds_digest_length(5) == 0);

  const auto cds_delete = parse_ds("\x00\x00\x00\x00\x00"s);  // CDS "0 0 0 00" (RFC 8078 §4)
  REQUIRE(cds_delete);
  CHECK(cds_delete->key_tag == 0);
  CHECK(cds_delete->algorithm == 0);
  CHECK(cds_delete->digest_type == 0);
  CHECK(cds_delete->digest == "\x00"s);
  CHECK_FALSE(parse_ds("\x00\x00\x00\x00"s));
  CHECK_FALSE(parse_ds(""));

  const auto ds = parse_ds("\xec\x45\x05\x02\xab\xcd"s);
  REQUIRE(ds);
  CHECK(ds->key_tag == 60485);
  CHECK(ds->algorithm == 5);
  CHECK(ds->digest_type == 2);
  CHECK(hex_encode(ds->digest) == "abcd");
}

TEST_CASE("revoked tag of the root KSK-2010", "[crypto]") {
  const TestRr rr = zw::dnssec::test::parse_rr_line(kRootKsk2010Revoked);
  const PublicKey revoked = parse_dnskey(rr.rdata);
  CHECK(revoked.flags == 385);
  CHECK((revoked.flags & kFlagRevoke) != 0);
  CHECK(revoked.tag == 19164);
  CHECK(revoked.revoked_tag == 19036);
  CHECK(revoked.problem == KeyProblem::None);
  CHECK(revoked.bits == 2048);

  std::string published = rr.rdata;
  flip_bit(published, 1, 7);  // clear REVOKE: flags 257
  const PublicKey ksk = parse_dnskey(published);
  CHECK(ksk.flags == 257);
  CHECK(ksk.tag == 19036);
  CHECK(ksk.revoked_tag == 19164);
  // IANA trust anchor for KSK-2010 (root-anchors.xml).
  CHECK(hex_encode(*ds_digest(2, "\0"s, published)) ==
        "49aac11d7b6f6446702e54a1607371607a1a41855200fd2ce1cdde32f24e8fb5");

  const auto facts = rsa_facts(ksk);
  REQUIRE(facts);
  CHECK(facts->bits == 2048);
  CHECK(facts->exponent_decimal == "65537");
  CHECK_FALSE(facts->exponent_invalid);
  CHECK_FALSE(facts->exponent_unusual);
  CHECK_FALSE(facts->modulus_even);
  CHECK(facts->small_factor == 0);
}

TEST_CASE("key tags", "[crypto]") {
  // RFC 4034 B.1: algorithm 1 takes the 3rd- and 2nd-to-last octets of the modulus.
  const std::string md5 = dnskey_rdata(256, 1, "\x01\x03\x11\x22\x33\xab\xcd\xef"s);
  CHECK(key_tag(md5) == 0xabcd);
  CHECK(key_tag(""s) == 0);
  CHECK(key_tag("\x01\x00"s) == 0x0100);
  CHECK(key_tag("\x01\x00\x03\x08\xff"s) == ((0x0100 + 0x0308 + 0xff00) & 0xffff) + 1);  // carry folded back in
}

TEST_CASE("algorithm names and support", "[crypto]") {
  CHECK(algorithm_name(1) == "RSAMD5");
  CHECK(algorithm_name(2) == "DH");
  CHECK(algorithm_name(3) == "DSA");
  CHECK(algorithm_name(5) == "RSASHA1");
  CHECK(algorithm_name(6) == "DSA-NSEC3-SHA1");
  CHECK(algorithm_name(7) == "RSASHA1-NSEC3-SHA1");
  CHECK(algorithm_name(8) == "RSASHA256");
  CHECK(algorithm_name(10) == "RSASHA512");
  CHECK(algorithm_name(12) == "ECC-GOST");
  CHECK(algorithm_name(13) == "ECDSAP256SHA256");
  CHECK(algorithm_name(14) == "ECDSAP384SHA384");
  CHECK(algorithm_name(15) == "ED25519");
  CHECK(algorithm_name(16) == "ED448");
  CHECK(algorithm_name(252) == "INDIRECT");
  CHECK(algorithm_name(253) == "PRIVATEDNS");
  CHECK(algorithm_name(254) == "PRIVATEOID");
  CHECK(algorithm_name(4) == "ALG4");
  CHECK(algorithm_name(200) == "ALG200");
  for (int a = 0; a < 256; ++a) {
    const bool want = a == 5 || a == 7 || a == 8 || a == 10 || (a >= 13 && a <= 16);
    CHECK(algorithm_supported(static_cast<std::uint8_t>(a)) == want);
  }
}

TEST_CASE("unsupported and truncated DNSKEYs", "[crypto]") {
  for (std::uint8_t alg : {std::uint8_t{1}, std::uint8_t{3}, std::uint8_t{6}, std::uint8_t{12}, std::uint8_t{200}}) {
    const PublicKey k = parse_dnskey(dnskey_rdata(256, alg, "\x03\x01\x00\x01\xc0\xff\xee\x01"s));
    INFO("algorithm " << int{alg});
    CHECK(k.problem == KeyProblem::Unsupported);
    CHECK(k.pkey == nullptr);
    CHECK_FALSE(k.problem_text.empty());
    CHECK(k.algorithm == alg);
    CHECK(verify(k, "data", std::string(64, 'x')) == VerifyResult::Unsupported);
    CHECK_FALSE(rsa_facts(k));
  }
  for (std::size_t n = 0; n < 4; ++n) {
    const PublicKey k = parse_dnskey(std::string("\x01\x01\x03\x08", n));
    CHECK(k.problem == KeyProblem::Encoding);
    CHECK(k.pkey == nullptr);
  }
  // Every prefix of every real key parses without a crash (ASan watches for reads past the end).
  for (const char* file : {"rfc5702-6.2-rsasha512.rr", "rfc6605-6.2-ecdsap384sha384.rr", "rfc8080-6.2-ed448.rr"}) {
    for (const TestRr& r : read_rr_file(kat(file))) {
      if (r.type != kTypeDnskey) continue;
      for (std::size_t n = 0; n < r.rdata.size(); ++n) {
        const PublicKey k = parse_dnskey(std::string_view(r.rdata).substr(0, n));
        if (n < 4 || r.rdata[3] != 10) {
          CHECK(k.problem == KeyProblem::Encoding);
        }
      }
    }
  }
}

TEST_CASE("RSA public key encodings (RFC 3110 §2)", "[crypto]") {
  const PublicKey good = std::move(load_sig_cases("rfc5702-6.1-rsasha256.rr").at(0).key);
  const std::string& modulus = good.rsa_modulus;
  REQUIRE(modulus.size() == 64);
  CHECK(good.rsa_exponent == "\x01\x00\x01"s);

  auto parse = [](const std::string& field) { return parse_dnskey(dnskey_rdata(256, 8, field)); };
  const PublicKey two_octet_len = parse("\x00\x00\x03\x01\x00\x01"s + modulus);
  CHECK(two_octet_len.problem == KeyProblem::None);
  CHECK(two_octet_len.bits == 512);

  const PublicKey zero_len = parse("\x00\x00\x00"s + modulus);
  CHECK(zero_len.problem == KeyProblem::Encoding);
  CHECK(zero_len.problem_text.find("length") != std::string::npos);
  CHECK(zero_len.pkey == nullptr);
  CHECK(parse("\x00\x01"s).problem == KeyProblem::Encoding);          // two-octet length truncated
  CHECK(parse("\x05\x01\x00"s).problem == KeyProblem::Encoding);      // exponent truncated
  CHECK(parse("\x03\x01\x00\x01"s).problem == KeyProblem::Encoding);  // no modulus
  CHECK(parse("").problem == KeyProblem::Encoding);

  const PublicKey exp_zero = parse("\x03\x00\x00\x03"s + modulus);
  CHECK(exp_zero.problem == KeyProblem::Encoding);
  CHECK(exp_zero.pkey == nullptr);
  const auto exp_zero_facts = rsa_facts(exp_zero);  // still readable
  REQUIRE(exp_zero_facts);
  CHECK(exp_zero_facts->exponent_decimal == "3");

  const PublicKey mod_zero = parse("\x03\x01\x00\x01\x00"s + modulus);
  CHECK(mod_zero.problem == KeyProblem::Encoding);
  CHECK(mod_zero.bits == 512);

  // A 256-octet exponent needs the three-octet length form.
  const std::string big_exp = "\x01"s + std::string(254, '\0') + "\x01"s;
  const PublicKey big = parse("\x00\x01\x00"s + big_exp + modulus);
  CHECK(big.problem == KeyProblem::None);
  CHECK(big.rsa_exponent == big_exp);
  const auto big_facts = rsa_facts(big);
  REQUIRE(big_facts);
  CHECK(big_facts->exponent_unusual);
  CHECK_FALSE(big_facts->exponent_invalid);
  CHECK(big_facts->exponent_decimal.size() > 600);

  // The signature must be as long as the modulus.
  const SigCase c = std::move(load_sig_cases("rfc5702-6.1-rsasha256.rr").at(0));
  CHECK(verify(c.key, c.data, c.signature.substr(1)) == VerifyResult::Malformed);
  CHECK(verify(c.key, c.data, "\x00"s + c.signature) == VerifyResult::Malformed);
}

TEST_CASE("EC and EdDSA points that are not on the curve", "[crypto]") {
  const auto p256 = read_rr_file(kat("rfc6605-6.1-ecdsap256sha256.rr"));
  const PublicKey good = parse_dnskey(find_key(p256, 55648).rdata);
  REQUIRE(good.problem == KeyProblem::None);

  std::string off = good.public_key;
  flip_bit(off, off.size() - 1);  // y ± 1
  const PublicKey bad = parse_dnskey(dnskey_rdata(257, 13, off));
  CHECK(bad.problem == KeyProblem::PointInvalid);
  CHECK(bad.pkey == nullptr);
  CHECK(verify(bad, "x", std::string(64, '\1')) == VerifyResult::Unsupported);
  CHECK(parse_dnskey(dnskey_rdata(257, 13, std::string(64, '\0'))).problem == KeyProblem::PointInvalid);
  CHECK(parse_dnskey(dnskey_rdata(257, 13, std::string(64, '\xff'))).problem == KeyProblem::PointInvalid);
  CHECK(parse_dnskey(dnskey_rdata(257, 13, good.public_key.substr(1))).problem == KeyProblem::Encoding);
  CHECK(parse_dnskey(dnskey_rdata(257, 13, good.public_key + "\x01"s)).problem == KeyProblem::Encoding);
  CHECK(parse_dnskey(dnskey_rdata(257, 14, good.public_key)).problem == KeyProblem::Encoding);

  const PublicKey p384 = parse_dnskey(find_key(read_rr_file(kat("rfc6605-6.2-ecdsap384sha384.rr")), 10771).rdata);
  REQUIRE(p384.problem == KeyProblem::None);
  off = p384.public_key;
  flip_bit(off, 3);  // x changed
  CHECK(parse_dnskey(dnskey_rdata(257, 14, off)).problem == KeyProblem::PointInvalid);

  // Ed25519: y = 2 has no x (x² is not a square), y = p is not canonical, y = 1 with the sign bit set has x = 0.
  std::string y2(32, '\0');
  y2[0] = 2;
  CHECK(parse_dnskey(dnskey_rdata(257, 15, y2)).problem == KeyProblem::PointInvalid);
  const std::string y_p = "\xed"s + std::string(30, '\xff') + "\x7f"s;
  CHECK(parse_dnskey(dnskey_rdata(257, 15, y_p)).problem == KeyProblem::PointInvalid);
  std::string y1_neg(32, '\0');
  y1_neg[0] = 1;
  y1_neg[31] = '\x80';
  CHECK(parse_dnskey(dnskey_rdata(257, 15, y1_neg)).problem == KeyProblem::PointInvalid);
  std::string y1(32, '\0');
  y1[0] = 1;  // the neutral element decodes, but is a point of small order: refused as a weak key
  CHECK(parse_dnskey(dnskey_rdata(257, 15, y1)).problem == KeyProblem::SmallOrder);
  CHECK(parse_dnskey(dnskey_rdata(257, 15, std::string(31, '\1'))).problem == KeyProblem::Encoding);
  CHECK(parse_dnskey(dnskey_rdata(257, 15, std::string(33, '\1'))).problem == KeyProblem::Encoding);

  // Ed448: y = 2 has no x; bits 448…454 set make y ≥ p.
  std::string e2(57, '\0');
  e2[0] = 2;
  CHECK(parse_dnskey(dnskey_rdata(257, 16, e2)).problem == KeyProblem::PointInvalid);
  const PublicKey ed448 = parse_dnskey(find_key(read_rr_file(kat("rfc8080-6.2-ed448.rr")), 9713).rdata);
  REQUIRE(ed448.problem == KeyProblem::None);
  std::string high = ed448.public_key;
  high[56] = static_cast<char>(static_cast<unsigned char>(high[56]) | 0x01);
  CHECK(parse_dnskey(dnskey_rdata(257, 16, high)).problem == KeyProblem::PointInvalid);
  CHECK(parse_dnskey(dnskey_rdata(257, 16, ed448.public_key.substr(1))).problem == KeyProblem::Encoding);
}

TEST_CASE("RSA facts", "[crypto]") {
  zw::core::BnCtxPtr ctx(BN_CTX_new());
  auto product = [&](std::initializer_list<unsigned long> factors) {
    zw::core::BignumPtr n(BN_new());
    BN_one(n.get());
    for (unsigned long f : factors) BN_mul_word(n.get(), f);
    return bn_bytes(n.get());
  };
  auto facts = [](std::string_view exponent, std::string_view modulus) {
    return rsa_facts(parse_dnskey(dnskey_rdata(256, 8, rsa_field(exponent, modulus))));
  };
  const std::string e65537 = "\x01\x00\x01"s;

  auto f = facts(e65537, product({65521, 65537}));
  REQUIRE(f);
  CHECK(f->small_factor == 65521);
  CHECK_FALSE(f->modulus_even);
  CHECK(f->bits == 32);  // 4294049777
  CHECK(f->exponent_decimal == "65537");
  CHECK_FALSE(f->exponent_invalid);
  CHECK_FALSE(f->exponent_unusual);

  f = facts(e65537, product({65519, 65521}));
  REQUIRE(f);
  CHECK(f->small_factor == 65519);

  f = facts(e65537, product({2, 7, 13, 65537}));
  REQUIRE(f);
  CHECK(f->modulus_even);
  CHECK(f->small_factor == 7);

  f = facts(e65537, product({65537, 65539, 2147483647}));
  REQUIRE(f);
  CHECK(f->small_factor == 0);
  CHECK_FALSE(f->modulus_even);

  f = facts(e65537, product({3, 5}));
  REQUIRE(f);
  CHECK(f->small_factor == 3);
  CHECK(f->bits == 4);

  const std::string real_modulus = load_sig_cases("rfc5702-6.2-rsasha512.rr").at(0).key.rsa_modulus;
  f = facts("\x03"s, real_modulus);
  REQUIRE(f);
  CHECK(f->bits == 1024);
  CHECK(f->small_factor == 0);
  CHECK(f->exponent_decimal == "3");
  CHECK(f->exponent_unusual);
  CHECK_FALSE(f->exponent_invalid);

  f = facts("\x01"s, real_modulus);
  REQUIRE(f);
  CHECK(f->exponent_decimal == "1");
  CHECK(f->exponent_invalid);
  CHECK_FALSE(f->exponent_unusual);

  f = facts("\x02"s, real_modulus);
  REQUIRE(f);
  CHECK(f->exponent_decimal == "2");
  CHECK(f->exponent_invalid);
  CHECK_FALSE(f->exponent_unusual);

  f = facts(e65537, real_modulus + "\x00"s);  // times 256: even
  REQUIRE(f);
  CHECK(f->modulus_even);
  CHECK(f->small_factor == 0);

  CHECK_FALSE(rsa_facts(parse_dnskey(find_key(read_rr_file(kat("rfc8080-6.1-ed25519.rr")), 3613).rdata)));
  CHECK_FALSE(rsa_facts(parse_dnskey(dnskey_rdata(256, 8, "\x00\x00\x00"s))));
}

TEST_CASE("RRSIG parsing", "[crypto]") {
  const auto rrs = read_rr_file(kat("rfc8080-6.1-ed25519.rr"));
  const TestRr* rrsig = nullptr;
  for (const TestRr& r : rrs) {
    if (r.type == kTypeRrsig) rrsig = &r;
  }
  REQUIRE(rrsig != nullptr);
  const auto s = parse_rrsig(rrsig->rdata);
  REQUIRE(s);
  CHECK(s->type_covered == 15);
  CHECK(s->algorithm == 15);
  CHECK(s->labels == 2);
  CHECK(s->original_ttl == 3600);
  CHECK(s->expiration == 1440021600);
  CHECK(s->inception == 1438207200);
  CHECK(s->key_tag == 35217);
  CHECK(s->signer ==
        "\x07"
        "example\x03"
        "com\x00"s);
  CHECK(s->header.size() == 18 + 13);
  CHECK(s->signature.size() == 64);
  CHECK(static_cast<const void*>(s->header.data()) == static_cast<const void*>(rrsig->rdata.data()));

  const std::size_t fixed_and_name = s->header.size();
  for (std::size_t n = 0; n <= fixed_and_name; ++n) {
    CHECK_FALSE(parse_rrsig(std::string_view(rrsig->rdata).substr(0, n)));  // truncated or no signature
  }
  CHECK(parse_rrsig(std::string_view(rrsig->rdata).substr(0, fixed_and_name + 1)));

  std::string compressed = rrsig->rdata.substr(0, 18) + "\xc0\x0c"s + "sig";
  CHECK_FALSE(parse_rrsig(compressed));

  // Upper-case signer: the view keeps the original bytes, signer and signed data are lower case.
  std::string upper = rrsig->rdata;
  upper[19] = 'E';
  const auto u = parse_rrsig(upper);
  REQUIRE(u);
  CHECK(u->signer == s->signer);
  CHECK(u->header[19] == 'E');
  const std::vector<std::string_view> one{
      std::string_view("\x00\x0a\x04mail\x07"
                       "example\x03"
                       "com\x00",
                       20)};
  CHECK(signed_data(*u,
                    "\x07"
                    "example\x03"
                    "com\x00"s,
                    15, kClassIn, one) == signed_data(*s,
                                                      "\x07"
                                                      "example\x03"
                                                      "com\x00"s,
                                                      15, kClassIn, one));
}

TEST_CASE("signed data: wildcard owner, canonical order, duplicates", "[crypto]") {
  const std::string signer =
      "\x07"
      "example\x03"
      "net\x00"s;
  const std::string owner =
      "\x01"
      "a\x01"
      "b\x07"
      "example\x03"
      "net\x00"s;
  const std::string addr = "\xc0\x00\x02\x01"s;
  const std::vector<std::string_view> one{addr};

  const std::string d2 = signed_data(make_rrsig(kTypeA, 8, 2, 1234, signer), owner, kTypeA, kClassIn, one);
  const std::string head = d2.substr(0, 18 + signer.size());
  CHECK(head.substr(0, 4) == "\x00\x01\x08\x02"s);
  CHECK(head.substr(18) == signer);
  const std::string wild =
      "\x01*\x07"
      "example\x03"
      "net\x00"s;
  CHECK(d2.substr(head.size(), wild.size()) == wild);
  CHECK(d2.substr(head.size() + wild.size()) == "\x00\x01\x00\x01\x00\x00\x0e\x10\x00\x04"s + addr);
  CHECK(d2.size() == head.size() + wild.size() + 10 + addr.size());

  const std::string d3 = signed_data(make_rrsig(kTypeA, 8, 3, 1234, signer), owner, kTypeA, kClassIn, one);
  CHECK(d3.substr(18 + signer.size(), 17) ==
        "\x01*\x01"
        "b\x07"
        "example\x03"
        "net\x00"s);
  const std::string d4 = signed_data(make_rrsig(kTypeA, 8, 4, 1234, signer), owner, kTypeA, kClassIn, one);
  CHECK(d4.substr(18 + signer.size(), owner.size()) == owner);

  // RDATA sorted as unsigned octet strings (0x80 after 0x01, a prefix first), exact duplicates dropped.
  const std::string r1 = "\x01"s, r2 = "\x01\x00"s, r3 = "\x80"s;
  const Rrsig sig = make_rrsig(16, 15, 2, 1, signer);
  const std::string sorted = signed_data(sig, signer, 16, kClassIn, {r1, r2, r3});
  CHECK(signed_data(sig, signer, 16, kClassIn, {r3, r1, r2, r1, r3}) == sorted);
  CHECK(signed_data(sig, signer, 16, kClassIn, {r2, r3, r1}) == sorted);
  const std::size_t rr = 18 + signer.size();
  const std::size_t fixed = signer.size() + 8;  // owner, type, class, TTL; then RDLENGTH
  CHECK(sorted.substr(rr + fixed, 3) == "\x00\x01\x01"s);
  CHECK(sorted.substr(rr + fixed + 3 + fixed, 4) == "\x00\x02\x01\x00"s);
  CHECK(sorted.substr(rr + 2 * (fixed + 2) + 3 + fixed, 3) == "\x00\x01\x80"s);
  CHECK(sorted.size() == rr + 3 * (fixed + 2) + 4);
  CHECK(signed_data(sig, signer, 16, kClassIn, {}).size() == rr);

  // A wildcard-expanded answer verifies against a signature made over "*.example.net".
  Generated g = generate_raw("ED25519", 15);
  const PublicKey key = parse_dnskey(g.rdata);
  REQUIRE(key.problem == KeyProblem::None);
  const Rrsig ws = make_rrsig(kTypeA, 15, 2, key.tag, signer);
  const std::string over_wildcard = signed_data(ws, wild, kTypeA, kClassIn, one);
  const std::string signature = sign(g.pkey.get(), nullptr, over_wildcard);
  CHECK(signed_data(ws, owner, kTypeA, kClassIn, one) == over_wildcard);
  CHECK(verify(key, signed_data(ws, owner, kTypeA, kClassIn, one), signature) == VerifyResult::Valid);
  CHECK(verify(key, signed_data(make_rrsig(kTypeA, 15, 4, key.tag, signer), owner, kTypeA, kClassIn, one), signature) ==
        VerifyResult::Invalid);
}

TEST_CASE("generated keys round-trip for every algorithm", "[crypto]") {
  const std::string data = "zonewarden signed data " + std::string(200, 'z');
  struct RsaAlg {
    std::uint8_t alg;
    const char* md;
  };
  Generated rsa = generate_rsa(2048, 8);
  for (const RsaAlg a : {RsaAlg{5, "SHA1"}, RsaAlg{7, "SHA1"}, RsaAlg{8, "SHA256"}, RsaAlg{10, "SHA512"}}) {
    INFO("algorithm " << int{a.alg});
    std::string rdata = rsa.rdata;
    rdata[3] = static_cast<char>(a.alg);
    const PublicKey key = parse_dnskey(rdata);
    REQUIRE(key.problem == KeyProblem::None);
    CHECK(key.bits == 2048);
    const std::string sig = sign(rsa.pkey.get(), a.md, data);
    REQUIRE_FALSE(sig.empty());
    CHECK(verify(key, data, sig) == VerifyResult::Valid);
    std::string bad = data;
    flip_bit(bad, 5);
    CHECK(verify(key, bad, sig) == VerifyResult::Invalid);
    // Same key, other hash: a signature made with SHA-1 does not verify as SHA-256 and vice versa.
    std::string other = rdata;
    other[3] = static_cast<char>(a.alg == 8 ? 10 : 8);
    CHECK(verify(parse_dnskey(other), data, sig) == VerifyResult::Invalid);
  }

  // ECDSA: convert OpenSSL's DER to r | s; run until r or s with a leading zero octet and with the top bit set came up.
  struct EcAlg {
    std::uint8_t alg;
    const char* curve;
    const char* md;
    std::size_t half;
  };
  for (const EcAlg a : {EcAlg{13, "P-256", "SHA256", 32}, EcAlg{14, "P-384", "SHA384", 48}}) {
    INFO("algorithm " << int{a.alg});
    zw::core::EvpPkeyPtr priv(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", a.curve));
    REQUIRE(priv);
    std::string point(1 + 2 * a.half, '\0');
    std::size_t len = 0;
    REQUIRE(EVP_PKEY_get_octet_string_param(priv.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                            reinterpret_cast<unsigned char*>(point.data()), point.size(), &len) == 1);
    REQUIRE(len == point.size());
    const PublicKey key = parse_dnskey(dnskey_rdata(257, a.alg, point.substr(1)));
    REQUIRE(key.problem == KeyProblem::None);
    bool leading_zero = false, top_bit = false;
    int failures = 0;
    for (int i = 0; i < 3000 && !(leading_zero && top_bit && i >= 16); ++i) {
      const std::string msg = data + std::to_string(i);
      const std::string raw = der_to_raw(sign(priv.get(), a.md, msg), a.half);
      for (std::size_t off : {std::size_t{0}, a.half}) {
        if (raw[off] == 0) leading_zero = true;
        if ((static_cast<unsigned char>(raw[off]) & 0x80) != 0) top_bit = true;
      }
      if (verify(key, msg, raw) != VerifyResult::Valid) ++failures;
    }
    CHECK(failures == 0);
    CHECK(leading_zero);
    CHECK(top_bit);
  }

  for (const auto& [type, alg] : {std::pair<const char*, std::uint8_t>{"ED25519", 15}, {"ED448", 16}}) {
    Generated g = generate_raw(type, alg);
    const PublicKey key = parse_dnskey(g.rdata);
    REQUIRE(key.problem == KeyProblem::None);
    CHECK(verify(key, data, sign(g.pkey.get(), nullptr, data)) == VerifyResult::Valid);
  }
}

TEST_CASE("verify is thread-safe on a shared key", "[crypto]") {
  std::vector<SigCase> cases = load_sig_cases("rfc5702-6.1-rsasha256.rr");
  for (const char* f : {"rfc6605-6.1-ecdsap256sha256.rr", "rfc8080-6.1-ed25519.rr", "rfc8080-6.2-ed448.rr"}) {
    for (SigCase& c : load_sig_cases(f)) cases.push_back(std::move(c));
  }
  std::vector<int> bad(8, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < bad.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        for (const SigCase& c : cases) {
          if (verify(c.key, c.data, c.signature) != VerifyResult::Valid) ++bad[t];
          std::string d = c.data;
          d[0] = static_cast<char>(d[0] ^ 1);
          if (verify(c.key, d, c.signature) != VerifyResult::Invalid) ++bad[t];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int b : bad) CHECK(b == 0);
}

TEST_CASE("verify with more keys than a thread keeps contexts for, freed and made again", "[crypto]") {
  // verify keeps a few EVP_PKEY_CTX per thread, found by EVP_PKEY address: keys beyond that evict each other, and a
  // key freed and replaced (perhaps at the same address) must never be checked with its predecessor's context.
  const std::string data = "zonewarden context cache " + std::string(150, 'c');
  for (int generation = 0; generation < 3; ++generation) {
    INFO("generation " << generation);
    struct Signed {
      PublicKey key;
      std::string sig;
    };
    std::vector<Signed> keys;
    for (int i = 0; i < 12; ++i) {
      zw::core::EvpPkeyPtr priv(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
      REQUIRE(priv);
      std::string point(65, '\0');
      std::size_t len = 0;
      REQUIRE(EVP_PKEY_get_octet_string_param(priv.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                              reinterpret_cast<unsigned char*>(point.data()), point.size(), &len) == 1);
      PublicKey key = parse_dnskey(dnskey_rdata(256, 13, point.substr(1)));
      REQUIRE(key.problem == KeyProblem::None);
      const std::string sig = der_to_raw(sign(priv.get(), "SHA256", data), 32);
      REQUIRE(sig.size() == 64);
      keys.push_back(Signed{std::move(key), sig});
    }
    int wrong = 0;
    for (int pass = 0; pass < 3; ++pass) {
      for (std::size_t i = 0; i < keys.size(); ++i) {
        if (verify(keys[i].key, data, keys[i].sig) != VerifyResult::Valid) ++wrong;
        if (verify(keys[(i + 1) % keys.size()].key, data, keys[i].sig) != VerifyResult::Invalid) ++wrong;
      }
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("RSASHA256-2048 verification speed", "[.bench]") {
  Generated g = generate_rsa(2048, 8);
  const PublicKey key = parse_dnskey(g.rdata);
  REQUIRE(key.problem == KeyProblem::None);
  const std::string data = std::string(180, 'd');
  const std::string sig = sign(g.pkey.get(), "SHA256", data);
  REQUIRE(verify(key, data, sig) == VerifyResult::Valid);
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  long n = 0;
  while (Clock::now() - start < std::chrono::seconds(3)) {
    for (int i = 0; i < 100; ++i) {
      if (verify(key, data, sig) == VerifyResult::Valid) ++n;
    }
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  WARN("RSASHA256-2048: " << static_cast<long>(static_cast<double>(n) / secs) << " verifications/s on one thread");
}
