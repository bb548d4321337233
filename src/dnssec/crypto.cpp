// crypto.cpp: DNSSEC primitives over OpenSSL 3: DNSKEY parsing, key tags, RRSIG signed data, verification, DS digests.
#include "dnssec/crypto.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <limits>

#include "core/bytes.hpp"
#include "core/codec.hpp"

namespace zw::dnssec {
namespace {

constexpr std::uint8_t kAlgRsaMd5 = 1, kAlgRsaSha1 = 5, kAlgRsaSha1Nsec3 = 7, kAlgRsaSha256 = 8, kAlgRsaSha512 = 10,
                       kAlgEcdsaP256 = 13, kAlgEcdsaP384 = 14, kAlgEd25519 = 15, kAlgEd448 = 16;

/// Length of the fixed part of RRSIG RDATA (type covered … key tag), RFC 4034 §3.1.
constexpr std::size_t kRrsigFixed = 18;

unsigned u8(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(s[i]);
}
using core::be16;
using core::be32;
const unsigned char* ubytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

using core::store_be16;
using core::store_be32;

/// The RSA algorithms this build verifies (not RSAMD5).
bool is_rsa(std::uint8_t alg) {
  return is_rsa_algorithm(alg) && algorithm_supported(alg);
}

}  // namespace

/// The public half of an RSA key as the Montgomery path needs it: n, its Montgomery context (read-only once set, so
/// threads share it, as OpenSSL's own RSA code shares its cached one) and the exponent as a machine word.
struct RsaMont {
  core::BignumPtr n;
  std::unique_ptr<BN_MONT_CTX, void (*)(BN_MONT_CTX*)> mont{nullptr, BN_MONT_CTX_free};
  core::BignumPtr r_e;  ///< R^e mod n, R the Montgomery radix: turns s^e·R^-(e-1) into s^e in one multiplication
  std::uint64_t e = 0;
  std::size_t bytes = 0;  ///< modulus length in octets: the length of every signature and of the encoded message
};

namespace {

/// Message digests, fetched once (implicit fetches in every EVP_DigestVerifyInit would take the method-store lock).
struct Digests {
  core::EvpMdPtr sha1{EVP_MD_fetch(nullptr, "SHA1", nullptr)};
  core::EvpMdPtr sha256{EVP_MD_fetch(nullptr, "SHA256", nullptr)};
  core::EvpMdPtr sha384{EVP_MD_fetch(nullptr, "SHA384", nullptr)};
  core::EvpMdPtr sha512{EVP_MD_fetch(nullptr, "SHA512", nullptr)};
};
const Digests& digests() {
  static const Digests d;
  return d;
}

/// The error queue is per thread; drop what a failed call left there so it cannot leak into unrelated reports.
void clear_openssl_errors() {
  ERR_clear_error();
}

core::EvpPkeyPtr pkey_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  core::OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return {};
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) return {};
  return core::EvpPkeyPtr(raw);
}

bool public_check(EVP_PKEY* pkey) {
  core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  // P-256 and P-384 have cofactor 1: a point on the curve that is not at infinity is in the group of prime order,
  // so the quick check (SEC 1 §3.2.2.1 steps 1–3) is the whole check; step 4 (n·Q = O) only matters when h > 1.
  return ctx && EVP_PKEY_public_check_quick(ctx.get()) == 1;
}

void set_problem(PublicKey& k, KeyProblem p, std::string text, std::string_view detail = {}, std::size_t octets = 0,
                 std::size_t expected = 0) {
  k.problem = p;
  k.problem_text = std::move(text);
  k.problem_detail = detail;
  k.problem_octets = octets;
  k.problem_expected = expected;
  k.pkey.reset();
}

int bit_length(std::string_view big_endian) {
  std::size_t i = 0;
  while (i < big_endian.size() && big_endian[i] == 0) ++i;
  if (i == big_endian.size()) return 0;
  int top = 0;
  for (unsigned v = u8(big_endian, i); v != 0; v >>= 1) ++top;
  return static_cast<int>((big_endian.size() - i - 1) * 8) + top;
}

/// The Montgomery form of a key OpenSSL accepted, or null where the fast path does not apply and EVP_PKEY_verify
/// decides alone: an even modulus (no Montgomery form), an exponent that is even, 1 or wider than 64 bits, or
/// outside the limits OpenSSL's public operation enforces (modulus up to 16384 bits, e < n).
std::shared_ptr<const RsaMont> rsa_mont(core::BignumPtr n, std::string_view exponent, std::size_t modulus_bytes) {
  if (!n || !BN_is_odd(n.get()) || BN_num_bits(n.get()) > 16384 || exponent.size() > 8) return nullptr;
  std::uint64_t e = 0;
  for (std::size_t i = 0; i < exponent.size(); ++i) e = (e << 8) | u8(exponent, i);
  if (e < 3 || (e & 1) == 0 || BN_num_bits(n.get()) <= 64) return nullptr;
  auto m = std::make_shared<RsaMont>();
  core::BnCtxPtr ctx(BN_CTX_new());
  m->mont.reset(BN_MONT_CTX_new());
  core::BignumPtr one(BN_new()), r(BN_new()), exp(BN_new());
  m->r_e.reset(BN_new());
  // R mod n is the Montgomery form of 1; R^e mod n by an ordinary exponentiation, once per key.
  if (!ctx || !m->mont || !one || !r || !exp || !m->r_e || BN_MONT_CTX_set(m->mont.get(), n.get(), ctx.get()) != 1 ||
      BN_one(one.get()) != 1 || BN_to_montgomery(r.get(), one.get(), m->mont.get(), ctx.get()) != 1 ||
      BN_bin2bn(ubytes(exponent), static_cast<int>(exponent.size()), exp.get()) == nullptr ||
      BN_mod_exp(m->r_e.get(), r.get(), exp.get(), n.get(), ctx.get()) != 1) {
    clear_openssl_errors();
    return nullptr;
  }
  m->n = std::move(n);
  m->e = e;
  m->bytes = modulus_bytes;
  return m;
}

