// test_keyfiles.cpp: key directories (BIND/ldns K*.key/.private, PKCS#8 PEM) and the key history file.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/handles.hpp"
#include "core/name.hpp"
#include "core/time.hpp"
#include "dnssec/crypto.hpp"
#include "input_support.hpp"
#include "zone/keyfiles.hpp"
#include "zone/loader.hpp"

using namespace zw;
using namespace zw::zone;

namespace {

namespace fs = std::filesystem;

const std::string kKeydirs = ZW_SOURCE_DIR "/test-vectors/keydirs/";
const std::string kVectors = ZW_SOURCE_DIR "/test-vectors/";

core::WireName wire(const std::string& text) {
  core::WireName out;
  std::string error;
  REQUIRE(core::parse_name(text, "", out, error));
  return out;
}

std::string base_name(const std::string& path) {
  return fs::path(path).filename().string();
}

std::map<std::string, InventoryKey> by_file(const std::vector<InventoryKey>& keys) {
  std::map<std::string, InventoryKey> out;
  for (const InventoryKey& k : keys) out[base_name(k.private_file.empty() ? k.file : k.private_file)] = k;
  return out;
}

std::uint16_t flags_of(const std::string& rdata) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(rdata[0]) << 8 | static_cast<unsigned char>(rdata[1]));
}

std::uint8_t alg_of(const std::string& rdata) {
  return static_cast<std::uint8_t>(rdata[3]);
}

