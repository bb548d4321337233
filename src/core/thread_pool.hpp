// thread_pool.hpp: the process's one pool of worker threads, and task groups that nest without spawning threads.
//
// The pool starts on first use with worker_count() − 1 threads; the thread that waits for a group is the last
// worker. A thread that waits (TaskGroup::wait, the end of parallel_for) never sleeps while tasks are queued: it runs
// them, its own group's first, so a wait inside a task (a parallel loop inside a check run by a parallel loop) can
// neither deadlock nor need another thread. The process never has more than worker_count() threads working.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>

namespace zw::core {

/// Sets the number of worker threads (0: one per core), e.g. from --threads. Call it from the main thread while no
/// parallel work runs: a pool already started with another size is stopped and starts again at its next use.
void set_worker_count(unsigned n);

/// Number of worker threads to use (set_worker_count, else hardware concurrency; at least 1), the calling thread
/// included.
unsigned worker_count();

namespace detail {
class Pool;
}

/// A few independent jobs run side by side on the pool; wait() returns when all have run. The first exception a
/// job throws is rethrown by wait() after the group's running jobs end; jobs not yet started are then skipped.
/// Jobs may themselves run groups and parallel loops. A group is used by one thread (the one that runs and waits).
class TaskGroup {
 public:
  TaskGroup() = default;
  /// Waits for jobs still queued or running (their exception is dropped: call wait() to see it).
  ~TaskGroup();
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  /// Queues `job` to run on a pool thread (or on the waiting thread, whichever comes first).
  void run(std::function<void()> job);
  /// Queues `copies` runs of the same job (one wake-up for all).
  void run_copies(std::size_t copies, std::function<void()> job);
  /// Runs queued jobs until every job of this group has ended; rethrows the first exception a job threw.
  void wait();

 private:
  friend class detail::Pool;
  std::size_t pending_ = 0;     // jobs queued or running; guarded by the pool's mutex
  std::exception_ptr failure_;  // the first exception; guarded by the pool's mutex
};

}  // namespace zw::core