/// RFC 3110 §2: exponent length (1 octet, or 0 then 2 octets), exponent, modulus.
void parse_rsa(PublicKey& k) {
  std::string_view key = k.public_key;
  if (key.empty()) return set_problem(k, KeyProblem::Encoding, "RSA public key is empty", "rsa-key-empty");
  std::size_t elen = u8(key, 0);
  std::size_t pos = 1;
  if (elen == 0) {
    if (key.size() < 3)
      return set_problem(k, KeyProblem::Encoding, "RSA exponent length truncated", "rsa-exponent-length-truncated");
    elen = be16(key, 1);
    pos = 3;
    if (elen == 0) return set_problem(k, KeyProblem::Encoding, "RSA exponent length is 0", "rsa-exponent-length-zero");
  }
  if (key.size() - pos < elen)
    return set_problem(k, KeyProblem::Encoding, "RSA exponent truncated", "rsa-exponent-truncated");
  std::string_view exponent = key.substr(pos, elen);
  std::string_view modulus = key.substr(pos + elen);
  if (modulus.empty()) return set_problem(k, KeyProblem::Encoding, "RSA modulus is empty", "rsa-modulus-empty");
  k.rsa_exponent.assign(exponent);
  k.rsa_modulus.assign(modulus);
  k.bits = bit_length(modulus);
  if (exponent[0] == 0)
    return set_problem(k, KeyProblem::Encoding, "RSA exponent has leading zero octets", "rsa-exponent-leading-zero");
  if (modulus[0] == 0)
    return set_problem(k, KeyProblem::Encoding, "RSA modulus has leading zero octets", "rsa-modulus-leading-zero");

  core::BignumPtr n(BN_bin2bn(ubytes(modulus), static_cast<int>(modulus.size()), nullptr));
  core::BignumPtr e(BN_bin2bn(ubytes(exponent), static_cast<int>(exponent.size()), nullptr));
  core::OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return set_problem(k, KeyProblem::Unsupported, "OpenSSL could not build the RSA key");
  }
  k.pkey = pkey_from_params("RSA", bld.get());
  if (!k.pkey) return set_problem(k, KeyProblem::Encoding, "OpenSSL rejected the RSA key", "rejected");
  k.rsa_mont = rsa_mont(std::move(n), exponent, modulus.size());
}

/// RFC 6605 §4: x | y, each 32 (P-256) or 48 (P-384) octets.
void parse_ecdsa(PublicKey& k, const char* group, std::size_t coord) {
  k.bits = static_cast<int>(coord * 8);
  if (k.public_key.size() != 2 * coord) {
    return set_problem(
        k, KeyProblem::Encoding,
        "ECDSA public key is " + std::to_string(k.public_key.size()) + " octets, expected " + std::to_string(2 * coord),
        "key-length", k.public_key.size(), 2 * coord);
  }
  std::array<unsigned char, 1 + 2 * 48> point{};
  point[0] = 0x04;  // uncompressed SEC1 point
  std::memcpy(point.data() + 1, k.public_key.data(), 2 * coord);
  core::OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), 1 + 2 * coord) != 1) {
    return set_problem(k, KeyProblem::Unsupported, "OpenSSL could not build the ECDSA key");
  }
  // EC_POINT_oct2point (inside fromdata) refuses coordinates >= p and points off the curve; public_check re-checks.
  k.pkey = pkey_from_params("EC", bld.get());
  if (!k.pkey || !public_check(k.pkey.get())) {
    set_problem(k, KeyProblem::PointInvalid, std::string("ECDSA public key is not a point on ") + group);
  }
}

