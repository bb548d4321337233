// crypto_speed.cpp: DNSSEC signature verifications per second, per algorithm and implementation, on 1 and on all
// threads: the OpenSSL 3 "crypto floor" (pre-parsed EVP_PKEY, pre-built data and DER signature), lower-overhead
// OpenSSL call sequences, zonewarden's zw::dnssec::verify (for RSA both its Montgomery path and its EVP path), and
// for Ed25519 libsodium and nettle.
//
// Usage: crypto_speed [--seconds S] [--rounds R] [--threads N] [--only rsa|ecdsa|ed25519]
// Keys are generated here with OpenSSL (RSA-2048 e=65537, P-256, Ed25519), written as DNSKEY RDATA (RFC 3110,
// RFC 6605, RFC 8080) and parsed with zw::dnssec::parse_dnskey. Each thread cycles through 64 messages of 100-300
// random octets (the size of a typical RRset's signed data), each with its own signature. Only Valid answers are
// counted; before timing, every implementation must accept all 64 signatures and reject a corrupted one. Each cell
// is timed for S seconds (default 1) in each of R rounds (default 3), the implementations interleaved round by round;
// the best round is reported, since other work on the machine can only slow a round down.
// Exit status: 0, 1 when an implementation gives a wrong answer, 3 on usage errors.
#include <nettle/eddsa.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "core/handles.hpp"
#include "dnssec/crypto.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using zw::core::EvpMdCtxPtr;
using zw::core::EvpMdPtr;
using zw::core::EvpPkeyCtxPtr;
using zw::core::EvpPkeyPtr;

constexpr std::size_t kMessages = 64;

[[noreturn]] void die(const std::string& what) {
  std::cerr << "crypto_speed: " << what << "\n";
  ERR_print_errors_fp(stderr);
  std::exit(1);
}

const unsigned char* ubytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string random_bytes(std::size_t n) {
  std::string s(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(n)) != 1) die("RAND_bytes");
  return s;
}

std::string dnskey_rdata(std::uint8_t alg, const std::string& public_key) {
  std::string rd = {'\x01', '\x00', '\x03', static_cast<char>(alg)};  // flags 256 (ZONE), protocol 3
  return rd + public_key;
}

std::string bn_param(EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) die("EVP_PKEY_get_bn_param");
  zw::core::BignumPtr bn(raw);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string sign(EVP_PKEY* pkey, const char* md, const std::string& data) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, md, nullptr, nullptr, pkey, nullptr) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, ubytes(data), data.size()) != 1) {
    die("EVP_DigestSign");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, ubytes(data), data.size()) != 1) {
    die("EVP_DigestSign");
  }
  sig.resize(len);
  return sig;
}

/// DER ECDSA-Sig-Value → r | s, each left-padded to `half` octets (short-form lengths: P-256/P-384 only).
std::string der_to_raw(const std::string& der, std::size_t half) {
  std::string out;
  std::size_t pos = 2;
  for (int i = 0; i < 2; ++i) {
    const std::size_t len = static_cast<unsigned char>(der.at(pos + 1));
    std::string v = der.substr(pos + 2, len);
    pos += 2 + len;
    while (!v.empty() && v[0] == 0) v.erase(0, 1);
    out += std::string(half - v.size(), '\0') + v;
  }
  return out;
}

/// One algorithm's test material: the private key, the parsed DNSKEY, messages and signatures.
struct Material {
  std::string name;
  const char* md = nullptr;  ///< digest name, null for EdDSA
  EvpPkeyPtr priv;
  zw::dnssec::PublicKey key;
  std::vector<std::string> messages;
  std::vector<std::string> native;  ///< signature as OpenSSL takes it (DER for ECDSA)
  std::vector<std::string> wire;    ///< signature as in the RRSIG (r | s for ECDSA)
};

