// test_rsa_verify.cpp: the two RSA verifiers behind zw::dnssec::verify give the same VerifyResult for the same input.
// RsaPath::Montgomery computes s^e mod n with OpenSSL's Montgomery multiplication and compares the result with the one
// valid EMSA-PKCS1-v1_5 encoding (verify_rsa_mont in src/dnssec/crypto.cpp); RsaPath::Evp asks EVP_PKEY_verify. Every
// check below runs verify() once with each path, REQUIREs the two answers to be equal and then REQUIREs the expected
// answer. Inputs: valid signatures under moduli of 744 to 4096 bits with exponents 3, 65537, 2^33 + 1, 2^64 − 59 and
// 2^64 + 13; hundreds of corrupted ones; signature representatives outside [0, n) (RFC 8017 §5.2.2); and encoded
// messages built by hand, each wrong in one place, signed with the raw private operation (RFC 8017 §8.2.2, §9.2).
// The keys are built from primes derived from fixed seeds (seeded_prime), so every run checks the same signatures,
// and a 4096-bit key costs one prime search instead of one key generation per exponent; a few 1024-bit keys from
// OpenSSL's own generator are checked as well.
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <optional>  // before core/handles.hpp: ldns/common.h #defines false as 0
#include <string>
#include <utility>
#include <vector>

#include "core/codec.hpp"
#include "core/handles.hpp"
#include "dnssec/crypto.hpp"

using namespace zw::dnssec;
using zw::core::hex_encode;
using namespace std::string_literals;
using zw::core::BignumPtr;
using zw::core::BnCtxPtr;
using zw::core::EvpPkeyPtr;

namespace {

constexpr std::uint8_t kRsaSha1 = 5, kRsaSha1Nsec3 = 7, kRsaSha256 = 8, kRsaSha512 = 10;

const unsigned char* ubytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* ubytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

const char* result_name(VerifyResult r) {
  switch (r) {
    case VerifyResult::Valid: return "Valid";
    case VerifyResult::Invalid: return "Invalid";
    case VerifyResult::Malformed: return "Malformed";
    case VerifyResult::Unsupported: return "Unsupported";
  }
  return "?";
}

/// set_rsa_path is process-wide: whatever a test case does, the default path is back when it ends.
class RsaPathGuard {
 public:
  RsaPathGuard() = default;
  RsaPathGuard(const RsaPathGuard&) = delete;
  RsaPathGuard& operator=(const RsaPathGuard&) = delete;
  ~RsaPathGuard() { set_rsa_path(RsaPath::Montgomery); }
};

/// verify() with the Montgomery path and with EVP_PKEY_verify: the two answers must be equal, and equal to `expected`.
void expect_both(const PublicKey& key, std::string_view data, std::string_view sig, VerifyResult expected) {
  set_rsa_path(RsaPath::Montgomery);
  const VerifyResult mont = verify(key, data, sig);
  set_rsa_path(RsaPath::Evp);
  const VerifyResult evp = verify(key, data, sig);
  set_rsa_path(RsaPath::Montgomery);
  INFO("Montgomery path: " << result_name(mont) << ", EVP path: " << result_name(evp) << ", expected "
                           << result_name(expected));
  REQUIRE(mont == evp);
  REQUIRE(mont == expected);
}

/// `n` octets of SHA-256(label | block number): the fixed seeds of this file.
std::string seeded_bytes(std::string_view label, std::size_t n) {
  std::string out;
  for (std::uint32_t block = 0; out.size() < n; ++block) {
    std::string in(label);
    for (int shift = 24; shift >= 0; shift -= 8) in.push_back(static_cast<char>((block >> shift) & 0xff));
    std::array<unsigned char, 32> md{};
    unsigned int len = 0;
    REQUIRE(EVP_Digest(in.data(), in.size(), md.data(), &len, EVP_sha256(), nullptr) == 1);
    out.append(reinterpret_cast<const char*>(md.data()), len);
  }
  out.resize(n);
  return out;
}

std::string digest(const char* md_name, std::string_view data) {
  zw::core::EvpMdPtr md(EVP_MD_fetch(nullptr, md_name, nullptr));
  REQUIRE(md);
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), out.data(), &len, md.get(), nullptr) == 1);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

BignumPtr bn_new() {
  BignumPtr b(BN_new());
  REQUIRE(b);
  return b;
}
BignumPtr bn_bin(std::string_view big_endian) {
  BignumPtr b(BN_bin2bn(ubytes(big_endian), static_cast<int>(big_endian.size()), nullptr));
  REQUIRE(b);
  return b;
}
BignumPtr bn_hex(const char* hex) {
  BIGNUM* raw = nullptr;
  REQUIRE(BN_hex2bn(&raw, hex) > 0);
  return BignumPtr(raw);
}
BignumPtr bn_copy(const BIGNUM* a) {
  BignumPtr b(BN_dup(a));
  REQUIRE(b);
  return b;
}
/// Big-endian, no leading zero octets (RFC 3110 §2).
std::string bn_bytes(const BIGNUM* bn) {
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, ubytes(out));
  return out;
}
/// Big-endian, left-padded to `len` octets; empty when the number needs more.
std::string bn_padded(const BIGNUM* bn, std::size_t len) {
  std::string out(len, '\0');
  if (BN_bn2binpad(bn, ubytes(out), static_cast<int>(len)) != static_cast<int>(len)) return {};
  return out;
}

/// Odd primes below 2^15, to sieve prime candidates.
const std::vector<unsigned>& sieve_primes() {
  static const std::vector<unsigned> primes = [] {
    constexpr unsigned kLimit = 1U << 15;
    std::vector<bool> composite(kLimit, false);
    std::vector<unsigned> out;
    for (unsigned i = 3; i < kLimit; i += 2) {
      if (composite[i]) continue;
      out.push_back(i);
      for (unsigned j = i * i; j < kLimit; j += 2 * i) composite[j] = true;
    }
    return out;
  }();
  return primes;
}

