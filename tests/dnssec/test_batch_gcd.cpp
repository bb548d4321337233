// test_batch_gcd.cpp: batch GCD against hand-made cases, planted shared primes, pairwise GCDs and the root zone keys.
#include <gmp.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "dnssec/batch_gcd.hpp"
#include "dnssec/crypto.hpp"
#include "support.hpp"
#include "zone/loader.hpp"

using namespace zw::dnssec;

namespace {

using Random = zw::test::GmpRandom;

/// A random prime of exactly `bits` bits with its top two bits set (so products of two have 2·bits bits).
Mpz random_prime(unsigned long bits, unsigned long seed) {
  Random rnd(seed);
  Mpz p;
  mpz_urandomb(p.get(), rnd.get(), bits);
  mpz_setbit(p.get(), bits - 1);
  mpz_setbit(p.get(), bits - 2);
  mpz_nextprime(p.get(), p.get());
  return p;
}

/// `count` random primes, generated on all cores; prime i depends only on (seed, i).
std::vector<Mpz> random_primes(std::size_t count, unsigned long bits, unsigned long seed) {
  std::vector<Mpz> out(count);
  zw::core::parallel_for(
      count, [&](std::size_t i) { out[i] = random_prime(bits, seed * 1000003UL + i); }, 16);
  return out;
}

std::string product(std::initializer_list<const Mpz*> factors) {
  Mpz n;
  mpz_set_ui(n.get(), 1);
  for (const Mpz* f : factors) mpz_mul(n.get(), n.get(), f->get());
  return n.to_bytes();
}

std::string number(unsigned long v) {
  Mpz n;
  mpz_set_ui(n.get(), v);
  return n.to_bytes();
}

using Indices = std::vector<std::size_t>;

/// Pairs as (first, second, factor) triples for comparison.
std::vector<std::tuple<std::size_t, std::size_t, std::string>> triples(const std::vector<SharedFactor>& pairs) {
  std::vector<std::tuple<std::size_t, std::size_t, std::string>> out;
  for (const SharedFactor& s : pairs) out.emplace_back(s.first, s.second, s.factor);
  return out;
}

/// Distinct RSA moduli of the apex DNSKEYs of every bundled root zone snapshot.
std::set<std::string> root_zone_moduli(std::size_t& from_2026) {
  std::set<std::string> moduli;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(ZW_SOURCE_DIR) + "/zones/root")) {
    const std::string path = entry.path().string();
    if (entry.path().extension() != ".gz") continue;
    const zw::zone::Zone z = zw::zone::load_zone_file(path, zw::zone::LoadOptions{});
    const auto apex = z.apex();
    REQUIRE(apex);
    const zw::zone::RRset* keys = z.find(*apex, zw::zone::rrtype::DNSKEY);
    REQUIRE(keys != nullptr);
    for (const zw::zone::Record& r : z.records_of(*keys)) {
      const PublicKey key = parse_dnskey(z.rdata(r));
      if (!is_rsa_algorithm(key.algorithm) || key.rsa_modulus.empty()) continue;
      moduli.insert(key.rsa_modulus);
      if (path.find("root-2026073102") != std::string::npos) ++from_2026;
    }
  }
  return moduli;
}

}  // namespace

TEST_CASE("batch GCD: p·q, p·r, s·t", "[gcd]") {
  const std::vector<Mpz> p = random_primes(5, 256, 1);
  const std::vector<std::string> moduli = {product({&p[0], &p[1]}), product({&p[0], &p[2]}), product({&p[3], &p[4]})};
  CHECK(find_shared_factors(moduli) == Indices{0, 1});
  const std::vector<std::string> gcds = batch_gcd(moduli);
  CHECK(gcds[0] == p[0].to_bytes());
  CHECK(gcds[1] == p[0].to_bytes());
  CHECK(gcds[2] == "\x01");
  const std::vector<SharedFactor> pairs = shared_factor_pairs(moduli);
  REQUIRE(pairs.size() == 1);
  CHECK(pairs[0].first == 0);
  CHECK(pairs[0].second == 1);
  CHECK(pairs[0].factor == p[0].to_bytes());
  CHECK(shared_factor_of(moduli[0], moduli[1]) == p[0].to_bytes());
  CHECK(shared_factor_of(moduli[0], moduli[2]) == "\x01");

  // Order does not matter, nor do tree shapes with odd levels (3, 5, 7 leaves).
  const std::vector<std::string> shuffled = {moduli[2], moduli[1], moduli[0]};
  CHECK(find_shared_factors(shuffled) == Indices{1, 2});
  const std::vector<Mpz> q = random_primes(8, 256, 2);
  std::vector<std::string> more = moduli;
  for (std::size_t i = 0; i + 1 < q.size(); i += 2) {
    more.push_back(product({&q[i], &q[i + 1]}));
    CHECK(find_shared_factors(more) == Indices{0, 1});
  }
  more.push_back(product({&q[7], &p[4]}));
  CHECK(find_shared_factors(more) == Indices{0, 1, 2, 6, 7});
}