/// RFC 8032 §5.1.3 / §5.2.3 point decoding: y < p and (y² − 1)/(d·y² ∓ 1) a square, x = 0 ⇒ sign bit clear.
/// OpenSSL 3.0 loads any 32/57 octets as a raw EdDSA key and its public check does not decode the point, so this is
/// done here. Returns 1 when the point decodes, 0 when not, -1 on an internal error.
int eddsa_point_decodes(std::string_view key, bool ed448) {
  std::array<unsigned char, 57> be{};
  const std::size_t n = key.size();
  for (std::size_t i = 0; i < n; ++i) be[i] = static_cast<unsigned char>(key[n - 1 - i]);
  const bool x0 = (be[0] & 0x80) != 0;
  be[0] &= 0x7f;
  core::BnCtxPtr ctx(BN_CTX_new());
  core::BignumPtr y(BN_bin2bn(be.data(), static_cast<int>(n), nullptr));
  core::BignumPtr p(BN_new()), d(BN_new()), t(BN_new()), y2(BN_new()), u(BN_new()), v(BN_new()), w(BN_new());
  if (!ctx || !y || !p || !d || !t || !y2 || !u || !v || !w) return -1;
  bool ok = true;
  if (ed448) {  // p = 2^448 − 2^224 − 1, d = −39081
    ok = BN_set_bit(p.get(), 448) && BN_set_bit(t.get(), 224) && BN_sub(p.get(), p.get(), t.get()) &&
         BN_sub_word(p.get(), 1) && BN_copy(d.get(), p.get()) && BN_sub_word(d.get(), 39081);
  } else {  // p = 2^255 − 19, d = −121665/121666
    ok = BN_set_bit(p.get(), 255) && BN_sub_word(p.get(), 19) && BN_set_word(t.get(), 121666) &&
         BN_mod_inverse(t.get(), t.get(), p.get(), ctx.get()) && BN_copy(d.get(), p.get()) &&
         BN_sub_word(d.get(), 121665) && BN_mod_mul(d.get(), d.get(), t.get(), p.get(), ctx.get());
  }
  if (!ok) return -1;
  if (BN_cmp(y.get(), p.get()) >= 0) return 0;
  ok = BN_mod_sqr(y2.get(), y.get(), p.get(), ctx.get()) && BN_copy(u.get(), y2.get()) && BN_set_word(t.get(), 1) &&
       BN_mod_sub(u.get(), u.get(), t.get(), p.get(), ctx.get()) &&
       BN_mod_mul(v.get(), d.get(), y2.get(), p.get(), ctx.get()) &&
       (ed448 ? BN_mod_sub(v.get(), v.get(), t.get(), p.get(), ctx.get())
              : BN_mod_add(v.get(), v.get(), t.get(), p.get(), ctx.get())) &&
       BN_mod_inverse(v.get(), v.get(), p.get(), ctx.get()) &&
       BN_mod_mul(w.get(), u.get(), v.get(), p.get(), ctx.get());
  if (!ok) return -1;
  if (BN_is_zero(w.get())) return x0 ? 0 : 1;  // x = 0 must be encoded with a clear sign bit
  // Euler's criterion: w^((p−1)/2) = 1 iff w is a non-zero square mod p.
  ok = BN_copy(t.get(), p.get()) && BN_sub_word(t.get(), 1) && BN_rshift1(t.get(), t.get()) &&
       BN_mod_exp(u.get(), w.get(), t.get(), p.get(), ctx.get());
  if (!ok) return -1;
  return BN_is_one(u.get()) ? 1 : 0;
}

/// True when an EdDSA public key that decodes (eddsa_point_decodes) is a point of small order: the identity or a point
/// of order 2, 4 or 8 (Ed25519: the 8 points of its torsion subgroup; Ed448, cofactor 4: the identity and the points
/// of order 2 and 4). Under such a key A, [k]A is one of a handful of points for every message, so
/// (R = [S]B − [k]A, S) is a "valid" signature anyone can make — with A the identity, R = identity and S = 0 verifies
/// for any data (OpenSSL 3.0 accepts it). Compared by y with the sign bit of x cleared, as libsodium's
/// ge25519_has_small_order does; a decoding key has y < p, so the listed values are all there is.
bool eddsa_small_order(std::string_view key, bool ed448) {
  std::string y(key);
  y.back() = static_cast<char>(static_cast<unsigned char>(y.back()) & 0x7f);
  auto from_hex = [](std::string_view hex) { return core::hex_decode(hex).value(); };
  // Ed448: y = 1 (identity), y = p − 1 = 2^448 − 2^224 − 2 (order 2), y = 0 (x = ±1, order 4).
  // Ed25519: y = 1 (identity), y = p − 1 (order 2), y = 0 (order 4), and the two y values of the points of order 8.
  static const std::array<std::string, 3> kEd448 = {
      from_hex("01" + std::string(112, '0')),
      from_hex("fe" + std::string(54, 'f') + "fe" + std::string(54, 'f') + "00"),
      std::string(57, '\0'),
  };
  static const std::array<std::string, 5> kEd25519 = {
      from_hex("01" + std::string(62, '0')),
      from_hex("ec" + std::string(60, 'f') + "7f"),
      std::string(32, '\0'),
      from_hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
      from_hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
  };
  if (ed448) return std::find(kEd448.begin(), kEd448.end(), y) != kEd448.end();
  return std::find(kEd25519.begin(), kEd25519.end(), y) != kEd25519.end();
}