/// Miller–Rabin round to one base: false when `c` is certainly composite.
bool strong_probable_prime(const BIGNUM* c, BN_ULONG base, BN_CTX* ctx) {
  BignumPtr c1 = bn_copy(c), d = bn_new(), a = bn_new(), x = bn_new();
  REQUIRE(BN_sub_word(c1.get(), 1) == 1);
  REQUIRE(BN_copy(d.get(), c1.get()) != nullptr);
  int s = 0;
  while (!BN_is_bit_set(d.get(), 0)) {
    REQUIRE(BN_rshift1(d.get(), d.get()) == 1);
    ++s;
  }
  REQUIRE(BN_set_word(a.get(), base) == 1);
  REQUIRE(BN_mod_exp(x.get(), a.get(), d.get(), c, ctx) == 1);
  if (BN_is_one(x.get()) || BN_cmp(x.get(), c1.get()) == 0) return true;
  for (int r = 1; r < s; ++r) {
    REQUIRE(BN_mod_sqr(x.get(), x.get(), c, ctx) == 1);
    if (BN_cmp(x.get(), c1.get()) == 0) return true;
    if (BN_is_one(x.get())) return false;
  }
  return false;
}

/// A `bits`-bit prime p fixed by `label`, with p − 1 prime to every exponent in `exponents` (so each of them is a
/// valid RSA exponent with p): the seeded number with its top two bits set (so the product of two such primes has
/// exactly the sum of their sizes in bits) and made odd, then stepped by 2 past multiples of the primes below 2^15 to
/// the first strong probable prime to the bases 2, 3, 5, 7, 11 and 13. Much cheaper than BN_check_prime's 64 rounds,
/// and a composite would show up at once: signatures made with it would not verify.
BignumPtr seeded_prime(const std::string& label, int bits, const std::vector<const BIGNUM*>& exponents, BN_CTX* ctx) {
  const auto octets = static_cast<std::size_t>((bits + 7) / 8);
  std::string seed = seeded_bytes(label, octets);
  seed[0] =
      static_cast<char>(static_cast<unsigned char>(seed[0]) & (0xffU >> (octets * 8 - static_cast<unsigned>(bits))));
  BignumPtr start = bn_bin(seed);
  REQUIRE(BN_set_bit(start.get(), bits - 1) == 1);
  REQUIRE(BN_set_bit(start.get(), bits - 2) == 1);
  REQUIRE(BN_set_bit(start.get(), 0) == 1);
  const std::vector<unsigned>& primes = sieve_primes();
  std::vector<std::uint64_t> residue(primes.size());
  for (std::size_t i = 0; i < primes.size(); ++i) {
    const BN_ULONG r = BN_mod_word(start.get(), primes[i]);
    REQUIRE(r != static_cast<BN_ULONG>(-1));
    residue[i] = r;
  }
  BignumPtr c = bn_new(), c1 = bn_new(), g = bn_new();
  for (std::uint64_t delta = 0; delta < (1U << 20); delta += 2) {
    bool sieved = true;
    for (std::size_t i = 0; sieved && i < primes.size(); ++i) sieved = (residue[i] + delta) % primes[i] != 0;
    if (!sieved) continue;
    REQUIRE(BN_copy(c.get(), start.get()) != nullptr);
    REQUIRE(BN_add_word(c.get(), delta) == 1);
    if (!strong_probable_prime(c.get(), 2, ctx)) continue;
    REQUIRE(BN_copy(c1.get(), c.get()) != nullptr);
    REQUIRE(BN_sub_word(c1.get(), 1) == 1);
    bool usable = true;
    for (const BIGNUM* e : exponents) {
      REQUIRE(BN_gcd(g.get(), c1.get(), e, ctx) == 1);
      usable = usable && BN_is_one(g.get());
    }
    for (BN_ULONG base : {3, 5, 7, 11, 13}) usable = usable && strong_probable_prime(c.get(), base, ctx);
    if (!usable) continue;
    REQUIRE(BN_num_bits(c.get()) == bits);
    return c;
  }
  FAIL("no prime found for " << label);
  return {};
}

/// The public exponents of the keys below.
struct Exponent {
  const char* name;
  const char* hex;
  bool montgomery;  ///< parse_dnskey gives the key a Montgomery form (odd, 3 ≤ e < 2^64)
};
const std::array<Exponent, 5> kExponents = {{
    {"3", "03", true},
    {"65537", "010001", true},
    {"2^33 + 1", "0200000001", true},            // wider than 32 bits
    {"2^64 - 59", "FFFFFFFFFFFFFFC5", true},     // 64 bits, all high bits set: the widest the Montgomery path takes
    {"2^64 + 13", "01000000000000000D", false},  // 65 bits: EVP_PKEY_verify alone
}};
const Exponent& exponent(std::string_view name) {
  for (const Exponent& e : kExponents) {
    if (name == e.name) return e;
  }
  FAIL("unknown exponent " << name);
  return kExponents[0];
}

/// A private key with its public numbers.
struct TestKey {
  int bits = 0;
  std::string name;
  std::string modulus;   ///< n, big-endian, k octets
  std::string exponent;  ///< e, big-endian
  BignumPtr n, e;
  EvpPkeyPtr pkey;
};

/// Two primes p, q of `bits` together (p of bits/2 bits), p − 1 and q − 1 prime to every exponent of kExponents.
std::pair<BignumPtr, BignumPtr> seeded_primes(int bits, int p_bits, BN_CTX* ctx) {
  std::vector<BignumPtr> owned;
  std::vector<const BIGNUM*> exps;
  for (const Exponent& x : kExponents) {
    owned.push_back(bn_hex(x.hex));
    exps.push_back(owned.back().get());
  }
  const std::string tag = "zonewarden test_rsa_verify " + std::to_string(bits) + "-bit ";
  return {seeded_prime(tag + "p", p_bits, exps, ctx), seeded_prime(tag + "q", bits - p_bits, exps, ctx)};
}