Material make_material(const std::string& name, std::uint8_t alg) {
  Material m;
  m.name = name;
  std::string public_key;
  if (alg == 8) {
    m.md = "SHA256";
    m.priv.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
    if (!m.priv) die("RSA keygen");
    const std::string e = bn_param(m.priv.get(), OSSL_PKEY_PARAM_RSA_E), n = bn_param(m.priv.get(), "n");
    public_key = std::string(1, static_cast<char>(e.size())) + e + n;  // RFC 3110 §2
  } else if (alg == 13) {
    m.md = "SHA256";
    m.priv.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!m.priv) die("EC keygen");
    std::array<unsigned char, 65> point{};
    std::size_t len = 0;
    if (EVP_PKEY_get_octet_string_param(m.priv.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size(), &len) != 1 ||
        len != point.size()) {
      die("EC public key");
    }
    public_key.assign(reinterpret_cast<const char*>(point.data()) + 1, 64);  // RFC 6605 §4: x | y
  } else {
    m.priv.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    if (!m.priv) die("Ed25519 keygen");
    std::array<unsigned char, 32> pub{};
    std::size_t len = pub.size();
    if (EVP_PKEY_get_raw_public_key(m.priv.get(), pub.data(), &len) != 1) die("Ed25519 public key");
    public_key.assign(reinterpret_cast<const char*>(pub.data()), len);  // RFC 8080 §3
  }
  m.key = zw::dnssec::parse_dnskey(dnskey_rdata(alg, public_key));
  if (m.key.problem != zw::dnssec::KeyProblem::None) die(name + ": parse_dnskey: " + m.key.problem_text);
  for (std::size_t i = 0; i < kMessages; ++i) {
    const std::size_t len = 100 + static_cast<std::size_t>(static_cast<unsigned char>(random_bytes(1)[0])) % 201;
    m.messages.push_back(random_bytes(len));
    m.native.push_back(sign(m.priv.get(), m.md, m.messages.back()));
    m.wire.push_back(alg == 13 ? der_to_raw(m.native.back(), 32) : m.native.back());
  }
  return m;
}

/// A verifier: verify(message index, message, signature) → valid? Made once per thread, so it may hold state.
using VerifyFn = std::function<bool(const std::string& msg, const std::string& sig)>;
using Factory = std::function<VerifyFn(const Material&)>;

struct Variant {
  std::string label;
  bool wire_signature = false;  ///< takes the RRSIG form (r | s) rather than OpenSSL's DER
  Factory make;
};

const EVP_MD* cached_md(const char* name) {
  static EvpMdPtr sha256(EVP_MD_fetch(nullptr, "SHA256", nullptr));
  return name == nullptr ? nullptr : sha256.get();
}

/// The crypto floor as most callers write it: a fresh EVP_MD_CTX, EVP_DigestVerifyInit, EVP_DigestVerify.
VerifyFn openssl_digest_verify(const Material& m) {
  EVP_PKEY* pkey = m.key.pkey.get();
  const EVP_MD* md = cached_md(m.md);
  return [pkey, md](const std::string& msg, const std::string& sig) {
    EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    const bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, pkey) == 1 &&
                    EVP_DigestVerify(ctx.get(), ubytes(sig), sig.size(), ubytes(msg), msg.size()) == 1;
    if (!ok) ERR_clear_error();
    return ok;
  };
}

/// The same with one EVP_MD_CTX per thread, EVP_MD_CTX_reset between calls.
VerifyFn openssl_digest_verify_reused(const Material& m) {
  EVP_PKEY* pkey = m.key.pkey.get();
  const EVP_MD* md = cached_md(m.md);
  auto ctx = std::make_shared<EvpMdCtxPtr>(EVP_MD_CTX_new());
  return [pkey, md, ctx](const std::string& msg, const std::string& sig) {
    EVP_MD_CTX_reset(ctx->get());
    const bool ok = EVP_DigestVerifyInit(ctx->get(), nullptr, md, nullptr, pkey) == 1 &&
                    EVP_DigestVerify(ctx->get(), ubytes(sig), sig.size(), ubytes(msg), msg.size()) == 1;
    if (!ok) ERR_clear_error();
    return ok;
  };
}

