// keyfiles.cpp: reads the signer's key files (BIND/ldns K*.key/.private, PKCS#8 PEM) and the key history file.
//
// Which files a key directory contributes (everything else, e.g. `.ds` or `.state`, is ignored):
//   * `<stem>.private` — BIND "Private-key-format: v1.x" (dnssec-keygen and ldns-keygen write the same format), with
//     `<stem>.key` (one DNSKEY record) as its public half when present;
//   * `<stem>.pem` — a PKCS#8 PEM private key. Zone, flags and algorithm come from `<stem>.key` when present, else from
//     a BIND-style name `K<zone>+<alg>+<tag>.pem` (the flags are those of 256/257/384/385 that give the named tag),
//     else from a `<zone>.<alg>.pem` name (e.g. `example.com.13.pem`; flags 256), else the key is of unknown zone
//     (empty) with flags 256 and the algorithm its type implies (RSA → 8, P-256 → 13, P-384 → 14, Ed25519 → 15,
//     Ed448 → 16) — e.g. Knot's keys/<key id>.pem;
//   * `K<zone>+<alg>+<tag>.key` without a private file — a public key the signer holds (public half only).
// A `.private` file without a `.key` file gets zone and flags like a PEM file (BIND-style name, else unknown zone and
// flags 256); its algorithm is the file's Algorithm field. A file name's zone, algorithm and tag that disagree with the
// key are noted in InventoryKey::problem; loading continues.
#include "zone/keyfiles.hpp"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "core/bytes.hpp"
#include "core/codec.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/handles.hpp"
#include "core/input.hpp"
#include "dnssec/crypto.hpp"
#include "zone/loader.hpp"

