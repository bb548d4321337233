// parallel.hpp: run a loop body over [0, n) on all cores, on the process's thread pool (core/thread_pool.hpp).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

#include "core/thread_pool.hpp"

namespace zw::core {

/// Calls body(i) for every i in [0, n), in chunks, on up to worker_count() threads of the pool, the caller included.
/// The first exception thrown by a body is rethrown in the caller after every thread has left the loop. A body may
/// itself call parallel_for: the nested loop runs on the same pool, never on threads of its own.
template <typename Body>
void parallel_for(std::size_t n, Body&& body, std::size_t chunk = 256) {
  const unsigned threads = worker_count();
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
  const std::size_t helpers = std::min<std::size_t>(threads, (n + chunk - 1) / chunk) - 1;
  TaskGroup group;
  group.run_copies(helpers, std::ref(work));
  work();
  group.wait();  // the helpers catch their own exceptions
  if (failure) std::rethrow_exception(failure);
}

}  // namespace zw::core
