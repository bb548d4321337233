// test_thread_pool.cpp: the process's one thread pool: nested parallel loops and task groups complete, propagate
// exceptions and never run on more than worker_count() threads. Tagged [threads]: scripts/test --tsan runs them.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

#include "core/parallel.hpp"

using namespace zw;

namespace {

/// The process's threads right now (entries of /proc/self/task).
std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task")) ++n;
  return n;
}

/// Sets the worker count for one test and restores the default after it. `idle_threads` is the process's thread
/// count with no pool thread running (this thread, and those of a sanitizer's runtime).
struct Workers {
  explicit Workers(unsigned n) {
    core::set_worker_count(1);  // stops a running pool: a pool of one worker is the calling thread alone
    idle_threads = thread_count();
    core::set_worker_count(n);
  }
  /// Threads started since the pool was idle, plus this one: what the test counts against worker_count().
  std::size_t working_threads() const { return thread_count() - idle_threads + 1; }
  std::size_t idle_threads = 0;
  ~Workers() { core::set_worker_count(0); }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
};

}  // namespace

TEST_CASE("parallel loops nested three deep complete with correct sums", "[threads][pool]") {
  for (unsigned workers : {1U, 2U, 4U, 16U}) {
    Workers w(workers);
    INFO("workers " << workers);
    constexpr std::size_t kOuter = 40, kMiddle = 30, kInner = 600;
    std::vector<std::uint64_t> sums(kOuter * kMiddle, 0);
    core::parallel_for(
        kOuter,
        [&](std::size_t a) {
          core::parallel_for(
              kMiddle,
              [&](std::size_t b) {
                std::atomic<std::uint64_t> sum{0};
                core::parallel_for(
                    kInner, [&](std::size_t c) { sum.fetch_add(a * 1000000 + b * 1000 + c); }, 16);
                sums[a * kMiddle + b] = sum.load();
              },
              1);
        },
        1);
    for (std::size_t a = 0; a < kOuter; ++a) {
      for (std::size_t b = 0; b < kMiddle; ++b) {
        const std::uint64_t expect = kInner * (a * 1000000 + b * 1000) + kInner * (kInner - 1) / 2;
        REQUIRE(sums[a * kMiddle + b] == expect);
      }
    }
  }
}

TEST_CASE("an exception thrown in a nested parallel loop reaches the outermost caller", "[threads][pool]") {
  Workers w(4);
  for (int depth : {0, 1, 2}) {
    INFO("thrown at depth " << depth);
    std::atomic<std::size_t> calls{0};
    auto level = [&](int d, std::size_t i) {
      ++calls;
      if (d == depth && i == 7) throw std::runtime_error("depth " + std::to_string(d));
    };
    CHECK_THROWS_WITH(core::parallel_for(
                          16,
                          [&](std::size_t i) {
                            level(0, i);
                            core::parallel_for(
                                16,
                                [&](std::size_t j) {
                                  level(1, j);
                                  core::parallel_for(
                                      16, [&](std::size_t k) { level(2, k); }, 1);
                                },
                                1);
                          },
                          1),
                      "depth " + std::to_string(depth));
    CHECK(calls.load() > 0);
  }
  // The pool is still usable after a failure.
  std::atomic<std::size_t> n{0};
  core::parallel_for(
      1000, [&](std::size_t) { ++n; }, 10);
  CHECK(n.load() == 1000);
}

TEST_CASE("a nested parallel run never has more threads than worker_count()", "[threads][pool]") {
  for (unsigned workers : {2U, 4U}) {
    Workers w(workers);
    INFO("workers " << workers);
    std::atomic<std::size_t> most{0};
    std::atomic<std::size_t> leaves{0};
    core::parallel_for(
        8,
        [&](std::size_t) {
          core::parallel_for(
              8,
              [&](std::size_t) {
                core::parallel_for(
                    8,
                    [&](std::size_t) {
                      std::size_t now = w.working_threads();
                      std::size_t seen = most.load();
                      while (now > seen && !most.compare_exchange_weak(seen, now)) {
                      }
                      std::this_thread::sleep_for(std::chrono::microseconds(200));
                      ++leaves;
                    },
                    1);
              },
              1);
        },
        1);
    CHECK(leaves.load() == 8 * 8 * 8);
    CHECK(most.load() <= core::worker_count());
  }
}

TEST_CASE("a task group runs jobs side by side, one of them a parallel loop", "[threads][pool]") {
  for (unsigned workers : {1U, 3U}) {
    Workers w(workers);
    INFO("workers " << workers);
    std::atomic<std::uint64_t> looped{0};
    std::uint64_t alone = 0;
    core::TaskGroup group;
    group.run([&] {
      core::parallel_for(
          100000, [&](std::size_t i) { looped.fetch_add(i); }, 64);
    });
    group.run([&] { alone = 42; });
    // The waiting thread may run the group's jobs itself, or a loop of its own meanwhile.
    std::atomic<std::size_t> mine{0};
    core::parallel_for(
        5000, [&](std::size_t) { ++mine; }, 8);
    group.wait();
    CHECK(looped.load() == std::uint64_t{100000} * 99999 / 2);
    CHECK(alone == 42);
    CHECK(mine.load() == 5000);
    CHECK(w.working_threads() <= workers);
  }
}

TEST_CASE("a task group rethrows its first exception after its running jobs end", "[threads][pool]") {
  Workers w(3);
  std::atomic<bool> slow_done{false};
  core::TaskGroup group;
  group.run([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    slow_done = true;
  });
  group.run([] {
    core::parallel_for(
        1000,
        [](std::size_t i) {
          if (i == 500) throw std::invalid_argument("500");
        },
        10);
  });
  CHECK_THROWS_AS(group.wait(), std::invalid_argument);
  CHECK(slow_done.load());
  // A group is reusable after wait().
  int ran = 0;
  group.run([&] { ++ran; });
  group.wait();
  CHECK(ran == 1);
}

TEST_CASE("a task group waited for inside a pool job helps instead of blocking", "[threads][pool]") {
  Workers w(2);
  std::atomic<std::size_t> leaves{0};
  core::parallel_for(
      8,
      [&](std::size_t) {
        core::TaskGroup inner;
        for (int j = 0; j < 4; ++j)
          inner.run([&] {
            core::parallel_for(
                300, [&](std::size_t) { ++leaves; }, 50);
          });
        inner.wait();
      },
      1);
  CHECK(leaves.load() == 8 * 4 * 300);
}