/// DNSKEY RDATA of a zone file's key with the given tag.
std::string published_key(const std::string& zone_file, std::uint16_t tag) {
  Zone z = load_zone_file(zone_file, {});
  for (const Record& r : z.records) {
    if (r.type == rrtype::DNSKEY && dnssec::key_tag(z.rdata(r)) == tag) return std::string(z.rdata(r));
  }
  FAIL("no DNSKEY with tag " << tag << " in " << zone_file);
  return {};
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

using TempDir = zw::test::ScratchDir;

/// Every entry of a directory of matching pairs: the derived public half equals the .key file, the name's tag is
/// the key's tag.
void check_pairs(const std::vector<InventoryKey>& keys, std::size_t expected) {
  REQUIRE(keys.size() == expected);
  std::set<int> algorithms;
  for (const InventoryKey& k : keys) {
    INFO(k.file);
    CHECK(k.problem.empty());
    CHECK(k.has_public_file);
    CHECK(k.has_private);
    CHECK(k.private_matches);
    CHECK(k.private_rdata == k.dnskey_rdata);
    CHECK(k.zone == wire("example."));
    CHECK(k.name_tag == dnssec::key_tag(k.dnskey_rdata));
    CHECK(dnssec::parse_dnskey(k.private_rdata).problem == dnssec::KeyProblem::None);
    algorithms.insert(alg_of(k.dnskey_rdata));
  }
  CHECK(algorithms == std::set<int>{8, 13, 14, 15, 16});
}

/// A random odd number of exactly `bits` bits without a prime factor below 20000, so that a primality test gets past
/// trial division and has to run Miller-Rabin rounds on it. Not a prime (nor meant to be one).
core::BignumPtr odd_without_small_factors(int bits) {
  core::BignumPtr n(BN_new());
  REQUIRE(BN_rand(n.get(), bits, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD) == 1);
  std::vector<BN_ULONG> small;
  for (BN_ULONG c = 3; c < 20000; c += 2) {
    bool prime = true;
    for (BN_ULONG d = 3; d * d <= c && prime; d += 2) prime = c % d != 0;
    if (prime) small.push_back(c);
  }
  for (;;) {
    bool clean = true;
    for (BN_ULONG q : small) {
      if (BN_mod_word(n.get(), q) == 0) {
        clean = false;
        break;
      }
    }
    if (clean) return n;
    REQUIRE(BN_add_word(n.get(), 2) == 1);
  }
}

std::string bn_b64(const BIGNUM* bn) {
  std::string bin(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bin.data()));
  std::string out(4 * ((bin.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bin.data()), static_cast<int>(bin.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

/// The eight numbers of an RSA private key built from two `prime_bits`-bit "primes" that are not prime: n = p·q,
/// d = e⁻¹ mod lcm(p−1, q−1) and the CRT values are computed, so every arithmetic relation of a key holds and only
/// a primality test can tell.
struct FakeRsa {
  core::BignumPtr n, e, d, p, q, dp, dq, qinv;
};

FakeRsa fake_rsa(int prime_bits) {
  FakeRsa k;
  core::BnCtxPtr ctx(BN_CTX_new());
  k.p = odd_without_small_factors(prime_bits);
  k.q = odd_without_small_factors(prime_bits);
  k.n.reset(BN_new());
  k.e.reset(BN_new());
  k.d.reset(BN_new());
  k.dp.reset(BN_new());
  k.dq.reset(BN_new());
  k.qinv.reset(BN_new());
  core::BignumPtr p1(BN_dup(k.p.get())), q1(BN_dup(k.q.get())), g(BN_new()), lambda(BN_new());
  REQUIRE((ctx && k.n && k.e && k.d && k.dp && k.dq && k.qinv && p1 && q1 && g && lambda));
  REQUIRE(BN_mul(k.n.get(), k.p.get(), k.q.get(), ctx.get()) == 1);
  REQUIRE(BN_set_word(k.e.get(), 65537) == 1);
  REQUIRE((BN_sub_word(p1.get(), 1) == 1 && BN_sub_word(q1.get(), 1) == 1));
  REQUIRE(BN_gcd(g.get(), p1.get(), q1.get(), ctx.get()) == 1);
  REQUIRE(BN_mul(lambda.get(), p1.get(), q1.get(), ctx.get()) == 1);
  REQUIRE(BN_div(lambda.get(), nullptr, lambda.get(), g.get(), ctx.get()) == 1);
  if (BN_mod_inverse(k.d.get(), k.e.get(), lambda.get(), ctx.get()) == nullptr) return fake_rsa(prime_bits);
  REQUIRE(BN_mod(k.dp.get(), k.d.get(), p1.get(), ctx.get()) == 1);
  REQUIRE(BN_mod(k.dq.get(), k.d.get(), q1.get(), ctx.get()) == 1);
  if (BN_mod_inverse(k.qinv.get(), k.q.get(), k.p.get(), ctx.get()) == nullptr) return fake_rsa(prime_bits);
  return k;
}

std::string bind_private_text(const FakeRsa& k) {
  return "Private-key-format: v1.3\nAlgorithm: 8 (RSASHA256)\nModulus: " + bn_b64(k.n.get()) +
         "\nPublicExponent: " + bn_b64(k.e.get()) + "\nPrivateExponent: " + bn_b64(k.d.get()) +
         "\nPrime1: " + bn_b64(k.p.get()) + "\nPrime2: " + bn_b64(k.q.get()) + "\nExponent1: " + bn_b64(k.dp.get()) +
         "\nExponent2: " + bn_b64(k.dq.get()) + "\nCoefficient: " + bn_b64(k.qinv.get()) + "\n";
}

/// The same numbers as a PKCS#8 PEM private key (OpenSSL builds it without checking them).
std::string pem_private_text(const FakeRsa& k) {
  core::OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  REQUIRE(bld);
  const std::pair<const char*, const BIGNUM*> fields[] = {
      {OSSL_PKEY_PARAM_RSA_N, k.n.get()},          {OSSL_PKEY_PARAM_RSA_E, k.e.get()},
      {OSSL_PKEY_PARAM_RSA_D, k.d.get()},          {OSSL_PKEY_PARAM_RSA_FACTOR1, k.p.get()},
      {OSSL_PKEY_PARAM_RSA_FACTOR2, k.q.get()},    {OSSL_PKEY_PARAM_RSA_EXPONENT1, k.dp.get()},
      {OSSL_PKEY_PARAM_RSA_EXPONENT2, k.dq.get()}, {OSSL_PKEY_PARAM_RSA_COEFFICIENT1, k.qinv.get()},
  };
  for (const auto& [name, bn] : fields) REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), name, bn) == 1);
  core::OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  REQUIRE((params && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
           EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) == 1));
  core::EvpPkeyPtr pkey(raw);
  core::BioPtr bio(BIO_new(BIO_s_mem()));
  REQUIRE((bio && PEM_write_bio_PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1));
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

TEST_CASE("dnssec-keygen 9.18 output: every private key is the pair of its .key file", "[keyfiles]") {
  check_pairs(read_key_directory(kKeydirs + "bind-keygen"), 5);
}

TEST_CASE("ldns-keygen 1.8.3 output: every private key is the pair of its .key file (.ds ignored)", "[keyfiles]") {
  check_pairs(read_key_directory(kKeydirs + "ldns-keygen"), 5);
}

TEST_CASE("RFC 6605 / RFC 8080 key files: public halves derived from the private keys", "[keyfiles]") {
  auto keys = by_file(read_key_directory(kVectors + "kat"));
  REQUIRE(keys.size() == 6);
  for (const char* f : {"Kexample.com.+015+03613.private", "Kexample.com.+015+35217.private",
                        "Kexample.com.+016+09713.private", "Kexample.com.+016+38353.private"}) {
    INFO(f);
    const InventoryKey& k = keys.at(f);
    CHECK(k.has_public_file);
    CHECK(k.private_matches);
    CHECK(k.problem.empty());
    CHECK(k.private_rdata == k.dnskey_rdata);
  }
  // ECDSA private keys without a .key file: Q = d·G; the flags are the ones that give the tag in the file name.
  const InventoryKey& p256 = keys.at("Kexample.net.+013+55648.private");
  CHECK_FALSE(p256.has_public_file);
  CHECK(p256.problem.empty());
  CHECK(p256.zone == wire("example.net."));
  CHECK(dnssec::key_tag(p256.dnskey_rdata) == 55648);
  CHECK(flags_of(p256.dnskey_rdata) == 257);
  CHECK(p256.file == p256.private_file);
  const InventoryKey& p384 = keys.at("Kexample.net.+014+10771.private");
  CHECK(p384.problem.empty());
  CHECK(dnssec::key_tag(p384.dnskey_rdata) == 10771);
  CHECK(dnssec::parse_dnskey(p384.dnskey_rdata).problem == dnssec::KeyProblem::None);
}

TEST_CASE("PKCS#8 PEM keys: zone, flags and algorithm from the .key file, the name, or the key type", "[keyfiles]") {
  auto keys = read_key_directory(kKeydirs + "pem");
  REQUIRE(keys.size() == 6);
  std::map<std::string, InventoryKey> pem = by_file(keys);
  const std::string clean = kVectors + "zone/clean/";

  const InventoryKey& ksk = pem.at("Kexample.+015+01795.pem");  // BIND-style name: flags 257 give tag 1795
  CHECK(ksk.problem.empty());
  CHECK(ksk.zone == wire("example."));
  CHECK(ksk.name_tag == 1795);
  CHECK(ksk.dnskey_rdata == published_key(clean + "clean-ed25519-nsec.zone", 1795));

  const InventoryKey& p256 = pem.at("example.13.pem");  // <zone>.<alg>.pem: flags 256
  CHECK(p256.zone == wire("example."));
  CHECK(p256.name_tag == -1);
  CHECK(p256.dnskey_rdata == published_key(clean + "clean-ecdsap256-nsec.zone", 7956));

  const InventoryKey& p384 = pem.at("zsk-p384.pem");  // sibling .key file
  CHECK(p384.has_public_file);
  CHECK(p384.private_matches);
  CHECK(base_name(p384.file) == "zsk-p384.key");
  CHECK(p384.dnskey_rdata == published_key(clean + "clean-ecdsap384-nsec.zone", 42877));

  // Knot-style key-ID names: zone unknown, flags 256, algorithm from the key type.
  std::map<int, const InventoryKey*> unnamed;
  for (const auto& [name, k] : pem) {
    if (name.size() == 44) unnamed[alg_of(k.dnskey_rdata)] = &k;
  }
  REQUIRE(unnamed.size() == 3);
  for (const auto& [alg, k] : unnamed) {
    INFO("algorithm " << alg);
    CHECK(k->zone.empty());
    CHECK(k->problem.empty());
    CHECK(flags_of(k->dnskey_rdata) == 256);
    CHECK_FALSE(k->has_public_file);
  }
  CHECK(unnamed.at(15)->dnskey_rdata == published_key(clean + "clean-ed25519-nsec.zone", 19496));
  CHECK(unnamed.at(16)->dnskey_rdata == published_key(clean + "clean-ed448-nsec.zone", 47736));
  // The RSA KSK of the clean RSASHA256 vector, read as flags 256 (tag 20044): RFC 3110 encoding of n and e.
  std::string ksk_rsa = published_key(clean + "clean-rsasha256-nsec.zone", 20045);
  CHECK(unnamed.at(8)->dnskey_rdata.substr(4) == ksk_rsa.substr(4));
  CHECK(dnssec::key_tag(unnamed.at(8)->dnskey_rdata) == 20044);
}

TEST_CASE("generated key directories: pairs, twins and mismatches", "[keyfiles]") {
  auto clean = read_key_directory(kKeydirs + "clean");
  REQUIRE(clean.size() == 2);
  for (const InventoryKey& k : clean) CHECK((k.private_matches && k.problem.empty()));

  auto coll = by_file(read_key_directory(kKeydirs + "collision-unpublished"));
  REQUIRE(coll.size() == 3);
  const InventoryKey& twin = coll.at("next-zsk.private");
  CHECK(twin.name_tag == -1);  // an operator-chosen stem states no tag
  CHECK(twin.private_matches);
  CHECK(dnssec::key_tag(twin.dnskey_rdata) == 18805);
  CHECK(dnssec::key_tag(coll.at("Kexample.+008+18805.private").dnskey_rdata) == 18805);
  CHECK(twin.dnskey_rdata != coll.at("Kexample.+008+18805.private").dnskey_rdata);

  auto mm = by_file(read_key_directory(kKeydirs + "mismatch"));
  REQUIRE(mm.size() == 2);
  const InventoryKey& wrong = mm.at("Kexample.+008+20045.private");
  CHECK_FALSE(wrong.private_matches);
  CHECK(wrong.problem.find("not the pair of the public key in Kexample.+008+20045.key") != std::string::npos);
  CHECK(wrong.private_rdata != wrong.dnskey_rdata);
  CHECK(dnssec::key_tag(wrong.dnskey_rdata) == 20045);
  CHECK(mm.at("Kexample.+008+18805.private").private_matches);  // consistent; the published 18805 is another key

  auto rev = by_file(read_key_directory(kKeydirs + "revoked-collision"));
  REQUIRE(rev.size() == 3);
  CHECK(dnssec::parse_dnskey(rev.at("Kexample.+008+13451.private").dnskey_rdata).revoked_tag == 13579);
}

TEST_CASE("the tag, algorithm and zone in a file name are checked, and loading continues", "[keyfiles]") {
  TempDir dir;
  const fs::path src = fs::path(kKeydirs) / "clean";
  fs::copy_file(src / "Kexample.+008+55789.key", dir.path / "Kexample.+008+55790.key");
  fs::copy_file(src / "Kexample.+008+55789.private", dir.path / "Kexample.+008+55790.private");
  fs::copy_file(src / "Kexample.+008+20045.private", dir.path / "Kother.+013+20045.private");  // no .key file
  fs::copy_file(src / "Kexample.+008+55789.key", dir.path / "Kexample.+008+55789.key");        // public half only
  fs::copy_file(src / "Kexample.+008+55789.key", dir.path / "notes.key");                      // not a BIND name

  auto keys = by_file(read_key_directory(dir.path.string()));
  REQUIRE(keys.size() == 3);
  const InventoryKey& renamed = keys.at("Kexample.+008+55790.private");
  CHECK(renamed.private_matches);
  CHECK(renamed.name_tag == 55790);
  CHECK(renamed.problem == "the file name states key tag 55790, the key's tag is 55789");

  const InventoryKey& other = keys.at("Kother.+013+20045.private");
  CHECK(other.zone == wire("other."));
  CHECK(other.problem.find("the file name states algorithm 13, the key is algorithm 8") != std::string::npos);
  CHECK(flags_of(other.dnskey_rdata) == 257);  // the flags that give the named tag

  const InventoryKey& pub = keys.at("Kexample.+008+55789.key");
  CHECK(pub.has_public_file);
  CHECK_FALSE(pub.has_private);
  CHECK(pub.private_file.empty());
  CHECK(pub.private_rdata.empty());
  CHECK(pub.problem.empty());
  CHECK(dnssec::key_tag(pub.dnskey_rdata) == 55789);

  // Sorted by file name, whatever the directory order.
  auto list = read_key_directory(dir.path.string());
  for (std::size_t i = 1; i < list.size(); ++i) CHECK(list[i - 1].file < list[i].file);
}

TEST_CASE("an RSA private key whose primes belong to another modulus does not match", "[keyfiles]") {
  TempDir dir;
  const fs::path src = fs::path(kKeydirs) / "clean";
  std::string ksk = read_text(src / "Kexample.+008+20045.private");
  std::string zsk = read_text(src / "Kexample.+008+55789.private");
  auto line_of = [](const std::string& text, const std::string& field) {
    std::size_t at = text.find("\n" + field + ":") + 1;
    return text.substr(at, text.find('\n', at) - at);
  };
  for (const char* field : {"Prime1", "Prime2", "Exponent1", "Exponent2", "Coefficient"}) {
    ksk.replace(ksk.find(line_of(ksk, field)), line_of(ksk, field).size(), line_of(zsk, field));
  }
  write_text(dir.path / "Kexample.+008+20045.private", ksk);
  fs::copy_file(src / "Kexample.+008+20045.key", dir.path / "Kexample.+008+20045.key");
  auto keys = read_key_directory(dir.path.string());
  REQUIRE(keys.size() == 1);
  CHECK_FALSE(keys[0].private_matches);
  CHECK(keys[0].problem.find("inconsistent") != std::string::npos);
}

TEST_CASE("an RSA private key above 16384 bits is refused before any primality test", "[keyfiles][rsa-size]") {
  // Two 65,536-bit odd numbers without small factors: every relation of an RSA key holds, so only a primality test
  // could object — and one Miller-Rabin round on such a number takes about a minute. The key must be refused by its
  // size first.
  const FakeRsa huge = fake_rsa(65536);
  REQUIRE(BN_num_bits(huge.n.get()) > 130000);
  TempDir dir;
  SECTION("BIND private-key file") {
    write_text(dir.path / "Kexample.+008+00001.private", bind_private_text(huge));
  }
  SECTION("PKCS#8 PEM") {
    write_text(dir.path / "example.8.pem", pem_private_text(huge));
  }
  const auto start = std::chrono::steady_clock::now();
  auto keys = read_key_directory(dir.path.string());
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 5.0);
  REQUIRE(keys.size() == 1);
  CHECK_FALSE(keys[0].has_private);
  CHECK(keys[0].dnskey_rdata.empty());
  CHECK(keys[0].problem.find("16384") != std::string::npos);
}

