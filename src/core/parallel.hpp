// parallel.hpp: run a loop body over [0, n) on all cores.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace zw::core {

namespace detail {
inline std::atomic<unsigned>& worker_override() {
  static std::atomic<unsigned> n{0};
  return n;
}
}  // namespace detail

/// Sets the number of worker threads (0: one per core), e.g. from --threads.
inline void set_worker_count(unsigned n) {
  detail::worker_override().store(n);
}

/// Number of worker threads to use (set_worker_count, else hardware concurrency; at least 1).
inline unsigned worker_count() {
  unsigned n = detail::worker_override().load();
  return n != 0 ? n : std::max(1U, std::thread::hardware_concurrency());
}

/// Calls body(i) for every i in [0, n), in chunks, on up to worker_count() threads. The first exception thrown by
/// a body is rethrown in the caller after all threads stop.
template <typename Body>
void parallel_for(std::size_t n, Body&& body, std::size_t chunk = 256) {
  unsigned threads = worker_count();
  if (n <= chunk || threads == 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&]() {
    try {
      while (true) {
        std::size_t begin = next.fetch_add(chunk);
        if (begin >= n) break;
        std::size_t end = std::min(n, begin + chunk);
        for (std::size_t i = begin; i < end; ++i) body(i);
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(failure_mutex);
      if (!failure) failure = std::current_exception();
      next.store(n);
    }
  };
  std::vector<std::thread> pool;
  unsigned extra = std::min<unsigned>(threads, static_cast<unsigned>((n + chunk - 1) / chunk)) - 1;
  pool.reserve(extra);
  for (unsigned t = 0; t < extra; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace zw::core