void parse_eddsa(PublicKey& k, bool ed448) {
  const std::size_t want = algorithm_facts(k.algorithm).key_octets;
  k.bits = ed448 ? 456 : 256;
  const char* name = ed448 ? "Ed448" : "Ed25519";
  if (k.public_key.size() != want) {
    return set_problem(k, KeyProblem::Encoding,
                       std::string(name) + " public key is " + std::to_string(k.public_key.size()) +
                           " octets, expected " + std::to_string(want),
                       "key-length", k.public_key.size(), want);
  }
  if (eddsa_point_decodes(k.public_key, ed448) == 0) {
    return set_problem(k, KeyProblem::PointInvalid, std::string(name) + " public key does not decode to a point");
  }
  if (eddsa_small_order(k.public_key, ed448)) {
    return set_problem(k, KeyProblem::SmallOrder, std::string(name) + " public key is a point of small order");
  }
  k.pkey.reset(EVP_PKEY_new_raw_public_key(ed448 ? EVP_PKEY_ED448 : EVP_PKEY_ED25519, nullptr, ubytes(k.public_key),
                                           k.public_key.size()));
  if (!k.pkey) set_problem(k, KeyProblem::Encoding, std::string("OpenSSL rejected the ") + name + " key", "rejected");
}

/// Appends a DER INTEGER holding the unsigned big-endian `v`.
std::size_t der_integer(unsigned char* out, std::string_view v) {
  std::size_t i = 0;
  while (i < v.size() && v[i] == 0) ++i;
  v.remove_prefix(i);
  const bool pad = v.empty() || (u8(v, 0) & 0x80) != 0;
  std::size_t n = 0;
  out[n++] = 0x02;
  out[n++] = static_cast<unsigned char>(v.size() + (pad ? 1 : 0));
  if (pad) out[n++] = 0;
  std::memcpy(out + n, v.data(), v.size());
  return n + v.size();
}

/// Primes 3 … 65521, computed once.
const std::vector<std::uint32_t>& odd_small_primes() {
  static const std::vector<std::uint32_t> primes = [] {
    constexpr std::uint32_t kLimit = 65536;
    std::vector<bool> composite(kLimit, false);
    std::vector<std::uint32_t> out;
    for (std::uint32_t i = 3; i < kLimit; i += 2) {
      if (composite[i]) continue;
      out.push_back(i);
      for (std::uint64_t j = std::uint64_t{i} * i; j < kLimit; j += 2ULL * i) composite[j] = true;
    }
    return out;
  }();
  return primes;
}

/// The odd primes below 2^16 in order, multiplied together in groups that fit a machine word (four or so each).
const std::vector<BN_ULONG>& small_prime_groups() {
  static const std::vector<BN_ULONG> groups = [] {
    std::vector<BN_ULONG> out;
    BN_ULONG product = 1;
    for (std::uint32_t p : odd_small_primes()) {
      if (product > std::numeric_limits<BN_ULONG>::max() / p) {
        out.push_back(product);
        product = 1;
      }
      product *= p;
    }
    out.push_back(product);
    return out;
  }();
  return groups;
}

/// The smallest odd prime below 2^16 dividing `n` (not zero), or 0. One division per group of primes answers "none"
/// (nearly every key) with a quarter of the divisions of trial division; a group that shares a factor with `n` is then
/// searched prime by prime, in order.
std::uint32_t smallest_small_factor(const BIGNUM* n) {
  const std::vector<std::uint32_t>& primes = odd_small_primes();
  std::size_t next = 0;  // the first prime of the current group
  for (BN_ULONG group : small_prime_groups()) {
    const BN_ULONG rem = BN_mod_word(n, group);
    if (rem == static_cast<BN_ULONG>(-1)) return 0;  // OpenSSL's error value: no group can be 0
    std::size_t end = next;
    for (BN_ULONG g = group; g > 1 && end < primes.size(); ++end) g /= primes[end];
    for (std::size_t i = next; i < end; ++i) {
      if (rem % primes[i] == 0) return primes[i];
    }
    next = end;
  }
  return 0;
}

}  // namespace

std::uint16_t key_tag(std::string_view rdata) {
  if (rdata.size() >= 4 && u8(rdata, 3) == kAlgRsaMd5) {
    // RFC 4034 B.1: the most significant 16 bits of the least significant 24 bits of the modulus.
    return rdata.size() > 4 ? be16(rdata, rdata.size() - 3) : 0;
  }
  std::uint32_t ac = 0;
  for (std::size_t i = 0; i < rdata.size(); ++i) ac += (i & 1) ? u8(rdata, i) : u8(rdata, i) << 8;
  ac += (ac >> 16) & 0xffff;
  return static_cast<std::uint16_t>(ac & 0xffff);
}