TEST_CASE("batch GCD: fewer than two moduli", "[gcd]") {
  const std::vector<Mpz> p = random_primes(2, 128, 3);
  CHECK(find_shared_factors({}).empty());
  CHECK(batch_gcd({}).empty());
  CHECK(find_shared_factors({product({&p[0], &p[1]})}).empty());
  CHECK(batch_gcd({product({&p[0], &p[1]})}) == std::vector<std::string>{"\x01"});
  CHECK(shared_factor_pairs({product({&p[0], &p[1]})}).empty());
}

TEST_CASE("batch GCD: identical moduli are not shared factors by themselves", "[gcd]") {
  const std::vector<Mpz> p = random_primes(4, 256, 4);
  const std::string pq = product({&p[0], &p[1]}), pr = product({&p[0], &p[2]}), rs = product({&p[2], &p[3]});
  CHECK(find_shared_factors({pq, pq}).empty());
  CHECK(find_shared_factors({pq, pq, rs}).empty());
  CHECK(find_shared_factors({pq, std::string(1, '\0') + pq, rs}).empty());  // leading zeros: the same value
  CHECK(batch_gcd({pq, pq, rs}) == std::vector<std::string>{"\x01", "\x01", "\x01"});
  CHECK(shared_factor_pairs({pq, pq, rs}).empty());

  // Every copy of a value that does share is reported, and paired with the partner but not with its copies.
  CHECK(find_shared_factors({pq, pr, pq}) == Indices{0, 1, 2});
  using T = std::tuple<std::size_t, std::size_t, std::string>;
  CHECK(triples(shared_factor_pairs({pq, pr, pq})) == std::vector<T>{{0, 1, p[0].to_bytes()}, {1, 2, p[0].to_bytes()}});
}

TEST_CASE("batch GCD: a modulus sharing with two others, or dividing the product of the others", "[gcd]") {
  const std::vector<Mpz> p = random_primes(6, 256, 5);
  const std::vector<std::string> moduli = {product({&p[0], &p[1]}), product({&p[0], &p[2]}), product({&p[1], &p[3]}),
                                           product({&p[4], &p[5]})};
  CHECK(find_shared_factors(moduli) == Indices{0, 1, 2});
  const std::vector<std::string> gcds = batch_gcd(moduli);
  CHECK(gcds[0] == moduli[0]);  // both primes occur elsewhere: the gcd is the modulus itself
  CHECK(gcds[1] == p[0].to_bytes());
  CHECK(gcds[2] == p[1].to_bytes());
  CHECK(gcds[3] == "\x01");
  // The pairwise fallback names the real shared primes.
  using T = std::tuple<std::size_t, std::size_t, std::string>;
  CHECK(triples(shared_factor_pairs(moduli)) == std::vector<T>{{0, 1, p[0].to_bytes()}, {0, 2, p[1].to_bytes()}});

  // A modulus that divides another one.
  const std::vector<std::string> nested = {product({&p[0], &p[1]}), product({&p[0], &p[1], &p[2]}),
                                           product({&p[3], &p[4]})};
  CHECK(find_shared_factors(nested) == Indices{0, 1});
  CHECK(batch_gcd(nested)[0] == nested[0]);
  CHECK(batch_gcd(nested)[1] == nested[0]);
}