TEST_CASE("RSA private keys: p·q = n and d·e ≡ 1 are checked before the primes", "[keyfiles][rsa-size]") {
  // 2048-bit numbers that are not prime: the cheap relations decide without a primality test when they fail.
  TempDir dir;
  FakeRsa k = fake_rsa(1024);
  SECTION("n is not p·q") {
    REQUIRE(BN_add_word(k.n.get(), 2) == 1);
  }
  SECTION("d·e is not 1 modulo lcm(p−1, q−1)") {
    REQUIRE(BN_add_word(k.d.get(), 2) == 1);
  }
  SECTION("a CRT value is wrong") {
    REQUIRE(BN_add_word(k.qinv.get(), 1) == 1);
  }
  SECTION("every relation holds but the primes are not prime") {}
  write_text(dir.path / "Kexample.+008+00001.private", bind_private_text(k));
  auto keys = read_key_directory(dir.path.string());
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].has_private);
  CHECK_FALSE(keys[0].private_matches);
  CHECK(keys[0].problem.find("inconsistent") != std::string::npos);
}

TEST_CASE("unsupported and unreadable key files", "[keyfiles]") {
  TempDir dir;
  SECTION("missing directory") {
    CHECK_THROWS_WITH(read_key_directory((dir.path / "nope").string()), Catch::Contains("nope"));
  }
  SECTION("bad base64 names the file and line") {
    write_text(dir.path / "Kexample.+013+00001.private",
               "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: !!notbase64\n");
    CHECK_THROWS_WITH(read_key_directory(dir.path.string()),
                      Catch::Contains("Kexample.+013+00001.private:3: PrivateKey is not valid base64"));
  }
  SECTION("not a private-key file") {
    write_text(dir.path / "x.private", "hello\n");
    CHECK_THROWS_WITH(read_key_directory(dir.path.string()), Catch::Contains("x.private:1"));
  }
  SECTION("ECDSA scalar out of range") {
    write_text(dir.path / "k.private",
               "Private-key-format: v1.3\nAlgorithm: 13\nPrivateKey: " + std::string(42, '/') + "8=\n");
    CHECK_THROWS_WITH(read_key_directory(dir.path.string()), Catch::Contains("not a valid P-256 scalar"));
  }
  SECTION("a .key file with two records") {
    write_text(dir.path / "Kexample.+015+00001.key",
               "example. IN DNSKEY 256 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n"
               "example. IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n");
    CHECK_THROWS_WITH(read_key_directory(dir.path.string()), Catch::Contains("expected one DNSKEY record, found 2"));
  }
  SECTION("encrypted PEM") {
    write_text(
        dir.path / "k.pem",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgAAAAAAAAAAAICCAAw\n"
        "-----END ENCRYPTED PRIVATE KEY-----\n");
    CHECK_THROWS_WITH(read_key_directory(dir.path.string()), Catch::Contains("k.pem: encrypted PEM"));
  }
  SECTION("DSA, GOST and HSM keys are listed with a problem, without a private half") {
    fs::copy_file(kVectors + "keys/example-extra-dsa-1024.pem", dir.path / "dsa.pem");
    write_text(dir.path / "Kexample.+012+00001.private",
               "Private-key-format: v1.3\nAlgorithm: 12 (ECCGOST)\nGostAsn1: AAAA\n");
    write_text(dir.path / "Kexample.+008+00002.private",
               "Private-key-format: v1.3\nAlgorithm: 8 (RSASHA256)\nLabel: pkcs11:token=signer;object=zsk\n");
    auto keys = by_file(read_key_directory(dir.path.string()));
    REQUIRE(keys.size() == 3);
    CHECK(keys.at("dsa.pem").problem.find("not supported") != std::string::npos);
    CHECK(keys.at("Kexample.+012+00001.private").problem.find("not supported") != std::string::npos);
    CHECK(keys.at("Kexample.+008+00002.private").problem.find("hardware token") != std::string::npos);
    for (const auto& [name, k] : keys) {
      CHECK_FALSE(k.has_private);
      CHECK(k.dnskey_rdata.empty());
    }
  }
}