/// The key of `bits` bits with exponent `exp`, built once per run from seeded primes (one pair per size, shared by
/// the exponents) and imported with EVP_PKEY_fromdata with its CRT parameters.
const TestKey& test_key(int bits, const Exponent& exp) {
  static std::map<int, std::pair<BignumPtr, BignumPtr>> primes;
  static std::map<std::pair<int, std::string>, TestKey> keys;
  const auto id = std::make_pair(bits, std::string(exp.name));
  if (auto it = keys.find(id); it != keys.end()) return it->second;
  BnCtxPtr ctx(BN_CTX_new());
  REQUIRE(ctx);
  auto pq = primes.find(bits);
  if (pq == primes.end()) pq = primes.emplace(bits, seeded_primes(bits, bits / 2, ctx.get())).first;
  const BIGNUM* p = pq->second.first.get();
  const BIGNUM* q = pq->second.second.get();

  TestKey k;
  k.bits = bits;
  k.name = std::to_string(bits) + "-bit key, e = " + exp.name;
  k.e = bn_hex(exp.hex);
  k.n = bn_new();
  REQUIRE(BN_mul(k.n.get(), p, q, ctx.get()) == 1);
  REQUIRE(BN_num_bits(k.n.get()) == bits);
  // d = e^-1 mod λ(n), λ(n) = lcm(p − 1, q − 1); the CRT exponents and coefficient of RFC 8017 §3.2.
  BignumPtr p1 = bn_copy(p), q1 = bn_copy(q), g = bn_new(), lambda = bn_new(), d = bn_new(), dp = bn_new(),
            dq = bn_new(), qinv = bn_new();
  REQUIRE(BN_sub_word(p1.get(), 1) == 1);
  REQUIRE(BN_sub_word(q1.get(), 1) == 1);
  REQUIRE(BN_gcd(g.get(), p1.get(), q1.get(), ctx.get()) == 1);
  REQUIRE(BN_mul(lambda.get(), p1.get(), q1.get(), ctx.get()) == 1);
  REQUIRE(BN_div(lambda.get(), nullptr, lambda.get(), g.get(), ctx.get()) == 1);
  REQUIRE(BN_mod_inverse(d.get(), k.e.get(), lambda.get(), ctx.get()) != nullptr);
  REQUIRE(BN_nnmod(dp.get(), d.get(), p1.get(), ctx.get()) == 1);
  REQUIRE(BN_nnmod(dq.get(), d.get(), q1.get(), ctx.get()) == 1);
  REQUIRE(BN_mod_inverse(qinv.get(), q, p, ctx.get()) != nullptr);

  zw::core::OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  REQUIRE(bld);
  REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, k.n.get()) == 1);
  REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, k.e.get()) == 1);
  REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.get()) == 1);
  REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p) == 1);
  REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q) == 1);
  REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dp.get()) == 1);
  REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dq.get()) == 1);
  REQUIRE(OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv.get()) == 1);
  zw::core::OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  zw::core::EvpPkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  REQUIRE(params);
  REQUIRE(pctx);
  REQUIRE(EVP_PKEY_fromdata_init(pctx.get()) == 1);
  EVP_PKEY* raw = nullptr;
  REQUIRE(EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) == 1);
  k.pkey.reset(raw);
  k.modulus = bn_bytes(k.n.get());
  k.exponent = bn_bytes(k.e.get());
  return keys.emplace(id, std::move(k)).first->second;
}

/// A key from OpenSSL's own generator (EVP_PKEY_CTX keygen with the exponent set): different on every run, unlike
/// test_key's, so a failure must print its numbers.
TestKey generated_key(int bits, const Exponent& exp) {
  TestKey k;
  k.bits = bits;
  k.e = bn_hex(exp.hex);
  zw::core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  REQUIRE(ctx);
  REQUIRE(EVP_PKEY_keygen_init(ctx.get()) == 1);
  REQUIRE(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) == 1);
  REQUIRE(EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), k.e.get()) == 1);
  EVP_PKEY* raw = nullptr;
  REQUIRE(EVP_PKEY_generate(ctx.get(), &raw) == 1);
  k.pkey.reset(raw);
  BIGNUM* n = nullptr;
  REQUIRE(EVP_PKEY_get_bn_param(k.pkey.get(), OSSL_PKEY_PARAM_RSA_N, &n) == 1);
  k.n.reset(n);
  REQUIRE(BN_num_bits(k.n.get()) == bits);
  k.modulus = bn_bytes(k.n.get());
  k.exponent = bn_bytes(k.e.get());
  k.name = std::to_string(bits) + "-bit generated key, e = " + exp.name + ", n = " + hex_encode(k.modulus);
  return k;
}

/// DNSKEY RDATA: flags 256 (ZONE), protocol 3, `alg`, the RFC 3110 §2 public key field (exponent length in one
/// octet, or 0 and two octets when `long_length` or the exponent is longer than 255 octets; exponent; modulus).
std::string dnskey_rdata(std::uint8_t alg, std::string_view exponent, std::string_view modulus,
                         bool long_length = false) {
  std::string rd = "\x01\x00\x03"s;
  rd.push_back(static_cast<char>(alg));
  if (long_length || exponent.size() > 255) {
    rd.push_back('\0');
    rd.push_back(static_cast<char>(exponent.size() >> 8));
    rd.push_back(static_cast<char>(exponent.size() & 0xff));
  } else {
    rd.push_back(static_cast<char>(exponent.size()));
  }
  rd.append(exponent);
  rd.append(modulus);
  return rd;
}

