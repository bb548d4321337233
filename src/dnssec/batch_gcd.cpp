// batch_gcd.cpp: batch GCD over a product tree and a remainder tree of squares (Bernstein; Heninger et al. 2012).
#include "dnssec/batch_gcd.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "core/parallel.hpp"

namespace zw::dnssec {

Mpz::Mpz(std::string_view big_endian) {
  mpz_init(v_);
  if (!big_endian.empty()) mpz_import(v_, big_endian.size(), 1, 1, 1, 0, big_endian.data());
}

std::string Mpz::to_bytes() const {
  if (mpz_sgn(v_) == 0) return {};
  std::string out((mpz_sizeinbase(v_, 2) + 7) / 8, '\0');
  std::size_t written = 0;
  mpz_export(out.data(), &written, 1, 1, 1, 0, v_);
  out.resize(written);
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;
using Level = std::vector<Mpz>;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// Chunk size for parallel_for over `n` tree nodes: about eight chunks per worker, at least one node.
std::size_t chunk_for(std::size_t n) {
  return std::max<std::size_t>(1, n / (8 * std::size_t{core::worker_count()}));
}

/// The value without leading zero bytes.
std::string_view strip_zeros(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && s[i] == '\0') ++i;
  return s.substr(i);
}

/// Numeric order of stripped big-endian strings.
bool numerically_less(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

/// The distinct values ≥ 2 of the input, in numeric order, and for each the input indices holding it.
struct Distinct {
  std::vector<std::string_view> values;
  std::vector<std::vector<std::size_t>> indices;
};

Distinct distinct_values(const std::vector<std::string>& moduli) {
  std::vector<std::pair<std::string_view, std::size_t>> order;
  order.reserve(moduli.size());
  for (std::size_t i = 0; i < moduli.size(); ++i) {
    std::string_view v = strip_zeros(moduli[i]);
    if (v.empty() || (v.size() == 1 && static_cast<unsigned char>(v[0]) < 2)) continue;  // 0 and 1 take no part
    order.emplace_back(v, i);
  }
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return numerically_less(a.first, b.first);
    return a.second < b.second;
  });
  Distinct d;
  for (const auto& [value, index] : order) {
    if (d.values.empty() || d.values.back() != value) {
      d.values.push_back(value);
      d.indices.emplace_back();
    }
    d.indices.back().push_back(index);
  }
  return d;
}

/// Product tree: level 0 holds the leaves, level k+1 the products of pairs of level k (an odd last node is moved up
/// unchanged) until two nodes remain. Level 0 keeps its odd last leaf (copied, not moved): the final step needs every
/// leaf value.
std::vector<Level> product_tree(std::vector<Mpz> leaves) {
  std::vector<Level> tree;
  tree.push_back(std::move(leaves));
  while (tree.back().size() > 2) {
    Level& below = tree.back();
    const std::size_t n = below.size();
    Level above((n + 1) / 2);
    core::parallel_for(
        n / 2, [&](std::size_t i) { mpz_mul(above[i].get(), below[2 * i].get(), below[2 * i + 1].get()); },
        chunk_for(n / 2));
    if (n % 2 == 1) {
      if (tree.size() == 1) {
        mpz_set(above.back().get(), below.back().get());
      } else {
        above.back() = std::move(below.back());
      }
    }
    tree.push_back(std::move(above));
  }
  return tree;
}

/// The last step at the leaves x: `rem` holds the remainders of level 1 (`rem_is_leaves`: of the leaves themselves,
/// when there are only two). At a leaf, (P mod x²) / x = (P / x) mod x, whose gcd with x is the answer.
void leaf_gcds(const Level& x, const Level& rem, bool rem_is_leaves, std::vector<Mpz>& result) {
  const std::size_t m = x.size();
  core::parallel_for(
      m,
      [&](std::size_t i) {
        Mpz r;
        if (rem_is_leaves) {
          mpz_set(r.get(), rem[i].get());
        } else if (m % 2 == 1 && i == m - 1) {
          mpz_set(r.get(), rem[i / 2].get());
        } else {
          Mpz square;
          mpz_mul(square.get(), x[i].get(), x[i].get());
          mpz_tdiv_r(r.get(), rem[i / 2].get(), square.get());
        }
        mpz_divexact(r.get(), r.get(), x[i].get());
        mpz_gcd(result[i].get(), r.get(), x[i].get());
      },
      chunk_for(m));
}