namespace zw::zone {
namespace {

namespace fs = std::filesystem;

constexpr std::uint16_t kDnskeyType = 48;
constexpr std::size_t kMaxKeyFileBytes = std::size_t{1} << 20;
// One line per key ever seen (under 1 KiB even for RSA-4096): hundreds of thousands of keys.
constexpr std::size_t kMaxKeyHistoryBytes = std::size_t{256} << 20;

using core::BioPtr;
using core::EcGroupPtr;
using core::EcPointPtr;

const unsigned char* ubytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Key files and the key history: regular files only, gzip not decompressed (the history is rewritten as text).
std::string read_file(const std::string& path, std::size_t limit, const std::string& too_large) {
  return core::read_input_file(path, core::InputKinds::regular, core::ReadLimits{limit, too_large, false});
}

std::string read_key_file(const std::string& path) {
  return read_file(path, kMaxKeyFileBytes,
                   "larger than " + std::to_string(kMaxKeyFileBytes >> 10) + " KiB: too large for a key file");
}

std::string read_history_file(const std::string& path) {
  return read_file(path, kMaxKeyHistoryBytes,
                   "larger than " + std::to_string(kMaxKeyHistoryBytes >> 20) + " MiB: too large for a key history");
}

std::string where(const std::string& path, std::uint32_t line) {
  return path + ":" + std::to_string(line);
}

// ---- small parsers -------------------------------------------------------------------------------------------

std::optional<unsigned long> parse_number(std::string_view s, unsigned long max) {
  auto v = core::parse_decimal(s, max, 10);
  return v ? std::optional<unsigned long>(*v) : std::nullopt;
}

std::string dnskey_rdata(std::uint16_t flags, std::uint8_t protocol, std::uint8_t alg, std::string_view key) {
  std::string r;
  core::append_be16(r, flags);
  r.push_back(static_cast<char>(protocol));
  r.push_back(static_cast<char>(alg));
  r.append(key);
  return r;
}

std::uint16_t rdata_flags(std::string_view rdata) {
  return core::be16(rdata, 0);
}

/// What a BIND-style name `K<zone>+<alg>+<tag>` states.
struct BindName {
  core::WireName zone;  ///< lower case
  std::uint8_t algorithm = 0;
  std::uint16_t tag = 0;
};

std::optional<BindName> parse_bind_name(const std::string& stem) {
  if (stem.size() < 6 || stem[0] != 'K') return std::nullopt;
  std::size_t plus2 = stem.rfind('+');
  if (plus2 == std::string::npos || plus2 == 0) return std::nullopt;
  std::size_t plus1 = stem.rfind('+', plus2 - 1);
  if (plus1 == std::string::npos || plus1 < 2) return std::nullopt;
  auto alg = parse_number(std::string_view(stem).substr(plus1 + 1, plus2 - plus1 - 1), 255);
  auto tag = parse_number(std::string_view(stem).substr(plus2 + 1), 65535);
  std::string zone_text = stem.substr(1, plus1 - 1);
  if (!alg || !tag || zone_text.back() != '.') return std::nullopt;
  BindName n;
  std::string err;
  if (!core::parse_name(zone_text, ".", n.zone, err)) return std::nullopt;
  core::name_to_lower(n.zone);
  n.algorithm = static_cast<std::uint8_t>(*alg);
  n.tag = static_cast<std::uint16_t>(*tag);
  return n;
}

/// `<zone>.<alg>` (e.g. "example.com.13"): the PEM naming convention for a zone and algorithm.
std::optional<BindName> parse_zone_alg_name(const std::string& stem) {
  std::size_t dot = stem.rfind('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  auto alg = parse_number(std::string_view(stem).substr(dot + 1), 255);
  if (!alg) return std::nullopt;
  BindName n;
  std::string err;
  if (!core::parse_name(stem.substr(0, dot + 1), ".", n.zone, err)) return std::nullopt;
  core::name_to_lower(n.zone);
  n.algorithm = static_cast<std::uint8_t>(*alg);
  return n;
}

void add_problem(InventoryKey& k, const std::string& text) {
  k.problem += (k.problem.empty() ? "" : "; ") + text;
}

// ---- private keys --------------------------------------------------------------------------------------------

enum class KeyType : std::uint8_t { Rsa, P256, P384, Ed25519, Ed448, Other };

using dnssec::KeyFamily;

bool alg_fits(std::uint8_t alg, KeyType t) {
  const KeyFamily f = dnssec::algorithm_facts(alg).family;
  switch (t) {
    case KeyType::Rsa: return f == KeyFamily::Rsa;
    case KeyType::P256: return f == KeyFamily::EcdsaP256;
    case KeyType::P384: return f == KeyFamily::EcdsaP384;
    case KeyType::Ed25519: return f == KeyFamily::Ed25519;
    case KeyType::Ed448: return f == KeyFamily::Ed448;
    case KeyType::Other: return false;
  }
  return false;
}

std::uint8_t default_alg(KeyType t) {
  switch (t) {
    case KeyType::Rsa: return 8;
    case KeyType::P256: return 13;
    case KeyType::P384: return 14;
    case KeyType::Ed25519: return 15;
    case KeyType::Ed448: return 16;
    case KeyType::Other: return 0;
  }
  return 0;
}

/// A private key read from a file, with its public half as a DNSKEY Public Key field.
struct PrivateKey {
  core::EvpPkeyPtr pkey;
  KeyType type = KeyType::Other;
  std::uint8_t algorithm = 0;  ///< the file's Algorithm (BIND) or the type's default (PEM)
  std::string public_field;    ///< RFC 3110 (RSA), x | y (ECDSA, RFC 6605), raw (EdDSA, RFC 8080)
  std::string unsupported;     ///< set when the key could not be read for a reason that is not malformed input
  bool inconsistent = false;   ///< RSA: the primes and exponents do not belong to the modulus
};

std::string bn_bytes(const BIGNUM* bn, std::size_t width = 0) {
  std::size_t n = static_cast<std::size_t>(BN_num_bytes(bn));
  std::string out(std::max(n, width), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()) + (out.size() - n));
  return out;
}

/// RFC 3110 §2: exponent length (1 octet, or 0 and 2 octets), exponent, modulus.
std::string rsa_field(const BIGNUM* e, const BIGNUM* n) {
  std::string eb = bn_bytes(e), nb = bn_bytes(n);
  std::string out;
  if (eb.size() <= 255) {
    out.push_back(static_cast<char>(eb.size()));
  } else {
    out.push_back('\0');
    core::append_be16(out, eb.size());
  }
  return out + eb + nb;
}

KeyType key_type(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "RSA")) return KeyType::Rsa;
  if (EVP_PKEY_is_a(pkey, "ED25519")) return KeyType::Ed25519;
  if (EVP_PKEY_is_a(pkey, "ED448")) return KeyType::Ed448;
  if (EVP_PKEY_is_a(pkey, "EC")) {
    char group[64] = {};
    std::size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &len) != 1) {
      return KeyType::Other;
    }
    std::string g(group, len);
    if (g == "prime256v1" || g == "P-256" || g == "secp256r1") return KeyType::P256;
    if (g == "secp384r1" || g == "P-384") return KeyType::P384;
  }
  return KeyType::Other;
}

