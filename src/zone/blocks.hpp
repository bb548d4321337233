// blocks.hpp: cutting a sorted sequence into blocks for work on all cores, at items where a block may start.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace zw::zone {

/// Cuts [0, n) into at most `parts` blocks: block k starts at the first item at or after k·n/parts for which
/// `may_start(i)` holds (block 0 at 0). Returns the block edges, 0 first and n last; blocks are never empty. Each
/// item is looked at about once: a search that found an edge answers every guess before it, and one that found
/// none up to n leaves every later block empty.
template <typename MayStart>
std::vector<std::uint32_t> block_edges(std::uint32_t n, std::uint32_t parts, MayStart&& may_start) {
  std::vector<std::uint32_t> edge{0};
  for (std::uint32_t k = 1; k < parts; ++k) {
    std::uint32_t i = std::max(edge.back(), static_cast<std::uint32_t>(std::uint64_t{n} * k / parts));
    while (i < n && !may_start(i)) ++i;
    if (i == n) break;
    if (i > edge.back()) edge.push_back(i);
  }
  edge.push_back(n);
  return edge;
}

}  // namespace zw::zone