TEST_CASE("batch GCD: even numbers and values below 2", "[gcd]") {
  const std::vector<Mpz> p = random_primes(4, 256, 6);
  Mpz two;
  mpz_set_ui(two.get(), 2);
  CHECK(find_shared_factors({product({&two, &p[0]}), product({&two, &p[1]}), product({&p[2], &p[3]})}) ==
        Indices{0, 1});
  CHECK(find_shared_factors({number(4), number(6), number(9), number(35)}) == Indices{0, 1, 2});
  CHECK(batch_gcd({number(4), number(6), number(9), number(35)}) ==
        std::vector<std::string>{number(2), number(6), number(3), number(1)});
  CHECK(find_shared_factors({number(2), number(3)}).empty());
  CHECK(find_shared_factors({number(2), number(4)}) == Indices{0, 1});

  // "", 0 and 1 take no part (0 would otherwise share everything).
  const std::string pq = product({&p[0], &p[1]});
  const std::vector<std::string> degenerate = {"", std::string(1, '\0'), number(1), pq, std::string(3, '\0')};
  CHECK(find_shared_factors(degenerate).empty());
  CHECK(batch_gcd(degenerate) == std::vector<std::string>{"", "", "", "\x01", ""});
  CHECK(find_shared_factors({"", "", pq, product({&p[0], &p[2]})}) == Indices{2, 3});
}

TEST_CASE("batch GCD: 1,000 RSA-1024 moduli with 5 planted shared primes", "[gcd]") {
  const std::size_t count = 1000;
  const std::vector<Mpz> primes = random_primes(2 * count, 512, 7);
  std::vector<std::string> moduli(count);
  for (std::size_t i = 0; i < count; ++i) moduli[i] = product({&primes[2 * i], &primes[2 * i + 1]});
  REQUIRE(find_shared_factors(moduli).empty());

  // Modulus b shares the first prime of modulus a.
  const std::vector<std::pair<std::size_t, std::size_t>> planted = {
      {3, 997}, {10, 500}, {123, 124}, {400, 999}, {777, 0}};
  Indices expected;
  for (auto [a, b] : planted) {
    moduli[b] = product({&primes[2 * a], &primes[2 * b + 1]});
    expected.push_back(a);
    expected.push_back(b);
  }
  std::sort(expected.begin(), expected.end());
  BatchGcdStats stats;
  CHECK(find_shared_factors(moduli, &stats) == expected);
  CHECK(stats.distinct == count);
  CHECK(stats.levels == 11);  // 1000, 500, 250, 125, 63, 32, 16, 8, 4, 2 and the root

  const std::vector<SharedFactor> pairs = shared_factor_pairs(moduli);
  REQUIRE(pairs.size() == planted.size());
  for (const SharedFactor& s : pairs) {
    const auto it = std::find_if(planted.begin(), planted.end(), [&](auto ab) {
      return std::min(ab.first, ab.second) == s.first && std::max(ab.first, ab.second) == s.second;
    });
    REQUIRE(it != planted.end());
    CHECK(s.factor == primes[2 * it->first].to_bytes());
  }

  // The odd count 999 (the last planted partner dropped) moves a node up unchanged on several levels.
  moduli.pop_back();
  expected.erase(std::remove_if(expected.begin(), expected.end(), [](std::size_t i) { return i == 400 || i == 999; }),
                 expected.end());
  CHECK(find_shared_factors(moduli) == expected);
}

