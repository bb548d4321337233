// crypto_floor.cpp: the crypto floor of a signed zone: the time raw OpenSSL 3 needs to verify every RRSIG over
// authoritative data on all cores, with everything else (loading, key parsing, signed data, DER) done beforehand.
//
// Usage: crypto_floor [--origin NAME] [--threads N] [--repeat K] [--digest-verify | --zonewarden] ZONE
//        crypto_floor --version
// Untimed: the zone is loaded with zonewarden's loader, the apex DNSKEYs are parsed (zw::dnssec::parse_dnskey), the
// signatures are attached to their RRsets (zw::dnssec::analyse without verification), glue and delegation NS are
// skipped (zw::dnssec::is_authoritative), every signature's signed data is built (zw::dnssec::signed_data) and ECDSA
// r|s signatures are converted to DER. Timed: only the verification of all of them with the pre-parsed EVP_PKEYs, on
// N threads (default: nproc), by the fastest path OpenSSL 3.0 offers: for RSA and ECDSA a one-shot digest and
// EVP_PKEY_verify with one EVP_PKEY_CTX per key and thread; for EdDSA EVP_DigestVerify. --digest-verify times
// EVP_DigestVerifyInit + EVP_DigestVerify for every algorithm instead (about 20 % slower on RSA); --zonewarden times
// zonewarden's own zw::dnssec::verify over the same jobs (signatures as published; RSA through its Montgomery path,
// Ed25519 through libsodium), the verification alone that the full gate's other work adds to. With --repeat K the
// verification pass runs K times and the median pass is reported (the minimum too). The last line is machine-readable,
// for bench/peers:
//   floor: sigs=… seconds=… cpu_seconds=… per_second=… threads=… failed=…
// (cpu_seconds: user + system time of one pass, all threads; seconds/per_second: wall time of the median pass).
// Exit status: 0 when every signature verifies, 1 when some do not (or have no usable key), 3 on usage or I/O errors.
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/handles.hpp"
#include "core/name.hpp"
#include "dnssec/analysis.hpp"
#include "dnssec/crypto.hpp"
#include "zone/loader.hpp"
#include "zone/zone.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace rrtype = zw::zone::rrtype;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// CPU seconds (user + system) of the whole process, all threads.
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto sec = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return sec(usage.ru_utime) + sec(usage.ru_stime);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux
}

const unsigned char* ubytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

/// One verification to time: a key, the message and the signature in the form OpenSSL takes.
struct Job {
  std::uint32_t key = 0;  ///< index into the parsed keys
  std::string data;       ///< RFC 4034 §3.1.8.1 signed data
  std::string signature;  ///< RSA/EdDSA as published; ECDSA as DER
};

/// DER INTEGER of an unsigned big-endian value (leading zeros stripped, 0x00 prepended when the top bit is set).
void append_der_integer(std::string& out, std::string_view v) {
  while (!v.empty() && v.front() == 0) v.remove_prefix(1);
  const bool pad = v.empty() || (static_cast<unsigned char>(v.front()) & 0x80) != 0;
  out.push_back(0x02);
  out.push_back(static_cast<char>(v.size() + (pad ? 1 : 0)));
  if (pad) out.push_back(0);
  out.append(v);
}

/// RFC 6605 §4 r|s → DER SEQUENCE { INTEGER r, INTEGER s } (short-form lengths suffice up to P-384).
std::string ecdsa_der(std::string_view rs) {
  const std::size_t half = rs.size() / 2;
  std::string body;
  append_der_integer(body, rs.substr(0, half));
  append_der_integer(body, rs.substr(half));
  std::string out;
  out.push_back(0x30);
  out.push_back(static_cast<char>(body.size()));
  return out + body;
}

bool is_ecdsa(std::uint8_t alg) {
  return alg == 13 || alg == 14;
}

/// Digest of a DNSSEC algorithm, fetched explicitly once; null for EdDSA (and unsupported algorithms).
const EVP_MD* digest_for(std::uint8_t alg) {
  static const zw::core::EvpMdPtr sha1{EVP_MD_fetch(nullptr, "SHA1", nullptr)};
  static const zw::core::EvpMdPtr sha256{EVP_MD_fetch(nullptr, "SHA256", nullptr)};
  static const zw::core::EvpMdPtr sha384{EVP_MD_fetch(nullptr, "SHA384", nullptr)};
  static const zw::core::EvpMdPtr sha512{EVP_MD_fetch(nullptr, "SHA512", nullptr)};
  switch (alg) {
    case 5:
    case 7: return sha1.get();
    case 8:
    case 13: return sha256.get();
    case 14: return sha384.get();
    case 10: return sha512.get();
    default: return nullptr;
  }
}