/// parse_dnskey on the key's RDATA; REQUIREs the key usable and the Montgomery form present exactly when expected.
PublicKey public_key(const TestKey& k, std::uint8_t alg, bool montgomery, bool long_length = false) {
  PublicKey pk = parse_dnskey(dnskey_rdata(alg, k.exponent, k.modulus, long_length));
  INFO(k.name << ", algorithm " << int{alg} << ": " << pk.problem_text);
  REQUIRE(pk.problem == KeyProblem::None);
  REQUIRE(pk.algorithm == alg);
  REQUIRE(pk.bits == k.bits);
  REQUIRE(pk.rsa_modulus == k.modulus);
  REQUIRE(pk.rsa_exponent == k.exponent);
  REQUIRE((pk.rsa_mont != nullptr) == montgomery);
  return pk;
}

const char* md_name(std::uint8_t alg) {
  return alg == kRsaSha256 ? "SHA256" : alg == kRsaSha512 ? "SHA512" : "SHA1";
}

/// RSASSA-PKCS1-v1_5 signature by OpenSSL (EVP_DigestSign, RFC 8017 §8.2.1).
std::string digest_sign(const TestKey& k, std::uint8_t alg, std::string_view data) {
  zw::core::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  REQUIRE(ctx);
  EVP_PKEY_CTX* pctx = nullptr;
  REQUIRE(EVP_DigestSignInit_ex(ctx.get(), &pctx, md_name(alg), nullptr, nullptr, k.pkey.get(), nullptr) == 1);
  REQUIRE(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1);
  std::size_t len = 0;
  REQUIRE(EVP_DigestSign(ctx.get(), nullptr, &len, ubytes(data), data.size()) == 1);
  std::string sig(len, '\0');
  REQUIRE(EVP_DigestSign(ctx.get(), ubytes(sig), &len, ubytes(data), data.size()) == 1);
  sig.resize(len);
  REQUIRE(sig.size() == k.modulus.size());
  return sig;
}

/// s^e mod n, k octets, computed here with BN_mod_exp (RSAVP1, RFC 8017 §5.2.2): what a signature decrypts to.
std::string public_op(const TestKey& k, std::string_view sig) {
  BnCtxPtr ctx(BN_CTX_new());
  REQUIRE(ctx);
  BignumPtr s = bn_bin(sig), m = bn_new();
  REQUIRE(BN_mod_exp(m.get(), s.get(), k.e.get(), k.n.get(), ctx.get()) == 1);
  return bn_padded(m.get(), k.modulus.size());
}

/// The raw private operation on a k-octet encoded message (EVP_PKEY_sign with RSA_NO_PADDING, RSASP1 of RFC 8017
/// §5.2.1), checked by decrypting it again: the signature of exactly `em`.
std::string raw_sign(const TestKey& k, std::string_view em) {
  REQUIRE(em.size() == k.modulus.size());
  zw::core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, k.pkey.get(), nullptr));
  REQUIRE(ctx);
  REQUIRE(EVP_PKEY_sign_init(ctx.get()) == 1);
  REQUIRE(EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_NO_PADDING) == 1);
  std::size_t len = 0;
  REQUIRE(EVP_PKEY_sign(ctx.get(), nullptr, &len, ubytes(em), em.size()) == 1);
  std::string sig(len, '\0');
  REQUIRE(EVP_PKEY_sign(ctx.get(), ubytes(sig), &len, ubytes(em), em.size()) == 1);
  sig.resize(len);
  REQUIRE(sig.size() == em.size());
  REQUIRE(public_op(k, sig) == em);
  return sig;
}

/// DER DigestInfo prefixes (RFC 8017 §9.2 note 1): AlgorithmIdentifier with NULL parameters, as RFC 8017 lists them
/// and OpenSSL writes them, and the form with the parameters absent (two octets shorter).
std::string digest_info(const char* md, bool null_parameters = true) {
  if (std::string_view(md) == "SHA1") {
    return null_parameters ? "\x30\x21\x30\x09\x06\x05\x2b\x0e\x03\x02\x1a\x05\x00\x04\x14"s
                           : "\x30\x1f\x30\x07\x06\x05\x2b\x0e\x03\x02\x1a\x04\x14"s;
  }
  const char last_oid = std::string_view(md) == "SHA256" ? '\x01' : '\x03';
  const std::string oid = "\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02"s + last_oid;
  const char len = std::string_view(md) == "SHA256" ? '\x20' : '\x40';
  const char outer = static_cast<char>(len + (null_parameters ? 0x11 : 0x0f));
  return null_parameters ? "\x30"s + outer + "\x30\x0d"s + oid + "\x05\x00\x04"s + len
                         : "\x30"s + outer + "\x30\x0b"s + oid + "\x04"s + len;
}

/// EM = 0x00 0x01 PS 0x00 T (RFC 8017 §9.2 step 5), PS the 0xFF octets that make it k octets long.
std::string emsa_pkcs1(std::size_t k, std::string_view t) {
  REQUIRE(k >= t.size() + 11);
  return "\x00\x01"s + std::string(k - t.size() - 3, '\xff') + '\0' + std::string(t);
}

/// `n` octets none of which is 0x00 (a 0x00 could be read as the separator).
std::string garbage(std::string_view label, std::size_t n) {
  std::string g = seeded_bytes(label, n);
  for (char& c : g) {
    if (c == '\0') c = '\x5a';
  }
  return g;
}

/// What every signature signs: 200 seeded octets standing for the RRSIG signed data of RFC 4034 §3.1.8.1.
const std::string& test_data() {
  static const std::string data = seeded_bytes("zonewarden test_rsa_verify data", 200);
  return data;
}

std::string flipped(std::string s, std::size_t bit) {  // bit 0 is the most significant bit of the first octet
  s[bit / 8] = static_cast<char>(static_cast<unsigned char>(s[bit / 8]) ^ (0x80U >> (bit % 8)));
  return s;
}

}  // namespace