/// RSA/ECDSA split in two: hash with a cached EVP_MD and a per-thread EVP_MD_CTX, then EVP_PKEY_verify on the
/// digest with an EVP_PKEY_CTX made and initialised once per thread (the least OpenSSL 3 work per call).
VerifyFn openssl_prehash_pkey_verify(const Material& m) {
  const EVP_MD* md = cached_md(m.md);
  auto mctx = std::make_shared<EvpMdCtxPtr>(EVP_MD_CTX_new());
  auto pctx = std::make_shared<EvpPkeyCtxPtr>(EVP_PKEY_CTX_new_from_pkey(nullptr, m.key.pkey.get(), nullptr));
  if (!*pctx || EVP_PKEY_verify_init(pctx->get()) != 1 || EVP_PKEY_CTX_set_signature_md(pctx->get(), md) != 1) {
    die("EVP_PKEY_verify_init");
  }
  if (EVP_PKEY_get_base_id(m.key.pkey.get()) == EVP_PKEY_RSA &&
      EVP_PKEY_CTX_set_rsa_padding(pctx->get(), RSA_PKCS1_PADDING) != 1) {
    die("EVP_PKEY_CTX_set_rsa_padding");
  }
  return [md, mctx, pctx](const std::string& msg, const std::string& sig) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int len = 0;
    const bool ok = EVP_DigestInit_ex2(mctx->get(), md, nullptr) == 1 &&
                    EVP_DigestUpdate(mctx->get(), msg.data(), msg.size()) == 1 &&
                    EVP_DigestFinal_ex(mctx->get(), digest.data(), &len) == 1 &&
                    EVP_PKEY_verify(pctx->get(), ubytes(sig), sig.size(), digest.data(), len) == 1;
    if (!ok) ERR_clear_error();
    return ok;
  };
}

/// zonewarden's verify() as the checks call it: RSA through OpenSSL's Montgomery multiplication (the default).
VerifyFn zonewarden_verify(const Material& m) {
  const zw::dnssec::PublicKey* key = &m.key;
  return [key](const std::string& msg, const std::string& sig) {
    zw::dnssec::set_rsa_path(zw::dnssec::RsaPath::Montgomery);  // one relaxed store: the variants run one by one
    return zw::dnssec::verify(*key, msg, sig) == zw::dnssec::VerifyResult::Valid;
  };
}

/// The same with RSA through EVP_PKEY_verify (RsaPath::Evp), for the difference the Montgomery path makes.
VerifyFn zonewarden_verify_evp(const Material& m) {
  const zw::dnssec::PublicKey* key = &m.key;
  return [key](const std::string& msg, const std::string& sig) {
    zw::dnssec::set_rsa_path(zw::dnssec::RsaPath::Evp);
    return zw::dnssec::verify(*key, msg, sig) == zw::dnssec::VerifyResult::Valid;
  };
}

VerifyFn libsodium_verify(const Material& m) {
  const std::string pk = m.key.public_key;
  return [pk](const std::string& msg, const std::string& sig) {
    return sig.size() == crypto_sign_BYTES &&
           crypto_sign_verify_detached(ubytes(sig), ubytes(msg), msg.size(), ubytes(pk)) == 0;
  };
}

VerifyFn nettle_verify(const Material& m) {
  const std::string pk = m.key.public_key;
  return [pk](const std::string& msg, const std::string& sig) {
    return sig.size() == ED25519_SIGNATURE_SIZE &&
           ed25519_sha512_verify(ubytes(pk), msg.size(), ubytes(msg), ubytes(sig)) == 1;
  };
}

/// Every signature verifies; a flipped bit in the message or the signature does not.
void check_answers(const Material& m, const Variant& v) {
  const VerifyFn f = v.make(m);
  const auto& sigs = v.wire_signature ? m.wire : m.native;
  for (std::size_t i = 0; i < kMessages; ++i) {
    std::string msg = m.messages[i];
    std::string sig = sigs[i];
    if (!f(msg, sig)) die(m.name + " / " + v.label + ": a good signature does not verify");
    msg[i % msg.size()] = static_cast<char>(msg[i % msg.size()] ^ 0x10);
    if (f(msg, sig)) die(m.name + " / " + v.label + ": a changed message verifies");
    sig[sig.size() - 1 - i % 8] = static_cast<char>(sig[sig.size() - 1 - i % 8] ^ 0x01);
    if (f(m.messages[i], sig)) die(m.name + " / " + v.label + ": a changed signature verifies");
  }
}