/// --digest-verify: time EVP_DigestVerifyInit + EVP_DigestVerify for every algorithm (the slower, simpler path).
bool g_digest_verify = false;
/// --zonewarden: time zw::dnssec::verify on the published signatures instead.
const std::vector<const zw::dnssec::PublicKey*>* g_zonewarden_keys = nullptr;

/// One timed pass: verifies every job on `threads` threads; returns the number that failed.
std::size_t verify_all(const std::vector<Job>& jobs, const std::vector<EVP_PKEY*>& pkeys,
                       const std::vector<const EVP_MD*>& mds, unsigned threads) {
  constexpr std::size_t kChunk = 64;
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> failed{0};
  auto work = [&]() {
    zw::core::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    // The fastest OpenSSL 3.0 path for RSA and ECDSA: one EVP_PKEY_CTX per key and thread, set up once, then per
    // signature a one-shot digest and EVP_PKEY_verify (EVP_DigestVerifyInit re-fetches and re-creates per call).
    std::vector<zw::core::EvpPkeyCtxPtr> pctx(pkeys.size());
    std::size_t bad = 0;
    while (true) {
      const std::size_t begin = next.fetch_add(kChunk);
      if (begin >= jobs.size()) break;
      const std::size_t end = std::min(jobs.size(), begin + kChunk);
      for (std::size_t i = begin; i < end; ++i) {
        const Job& j = jobs[i];
        bool ok = false;
        if (g_zonewarden_keys != nullptr) {
          ok = zw::dnssec::verify(*(*g_zonewarden_keys)[j.key], j.data, j.signature) == zw::dnssec::VerifyResult::Valid;
        } else if (mds[j.key] != nullptr && !g_digest_verify) {
          auto& pc = pctx[j.key];
          if (!pc) {
            pc.reset(EVP_PKEY_CTX_new(pkeys[j.key], nullptr));
            if (!pc || EVP_PKEY_verify_init(pc.get()) != 1 ||
                EVP_PKEY_CTX_set_signature_md(pc.get(), mds[j.key]) != 1) {
              pc.reset();
            }
          }
          unsigned char md[EVP_MAX_MD_SIZE];
          unsigned int md_len = 0;
          ok = pc && EVP_Digest(j.data.data(), j.data.size(), md, &md_len, mds[j.key], nullptr) == 1 &&
               EVP_PKEY_verify(pc.get(), ubytes(j.signature), j.signature.size(), md, md_len) == 1;
        } else {
          EVP_MD_CTX_reset(ctx.get());
          ok = EVP_DigestVerifyInit(ctx.get(), nullptr, mds[j.key], nullptr, pkeys[j.key]) == 1 &&
               EVP_DigestVerify(ctx.get(), ubytes(j.signature), j.signature.size(), ubytes(j.data), j.data.size()) == 1;
        }
        if (!ok) {
          ++bad;
          ERR_clear_error();
        }
      }
    }
    failed += bad;
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  return failed.load();
}

int usage() {
  std::fprintf(
      stderr, "usage: crypto_floor [--origin NAME] [--threads N] [--repeat K] [--digest-verify | --zonewarden] ZONE\n");
  return 3;
}

int run(int argc, char** argv) {
  std::string origin_text;
  std::string path;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  int repeat = 1;
  bool zonewarden = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--version") {
      std::printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
      return 0;
    }
    if ((arg == "--origin" || arg == "-o") && i + 1 < argc) {
      origin_text = argv[++i];
    } else if (arg == "--digest-verify") {
      g_digest_verify = true;
    } else if (arg == "--zonewarden") {
      zonewarden = true;
    } else if (arg == "--threads" && i + 1 < argc) {
      threads = static_cast<unsigned>(std::max(1, std::atoi(argv[++i])));
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::max(1, std::atoi(argv[++i]));
    } else if (!arg.empty() && arg[0] != '-' && path.empty()) {
      path = arg;
    } else {
      return usage();
    }
  }
  if (path.empty()) return usage();

  // --- untimed preparation ---
  const auto t_load = Clock::now();
  zw::zone::LoadOptions options;
  if (!origin_text.empty()) {
    std::string error;
    if (origin_text.back() != '.') origin_text.push_back('.');
    if (!zw::core::parse_name(origin_text, ".", options.origin, error)) {
      std::fprintf(stderr, "crypto_floor: --origin %s: %s\n", origin_text.c_str(), error.c_str());
      return 3;
    }
    zw::core::name_to_lower(options.origin);
  }
  const zw::zone::Zone zone = zw::zone::load_zone_file(path, options);
  const double load_s = seconds_since(t_load);

  const auto t_prep = Clock::now();
  const zw::dnssec::ZoneAnalysis analysis = zw::dnssec::analyse(zone, false);
  if (!analysis.signed_zone) {
    std::fprintf(stderr, "crypto_floor: %s: no DNSKEY RRset at the apex\n", path.c_str());
    return 3;
  }
  std::vector<EVP_PKEY*> pkeys;
  std::vector<const EVP_MD*> mds;
  std::vector<const zw::dnssec::PublicKey*> keys;
  for (const zw::dnssec::KeyInfo& k : analysis.keys) {
    pkeys.push_back(k.key.pkey.get());
    mds.push_back(digest_for(k.key.algorithm));
    keys.push_back(&k.key);
  }
  if (zonewarden) g_zonewarden_keys = &keys;

  std::size_t rrsigs = 0, skipped = 0, unusable = 0;
  std::vector<Job> jobs;
  jobs.reserve(analysis.sigs.size());
  for (const zw::dnssec::SigInfo& s : analysis.sigs) {
    ++rrsigs;
    if (s.rrset < 0) {
      ++unusable;  // covers an absent RRset: zonewarden reports it; the floor cannot verify it
      continue;
    }
    const zw::zone::RRset& covered = zone.rrsets[static_cast<std::size_t>(s.rrset)];
    if (!zw::dnssec::is_authoritative(zone, covered)) {
      ++skipped;  // glue, delegation NS: not verified by anyone
      continue;
    }
    const zw::dnssec::Rrsig& sig = s.rrsig;
    std::int64_t key = -1;
    for (std::size_t k = 0; k < analysis.keys.size() && s.parsed; ++k) {
      const zw::dnssec::PublicKey& pk = analysis.keys[k].key;
      if (pk.tag == sig.key_tag && pk.algorithm == sig.algorithm && pk.pkey &&
          (pk.algorithm == 15 || pk.algorithm == 16 || mds[k] != nullptr)) {
        key = static_cast<std::int64_t>(k);
        break;
      }
    }
    if (key < 0) {
      ++unusable;
      continue;
    }
    std::vector<std::string_view> rdatas;
    rdatas.reserve(covered.count);
    for (const zw::zone::Record& r : zone.records_of(covered)) rdatas.push_back(zone.rdata(r));
    Job job;
    job.key = static_cast<std::uint32_t>(key);
    job.data = zw::dnssec::signed_data(sig, zone.names[covered.name], covered.type, zone.records[covered.first].rclass,
                                       rdatas);
    job.signature = is_ecdsa(sig.algorithm) && !zonewarden ? ecdsa_der(sig.signature) : std::string(sig.signature);
    jobs.push_back(std::move(job));
  }
  const double prep_s = seconds_since(t_prep);

  std::printf("zone: %s (%zu records, %zu RRSIGs: %zu over authoritative data, %zu over glue/delegation NS)\n",
              path.c_str(), zone.records.size(), rrsigs, jobs.size() + unusable, skipped);
  std::printf("untimed: load %.2f s, keys + signed data + DER %.2f s; %s, %u threads%s\n", load_s, prep_s,
              OpenSSL_version(OPENSSL_VERSION), threads, zonewarden ? "; timed: zw::dnssec::verify" : "");
  if (jobs.empty()) {
    std::fprintf(stderr, "crypto_floor: no signature to verify\n");
    return 3;
  }

  // --- timed: raw verification only ---
  std::vector<double> passes;
  std::size_t failed = 0;
  const double cpu_before = cpu_seconds();
  for (int r = 0; r < repeat; ++r) {
    const auto t = Clock::now();
    failed = std::max(failed, verify_all(jobs, pkeys, mds, threads));
    passes.push_back(seconds_since(t));
  }
  const double cpu = (cpu_seconds() - cpu_before) / repeat;
  std::vector<double> sorted = passes;
  std::sort(sorted.begin(), sorted.end());
  const double median =
      sorted.size() % 2 ? sorted[sorted.size() / 2] : (sorted[sorted.size() / 2 - 1] + sorted[sorted.size() / 2]) / 2;
  const double per_second = static_cast<double>(jobs.size()) / median;
  if (repeat > 1) std::printf("passes: %d, min %.3f s, median %.3f s\n", repeat, sorted.front(), median);
  std::printf("floor: %zu signatures in %.3f s (%.3f CPU s per pass), %.0f verifications/s; peak RSS %.0f MiB\n",
              jobs.size(), median, cpu, per_second, peak_rss_mib());
  const std::size_t bad = failed + unusable;
  if (bad == 0) {
    std::printf("all %zu signatures verify\n", jobs.size());
  } else {
    std::printf("FAILED: %zu signatures do not verify (%zu without a usable key)\n", bad, unusable);
  }
  std::printf("floor: sigs=%zu seconds=%.4f cpu_seconds=%.4f per_second=%.0f threads=%u failed=%zu\n", jobs.size(),
              median, cpu, per_second, threads, bad);
  return bad == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crypto_floor: %s\n", e.what());
    return 3;
  }
}