// Valid signatures: the two paths must both accept every honest PKCS#1 v1.5 signature (RFC 8017 §8.2.2), for each
// size, exponent and hash. The Montgomery path must be the one taken for 3 ≤ e < 2^64 (rsa_mont set), and EVP alone
// for the 65-bit exponent.
TEST_CASE("RSA verify paths agree: valid signatures, 1024 to 4096 bits, e = 3 to 2^64 + 13, algorithms 5 7 8 10",
          "[dnssec][rsa]") {
  RsaPathGuard guard;
  const std::string& data = test_data();
  for (int bits : {1024, 2048, 4096}) {
    for (const Exponent& exp : kExponents) {
      const TestKey& k = test_key(bits, exp);
      std::vector<std::uint8_t> algs = {kRsaSha256};
      if (bits == 2048) algs = {kRsaSha1, kRsaSha1Nsec3, kRsaSha256, kRsaSha512};
      for (std::uint8_t alg : algs) {
        INFO(k.name << ", algorithm " << int{alg});
        const PublicKey key = public_key(k, alg, exp.montgomery);
        const std::string sig = digest_sign(k, alg, data);
        // OpenSSL's RSA public operation refuses exponents wider than 64 bits (OPENSSL_RSA_MAX_PUBEXP_BITS) once the
        // modulus has more than 3072 bits (OPENSSL_RSA_SMALL_MODULUS_BITS), so EVP_PKEY_verify — the only path for
        // such a key — says Invalid even to an honest signature. Both paths report it the same way.
        const bool evp_refuses = bits > 3072 && !exp.montgomery;
        expect_both(key, data, sig, evp_refuses ? VerifyResult::Invalid : VerifyResult::Valid);
        expect_both(key, "", digest_sign(k, alg, ""), evp_refuses ? VerifyResult::Invalid : VerifyResult::Valid);
      }
    }
  }
  // The exponent length in its three-octet form (RFC 3110 §2: a zero octet, then two octets) changes nothing.
  const TestKey& k = test_key(2048, exponent("65537"));
  const PublicKey long_form = public_key(k, kRsaSha256, true, true);
  expect_both(long_form, data, digest_sign(k, kRsaSha256, data), VerifyResult::Valid);

  // Keys from OpenSSL's generator (1024 bits, a few ms each): a fresh modulus on every run, the same expectations.
  for (const char* name : {"65537", "3", "2^33 + 1"}) {
    const TestKey g = generated_key(1024, exponent(name));
    INFO(g.name);
    const PublicKey key = public_key(g, kRsaSha256, true);
    const std::string sig = digest_sign(g, kRsaSha256, data);
    expect_both(key, data, sig, VerifyResult::Valid);
    for (std::size_t bit = 0; bit < sig.size() * 8; bit += 31) {
      expect_both(key, data, flipped(sig, bit), VerifyResult::Invalid);
    }
  }
}

// Corrupted signatures and data: every answer of one path must be the other's. Covers a few hundred single-bit flips
// spread evenly over the signature (first and last bit included), other data, and the signature representatives
// RSAVP1 must refuse because they are not below n (RFC 8017 §5.2.2 step 1), including s + n, which the Montgomery
// arithmetic would otherwise reduce to the valid s. A signature of the wrong length is Malformed before either path.
TEST_CASE("RSA verify paths agree: bit flips, other data, representatives not below n, wrong lengths",
          "[dnssec][rsa]") {
  RsaPathGuard guard;
  const std::string& data = test_data();
  // 1028 bits: k = 129 octets, n < 2^1028, so s + n, s + 2n … s + 15n still fit in k octets.
  const std::vector<std::pair<int, const char*>> keys = {
      {1024, "65537"},    {1024, "3"},         {1028, "65537"}, {1028, "3"}, {2048, "65537"},     {2048, "3"},
      {2048, "2^33 + 1"}, {2048, "2^64 - 59"}, {4096, "65537"}, {4096, "3"}, {1024, "2^64 - 59"}, {4096, "2^64 - 59"}};
  int above_n_cases = 0;
  for (const auto& [bits, exp_name] : keys) {
    const Exponent& exp = exponent(exp_name);
    const TestKey& k = test_key(bits, exp);
    INFO(k.name);
    const PublicKey key = public_key(k, kRsaSha256, exp.montgomery);
    const std::string sig = digest_sign(k, kRsaSha256, data);
    expect_both(key, data, sig, VerifyResult::Valid);

    // Single-bit flips at deterministic positions spread over the whole signature. The 64-bit exponent costs ~7
    // times the multiplications of 65537 (63 squarings and 60 multiplications), so it gets fewer flips at 4096 bits.
    const std::size_t total_bits = sig.size() * 8;
    const std::size_t flips = bits == 4096 && std::string_view(exp_name) == "2^64 - 59" ? 64 : 256;
    for (std::size_t i = 0; i < flips; ++i) {
      const std::size_t bit = i * (total_bits - 1) / (flips - 1);
      INFO("signature bit " << bit << " flipped");
      expect_both(key, data, flipped(sig, bit), VerifyResult::Invalid);
    }
    // The data changed by one bit (first, middle and last octet).
    for (std::size_t bit : {std::size_t{0}, data.size() * 4 + 3, data.size() * 8 - 1}) {
      INFO("data bit " << bit << " flipped");
      expect_both(key, flipped(data, bit), sig, VerifyResult::Invalid);
    }

    // Signature representatives at and around n, and the trivial ones.
    const std::size_t kk = k.modulus.size();
    BignumPtr s = bn_bin(sig), x = bn_new();
    BnCtxPtr ctx(BN_CTX_new());
    REQUIRE(ctx);
    expect_both(key, data, k.modulus, VerifyResult::Invalid);  // s = n
    REQUIRE(BN_copy(x.get(), k.n.get()) != nullptr);
    REQUIRE(BN_sub_word(x.get(), 1) == 1);
    expect_both(key, data, bn_padded(x.get(), kk), VerifyResult::Invalid);  // s = n − 1: (−1)^e = n − 1
    REQUIRE(BN_add_word(x.get(), 2) == 1);
    if (const std::string n_plus_1 = bn_padded(x.get(), kk); !n_plus_1.empty()) {
      expect_both(key, data, n_plus_1, VerifyResult::Invalid);  // s = n + 1 ≡ 1
    }
    expect_both(key, data, std::string(kk, '\0'), VerifyResult::Invalid);
    expect_both(key, data, std::string(kk, '\xff'), VerifyResult::Invalid);
    expect_both(key, data, std::string(kk - 1, '\0') + '\x01', VerifyResult::Invalid);
    expect_both(key, data, std::string(kk - 1, '\0') + '\x02', VerifyResult::Invalid);
    REQUIRE(BN_sub(x.get(), k.n.get(), s.get()) == 1);
    expect_both(key, data, bn_padded(x.get(), kk), VerifyResult::Invalid);  // n − s: (−s)^e = n − EM
    // s + j·n ≡ s (mod n): a valid signature's value, but not a valid representative (RFC 8017 §5.2.2 step 1).
    REQUIRE(BN_copy(x.get(), s.get()) != nullptr);
    for (int j = 1; j <= 16; ++j) {
      REQUIRE(BN_add(x.get(), x.get(), k.n.get()) == 1);
      const std::string above = bn_padded(x.get(), kk);
      if (above.empty()) break;
      INFO("s + " << j << "·n");
      REQUIRE(public_op(k, above) == public_op(k, sig));
      expect_both(key, data, above, VerifyResult::Invalid);
      ++above_n_cases;
    }

    // One octet shorter or longer (also with a leading zero, the same number), or empty: Malformed.
    expect_both(key, data, sig.substr(1), VerifyResult::Malformed);
    expect_both(key, data, sig.substr(0, kk - 1), VerifyResult::Malformed);
    expect_both(key, data, sig + '\0', VerifyResult::Malformed);
    expect_both(key, data, '\0' + sig, VerifyResult::Malformed);
    expect_both(key, data, "", VerifyResult::Malformed);
  }
  REQUIRE(above_n_cases >= 15);  // the 1028-bit keys alone give 2 × 15
}