/// The DNSKEY Public Key field of a key (throws on internal OpenSSL failures).
std::string public_field(EVP_PKEY* pkey, KeyType t, const std::string& path) {
  auto fail = [&](const char* what) {
    ERR_clear_error();
    return Error(path + ": OpenSSL could not " + what);
  };
  switch (t) {
    case KeyType::Rsa: {
      BIGNUM* n = nullptr;
      BIGNUM* e = nullptr;
      int ok_n = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &n);
      int ok_e = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e);
      core::BignumPtr np(n), ep(e);
      if (ok_n != 1 || ok_e != 1) throw fail("read the RSA modulus and exponent");
      return rsa_field(ep.get(), np.get());
    }
    case KeyType::P256:
    case KeyType::P384: {
      const std::size_t coord = t == KeyType::P256 ? 32 : 48;
      BIGNUM* x = nullptr;
      BIGNUM* y = nullptr;
      int ok_x = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x);
      int ok_y = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y);
      core::BignumPtr xp(x), yp(y);
      if (ok_x != 1 || ok_y != 1) throw fail("read the ECDSA public point");
      return bn_bytes(xp.get(), coord) + bn_bytes(yp.get(), coord);
    }
    case KeyType::Ed25519:
    case KeyType::Ed448: {
      std::array<unsigned char, 57> raw{};
      std::size_t len = raw.size();
      if (EVP_PKEY_get_raw_public_key(pkey, raw.data(), &len) != 1) throw fail("read the EdDSA public key");
      return std::string(reinterpret_cast<const char*>(raw.data()), len);
    }
    case KeyType::Other: break;
  }
  throw fail("handle this key type");
}

/// The largest RSA modulus whose private key is checked. OpenSSL's own limit for RSA operations
/// (OPENSSL_RSA_MAX_MODULUS_BITS) is the same; above it, testing the primes alone takes minutes.
constexpr int kMaxRsaBits = 16384;

std::string rsa_too_large(int bits) {
  return "the RSA modulus has " + std::to_string(bits) + " bits, more than the " + std::to_string(kMaxRsaBits) +
         " bits whose private keys are checked";
}

/// Bits of a big-endian unsigned number.
int be_bits(std::string_view v) {
  std::size_t i = 0;
  while (i < v.size() && v[i] == 0) ++i;
  if (i == v.size()) return 0;
  int top = 0;
  for (auto b = static_cast<unsigned char>(v[i]); b != 0; b >>= 1) ++top;
  return static_cast<int>(8 * (v.size() - i - 1)) + top;
}

/// The cheap relations of an RSA private key, each a few multiplications or one inversion: p·q = n,
/// d·e ≡ 1 (mod lcm(p − 1, q − 1)) and, when given, the CRT values d mod (p − 1), d mod (q − 1) and q⁻¹ mod p.
/// False as soon as one fails; true when the key has no primes to check.
bool rsa_relations_hold(EVP_PKEY* pkey) {
  auto get = [&](const char* name) {
    BIGNUM* v = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &v) != 1) ERR_clear_error();
    return core::BignumPtr(v);
  };
  core::BignumPtr n = get(OSSL_PKEY_PARAM_RSA_N), e = get(OSSL_PKEY_PARAM_RSA_E), d = get(OSSL_PKEY_PARAM_RSA_D);
  core::BignumPtr p = get(OSSL_PKEY_PARAM_RSA_FACTOR1), q = get(OSSL_PKEY_PARAM_RSA_FACTOR2);
  if (!p || !q) return true;
  if (!n || !e || !d) return false;
  core::BnCtxPtr ctx(BN_CTX_new());
  core::BignumPtr t(BN_new()), p1(BN_dup(p.get())), q1(BN_dup(q.get())), g(BN_new()), lambda(BN_new());
  if (!ctx || !t || !p1 || !q1 || !g || !lambda) throw Error("out of memory");
  if (BN_is_zero(p.get()) || BN_is_zero(q.get()) || BN_is_one(p.get()) || BN_is_one(q.get())) return false;
  bool ok = BN_mul(t.get(), p.get(), q.get(), ctx.get()) == 1 && BN_cmp(t.get(), n.get()) == 0;
  ok = ok && BN_sub_word(p1.get(), 1) == 1 && BN_sub_word(q1.get(), 1) == 1 &&
       BN_gcd(g.get(), p1.get(), q1.get(), ctx.get()) == 1 &&
       BN_mul(lambda.get(), p1.get(), q1.get(), ctx.get()) == 1 &&
       BN_div(lambda.get(), nullptr, lambda.get(), g.get(), ctx.get()) == 1 &&
       BN_mod_mul(t.get(), d.get(), e.get(), lambda.get(), ctx.get()) == 1 && BN_is_one(t.get());
  core::BignumPtr dp = get(OSSL_PKEY_PARAM_RSA_EXPONENT1), dq = get(OSSL_PKEY_PARAM_RSA_EXPONENT2),
                  qinv = get(OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
  if (ok && dp && dq && qinv) {
    ok = BN_mod(t.get(), d.get(), p1.get(), ctx.get()) == 1 && BN_cmp(t.get(), dp.get()) == 0 &&
         BN_mod(t.get(), d.get(), q1.get(), ctx.get()) == 1 && BN_cmp(t.get(), dq.get()) == 0 &&
         BN_mod_mul(t.get(), qinv.get(), q.get(), p.get(), ctx.get()) == 1 && BN_is_one(t.get());
  }
  ERR_clear_error();
  return ok;
}

