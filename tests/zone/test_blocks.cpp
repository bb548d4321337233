// test_blocks.cpp: cutting names into blocks for work on all cores looks at each name about once.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "zone/blocks.hpp"

TEST_CASE("block edges start where a block may start and are never empty", "[zone][blocks]") {
  // Items 0, 10, 20, …: where a block may start.
  const std::vector<std::uint32_t> edge = zw::zone::block_edges(100, 4, [](std::uint32_t i) { return i % 10 == 0; });
  CHECK(edge == std::vector<std::uint32_t>{0, 30, 50, 80, 100});
  CHECK(zw::zone::block_edges(100, 1, [](std::uint32_t) { return true; }) == std::vector<std::uint32_t>{0, 100});
  CHECK(zw::zone::block_edges(0, 8, [](std::uint32_t) { return true; }) == std::vector<std::uint32_t>{0, 0});
}

TEST_CASE("the search for block edges looks at each item at most once", "[zone][blocks]") {
  // No item may start a block (a zone whose names all lie below one child of the apex): every block's search from
  // its own guess would run to the end.
  const std::uint32_t n = 1000000;
  const std::uint32_t parts = 1000;
  std::uint64_t looked = 0;
  const std::vector<std::uint32_t> edge = zw::zone::block_edges(n, parts, [&](std::uint32_t) {
    ++looked;
    return false;
  });
  CHECK(edge == std::vector<std::uint32_t>{0, n});
  CHECK(looked <= n);
  // Only the last item may start one.
  looked = 0;
  CHECK(zw::zone::block_edges(n, parts, [&](std::uint32_t i) {
          ++looked;
          return i == n - 1;
        }) == std::vector<std::uint32_t>{0, n - 1, n});
  CHECK(looked <= n + parts);
}