PublicKey parse_dnskey(std::string_view rdata) {
  PublicKey k;
  k.rdata.assign(rdata);
  k.tag = key_tag(rdata);
  if (rdata.size() < 4) {
    k.problem = KeyProblem::Encoding;
    k.problem_text = "DNSKEY RDATA is " + std::to_string(rdata.size()) + " octets, shorter than 4";
    k.problem_detail = "rdata-short";
    k.problem_octets = rdata.size();
    return k;
  }
  std::string toggled(rdata);
  toggled[1] = static_cast<char>(u8(toggled, 1) ^ kFlagRevoke);
  k.revoked_tag = key_tag(toggled);
  k.flags = be16(rdata, 0);
  k.protocol = static_cast<std::uint8_t>(u8(rdata, 2));
  k.algorithm = static_cast<std::uint8_t>(u8(rdata, 3));
  k.public_key.assign(rdata.substr(4));
  switch (k.algorithm) {
    case kAlgRsaSha1:
    case kAlgRsaSha1Nsec3:
    case kAlgRsaSha256:
    case kAlgRsaSha512: parse_rsa(k); break;
    case kAlgEcdsaP256: parse_ecdsa(k, "P-256", algorithm_facts(k.algorithm).key_octets / 2); break;
    case kAlgEcdsaP384: parse_ecdsa(k, "P-384", algorithm_facts(k.algorithm).key_octets / 2); break;
    case kAlgEd25519: parse_eddsa(k, false); break;
    case kAlgEd448: parse_eddsa(k, true); break;
    default:
      set_problem(
          k, KeyProblem::Unsupported,
          "algorithm " + std::to_string(k.algorithm) + " (" + algorithm_name(k.algorithm) + ") is not supported");
  }
  clear_openssl_errors();
  return k;
}

std::optional<Rrsig> parse_rrsig(std::string_view rdata) {
  if (rdata.size() < kRrsigFixed + 1) return std::nullopt;
  Rrsig s;
  s.type_covered = be16(rdata, 0);
  s.algorithm = static_cast<std::uint8_t>(u8(rdata, 2));
  s.labels = static_cast<std::uint8_t>(u8(rdata, 3));
  s.original_ttl = be32(rdata, 4);
  s.expiration = be32(rdata, 8);
  s.inception = be32(rdata, 12);
  s.key_tag = be16(rdata, 16);
  std::size_t pos = kRrsigFixed;
  if (!core::read_wire_name(rdata, pos, s.signer)) return std::nullopt;
  core::name_to_lower(s.signer);
  s.header = rdata.substr(0, pos);
  s.signature = rdata.substr(pos);
  if (s.signature.empty()) return std::nullopt;
  return s;
}

std::string signed_data(const Rrsig& sig, std::string_view owner, std::uint16_t type, std::uint16_t rclass,
                        const std::vector<std::string_view>& rdatas) {
  // The part every RR shares: owner | type | class | Original TTL. RFC 4035 §5.3.2: a wildcard-expanded RRset is
  // signed as "*." + the rightmost `labels` labels of the owner.
  const int owner_labels = core::name_label_count(owner);
  const bool wildcard = sig.labels < owner_labels;
  std::string_view suffix = wildcard ? core::name_strip_labels(owner, owner_labels - sig.labels) : owner;
  suffix = suffix.substr(0, std::min(suffix.size(), core::kMaxNameLength));
  std::array<char, 2 + core::kMaxNameLength + 8> rr_prefix{};
  std::size_t prefix_len = 0;
  if (wildcard) {
    rr_prefix[prefix_len++] = 1;
    rr_prefix[prefix_len++] = '*';
  }
  std::memcpy(rr_prefix.data() + prefix_len, suffix.data(), suffix.size());
  prefix_len += suffix.size();
  prefix_len = store_be16(rr_prefix.data(), prefix_len, type);
  prefix_len = store_be16(rr_prefix.data(), prefix_len, rclass);
  prefix_len = store_be32(rr_prefix.data(), prefix_len, sig.original_ttl);

  // RFC 4034 §6.3: canonical RDATA order, exact duplicates removed. Skipped when already strictly ascending.
  std::vector<std::string_view> sorted;
  const std::vector<std::string_view>* list = &rdatas;
  const auto not_ascending = [](std::string_view a, std::string_view b) { return !(a < b); };
  if (std::adjacent_find(rdatas.begin(), rdatas.end(), not_ascending) != rdatas.end()) {
    sorted = rdatas;
    std::sort(sorted.begin(), sorted.end());  // string_view compares as unsigned octets (char_traits<char>)
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    list = &sorted;
  }

  // The 18 fixed octets, exactly as in the RRSIG RDATA, then the signer in canonical (lower) case.
  std::array<char, kRrsigFixed> fixed{};
  std::size_t n = store_be16(fixed.data(), 0, sig.type_covered);
  fixed[n++] = static_cast<char>(sig.algorithm);
  fixed[n++] = static_cast<char>(sig.labels);
  n = store_be32(fixed.data(), n, sig.original_ttl);
  n = store_be32(fixed.data(), n, sig.expiration);
  n = store_be32(fixed.data(), n, sig.inception);
  store_be16(fixed.data(), n, sig.key_tag);

  std::size_t total = kRrsigFixed + sig.signer.size();
  for (std::string_view rd : *list) total += prefix_len + 2 + rd.size();
  std::string out;
  out.reserve(total);
  out.append(fixed.data(), fixed.size());
  out.append(sig.signer);
  for (std::string_view rd : *list) {
    std::array<char, 2> rdlength{};
    store_be16(rdlength.data(), 0, static_cast<std::uint16_t>(rd.size()));
    out.append(rr_prefix.data(), prefix_len);
    out.append(rdlength.data(), rdlength.size());
    out.append(rd);
  }
  return out;
}