/// RSA keys carry their own public half; check that the private parts belong to it. The cheap relations first
/// (rsa_relations_hold), then OpenSSL's pairwise check, which also tests p and q for primality — the costly part,
/// reached only for keys within kMaxRsaBits whose relations hold.
bool rsa_consistent(EVP_PKEY* pkey) {
  if (!rsa_relations_hold(pkey)) return false;
  core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
  bool ok = ctx && EVP_PKEY_pairwise_check(ctx.get()) == 1;
  ERR_clear_error();
  return ok;
}

/// "Name: value" lines of a BIND private-key file with their line numbers.
struct PrivateFields {
  std::map<std::string, std::pair<std::string, std::uint32_t>> fields;
  const std::pair<std::string, std::uint32_t>* get(const std::string& name) const {
    auto it = fields.find(name);
    return it == fields.end() ? nullptr : &it->second;
  }
};

PrivateFields parse_private_fields(const std::string& path, const std::string& text) {
  PrivateFields pf;
  std::istringstream in(text);
  std::string line;
  std::uint32_t no = 0;
  while (std::getline(in, line)) {
    ++no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos) continue;
    std::size_t colon = line.find(':');
    if (colon == std::string::npos) throw Error(where(path, no) + ": expected \"Name: value\"");
    std::string name = line.substr(start, colon - start);
    std::size_t vstart = line.find_first_not_of(" \t", colon + 1);
    std::string value = vstart == std::string::npos ? std::string() : line.substr(vstart);
    if (pf.fields.count(name)) throw Error(where(path, no) + ": " + name + " given twice");
    pf.fields.emplace(std::move(name), std::make_pair(std::move(value), no));
  }
  return pf;
}

std::string field_bytes(const std::string& path, const PrivateFields& pf, const std::string& name) {
  const auto* f = pf.get(name);
  if (!f) throw Error(path + ": no " + name + " field");
  auto bytes = core::base64_decode_relaxed(f->first);
  if (!bytes || bytes->empty()) throw Error(where(path, f->second) + ": " + name + " is not valid base64");
  return *bytes;
}

core::BignumPtr to_bn(std::string_view bytes) {
  core::BignumPtr bn(BN_bin2bn(ubytes(bytes), static_cast<int>(bytes.size()), nullptr));
  if (!bn) throw Error("out of memory");
  return bn;
}

core::EvpPkeyPtr keypair_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  core::OsslParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  core::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    ERR_clear_error();
    return {};
  }
  return core::EvpPkeyPtr(raw);
}

core::EvpPkeyPtr rsa_from_fields(const std::string& path, const PrivateFields& pf) {
  static const std::array<std::pair<const char*, const char*>, 8> kFields = {{
      {"Modulus", OSSL_PKEY_PARAM_RSA_N},
      {"PublicExponent", OSSL_PKEY_PARAM_RSA_E},
      {"PrivateExponent", OSSL_PKEY_PARAM_RSA_D},
      {"Prime1", OSSL_PKEY_PARAM_RSA_FACTOR1},
      {"Prime2", OSSL_PKEY_PARAM_RSA_FACTOR2},
      {"Exponent1", OSSL_PKEY_PARAM_RSA_EXPONENT1},
      {"Exponent2", OSSL_PKEY_PARAM_RSA_EXPONENT2},
      {"Coefficient", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
  }};
  // The CRT values are optional, but all or none.
  std::size_t present = 0;
  for (std::size_t i = 3; i < kFields.size(); ++i) present += pf.get(kFields[i].first) ? 1 : 0;
  const std::size_t used = present == 0 ? 3 : kFields.size();
  if (present != 0 && present != kFields.size() - 3) {
    throw Error(path + ": Prime1, Prime2, Exponent1, Exponent2 and Coefficient must be given together");
  }
  std::vector<core::BignumPtr> bns;
  core::OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld) throw Error("out of memory");
  for (std::size_t i = 0; i < used; ++i) {
    bns.push_back(to_bn(field_bytes(path, pf, kFields[i].first)));
    if (OSSL_PARAM_BLD_push_BN(bld.get(), kFields[i].second, bns.back().get()) != 1) throw Error("out of memory");
  }
  core::EvpPkeyPtr pkey = keypair_from_params("RSA", bld.get());
  if (!pkey) throw Error(path + ": OpenSSL rejected the RSA private key");
  return pkey;
}