/// gcd(x_i, product of the other x_j) for distinct x_i ≥ 2. `leaves` is consumed.
///
/// Product tree: level 0 holds the leaves, level k+1 the products of pairs of level k (an odd last node is moved
/// up unchanged) until two nodes remain. Remainder tree: the remainder of node X is P mod X² (P the product of all
/// leaves); a child's remainder is its parent's remainder mod child². At a leaf x, (P mod x²) / x = (P / x) mod x,
/// whose gcd with x is the answer. The root itself is never formed: with the two top nodes A and B,
/// P mod A² = A · (B mod A). Each level is computed in parallel over its nodes; product levels and remainder levels
/// are freed as soon as the descent has passed them.
std::vector<Mpz> gcd_with_others(std::vector<Mpz> leaves, BatchGcdStats* stats) {
  const std::size_t m = leaves.size();
  std::vector<Mpz> result(m);
  if (m < 2) {
    for (Mpz& r : result) mpz_set_ui(r.get(), 1);
    return result;
  }

  const auto product_start = Clock::now();
  std::vector<Level> tree = product_tree(std::move(leaves));
  if (stats != nullptr) {
    stats->levels = tree.size() + 1;  // with the root that is never formed
    stats->product_tree_seconds = seconds_since(product_start);
  }

  // Remainders of the two top nodes without forming the root.
  const auto remainder_start = Clock::now();
  Level rem(2);
  {
    const Level& pair = tree.back();
    core::parallel_for(
        2,
        [&](std::size_t i) {
          const Mpz& self = pair[i];
          const Mpz& sibling = pair[1 - i];
          mpz_tdiv_r(rem[i].get(), sibling.get(), self.get());
          mpz_mul(rem[i].get(), rem[i].get(), self.get());
        },
        1);
  }

  // Descent: `rem` holds the remainders of level k + 1; level k + 1 of the product tree is no longer needed.
  const std::size_t top = tree.size() - 1;
  for (std::size_t k = top; k-- > 1;) {
    tree[k + 1] = Level();
    const Level& nodes = tree[k];
    const std::size_t n = nodes.size();
    Level next(n);
    core::parallel_for(
        n,
        [&](std::size_t i) {
          if (n % 2 == 1 && i == n - 1) {  // moved up unchanged: same node, same remainder
            mpz_swap(next[i].get(), rem[i / 2].get());
            return;
          }
          Mpz square;
          mpz_mul(square.get(), nodes[i].get(), nodes[i].get());
          mpz_tdiv_r(next[i].get(), rem[i / 2].get(), square.get());
        },
        chunk_for(n));
    rem = std::move(next);
  }
  if (top >= 1) tree[1] = Level();

  leaf_gcds(tree[0], rem, top == 0, result);
  if (stats != nullptr) stats->remainder_tree_seconds = seconds_since(remainder_start);
  return result;
}

/// Batch GCD over the distinct values: one gcd per distinct value.
std::vector<Mpz> distinct_gcds(const Distinct& d, BatchGcdStats* stats) {
  std::vector<Mpz> leaves(d.values.size());
  core::parallel_for(
      leaves.size(), [&](std::size_t i) { leaves[i] = Mpz(d.values[i]); }, chunk_for(leaves.size()));
  if (stats != nullptr) stats->distinct = leaves.size();
  return gcd_with_others(std::move(leaves), stats);
}

}  // namespace

std::vector<std::string> batch_gcd(const std::vector<std::string>& moduli, BatchGcdStats* stats) {
  const Distinct d = distinct_values(moduli);
  const std::vector<Mpz> gcds = distinct_gcds(d, stats);
  std::vector<std::string> out(moduli.size());
  for (std::size_t v = 0; v < gcds.size(); ++v) {
    const std::string bytes = gcds[v].to_bytes();
    for (std::size_t i : d.indices[v]) out[i] = bytes;
  }
  return out;
}