// Encoded messages built by hand and signed with the raw private operation, each differing from the one valid
// EMSA-PKCS1-v1_5 encoding (RFC 8017 §9.2) in one way. RSASSA-PKCS1-V1_5-VERIFY (§8.2.2 step 4) compares the whole
// EM with the encoding it computes, so every one of them is invalid; OpenSSL checks it piecewise (block type,
// padding, separator, then the DigestInfo), verify_rsa_mont in one fixed layout, and the answers must be the same.
TEST_CASE("RSA verify paths agree: hand-made PKCS#1 v1.5 encodings with one defect each (RFC 8017 9.2)",
          "[dnssec][rsa]") {
  RsaPathGuard guard;
  const std::string& data = test_data();
  const std::string other_data = "other data";
  struct Case {
    int bits;
    const char* exp;
    std::uint8_t alg;
  };
  for (const Case& c : {Case{2048, "65537", kRsaSha1}, Case{2048, "65537", kRsaSha256}, Case{2048, "65537", kRsaSha512},
                        Case{1024, "3", kRsaSha256}, Case{1028, "65537", kRsaSha256}, Case{4096, "65537", kRsaSha256},
                        Case{2048, "2^64 - 59", kRsaSha256}}) {
    const Exponent& exp = exponent(c.exp);
    const TestKey& k = test_key(c.bits, exp);
    INFO(k.name << ", algorithm " << int{c.alg});
    const PublicKey key = public_key(k, c.alg, exp.montgomery);
    const std::size_t kk = k.modulus.size();
    const char* md = md_name(c.alg);
    const std::string h = digest(md, data);
    const std::string t = digest_info(md) + h;
    const std::size_t ps = kk - t.size() - 3;  // padding length of the valid encoding
    const std::string good = emsa_pkcs1(kk, t);

    // The valid encoding: Valid, and the raw operation on it gives exactly OpenSSL's PKCS#1 v1.5 signature.
    const std::string good_sig = raw_sign(k, good);
    REQUIRE(good_sig == digest_sign(k, c.alg, data));
    expect_both(key, data, good_sig, VerifyResult::Valid);

    std::vector<std::pair<const char*, std::string>> bad;
    bad.emplace_back("first octet 0x01", "\x01"s + good.substr(1));
    bad.emplace_back("block type 0x02", "\x00\x02"s + good.substr(2));
    bad.emplace_back("block type 0x00", "\x00\x00"s + good.substr(2));
    for (std::size_t at : {std::size_t{2}, 2 + ps / 2, 2 + ps - 1}) {  // first, middle, last padding octet
      std::string em = good;
      em[at] = '\xfe';
      bad.emplace_back("a padding octet 0xFE", em);
    }
    // Only 7 0xFF (RFC 8017 §9.2 step 5 wants at least 8), then the separator: the structure shifts left, and the
    // octets freed are garbage placed before T, or after it.
    const std::string g = garbage("zonewarden test_rsa_verify short padding", kk - 10 - t.size());
    bad.emplace_back("7 padding octets, garbage before T", "\x00\x01"s + std::string(7, '\xff') + '\0' + g + t);
    bad.emplace_back("7 padding octets, garbage after T", "\x00\x01"s + std::string(7, '\xff') + '\0' + t + g);
    bad.emplace_back("no padding octet", "\x00\x01\x00"s + t + garbage("zonewarden no padding", kk - 3 - t.size()));
    bad.emplace_back("separator 0x01", good.substr(0, 2 + ps) + '\x01' + t);
    bad.emplace_back("no separator (0xFF)", good.substr(0, 2 + ps) + '\xff' + t);
    bad.emplace_back("two separators", "\x00\x01"s + std::string(ps - 1, '\xff') + "\x00\x00"s + t);
    // DigestInfo with the parameters absent instead of NULL: RFC 8017 §9.2 note 2 lets a verifier accept it; neither
    // OpenSSL nor verify_rsa_mont does. Two octets shorter, so the padding grows by two.
    bad.emplace_back("DigestInfo without NULL parameters", emsa_pkcs1(kk, digest_info(md, false) + h));
    // The DigestInfo length in BER long form (0x81 0x31 for 0x31): not DER.
    {
      std::string t_ber = t;
      t_ber.insert(1, 1, '\x81');
      bad.emplace_back("DigestInfo length in long form", emsa_pkcs1(kk, t_ber));
    }
    // Another hash's DigestInfo and digest of the same data (the hash the algorithm number does not name).
    const char* other_md = std::string_view(md) == "SHA1" ? "SHA256" : "SHA1";
    bad.emplace_back("another hash's DigestInfo", emsa_pkcs1(kk, digest_info(other_md) + digest(other_md, data)));
    // The right DigestInfo with the other hash's prefix: the OID does not match the hash length.
    bad.emplace_back("hash OID changed", [&] {
      std::string em = good;
      char& last = em[2 + ps + 1 + (std::string_view(md) == "SHA1" ? 10 : 14)];  // last octet of the hash OID
      last = static_cast<char>(last ^ 0x01);
      return em;
    }());
    // Extra octets after the hash, the padding two octets shorter; and the classic e = 3 forgery layout
    // (Bleichenbacher 2006): 8 0xFF, separator, T, then garbage to fill k octets.
    bad.emplace_back("two zero octets after the hash", "\x00\x01"s + std::string(ps - 2, '\xff') + '\0' + t + "\0\0"s);
    bad.emplace_back("garbage after the hash",
                     "\x00\x01"s + std::string(8, '\xff') + '\0' + t + garbage("zonewarden bb06", ps - 8));
    // The digest of other data in a correct structure: Invalid for this data, Valid for the other.
    const std::string other_em = emsa_pkcs1(kk, digest_info(md) + digest(md, other_data));
    bad.emplace_back("the digest of other data", other_em);

    for (const auto& [what, em] : bad) {
      INFO(what);
      REQUIRE(em.size() == kk);
      REQUIRE(em != good);
      expect_both(key, data, raw_sign(k, em), VerifyResult::Invalid);
    }
    // One octet of the valid encoding changed (xor 0x01) in turn: the first 12 octets (00 01 and the start of the
    // padding), the last padding octet, the separator and every octet of T = DigestInfo | H, so that no octet goes
    // uncompared. At 4096 bits, where each private operation costs ~10 ms, T's DigestInfo and its last octet only.
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < 12; ++i) positions.push_back(i);
    positions.push_back(1 + ps);  // last padding octet
    positions.push_back(2 + ps);  // separator
    const std::size_t prefix_len = t.size() - h.size();
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (c.bits <= 2048 || i < prefix_len || i + 1 == t.size()) positions.push_back(3 + ps + i);
    }
    for (std::size_t at : positions) {
      INFO("octet " << at << " of the encoding changed");
      std::string em = good;
      em[at] = static_cast<char>(em[at] ^ 0x01);
      expect_both(key, data, raw_sign(k, em), VerifyResult::Invalid);
    }
    expect_both(key, other_data, raw_sign(k, other_em), VerifyResult::Valid);
  }
}