/// ECDSA: the public point is Q = d·G (SEC 1 §3.2.1); the file holds only d.
core::EvpPkeyPtr ecdsa_from_scalar(const std::string& path, std::uint32_t line, std::string_view scalar, bool p384) {
  const std::size_t size = p384 ? 48 : 32;
  if (scalar.size() > size) {
    throw Error(where(path, line) + ": PrivateKey is " + std::to_string(scalar.size()) + " octets, expected " +
                std::to_string(size));
  }
  EcGroupPtr group(EC_GROUP_new_by_curve_name(p384 ? NID_secp384r1 : NID_X9_62_prime256v1));
  core::BnCtxPtr bnctx(BN_CTX_new());
  core::BignumPtr d = to_bn(scalar);
  if (!group || !bnctx) throw Error("out of memory");
  if (BN_is_zero(d.get()) || BN_cmp(d.get(), EC_GROUP_get0_order(group.get())) >= 0) {
    throw Error(where(path, line) + ": PrivateKey is not a valid " + (p384 ? "P-384" : "P-256") + " scalar");
  }
  EcPointPtr q(EC_POINT_new(group.get()));
  std::array<unsigned char, 1 + 2 * 48> point{};
  if (!q || EC_POINT_mul(group.get(), q.get(), d.get(), nullptr, nullptr, bnctx.get()) != 1 ||
      EC_POINT_point2oct(group.get(), q.get(), POINT_CONVERSION_UNCOMPRESSED, point.data(), 1 + 2 * size,
                         bnctx.get()) != 1 + 2 * size) {
    ERR_clear_error();
    throw Error(path + ": OpenSSL could not compute the ECDSA public point");
  }
  core::OsslParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, p384 ? "P-384" : "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), 1 + 2 * size) != 1) {
    throw Error("out of memory");
  }
  core::EvpPkeyPtr pkey = keypair_from_params("EC", bld.get());
  if (!pkey) throw Error(path + ": OpenSSL rejected the ECDSA private key");
  return pkey;
}

/// A BIND/ldns "Private-key-format: v1.x" file.
PrivateKey read_bind_private(const std::string& path) {
  PrivateFields pf = parse_private_fields(path, read_key_file(path));
  const auto* format = pf.get("Private-key-format");
  if (!format) throw Error(path + ":1: not a BIND private-key file (no Private-key-format line)");
  if (format->first.rfind("v1.", 0) != 0) {
    throw Error(where(path, format->second) + ": unknown Private-key-format " + format->first);
  }
  const auto* algf = pf.get("Algorithm");
  if (!algf) throw Error(path + ": no Algorithm field");
  std::string alg_text = algf->first.substr(0, algf->first.find_first_of(" \t("));
  auto alg = parse_number(alg_text, 255);
  if (!alg) throw Error(where(path, algf->second) + ": Algorithm is not a number from 0 to 255");

  PrivateKey k;
  k.algorithm = static_cast<std::uint8_t>(*alg);
  const bool has_material = pf.get("Modulus") || pf.get("PrivateKey");
  if (!has_material && (pf.get("Label") || pf.get("Engine"))) {
    const auto* label = pf.get("Label");
    k.unsupported = "the private key is held in a hardware token" + (label ? " (Label: " + label->first + ")" : "");
    return k;
  }
  if (dnssec::is_rsa_algorithm(k.algorithm)) {
    // Refuse an oversized key before any arithmetic on it.
    if (const int bits = be_bits(field_bytes(path, pf, "Modulus")); bits > kMaxRsaBits) {
      k.unsupported = rsa_too_large(bits);
      return k;
    }
    k.pkey = rsa_from_fields(path, pf);
    k.type = KeyType::Rsa;
    k.inconsistent = pf.get("Prime1") && !rsa_consistent(k.pkey.get());
  } else if (const KeyFamily f = dnssec::algorithm_facts(k.algorithm).family;
             f == KeyFamily::EcdsaP256 || f == KeyFamily::EcdsaP384) {
    std::string scalar = field_bytes(path, pf, "PrivateKey");
    const bool p384 = f == KeyFamily::EcdsaP384;
    k.pkey = ecdsa_from_scalar(path, pf.get("PrivateKey")->second, scalar, p384);
    k.type = p384 ? KeyType::P384 : KeyType::P256;
  } else if (f == KeyFamily::Ed25519 || f == KeyFamily::Ed448) {
    std::string raw = field_bytes(path, pf, "PrivateKey");
    const bool ed448 = f == KeyFamily::Ed448;
    const std::size_t want = dnssec::algorithm_facts(k.algorithm).key_octets;  // RFC 8080 §3: as long as the public key
    if (raw.size() != want) {
      throw Error(where(path, pf.get("PrivateKey")->second) + ": PrivateKey is " + std::to_string(raw.size()) +
                  " octets, expected " + std::to_string(want));
    }
    k.pkey.reset(
        EVP_PKEY_new_raw_private_key(ed448 ? EVP_PKEY_ED448 : EVP_PKEY_ED25519, nullptr, ubytes(raw), raw.size()));
    if (!k.pkey) {
      ERR_clear_error();
      throw Error(path + ": OpenSSL rejected the EdDSA private key");
    }
    k.type = ed448 ? KeyType::Ed448 : KeyType::Ed25519;
  } else {
    k.unsupported = "private keys of algorithm " + dnssec::algorithm_name(k.algorithm) + " are not supported";
    return k;
  }
  k.public_field = public_field(k.pkey.get(), k.type, path);
  return k;
}