namespace {

/// An EVP_PKEY_CTX set up once for verification with one key and digest. Each thread keeps the last few it used, so
/// a call costs one EVP_PKEY_verify instead of EVP_DigestVerifyInit's per-call work (a new provider context, an
/// EVP_MD re-fetch by name inside the provider, reference counts bumped on the shared key). The context holds a
/// reference on its EVP_PKEY, so a cached pointer can never be reused by another key while it is in here.
class VerifyContexts {
 public:
  EVP_PKEY_CTX* get(EVP_PKEY* pkey, const EVP_MD* md, bool rsa) {
    for (Entry& e : entries_) {
      if (e.pkey == pkey && e.md == md && e.ctx) return e.ctx.get();
    }
    core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
    if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 ||
        (rsa && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) ||
        EVP_PKEY_CTX_set_signature_md(ctx.get(), md) != 1) {
      return nullptr;
    }
    Entry& slot = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    slot = Entry{pkey, md, std::move(ctx)};
    return slot.ctx.get();
  }

 private:
  struct Entry {
    const EVP_PKEY* pkey = nullptr;
    const EVP_MD* md = nullptr;
    core::EvpPkeyCtxPtr ctx;
  };
  std::array<Entry, 8> entries_{};  // a zone has a handful of keys; round-robin replacement
  std::size_t next_ = 0;
};

/// Hashes `data` with `md` and a per-thread EVP_MD_CTX (no context made per call); false on an OpenSSL failure.
bool hash(const EVP_MD* md, std::string_view data, std::array<unsigned char, EVP_MAX_MD_SIZE>& digest,
          unsigned int& digest_len) {
  thread_local const core::EvpMdCtxPtr md_ctx(EVP_MD_CTX_new());
  if (md_ctx && EVP_DigestInit_ex2(md_ctx.get(), md, nullptr) == 1 &&
      EVP_DigestUpdate(md_ctx.get(), data.data(), data.size()) == 1 &&
      EVP_DigestFinal_ex(md_ctx.get(), digest.data(), &digest_len) == 1) {
    return true;
  }
  clear_openssl_errors();
  return false;
}

/// RSA PKCS#1 v1.5 / ECDSA (DER) verification: hash with the cached EVP_MD and a per-thread EVP_MD_CTX, then
/// EVP_PKEY_verify on the digest. The same provider functions as EVP_DigestVerify (which hashes, then calls them),
/// so the answers are the same; measured about 20 % more RSA-2048 and 6 % more P-256 verifications per second on
/// one thread (bench/README.md, crypto-speed).
VerifyResult verify_prehashed(EVP_PKEY* pkey, const EVP_MD* md, bool rsa, std::string_view data,
                              const unsigned char* sig, std::size_t sig_len) {
  thread_local VerifyContexts contexts;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  EVP_PKEY_CTX* ctx = contexts.get(pkey, md, rsa);
  if (ctx == nullptr || !hash(md, data, digest, digest_len)) {
    clear_openssl_errors();
    return VerifyResult::Unsupported;
  }
  if (EVP_PKEY_verify(ctx, sig, sig_len, digest.data(), digest_len) == 1) return VerifyResult::Valid;
  clear_openssl_errors();
  return VerifyResult::Invalid;
}

std::atomic<RsaPath> g_rsa_path{RsaPath::Montgomery};

