// batch_gcd_bench.cpp: times zw::dnssec::find_shared_factors on 100,000 RSA-2048-like moduli with planted shared
// primes.
//
// Usage: batch_gcd_bench [--count N] [--cache FILE] [--limit SECONDS]
// Moduli are products of two distinct random 1024-bit primes (top two bits set, so every modulus has 2048 bits).
// The 2·N primes are generated once on all cores (sieve to 2^17, then GMP's BPSW test on the survivors: the
// next prime after a random odd start, like mpz_nextprime but with a larger sieve) and cached in FILE. Eight
// pairs then get a shared prime: modulus b_j = p(a_j)·q(b_j). Exit status: 0 when exactly the 16 planted moduli
// are found within the limit (default 120 s), 1 on wrong results, 2 when too slow, 3 on usage or I/O errors.
#include <gmp.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "dnssec/batch_gcd.hpp"

namespace {

using zw::dnssec::Mpz;
using Clock = std::chrono::steady_clock;

constexpr unsigned long kPrimeBits = 1024;
constexpr std::size_t kPrimeBytes = kPrimeBits / 8;
constexpr std::uint32_t kSieveLimit = 1U << 17;
constexpr std::size_t kWindow = 4096;  // odd candidates sieved at a time
constexpr unsigned long kSeed = 20120808;
constexpr char kMagic[8] = {'Z', 'W', 'P', 'R', 'I', 'M', 'E', '1'};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

/// RAII owner of a GMP random state.
class Random {
 public:
  Random() { gmp_randinit_default(state_); }
  Random(const Random&) = delete;
  Random& operator=(const Random&) = delete;
  ~Random() { gmp_randclear(state_); }
  void seed(unsigned long s) { gmp_randseed_ui(state_, s); }
  __gmp_randstate_struct* get() { return state_; }

 private:
  gmp_randstate_t state_;
};

std::vector<std::uint32_t> odd_primes_below(std::uint32_t limit) {
  std::vector<bool> composite(limit, false);
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 3; i < limit; i += 2) {
    if (composite[i]) continue;
    out.push_back(i);
    for (std::uint64_t j = std::uint64_t{i} * i; j < limit; j += 2 * std::uint64_t{i}) composite[j] = true;
  }
  return out;
}

/// The first probable prime ≥ a random odd 1024-bit start with the top two bits set. Prime i depends only on i.
void random_prime(Mpz& out, std::size_t i, const std::vector<std::uint32_t>& small) {
  Random rnd;  // seeding a fresh state costs microseconds; a prime costs milliseconds
  rnd.seed(kSeed * 1000003UL + i);
  Mpz start;
  mpz_urandomb(start.get(), rnd.get(), kPrimeBits);
  mpz_setbit(start.get(), kPrimeBits - 1);
  mpz_setbit(start.get(), kPrimeBits - 2);
  mpz_setbit(start.get(), 0);
  std::vector<bool> composite(kWindow);
  while (true) {
    // Candidate j is start + 2j; p divides it when j ≡ -start / 2 (mod p).
    std::fill(composite.begin(), composite.end(), false);
    for (std::uint32_t p : small) {
      const unsigned long r = mpz_fdiv_ui(start.get(), p);
      std::size_t j = static_cast<std::size_t>((p - r) % p * ((p + 1) / 2) % p);
      for (; j < kWindow; j += p) composite[j] = true;
    }
    for (std::size_t j = 0; j < kWindow; ++j) {
      if (composite[j]) continue;
      mpz_add_ui(out.get(), start.get(), 2 * j);
      if (mpz_probab_prime_p(out.get(), 1) != 0) return;
    }
    mpz_add_ui(start.get(), start.get(), 2 * kWindow);
  }
}

std::vector<Mpz> generate_primes(std::size_t count) {
  const std::vector<std::uint32_t> small = odd_primes_below(kSieveLimit);
  std::vector<Mpz> primes(count);
  std::atomic<std::size_t> done{0};
  const auto start = Clock::now();
  zw::core::parallel_for(
      count,
      [&](std::size_t i) {
        random_prime(primes[i], i, small);
        const std::size_t n = done.fetch_add(1) + 1;
        if (n % 10000 == 0) {
          std::fprintf(stderr, "  %zu / %zu primes, %.0f s\n", n, count, seconds_since(start));
        }
      },
      64);
  return primes;
}

void save_primes(const std::string& path, const std::vector<Mpz>& primes) {
  std::ofstream out(path + ".tmp", std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + path + ".tmp");
  const std::uint64_t count = primes.size(), bits = kPrimeBits;
  out.write(kMagic, sizeof kMagic);
  out.write(reinterpret_cast<const char*>(&count), sizeof count);
  out.write(reinterpret_cast<const char*>(&bits), sizeof bits);
  for (const Mpz& p : primes) {
    const std::string bytes = p.to_bytes();
    if (bytes.size() != kPrimeBytes) throw std::runtime_error("prime of unexpected size");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  out.close();
  if (!out || std::rename((path + ".tmp").c_str(), path.c_str()) != 0) throw std::runtime_error("cannot write " + path);
}

/// The cached primes, or empty when the file is absent or does not match.
std::vector<Mpz> load_primes(const std::string& path, std::size_t count) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  char magic[sizeof kMagic] = {};
  std::uint64_t stored = 0, bits = 0;
  in.read(magic, sizeof magic);
  in.read(reinterpret_cast<char*>(&stored), sizeof stored);
  in.read(reinterpret_cast<char*>(&bits), sizeof bits);
  if (!in || std::memcmp(magic, kMagic, sizeof kMagic) != 0 || stored != count || bits != kPrimeBits) return {};
  std::vector<Mpz> primes(count);
  std::string bytes(kPrimeBytes, '\0');
  for (Mpz& p : primes) {
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!in) return {};
    p = Mpz(bytes);
  }
  return primes;
}