/// A PKCS#8 PEM private key (unencrypted).
PrivateKey read_pem_private(const std::string& path) {
  std::string text = read_key_file(path);
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) throw Error("out of memory");
  // Never prompt for a pass phrase: an encrypted key cannot be read unattended.
  auto no_password = [](char*, int, int, void*) -> int { return -1; };
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr);
  if (!raw) {
    ERR_clear_error();
    bool encrypted = text.find("ENCRYPTED") != std::string::npos;
    throw Error(path + (encrypted ? ": encrypted PEM private keys are not supported (decrypt it first)"
                                  : ": not a PEM private key"));
  }
  PrivateKey k;
  k.pkey.reset(raw);
  k.type = key_type(raw);
  if (k.type == KeyType::Other) {
    k.unsupported = std::string("private keys of type ") + EVP_PKEY_get0_type_name(raw) + " are not supported";
    k.pkey.reset();
    return k;
  }
  if (k.type == KeyType::Rsa) {
    if (const int bits = EVP_PKEY_get_bits(raw); bits > kMaxRsaBits) {
      k.unsupported = rsa_too_large(bits);
      k.pkey.reset();
      return k;
    }
  }
  k.algorithm = default_alg(k.type);
  k.public_field = public_field(k.pkey.get(), k.type, path);
  if (k.type == KeyType::Rsa) k.inconsistent = !rsa_consistent(k.pkey.get());
  return k;
}

// ---- public key files ----------------------------------------------------------------------------------------

struct PublicFile {
  core::WireName owner;
  std::string rdata;
};

PublicFile read_public_file(const std::string& path) {
  LoadOptions opt;
  opt.origin = std::string(1, '\0');
  Zone z = load_zone_text(read_key_file(path), path, opt);
  PublicFile pf;
  std::size_t count = 0;
  for (const Record& r : z.records) {
    if (r.type != kDnskeyType) {
      throw Error(z.where(r.src) + ": " + type_name(r.type) + " record in a key file (DNSKEY expected)");
    }
    pf.owner = z.names[r.name];
    pf.rdata = std::string(z.rdata(r));
    ++count;
  }
  if (count != 1) throw Error(path + ": expected one DNSKEY record, found " + std::to_string(count));
  if (pf.rdata.size() < 5) throw Error(path + ": DNSKEY record without a public key");
  return pf;
}

// ---- one key -------------------------------------------------------------------------------------------------

/// Flags for a key whose file names a tag but gives no flags: the usual ones that produce that tag.
std::optional<std::uint16_t> flags_for_tag(std::uint8_t alg, std::string_view key, std::uint16_t tag) {
  for (std::uint16_t f : {std::uint16_t{256}, std::uint16_t{257}, std::uint16_t{385}, std::uint16_t{384}}) {
    if (dnssec::key_tag(dnskey_rdata(f, 3, alg, key)) == tag) return f;
  }
  return std::nullopt;
}

void check_name(InventoryKey& k, const std::optional<BindName>& bind, std::uint8_t alg) {
  if (!bind) return;
  k.name_tag = bind->tag;
  if (bind->algorithm != alg) {
    add_problem(k, "the file name states algorithm " + std::to_string(bind->algorithm) + ", the key is algorithm " +
                       std::to_string(alg));
  }
  if (!k.zone.empty() && bind->zone != k.zone) {
    add_problem(k, "the file name states zone " + core::name_to_text(bind->zone) + ", the key file's owner is " +
                       core::name_to_text(k.zone));
  }
  std::uint16_t tag = dnssec::key_tag(k.dnskey_rdata);
  if (tag != bind->tag) {
    add_problem(
        k, "the file name states key tag " + std::to_string(bind->tag) + ", the key's tag is " + std::to_string(tag));
  }
}