/// The DigestInfo that precedes the hash in a PKCS#1 v1.5 signature (RFC 8017 §9.2, note 1: the DER of
/// DigestInfo { AlgorithmIdentifier { hash OID, NULL }, OCTET STRING }), as OpenSSL writes and requires it.
std::string_view digest_info_prefix(std::uint8_t algorithm) {
  static constexpr unsigned char kSha1[] = {0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e,
                                            0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14};
  static constexpr unsigned char kSha256[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                              0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  static constexpr unsigned char kSha512[] = {0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                              0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40};
  auto view = [](const auto& a) { return std::string_view(reinterpret_cast<const char*>(a), sizeof a); };
  switch (algorithm) {
    case kAlgRsaSha256: return view(kSha256);
    case kAlgRsaSha512: return view(kSha512);
    default: return view(kSha1);
  }
}

/// RSASSA-PKCS1-v1_5 verification as RFC 8017 §8.2.2 words it: s must be below n (RSAVP1, §5.2.2), m = s^e mod n
/// by OpenSSL's Montgomery multiplication (square and multiply: 16 squarings and two multiplications for 65537,
/// where BN_mod_exp_mont's sliding window first builds a table it does not need and converts in and out of Montgomery
/// form), and the encoded message must equal 0x00 0x01 0xFF… 0x00 DigestInfo H with at least eight 0xFF. That is the
/// only encoding OpenSSL's own check (RSA_padding_check_PKCS1_type_1, then the DigestInfo compared whole) accepts,
/// so the answers are the same (tests/dnssec/test_rsa_verify.cpp); bench/README.md (crypto-speed) has the speed.
VerifyResult verify_rsa_mont(const RsaMont& m, const EVP_MD* md, std::string_view prefix, std::string_view data,
                             std::string_view signature) {
  thread_local const core::BnCtxPtr bn_ctx(BN_CTX_new());
  thread_local const core::BignumPtr s(BN_new()), x(BN_new());
  thread_local std::vector<unsigned char> em;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_len = 0;
  if (!bn_ctx || !s || !x || !hash(md, data, digest, digest_len)) return VerifyResult::Unsupported;
  const std::size_t k = m.bytes;
  const std::size_t t_len = prefix.size() + digest_len;
  // RFC 8017 §9.2 step 5: "If emLen < tLen + 11, output "intended encoded message length too short"".
  if (signature.size() != k || k < t_len + 11) return VerifyResult::Invalid;
  BN_CTX* ctx = bn_ctx.get();
  BN_MONT_CTX* mont = m.mont.get();
  if (BN_bin2bn(ubytes(signature), static_cast<int>(k), s.get()) == nullptr) {
    clear_openssl_errors();
    return VerifyResult::Unsupported;
  }
  if (BN_ucmp(s.get(), m.n.get()) >= 0) return VerifyResult::Invalid;  // "signature representative out of range"
  // With mont(a, b) = a·b·R^-1 mod n and s itself as the operand (no conversion into Montgomery form), squaring
  // and multiplying left to right keep x = s^a·R^-(a-1); at a = e one multiplication by R^e leaves s^e mod n. That
  // is e's bit length - 1 squarings and popcount(e) multiplications (17 for 65537), one fewer conversion than
  // BN_to_montgomery … BN_from_montgomery.
  bool ok = BN_copy(x.get(), s.get()) != nullptr;
  for (int bit = 62 - __builtin_clzll(m.e); ok && bit >= 0; --bit) {
    ok = BN_mod_mul_montgomery(x.get(), x.get(), x.get(), mont, ctx) == 1;
    if (ok && ((m.e >> bit) & 1) != 0) ok = BN_mod_mul_montgomery(x.get(), x.get(), s.get(), mont, ctx) == 1;
  }
  em.resize(k);
  if (!ok || BN_mod_mul_montgomery(x.get(), x.get(), m.r_e.get(), mont, ctx) != 1 ||
      BN_bn2binpad(x.get(), em.data(), static_cast<int>(k)) != static_cast<int>(k)) {
    clear_openssl_errors();
    return VerifyResult::Unsupported;
  }
  const std::size_t ps_end = k - t_len - 1;  // em[2, ps_end) is the 0xFF padding, em[ps_end] the 0x00 separator
  bool valid = em[0] == 0x00 && em[1] == 0x01 && em[ps_end] == 0x00 &&
               std::memcmp(em.data() + ps_end + 1, prefix.data(), prefix.size()) == 0 &&
               std::memcmp(em.data() + ps_end + 1 + prefix.size(), digest.data(), digest_len) == 0;
  for (std::size_t i = 2; valid && i < ps_end; ++i) valid = em[i] == 0xff;
  return valid ? VerifyResult::Valid : VerifyResult::Invalid;
}

/// libsodium must be initialised once before use (sodium_init is thread-safe and idempotent).
bool sodium_ready() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

/// Ed25519 (RFC 8032 §5.1.7) with libsodium: about 1.75× the verifications per second of OpenSSL 3.0 (the fastest
/// of OpenSSL, libsodium and nettle measured by bench/crypto-speed). Both check S < L, recompute R from
/// [S]B − [k]A without the cofactor and compare its encoding with the signature's R octet by octet, so they agree
/// on every honest or corrupted signature. Where they differ, libsodium 1.0.18 is the stricter:
///  - it rejects a public key A of small order (the 8 torsion points, e.g. the identity 01 00…00). Under such a key
///    anyone can make a "valid" signature for any data (R = [S]B); OpenSSL 3.0 says Valid to those, libsodium
///    Invalid. parse_dnskey already refuses these keys (KeyProblem::SmallOrder), so they never get here.
///  - it rejects an R of small order (any encoding, the sign bit ignored); OpenSSL accepts it when the equation holds.
///  - it rejects a non-canonical A (y ≥ p); parse_dnskey already reports those as KeyProblem::PointInvalid.
/// OpenSSL rejects nothing that libsodium accepts (tests/dnssec/test_ed25519.cpp covers these cases).
VerifyResult verify_ed25519(const PublicKey& key, std::string_view data, std::string_view signature) {
  if (signature.size() != crypto_sign_BYTES) return VerifyResult::Malformed;
  if (key.public_key.size() != crypto_sign_PUBLICKEYBYTES || !sodium_ready()) return VerifyResult::Unsupported;
  return crypto_sign_verify_detached(ubytes(signature), ubytes(data), data.size(), ubytes(key.public_key)) == 0
             ? VerifyResult::Valid
             : VerifyResult::Invalid;
}

}  // namespace