int run(int argc, char** argv) {
  std::size_t count = 100000;
  std::string cache;
  double limit = 120;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument("missing value after " + arg);
    if (arg == "--count") {
      count = std::stoul(argv[++i]);
    } else if (arg == "--cache") {
      cache = argv[++i];
    } else if (arg == "--limit") {
      limit = std::stod(argv[++i]);
    } else {
      throw std::invalid_argument("unknown option " + arg);
    }
  }
  if (count < 1000) throw std::invalid_argument("--count must be at least 1000");
  if (cache.empty()) cache = "batch-gcd-primes-" + std::to_string(2 * count) + ".bin";

  std::printf("workers: %u, GMP %s\n", zw::core::worker_count(), gmp_version);
  auto t = Clock::now();
  std::vector<Mpz> primes = load_primes(cache, 2 * count);
  if (!primes.empty()) {
    std::printf("primes: %zu x %lu bits loaded from %s in %.1f s\n", primes.size(), kPrimeBits, cache.c_str(),
                seconds_since(t));
  } else {
    std::printf("primes: generating %zu x %lu bits on %u cores ...\n", 2 * count, kPrimeBits, zw::core::worker_count());
    std::fflush(stdout);
    primes = generate_primes(2 * count);
    std::printf("primes: generated in %.1f s, cached in %s\n", seconds_since(t), cache.c_str());
    save_primes(cache, primes);
  }
  std::set<std::string> distinct;
  for (const Mpz& p : primes) distinct.insert(p.to_bytes());
  if (distinct.size() != primes.size()) throw std::runtime_error("duplicate primes in the cache");

  // Moduli p(i)·q(i) with p(i) = primes[2i], q(i) = primes[2i+1]; then eight planted pairs share a prime.
  std::vector<std::string> moduli(count);
  zw::core::parallel_for(count, [&](std::size_t i) {
    Mpz n;
    mpz_mul(n.get(), primes[2 * i].get(), primes[2 * i + 1].get());
    moduli[i] = n.to_bytes();
  });
  std::vector<std::pair<std::size_t, std::size_t>> planted;
  std::set<std::size_t> expected;
  for (std::size_t j = 0; planted.size() < 8; ++j) {
    const std::size_t a = (j * 7919 + 17) * 104729 % count, b = (j * 15485863 + 3) % count;
    if (a == b || expected.count(a) != 0 || expected.count(b) != 0) continue;
    Mpz n;
    mpz_mul(n.get(), primes[2 * a].get(), primes[2 * b + 1].get());
    moduli[b] = n.to_bytes();
    planted.emplace_back(a, b);
    expected.insert(a);
    expected.insert(b);
  }
  for (const std::string& n : moduli) {
    if (n.size() != 2 * kPrimeBytes) throw std::runtime_error("modulus is not 2048 bits");
  }
  primes.clear();
  primes.shrink_to_fit();
  std::printf("moduli: %zu x 2048 bits (%.1f MB), %zu planted pairs sharing a prime\n", count,
              static_cast<double>(count * 2 * kPrimeBytes) / 1e6, planted.size());
  std::printf("peak RSS before batch GCD: %.0f MiB\n", peak_rss_mib());
  std::fflush(stdout);

  zw::dnssec::BatchGcdStats stats;
  t = Clock::now();
  const std::vector<std::size_t> found = zw::dnssec::find_shared_factors(moduli, &stats);
  const double seconds = seconds_since(t);
  const double rss = peak_rss_mib();

  const bool exact = std::vector<std::size_t>(expected.begin(), expected.end()) == found;
  bool factors_ok = true;
  for (auto [a, b] : planted) {
    const std::string g = zw::dnssec::shared_factor_of(moduli[a], moduli[b]);
    factors_ok = factors_ok && g.size() == kPrimeBytes;
  }
  std::printf(
      "find_shared_factors: %zu moduli (%zu distinct), %zu tree levels: %.1f s "
      "(product tree %.1f s, remainder tree %.1f s)\n",
      count, stats.distinct, stats.levels, seconds, stats.product_tree_seconds, stats.remainder_tree_seconds);
  std::printf("found %zu moduli, planted %zu: %s\n", found.size(), expected.size(),
              exact && factors_ok ? "exactly the planted ones" : "MISMATCH");
  std::printf("peak RSS: %.0f MiB\n", rss);
  std::printf("requirement (all found, < %.0f s): %s\n", limit,
              exact && factors_ok && seconds < limit ? "PASS" : "FAIL");
  if (!exact || !factors_ok) return 1;
  return seconds < limit ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "batch_gcd_bench: %s\n", e.what());
    return 3;
  }
}