TEST_CASE("batch GCD agrees with pairwise mpz_gcd on 300 moduli", "[gcd]") {
  const std::vector<Mpz> pool = random_primes(300, 256, 8);
  const std::vector<Mpz> fresh = random_primes(210, 256, 9);
  Random rnd(10);
  std::vector<std::string> moduli;
  for (std::size_t i = 0; i < 200; ++i) {  // two different primes from a shared pool: many collisions
    const unsigned long a = gmp_urandomm_ui(rnd.get(), pool.size());
    unsigned long b = gmp_urandomm_ui(rnd.get(), pool.size() - 1);
    if (b >= a) ++b;
    moduli.push_back(product({&pool[a], &pool[b]}));
  }
  for (std::size_t i = 0; i < 90; ++i) moduli.push_back(product({&fresh[2 * i], &fresh[2 * i + 1]}));
  Mpz two;
  mpz_set_ui(two.get(), 2);
  const std::string copy7 = moduli[7], copy250 = moduli[250];
  moduli.push_back(copy7);                                      // a duplicate
  moduli.push_back(copy250);                                    // a duplicate of an unshared modulus
  moduli.push_back(product({&pool[0], &pool[1], &pool[2]}));    // three primes
  moduli.push_back(product({&two, &fresh[180]}));               // even
  moduli.push_back(product({&two, &fresh[181]}));               // even: shares 2
  moduli.push_back(fresh[182].to_bytes());                      // a prime alone
  moduli.push_back(product({&fresh[182], &fresh[183]}));        // shares it
  moduli.push_back(product({&fresh[184], &fresh[185]}));        // nothing shared
  moduli.push_back(product({&fresh[186], &fresh[187], &two}));  // shares 2
  moduli.push_back(product({&fresh[188], &fresh[189]}));        // nothing shared
  REQUIRE(moduli.size() == 300);

  const std::size_t n = moduli.size();
  std::vector<Mpz> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = Mpz(moduli[i]);
  Indices expected;
  std::vector<std::tuple<std::size_t, std::size_t, std::string>> expected_pairs;
  Mpz g;
  for (std::size_t i = 0; i < n; ++i) {
    bool shares = false;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i || mpz_cmp(values[i].get(), values[j].get()) == 0) continue;
      mpz_gcd(g.get(), values[i].get(), values[j].get());
      if (mpz_cmp_ui(g.get(), 1) == 0) continue;
      shares = true;
      if (i < j) expected_pairs.emplace_back(i, j, g.to_bytes());
    }
    if (shares) expected.push_back(i);
  }
  INFO("moduli sharing a factor: " << expected.size());
  REQUIRE(expected.size() > 50);
  REQUIRE(expected.size() < 250);
  CHECK(find_shared_factors(moduli) == expected);
  CHECK(triples(shared_factor_pairs(moduli)) == expected_pairs);

  // The groups by factor name the same partners: members of the same or a linked group, with another value.
  const FactorGroups groups = shared_factor_groups(moduli);
  REQUIRE(groups.group.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    std::set<std::size_t> pairwise;
    for (const auto& [a, b, factor] : expected_pairs) {
      if (a == i) pairwise.insert(b);
      if (b == i) pairwise.insert(a);
    }
    std::set<std::size_t> grouped;
    if (groups.group[i] >= 0) {
      const auto gi = static_cast<std::size_t>(groups.group[i]);
      const std::vector<std::size_t>& linked = groups.linked[gi];
      for (std::size_t j = 0; j < n; ++j) {
        if (groups.group[j] < 0 || groups.value[j] == groups.value[i]) continue;
        const auto gj = static_cast<std::size_t>(groups.group[j]);
        if (gj == gi || std::binary_search(linked.begin(), linked.end(), gj)) grouped.insert(j);
      }
    }
    INFO("modulus " << i);
    CHECK(grouped == pairwise);
  }

  // Each gcd is gcd(n_i, product of the other distinct values).
  const std::vector<std::string> gcds = batch_gcd(moduli);
  for (std::size_t i = 0; i < n; ++i) {
    Mpz others;
    mpz_set_ui(others.get(), 1);
    std::set<std::string> seen = {moduli[i]};
    for (std::size_t j = 0; j < n; ++j) {
      if (seen.insert(moduli[j]).second) mpz_mul(others.get(), others.get(), values[j].get());
    }
    mpz_gcd(g.get(), others.get(), values[i].get());
    INFO("modulus " << i);
    CHECK(gcds[i] == g.to_bytes());
  }
}

TEST_CASE("batch GCD: the root zone's RSA keys share no factor", "[gcd]") {
  std::size_t from_2026 = 0;
  const std::set<std::string> moduli = root_zone_moduli(from_2026);
  CHECK(from_2026 == 3);
  CHECK(moduli.size() == 11);  // KSK-2010, KSK-2017, KSK-2024 and eight ZSKs
  const std::vector<std::string> list(moduli.begin(), moduli.end());
  CHECK(find_shared_factors(list).empty());
  for (const std::string& g : batch_gcd(list)) CHECK(g == "\x01");
}