TEST_CASE("key history: missing file, round trip, only new keys appended, malformed lines", "[keyfiles]") {
  TempDir dir;
  const std::string path = (dir.path / "history").string();
  CHECK(read_key_history(path).empty());

  auto coll = by_file(read_key_directory(kKeydirs + "collision-unpublished"));
  auto key = [&](const std::string& file, core::EpochSeconds t, const std::string& zone = "example.") {
    HistoryKey h;
    h.zone = wire(zone);
    h.dnskey_rdata = coll.at(file).dnskey_rdata;
    h.flags = flags_of(h.dnskey_rdata);
    h.algorithm = alg_of(h.dnskey_rdata);
    h.first_seen = t;
    return h;
  };
  const core::EpochSeconds t1 = core::make_epoch(2026, 1, 1, 0, 0, 0), t2 = core::make_epoch(2026, 2, 1, 0, 0, 0);
  append_key_history(path, {}, {key("Kexample.+008+20045.private", t1), key("Kexample.+008+18805.private", t1)});
  std::vector<HistoryKey> h1 = read_key_history(path);
  REQUIRE(h1.size() == 2);
  CHECK(h1[0].zone == wire("example."));
  CHECK(h1[0].flags == 257);
  CHECK(h1[0].algorithm == 8);
  CHECK(h1[0].first_seen == t1);
  CHECK(h1[0].dnskey_rdata == coll.at("Kexample.+008+20045.private").dnskey_rdata);
  CHECK(h1[0].source == path + ":3");  // after the two header comment lines
  CHECK(h1[1].dnskey_rdata == coll.at("Kexample.+008+18805.private").dnskey_rdata);
  std::string text = read_text(path);
  CHECK(text.find("\nexample. 2026-01-01T00:00:00Z 256 3 8 AwEAAbH8L4kwPiu2fEs8") != std::string::npos);

  // Known keys (also with other flags, e.g. once revoked) are not added again; keys of unknown zone never are.
  HistoryKey revoked = key("Kexample.+008+20045.private", t2);
  revoked.dnskey_rdata[1] = static_cast<char>(0x81);
  HistoryKey unknown_zone = key("next-zsk.private", t2);
  unknown_zone.zone.clear();
  append_key_history(path, h1,
                     {key("Kexample.+008+18805.private", t2), revoked, unknown_zone, key("next-zsk.private", t2),
                      key("Kexample.+008+18805.private", t2, "example2.")});
  std::vector<HistoryKey> h2 = read_key_history(path);
  REQUIRE(h2.size() == 4);
  CHECK(h2[2].dnskey_rdata == coll.at("next-zsk.private").dnskey_rdata);
  CHECK(h2[2].first_seen == t2);
  CHECK(h2[3].zone == wire("example2."));
  CHECK(h2[0].first_seen == t1);  // earlier lines are kept as they were

  // Nothing new: the file is not rewritten.
  std::string before = read_text(path);
  append_key_history(path, h2, {key("next-zsk.private", t2)});
  CHECK(read_text(path) == before);
  // `existing` may be stale: the file is read again before appending.
  append_key_history(path, {}, {key("next-zsk.private", t2)});
  CHECK(read_key_history(path).size() == 4);
  std::size_t temporaries = 0;
  for (const auto& e : fs::directory_iterator(dir.path)) {
    temporaries += e.path().filename() != "history" && e.path().filename() != "history.lock";  // the writers' lock
  }
  CHECK(temporaries == 0);

  SECTION("comments, blank lines and split base64 are accepted") {
    write_text(path,
               "# c\n\n  # indented comment\nexample. 2026-01-01T00:00:00Z 256 3 15 l02Woi0iS8Aa25FQ "
               "kUd9RMzZHJpBoRQwAQEX1SxZJA4=\n");
    auto h = read_key_history(path);
    REQUIRE(h.size() == 1);
    CHECK(h[0].source == path + ":4");
    CHECK(h[0].dnskey_rdata.size() == 4 + 32);
  }
  SECTION("malformed lines name the file and line") {
    for (const char* bad : {"example. 2026-01-01T00:00:00Z 256 3 15\n", "example 2026-01-01T00:00:00Z 256 3 15 AAAA\n",
                            "example. yesterday 256 3 15 AAAA\n", "example. 2026-01-01T00:00:00Z 65536 3 15 AAAA\n",
                            "example. 2026-01-01T00:00:00Z 256 3 15 A*AA\n", "example. now 256 3 15 AAAA\n"}) {
      INFO(bad);
      write_text(path, std::string("# header\n") + bad);
      CHECK_THROWS_WITH(read_key_history(path), Catch::StartsWith(path + ":2: "));
    }
  }
}