InventoryKey private_entry(const fs::path& dir, const std::string& name, bool pem, const std::set<std::string>& files) {
  const std::string stem = name.substr(0, name.rfind('.'));
  InventoryKey k;
  k.private_file = (dir / name).string();
  const std::string key_name = stem + ".key";
  std::optional<PublicFile> pub;
  if (files.count(key_name)) pub = read_public_file((dir / key_name).string());
  PrivateKey priv = pem ? read_pem_private(k.private_file) : read_bind_private(k.private_file);
  const std::optional<BindName> bind = parse_bind_name(stem);

  k.has_public_file = pub.has_value();
  k.file = pub ? (dir / key_name).string() : k.private_file;
  k.has_private = static_cast<bool>(priv.pkey);
  if (!priv.unsupported.empty()) add_problem(k, priv.unsupported);

  // Zone, algorithm and flags: the .key file, else the file name, else (PEM only) what the key type implies.
  std::uint8_t alg = priv.algorithm;
  std::uint16_t flags = 256;
  std::optional<BindName> zone_alg = pem && !bind && !pub ? parse_zone_alg_name(stem) : std::nullopt;
  if (zone_alg && !alg_fits(zone_alg->algorithm, priv.type)) zone_alg.reset();
  if (pub) {
    k.zone = pub->owner;
    flags = rdata_flags(pub->rdata);
    if (pem && alg_fits(static_cast<std::uint8_t>(pub->rdata[3]), priv.type)) {
      alg = static_cast<std::uint8_t>(pub->rdata[3]);
    }
  } else if (bind) {
    k.zone = bind->zone;
    if (pem && alg_fits(bind->algorithm, priv.type)) alg = bind->algorithm;
    if (k.has_private) {
      if (auto f = flags_for_tag(alg, priv.public_field, bind->tag)) flags = *f;
    }
  } else if (zone_alg) {
    k.zone = zone_alg->zone;
    alg = zone_alg->algorithm;
  }

  if (k.has_private) k.private_rdata = dnskey_rdata(flags, 3, alg, priv.public_field);
  if (pub) {
    k.dnskey_rdata = pub->rdata;
    if (k.has_private) {
      const std::string_view pub_key = std::string_view(pub->rdata).substr(4);
      k.private_matches = static_cast<std::uint8_t>(pub->rdata[3]) == alg && pub_key == priv.public_field;
      if (!k.private_matches) add_problem(k, "the private key is not the pair of the public key in " + key_name);
    }
  } else {
    k.dnskey_rdata = k.private_rdata;
  }
  if (priv.inconsistent) {
    k.private_matches = false;
    add_problem(k, "the RSA private key is inconsistent: its primes and exponents do not belong to its modulus");
  }
  if (!k.dnskey_rdata.empty()) check_name(k, bind, static_cast<std::uint8_t>(k.dnskey_rdata[3]));
  return k;
}

InventoryKey public_entry(const fs::path& dir, const std::string& name, const BindName& bind) {
  InventoryKey k;
  k.file = (dir / name).string();
  PublicFile pub = read_public_file(k.file);
  k.has_public_file = true;
  k.zone = pub.owner;
  k.dnskey_rdata = pub.rdata;
  check_name(k, bind, static_cast<std::uint8_t>(pub.rdata[3]));
  return k;
}

}  // namespace

std::vector<InventoryKey> read_key_directory(const std::string& dir) {
  std::error_code ec;
  const fs::path root(dir);
  if (!fs::is_directory(root, ec)) {
    throw Error(dir + ": " + (ec ? ec.message() : std::string("not a directory")) + " (--keys needs a directory)");
  }
  std::set<std::string> files;
  fs::directory_iterator it(root, ec);
  if (ec) throw Error(dir + ": cannot read the key directory: " + ec.message());
  for (const fs::directory_entry& e : it) {
    std::error_code fec;
    if (e.is_regular_file(fec)) files.insert(e.path().filename().string());
  }

  std::vector<InventoryKey> out;
  std::set<std::string> paired;  // .key files that belong to a private file
  for (const std::string& name : files) {
    const bool is_private = name.size() > 8 && name.ends_with(".private");
    const bool is_pem = name.size() > 4 && name.ends_with(".pem");
    if (!is_private && !is_pem) continue;
    out.push_back(private_entry(root, name, is_pem, files));
    paired.insert(name.substr(0, name.rfind('.')) + ".key");
  }
  for (const std::string& name : files) {
    if (name.size() <= 4 || !name.ends_with(".key") || paired.count(name)) continue;
    if (auto bind = parse_bind_name(name.substr(0, name.size() - 4))) out.push_back(public_entry(root, name, *bind));
  }
  std::sort(out.begin(), out.end(), [](const InventoryKey& a, const InventoryKey& b) {
    return std::tie(a.file, a.private_file) < std::tie(b.file, b.private_file);
  });
  return out;
}

// ---- key history ---------------------------------------------------------------------------------------------