// The boundary of RFC 8017 §9.2 step 3 ("If emLen < tLen + 11, output 'intended encoded message length too short'"),
// for RSASHA512 (tLen = 19 + 64 = 83): with a 752-bit modulus (k = 94 = tLen + 11) the valid encoding has exactly the
// minimum 8 padding octets and verifies; with a 744-bit one (k = 93) no signature can be valid, and verify_rsa_mont
// returns Invalid before its public operation while OpenSSL finds only 7 padding octets. RSASHA256 still fits there.
TEST_CASE("RSA verify paths agree: the shortest moduli for RSASHA512 (k = tLen + 11 and tLen + 10)", "[dnssec][rsa]") {
  RsaPathGuard guard;
  const std::string& data = test_data();
  const Exponent& exp = exponent("65537");
  const std::string t = digest_info("SHA512") + digest("SHA512", data);
  REQUIRE(t.size() == 83);

  const TestKey& fits = test_key(752, exp);
  REQUIRE(fits.modulus.size() == t.size() + 11);
  const PublicKey key752 = public_key(fits, kRsaSha512, true);
  const std::string sig = digest_sign(fits, kRsaSha512, data);
  REQUIRE(public_op(fits, sig) == "\x00\x01"s + std::string(8, '\xff') + '\0' + t);
  expect_both(key752, data, sig, VerifyResult::Valid);
  for (std::size_t bit = 0; bit < sig.size() * 8; bit += 7)
    expect_both(key752, data, flipped(sig, bit), VerifyResult::Invalid);
  expect_both(key752, data, raw_sign(fits, "\x00\x01"s + std::string(7, '\xff') + '\0' + t + '\x5a'),
              VerifyResult::Invalid);
  expect_both(key752, data, raw_sign(fits, "\x00\x01"s + std::string(7, '\xff') + '\0' + '\x5a' + t),
              VerifyResult::Invalid);

  const TestKey& short_key = test_key(744, exp);
  REQUIRE(short_key.modulus.size() == t.size() + 10);
  const PublicKey key744 = public_key(short_key, kRsaSha512, true);
  const std::string seven = raw_sign(short_key, "\x00\x01"s + std::string(7, '\xff') + '\0' + t);
  expect_both(key744, data, seven, VerifyResult::Invalid);
  expect_both(key744, data, std::string(short_key.modulus.size(), '\0'), VerifyResult::Invalid);
  expect_both(key744, data, std::string(short_key.modulus.size() - 1, '\0') + '\x01', VerifyResult::Invalid);
  // The same modulus with RSASHA256 (tLen = 51) has room for 31 padding octets: Valid.
  const PublicKey key744_sha256 = public_key(short_key, kRsaSha256, true);
  expect_both(key744_sha256, data, digest_sign(short_key, kRsaSha256, data), VerifyResult::Valid);
}