VerifyResult verify(const PublicKey& key, std::string_view data, std::string_view signature) {
  if (!key.pkey) return VerifyResult::Unsupported;
  const Digests& dg = digests();
  switch (key.algorithm) {
    case kAlgRsaSha1:
    case kAlgRsaSha1Nsec3:
    case kAlgRsaSha256:
    case kAlgRsaSha512: {
      const EVP_MD* md = key.algorithm == kAlgRsaSha256   ? dg.sha256.get()
                         : key.algorithm == kAlgRsaSha512 ? dg.sha512.get()
                                                          : dg.sha1.get();
      // PKCS#1 v1.5 signatures are exactly as long as the modulus (OpenSSL refuses anything else).
      if (signature.empty() || static_cast<int>(signature.size()) != EVP_PKEY_get_size(key.pkey.get())) {
        return VerifyResult::Malformed;
      }
      if (md == nullptr) return VerifyResult::Unsupported;
      if (key.rsa_mont && g_rsa_path.load(std::memory_order_relaxed) == RsaPath::Montgomery) {
        return verify_rsa_mont(*key.rsa_mont, md, digest_info_prefix(key.algorithm), data, signature);
      }
      return verify_prehashed(key.pkey.get(), md, true, data, ubytes(signature), signature.size());
    }
    case kAlgEcdsaP256:
    case kAlgEcdsaP384: {
      const std::size_t half = algorithm_facts(key.algorithm).signature_octets / 2;
      const EVP_MD* md = key.algorithm == kAlgEcdsaP256 ? dg.sha256.get() : dg.sha384.get();
      if (signature.size() != 2 * half) return VerifyResult::Malformed;
      if (md == nullptr) return VerifyResult::Unsupported;
      // RFC 6605 §4: r | s → DER SEQUENCE { INTEGER r, INTEGER s } (at most 102 octets, short-form lengths), on the
      // stack.
      std::array<unsigned char, 2 + 2 * (3 + 48)> der{};
      std::size_t n = 2;
      n += der_integer(der.data() + n, signature.substr(0, half));
      n += der_integer(der.data() + n, signature.substr(half));
      der[0] = 0x30;
      der[1] = static_cast<unsigned char>(n - 2);
      return verify_prehashed(key.pkey.get(), md, false, data, der.data(), n);
    }
    case kAlgEd25519: return verify_ed25519(key, data, signature);
    case kAlgEd448: {
      if (signature.size() != algorithm_facts(kAlgEd448).signature_octets) return VerifyResult::Malformed;
      core::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
      if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.pkey.get()) != 1) {
        clear_openssl_errors();
        return VerifyResult::Unsupported;
      }
      if (EVP_DigestVerify(ctx.get(), ubytes(signature), signature.size(), ubytes(data), data.size()) == 1) {
        return VerifyResult::Valid;
      }
      clear_openssl_errors();
      return VerifyResult::Invalid;
    }
    default: return VerifyResult::Unsupported;
  }
}

void set_rsa_path(RsaPath path) {
  g_rsa_path.store(path, std::memory_order_relaxed);
}

std::optional<std::string> ds_digest(std::uint8_t digest_type, std::string_view owner, std::string_view dnskey_rdata) {
  const Digests& dg = digests();
  const EVP_MD* md = nullptr;
  switch (digest_type) {
    case 1: md = dg.sha1.get(); break;
    case 2: md = dg.sha256.get(); break;
    case 4: md = dg.sha384.get(); break;
    default: return std::nullopt;
  }
  if (md == nullptr) return std::nullopt;
  const core::WireName lower = core::name_lower(owner);
  std::array<unsigned char, EVP_MAX_MD_SIZE> buf{};
  unsigned int len = 0;
  core::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), lower.data(), lower.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), dnskey_rdata.data(), dnskey_rdata.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), buf.data(), &len) != 1) {
    clear_openssl_errors();
    return std::nullopt;
  }
  return std::string(reinterpret_cast<const char*>(buf.data()), len);
}

std::size_t ds_digest_length(std::uint8_t digest_type) {
  switch (digest_type) {
    case 1: return 20;
    case 2: return 32;
    case 3: return 32;
    case 4: return 48;
    default: return 0;
  }
}

std::optional<DsRecord> parse_ds(std::string_view rdata) {
  if (rdata.size() < 5) return std::nullopt;
  DsRecord ds;
  ds.key_tag = be16(rdata, 0);
  ds.algorithm = static_cast<std::uint8_t>(u8(rdata, 2));
  ds.digest_type = static_cast<std::uint8_t>(u8(rdata, 3));
  ds.digest.assign(rdata.substr(4));
  return ds;
}

std::optional<RsaFacts> rsa_facts(const PublicKey& key) {
  if (!is_rsa(key.algorithm) || key.rsa_modulus.empty() || key.rsa_exponent.empty()) return std::nullopt;
  core::BignumPtr n(BN_bin2bn(ubytes(key.rsa_modulus), static_cast<int>(key.rsa_modulus.size()), nullptr));
  core::BignumPtr e(BN_bin2bn(ubytes(key.rsa_exponent), static_cast<int>(key.rsa_exponent.size()), nullptr));
  if (!n || !e) return std::nullopt;
  core::OpensslStringPtr dec(BN_bn2dec(e.get()));
  if (!dec) {
    clear_openssl_errors();
    return std::nullopt;
  }
  RsaFacts f;
  f.bits = BN_num_bits(n.get());
  f.exponent_decimal = dec.get();
  f.exponent_invalid = !BN_is_odd(e.get()) || BN_is_one(e.get());
  f.exponent_unusual = !f.exponent_invalid && !BN_is_word(e.get(), 65537);
  f.modulus_even = !BN_is_odd(n.get());
  if (!BN_is_zero(n.get())) f.small_factor = smallest_small_factor(n.get());
  clear_openssl_errors();
  return f;
}

}  // namespace zw::dnssec