std::vector<HistoryKey> read_key_history(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) return {};
  if (fs::is_directory(path, ec)) throw Error(path + ": is a directory (--key-history needs a file)");
  std::string text = read_history_file(path);
  std::vector<HistoryKey> out;
  std::istringstream in(text);
  std::string line;
  std::uint32_t no = 0;
  while (std::getline(in, line)) {
    ++no;
    std::istringstream fields(line);
    std::vector<std::string> f;
    for (std::string w; fields >> w;) f.push_back(w);
    if (f.empty() || f[0][0] == '#') continue;
    const std::string at = where(path, no);
    if (f.size() < 6) {
      throw Error(at + ": expected <zone> <first seen> <flags> <protocol> <algorithm> <public key>");
    }
    HistoryKey h;
    std::string err;
    if (f[0].back() != '.' || !core::parse_name(f[0], ".", h.zone, err)) {
      throw Error(at + ": zone " + f[0] + " is not an absolute domain name" + (err.empty() ? "" : ": " + err));
    }
    core::name_to_lower(h.zone);
    if (f[1].rfind("now", 0) == 0) throw Error(at + ": the first-seen time must be absolute");
    try {
      h.first_seen = core::parse_time(f[1], 0);
    } catch (const Error& e) {
      throw Error(at + ": " + e.what());
    }
    auto flags = parse_number(f[2], 65535);
    auto protocol = parse_number(f[3], 255);
    auto alg = parse_number(f[4], 255);
    if (!flags) throw Error(at + ": flags " + f[2] + " is not a number from 0 to 65535");
    if (!protocol) throw Error(at + ": protocol " + f[3] + " is not a number from 0 to 255");
    if (!alg) throw Error(at + ": algorithm " + f[4] + " is not a number from 0 to 255");
    std::string b64;
    for (std::size_t i = 5; i < f.size(); ++i) b64 += f[i];
    auto key = core::base64_decode_relaxed(b64);
    if (!key || key->empty()) throw Error(at + ": the public key is not valid base64");
    h.flags = static_cast<std::uint16_t>(*flags);
    h.algorithm = static_cast<std::uint8_t>(*alg);
    h.dnskey_rdata = dnskey_rdata(h.flags, static_cast<std::uint8_t>(*protocol), h.algorithm, *key);
    h.source = at;
    out.push_back(std::move(h));
  }
  return out;
}

namespace {

/// A temporary file next to its target: renamed over the target on commit, removed otherwise.
class TempFile {
 public:
  explicit TempFile(const std::string& target) : target_(target), path_(target + ".XXXXXX") {
    fd_.reset(::mkstemp(path_.data()));
    if (!fd_) throw Error(target + ": cannot create a temporary file: " + core::errno_text(errno));
  }
  ~TempFile() {
    if (!committed_) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  void write_all(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_.get(), data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) fail("cannot write");
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  void commit(mode_t mode) {
    if (::fchmod(fd_.get(), mode) != 0) fail("cannot set permissions");
    if (::fsync(fd_.get()) != 0) fail("cannot sync");
    if (::close(fd_.release()) != 0) fail("cannot close");
    if (std::rename(path_.c_str(), target_.c_str()) != 0) fail("cannot rename the temporary file");
    committed_ = true;
  }

 private:
  [[noreturn]] void fail(const char* what) { throw Error(target_ + ": " + what + ": " + core::errno_text(errno)); }
  std::string target_;
  std::string path_;
  core::UniqueFd fd_;
  bool committed_ = false;
};

using HistoryId = std::tuple<core::WireName, std::uint8_t, std::string>;

HistoryId history_id(const HistoryKey& h) {
  return {core::name_lower(h.zone), h.algorithm, h.dnskey_rdata.size() >= 4 ? h.dnskey_rdata.substr(4) : ""};
}

}  // namespace

void append_key_history(const std::string& path, const std::vector<HistoryKey>& existing,
                        const std::vector<HistoryKey>& seen) {
  // Re-read the file: another run may have appended since `existing` was read.
  std::vector<HistoryKey> current = read_key_history(path);
  std::set<HistoryId> known;
  for (const HistoryKey& h : existing) known.insert(history_id(h));
  for (const HistoryKey& h : current) known.insert(history_id(h));

  std::string added;
  for (const HistoryKey& h : seen) {
    if (h.zone.empty() || h.dnskey_rdata.size() < 5) continue;  // keys of unknown zone are not recorded
    if (!known.insert(history_id(h)).second) continue;
    const std::string_view r = h.dnskey_rdata;
    added += core::name_to_text(core::name_lower(h.zone)) + " " + core::format_time(h.first_seen) + " " +
             std::to_string(rdata_flags(r)) + " " + std::to_string(ubytes(r)[2]) + " " + std::to_string(ubytes(r)[3]) +
             " " + core::base64_encode(r.substr(4)) + "\n";
  }
  if (added.empty()) return;

  std::string text;
  mode_t mode = 0644;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    text = read_history_file(path);
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) mode = st.st_mode & 07777;
    if (!text.empty() && text.back() != '\n') text.push_back('\n');
  } else {
    text =
        "# zonewarden key history (--key-history): every public key seen, appended by zonewarden; one key per line:\n"
        "# <zone> <first seen, RFC 3339 UTC> <flags> <protocol> <algorithm> <public key, base64>\n";
  }
  TempFile tmp(path);
  tmp.write_all(text);
  tmp.write_all(added);
  tmp.commit(mode);
}

}  // namespace zw::zone