/// Valid verifications per second on `threads` threads, each cycling through the messages for `seconds`.
double rate(const Material& m, const Variant& v, unsigned threads, double seconds) {
  const auto& sigs = v.wire_signature ? m.wire : m.native;
  std::atomic<bool> go{false};
  std::atomic<unsigned> ready{0};
  std::vector<long> counts(threads, 0);
  std::vector<std::thread> pool;
  Clock::time_point start;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const VerifyFn f = v.make(m);
      ++ready;
      while (!go.load()) std::this_thread::yield();
      const Clock::time_point end =
          start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
      long n = 0;
      std::size_t i = t * 7;
      do {
        for (int k = 0; k < 16; ++k, ++i) {
          if (f(m.messages[i % kMessages], sigs[i % kMessages])) ++n;
        }
      } while (Clock::now() < end);
      counts[t] = n;
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  start = Clock::now();
  go = true;
  for (std::thread& th : pool) th.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  long total = 0;
  for (long c : counts) total += c;
  return static_cast<double>(total) / elapsed;
}

void usage() {
  std::cerr << "usage: crypto_speed [--seconds S] [--rounds R] [--threads N] [--only rsa|ecdsa|ed25519]\n";
  std::exit(3);
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 1.0;
  int rounds = 3;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) usage();
    if (a == "--seconds") {
      seconds = std::atof(argv[++i]);
    } else if (a == "--rounds") {
      rounds = std::atoi(argv[++i]);
    } else if (a == "--threads") {
      threads = static_cast<unsigned>(std::atoi(argv[++i]));
    } else if (a == "--only") {
      only = argv[++i];
    } else {
      usage();
    }
  }
  if (seconds <= 0 || rounds <= 0 || threads == 0 ||
      !(only.empty() || only == "rsa" || only == "ecdsa" || only == "ed25519")) {
    usage();
  }
  if (sodium_init() < 0) die("sodium_init");

  std::printf("OpenSSL %s, libsodium %s, nettle %d.%d; best of %d rounds of %.1f s per cell; %u threads\n",
              OpenSSL_version(OPENSSL_VERSION_STRING), sodium_version_string(), nettle_version_major(),
              nettle_version_minor(), rounds, seconds, threads);
  std::printf("%-16s %-48s %12s %12s\n", "algorithm", "implementation", "1 thread/s",
              (std::to_string(threads) + " threads/s").c_str());

  const std::vector<Variant> openssl_rsa_ec = {
      {"openssl EVP_DigestVerify (floor)", false, openssl_digest_verify},
      {"openssl EVP_DigestVerify, reused MD_CTX", false, openssl_digest_verify_reused},
      {"openssl digest + EVP_PKEY_verify, PKEY_CTX/thr", false, openssl_prehash_pkey_verify},
      {"zw::dnssec::verify", true, zonewarden_verify},
      {"zw::dnssec::verify, RsaPath::Evp", true, zonewarden_verify_evp},
  };
  const std::vector<Variant> ed25519 = {
      {"openssl EVP_DigestVerify (floor)", false, openssl_digest_verify},
      {"openssl EVP_DigestVerify, reused MD_CTX", false, openssl_digest_verify_reused},
      {"libsodium crypto_sign_verify_detached", false, libsodium_verify},
      {"nettle ed25519_sha512_verify", false, nettle_verify},
      {"zw::dnssec::verify", true, zonewarden_verify},
  };
  struct Alg {
    const char* option;
    const char* name;
    std::uint8_t number;
    const std::vector<Variant>* variants;
  };
  for (const Alg& alg :
       {Alg{"rsa", "RSASHA256-2048", 8, &openssl_rsa_ec}, Alg{"ecdsa", "ECDSAP256SHA256", 13, &openssl_rsa_ec},
        Alg{"ed25519", "ED25519", 15, &ed25519}}) {
    if (!only.empty() && only != alg.option) continue;
    const Material m = make_material(alg.name, alg.number);
    const std::vector<Variant>& variants = *alg.variants;
    for (const Variant& v : variants) check_answers(m, v);
    std::vector<std::array<double, 2>> best(variants.size(), {0.0, 0.0});
    for (int r = 0; r < rounds; ++r) {
      for (std::size_t i = 0; i < variants.size(); ++i) {
        best[i][0] = std::max(best[i][0], rate(m, variants[i], 1, seconds));
        best[i][1] = std::max(best[i][1], threads > 1 ? rate(m, variants[i], threads, seconds) : best[i][0]);
      }
    }
    for (std::size_t i = 0; i < variants.size(); ++i) {
      std::printf("%-16s %-48s %12.0f %12.0f\n", alg.name, variants[i].label.c_str(), best[i][0], best[i][1]);
    }
    std::fflush(stdout);
  }
  return 0;
}