// An even modulus has no Montgomery form (Montgomery reduction needs gcd(n, R) = 1), so parse_dnskey gives the key
// none and EVP_PKEY_verify answers on both paths. The key is written by hand: n = 2·p·q (1024 bits) with the
// signature s = EM^d mod n, d = e^-1 mod lcm(p − 1, q − 1), which satisfies s^e ≡ EM (mod n); OpenSSL's public
// operation refuses an even modulus outright, so it is Invalid all the same. Exponents the Montgomery path does not
// take (1, even) get no Montgomery form either.
TEST_CASE("RSA verify paths agree: an even modulus has no Montgomery form", "[dnssec][rsa]") {
  RsaPathGuard guard;
  const std::string& data = test_data();
  BnCtxPtr ctx(BN_CTX_new());
  REQUIRE(ctx);
  BignumPtr e = bn_hex("010001");
  const std::vector<const BIGNUM*> exps = {e.get()};
  // p: 512 bits, q: 511 bits, both with their top two bits set, so p·q has 1023 bits and n = 2·p·q 1024.
  BignumPtr p = seeded_prime("zonewarden test_rsa_verify even p", 512, exps, ctx.get());
  BignumPtr q = seeded_prime("zonewarden test_rsa_verify even q", 511, exps, ctx.get());
  BignumPtr n = bn_new(), p1 = bn_copy(p.get()), q1 = bn_copy(q.get()), g = bn_new(), lambda = bn_new(), d = bn_new();
  REQUIRE(BN_mul(n.get(), p.get(), q.get(), ctx.get()) == 1);
  REQUIRE(BN_lshift1(n.get(), n.get()) == 1);
  REQUIRE(BN_num_bits(n.get()) == 1024);
  REQUIRE(!BN_is_odd(n.get()));
  REQUIRE(BN_sub_word(p1.get(), 1) == 1);
  REQUIRE(BN_sub_word(q1.get(), 1) == 1);
  REQUIRE(BN_gcd(g.get(), p1.get(), q1.get(), ctx.get()) == 1);
  REQUIRE(BN_mul(lambda.get(), p1.get(), q1.get(), ctx.get()) == 1);
  REQUIRE(BN_div(lambda.get(), nullptr, lambda.get(), g.get(), ctx.get()) == 1);
  REQUIRE(BN_mod_inverse(d.get(), e.get(), lambda.get(), ctx.get()) != nullptr);

  const std::string modulus = bn_bytes(n.get());
  const std::string em = emsa_pkcs1(modulus.size(), digest_info("SHA256") + digest("SHA256", data));
  BignumPtr m = bn_bin(em), s = bn_new(), back = bn_new();
  REQUIRE(BN_mod_exp(s.get(), m.get(), d.get(), n.get(), ctx.get()) == 1);
  REQUIRE(BN_mod_exp(back.get(), s.get(), e.get(), n.get(), ctx.get()) == 1);
  REQUIRE(BN_cmp(back.get(), m.get()) == 0);  // a mathematically valid signature
  const std::string sig = bn_padded(s.get(), modulus.size());
  REQUIRE(!sig.empty());

  const PublicKey key = parse_dnskey(dnskey_rdata(kRsaSha256, "\x01\x00\x01"s, modulus));
  INFO(key.problem_text);
  REQUIRE(key.problem == KeyProblem::None);
  REQUIRE(key.bits == 1024);
  REQUIRE(key.rsa_mont == nullptr);
  const auto facts = rsa_facts(key);
  REQUIRE(facts);
  REQUIRE(facts->modulus_even);
  expect_both(key, data, sig, VerifyResult::Invalid);
  expect_both(key, data, flipped(sig, 100), VerifyResult::Invalid);
  expect_both(key, data, std::string(modulus.size(), '\0'), VerifyResult::Invalid);
  expect_both(key, data, std::string(modulus.size() - 1, '\0') + '\x01', VerifyResult::Invalid);
  expect_both(key, data, sig.substr(1), VerifyResult::Malformed);

  // e = 1 (s^1 = s: the encoded message itself is a "signature") and e = 65536 (even): no Montgomery form; the two
  // paths still agree on what EVP_PKEY_verify says. OpenSSL 3.0 loads both keys and, for e = 1, calls the encoded
  // message Valid; rsa_facts reports such an exponent as invalid (exponent_invalid) whatever verify says.
  const TestKey& odd = test_key(1024, exponent("65537"));
  for (const std::string& bad_e : {"\x01"s, "\x01\x00\x00"s}) {
    const PublicKey weak = parse_dnskey(dnskey_rdata(kRsaSha256, bad_e, odd.modulus));
    INFO("exponent of " << bad_e.size() << " octets: " << weak.problem_text);
    if (weak.problem != KeyProblem::None) continue;  // OpenSSL may refuse it outright
    REQUIRE(weak.rsa_mont == nullptr);
    const std::string odd_em = emsa_pkcs1(odd.modulus.size(), digest_info("SHA256") + digest("SHA256", data));
    set_rsa_path(RsaPath::Evp);
    const VerifyResult evp = verify(weak, data, odd_em);
    expect_both(weak, data, odd_em, evp);
  }
}
