// batch_gcd.hpp: Bernstein's batch GCD (product and remainder trees, GMP) to find RSA moduli that share a prime.
#pragma once

#include <gmp.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zw::dnssec {

/// RAII owner of one GMP integer (mpz_t). Move-only; a moved-from Mpz holds 0.
class Mpz {
 public:
  Mpz() noexcept { mpz_init(v_); }
  /// The unsigned big-endian integer in `big_endian` (leading zero bytes allowed; "" is 0).
  explicit Mpz(std::string_view big_endian);
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  Mpz(Mpz&& other) noexcept {
    mpz_init(v_);
    mpz_swap(v_, other.v_);
  }
  Mpz& operator=(Mpz&& other) noexcept {
    mpz_swap(v_, other.v_);
    other.release();
    return *this;
  }
  ~Mpz() { mpz_clear(v_); }

  mpz_ptr get() noexcept { return v_; }
  mpz_srcptr get() const noexcept { return v_; }
  /// Sets the value to 0 and frees the limbs.
  void release() noexcept {
    mpz_clear(v_);
    mpz_init(v_);
  }
  /// Big-endian bytes without leading zeros ("" for 0). The sign is ignored.
  std::string to_bytes() const;

 private:
  mpz_t v_;
};

/// Timings and sizes of one batch GCD run (for the benchmark).
struct BatchGcdStats {
  std::size_t distinct = 0;           ///< distinct moduli ≥ 2 that took part
  std::size_t levels = 0;             ///< product tree levels from the leaves to the root (never formed)
  double product_tree_seconds = 0;    ///< building the product tree
  double remainder_tree_seconds = 0;  ///< descending the remainder tree and the final GCDs
};

/// For each modulus n_i (big-endian bytes): gcd(n_i, product of the other *distinct* values), big-endian.
/// Moduli with the same value count once (a value is never "shared" with its own copies), so every copy of a value
/// gets the same answer. "\x01" means n_i shares no factor with any other value; the result equals n_i itself when
/// every prime of n_i occurs in other moduli (shared_factor_pairs() then tells the individual factors); values below
/// 2 ("", 0, 1) take no part and get "". Runs on all cores. Peak memory is about 30 times the total size of the
/// moduli (the whole product tree plus two remainder levels and GMP's division scratch): ~0.8 GB for 100,000
/// RSA-2048 moduli, which take ~30 s on two cores (bench/README.md).
std::vector<std::string> batch_gcd(const std::vector<std::string>& moduli, BatchGcdStats* stats = nullptr);

/// Sorted indices of the moduli that share a non-trivial factor with at least one other modulus of a different
/// value (gcd(n_i, product of the other distinct values) ≠ 1, see batch_gcd()). Identical moduli are not reported
/// for being identical, but all copies of a reported value are reported. Fewer than two moduli: empty.
std::vector<std::size_t> find_shared_factors(const std::vector<std::string>& moduli, BatchGcdStats* stats = nullptr);

/// Two moduli with different values that have a common factor.
struct SharedFactor {
  std::size_t first = 0;   ///< index into the input, first < second
  std::size_t second = 0;  ///< index into the input
  std::string factor;      ///< gcd(n_first, n_second), big-endian: the shared prime(s)
};

/// All pairs of moduli (by index, first < second, sorted) whose values differ and have gcd > 1, with that gcd.
/// Runs the batch GCD, then pairwise GCDs among the reported values only (quadratic in their number, which is
/// small in practice). This is also the fallback that names the real shared primes when batch_gcd() returns the
/// modulus itself.
std::vector<SharedFactor> shared_factor_pairs(const std::vector<std::string>& moduli);

/// The moduli that share a factor, grouped by the factor the remainder tree yields: g_i = gcd(n_i, product of the
/// other distinct values). Two moduli of different values share a prime exactly when gcd(g_i, g_j) > 1; moduli with
/// the same g share it, and two groups are linked when their factors have a common prime, which needs a pairwise GCD
/// only when one of the two factors is composite (distinct primes are coprime). Linear in the moduli (after the batch
/// GCD) plus C · G GCDs for C composite factors among G groups, instead of quadratic in the moduli that share.
struct FactorGroups {
  std::vector<std::int32_t> group;               ///< per input index: its group, -1 when it shares nothing
  std::vector<std::size_t> value;                ///< per input index: its distinct value (copies share one)
  std::vector<std::vector<std::size_t>> linked;  ///< per group: the other groups sharing a prime with it, sorted
};
FactorGroups shared_factor_groups(const std::vector<std::string>& moduli);

/// gcd(a, b) of two big-endian integers, big-endian ("\x01" when coprime, "" when both are 0).
std::string shared_factor_of(std::string_view a, std::string_view b);

}  // namespace zw::dnssec