std::vector<std::size_t> find_shared_factors(const std::vector<std::string>& moduli, BatchGcdStats* stats) {
  const Distinct d = distinct_values(moduli);
  const std::vector<Mpz> gcds = distinct_gcds(d, stats);
  std::vector<std::size_t> out;
  for (std::size_t v = 0; v < gcds.size(); ++v) {
    // gcd = 1: nothing shared. gcd = the value itself: every prime of it divides some other, different value.
    if (mpz_cmp_ui(gcds[v].get(), 1) != 0) out.insert(out.end(), d.indices[v].begin(), d.indices[v].end());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<SharedFactor> shared_factor_pairs(const std::vector<std::string>& moduli) {
  const Distinct d = distinct_values(moduli);
  const std::vector<Mpz> gcds = distinct_gcds(d, nullptr);
  // A value that shares with another has gcd ≠ 1, and so has its partner: pairs lie among these candidates.
  std::vector<std::size_t> candidates;
  for (std::size_t v = 0; v < gcds.size(); ++v) {
    if (mpz_cmp_ui(gcds[v].get(), 1) != 0) candidates.push_back(v);
  }
  std::vector<Mpz> values(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) values[c] = Mpz(d.values[candidates[c]]);
  std::vector<std::vector<std::pair<std::size_t, std::string>>> found(candidates.size());
  core::parallel_for(
      candidates.size(),
      [&](std::size_t a) {
        Mpz g;
        for (std::size_t b = a + 1; b < candidates.size(); ++b) {
          mpz_gcd(g.get(), values[a].get(), values[b].get());
          if (mpz_cmp_ui(g.get(), 1) != 0) found[a].emplace_back(b, g.to_bytes());
        }
      },
      1);
  std::vector<SharedFactor> out;
  for (std::size_t a = 0; a < candidates.size(); ++a) {
    for (const auto& [b, factor] : found[a]) {
      for (std::size_t i : d.indices[candidates[a]]) {
        for (std::size_t j : d.indices[candidates[b]]) {
          out.push_back(SharedFactor{std::min(i, j), std::max(i, j), factor});
        }
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const SharedFactor& x, const SharedFactor& y) {
    return std::pair(x.first, x.second) < std::pair(y.first, y.second);
  });
  return out;
}

FactorGroups shared_factor_groups(const std::vector<std::string>& moduli) {
  const Distinct d = distinct_values(moduli);
  const std::vector<Mpz> gcds = distinct_gcds(d, nullptr);
  FactorGroups out;
  out.group.assign(moduli.size(), -1);
  out.value.assign(moduli.size(), moduli.size());
  // Groups by equal factor, in the order of the values (numeric), so that the result is deterministic.
  std::vector<std::size_t> by_factor;
  for (std::size_t v = 0; v < gcds.size(); ++v) {
    for (std::size_t i : d.indices[v]) out.value[i] = v;
    if (mpz_cmp_ui(gcds[v].get(), 1) != 0) by_factor.push_back(v);
  }
  std::stable_sort(by_factor.begin(), by_factor.end(),
                   [&](std::size_t x, std::size_t y) { return mpz_cmp(gcds[x].get(), gcds[y].get()) < 0; });
  std::vector<std::size_t> first_of_group;  // a value of each group, whose factor stands for the group
  for (std::size_t k = 0; k < by_factor.size(); ++k) {
    const std::size_t v = by_factor[k];
    if (k == 0 || mpz_cmp(gcds[v].get(), gcds[by_factor[k - 1]].get()) != 0) first_of_group.push_back(v);
    for (std::size_t i : d.indices[v]) out.group[i] = static_cast<std::int32_t>(first_of_group.size() - 1);
  }
  const std::size_t groups = first_of_group.size();
  out.linked.assign(groups, {});
  std::vector<char> composite(groups);
  core::parallel_for(
      groups, [&](std::size_t g) { composite[g] = mpz_probab_prime_p(gcds[first_of_group[g]].get(), 25) == 0; },
      chunk_for(groups));
  std::vector<std::size_t> composites;  // the only groups a group can be linked with, but for composite ones
  for (std::size_t g = 0; g < groups; ++g) {
    if (composite[g]) composites.push_back(g);
  }
  std::vector<std::size_t> every(groups);
  for (std::size_t g = 0; g < groups; ++g) every[g] = g;
  core::parallel_for(
      groups,
      [&](std::size_t g) {
        Mpz common;
        for (std::size_t h : composite[g] ? every : composites) {
          if (h == g) continue;
          mpz_gcd(common.get(), gcds[first_of_group[g]].get(), gcds[first_of_group[h]].get());
          if (mpz_cmp_ui(common.get(), 1) != 0) out.linked[g].push_back(h);
        }
      },
      1);
  return out;
}

std::string shared_factor_of(std::string_view a, std::string_view b) {
  const Mpz x(a), y(b);
  Mpz g;
  mpz_gcd(g.get(), x.get(), y.get());
  return g.to_bytes();
}

}  // namespace zw::dnssec
