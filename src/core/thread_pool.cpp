// thread_pool.cpp: the process's one pool of worker threads (see thread_pool.hpp).
#include "core/thread_pool.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace zw::core {

namespace {

std::atomic<unsigned>& worker_override() {
  static std::atomic<unsigned> n{0};
  return n;
}

}  // namespace

namespace detail {

/// The queue of jobs and the threads that run them. One instance per process (instance()).
class Pool {
 public:
  static Pool& instance() {
    static Pool pool;
    return pool;
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;
  ~Pool() { stop(); }

  void submit(TaskGroup& group, std::size_t copies, std::function<void()> job) {
    if (copies == 0) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      start_locked();
      for (std::size_t i = 1; i < copies; ++i) queue_.push_back(Task{&group, job});
      queue_.push_back(Task{&group, std::move(job)});
      group.pending_ += copies;
    }
    cv_.notify_all();
  }

  /// Runs queued jobs (this group's first) until the group has none queued or running.
  void wait(TaskGroup& group) {
    std::exception_ptr failure;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (group.pending_ > 0) {
        if (queue_.empty()) {
          cv_.wait(lock);
          continue;
        }
        auto own = std::find_if(queue_.begin(), queue_.end(), [&](const Task& t) { return t.group == &group; });
        run_locked(lock, take(own != queue_.end() ? own : queue_.begin()));
      }
      failure = std::exchange(group.failure_, nullptr);
    }
    if (failure) std::rethrow_exception(failure);
  }

  /// Stops the threads when the pool runs with another size than worker_count() (they start again on next use).
  void resize() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!started_ || threads_.size() + 1 == worker_count()) return;
    lock.unlock();
    stop();
  }

 private:
  struct Task {
    TaskGroup* group;
    std::function<void()> job;
  };

  // OpenSSL frees a thread's state (its error queue) when the thread ends, through a handler its exit-time cleanup
  // removes. Initialised before the pool (a non-empty option: OPENSSL_init_crypto(0) returns before doing anything),
  // OpenSSL registers that cleanup first, so it runs after this pool's destructor has ended the workers.
  Pool() { OPENSSL_init_crypto(OPENSSL_INIT_ADD_ALL_DIGESTS, nullptr); }

  void start_locked() {
    if (started_) return;
    started_ = true;
    stopping_ = false;
    const unsigned n = worker_count() - 1;
    threads_.reserve(n);
    for (unsigned i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
  }

  void stop() {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      assert(queue_.empty());
      stopping_ = true;
      started_ = false;
      threads.swap(threads_);
    }
    cv_.notify_all();
    for (std::thread& t : threads) t.join();
  }

  Task take(std::deque<Task>::iterator it) {
    Task t = std::move(*it);
    queue_.erase(it);
    return t;
  }

  /// Runs one job without the lock; records its exception and wakes the waiters when its group is done.
  void run_locked(std::unique_lock<std::mutex>& lock, Task task) {
    std::exception_ptr failure;
    if (!task.group->failure_) {
      lock.unlock();
      try {
        task.job();
      } catch (...) {
        failure = std::current_exception();
      }
      task.job = nullptr;  // destroy what the job holds before the group may end
      lock.lock();
    }
    if (failure && !task.group->failure_) task.group->failure_ = failure;
    if (--task.group->pending_ == 0) cv_.notify_all();
  }

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      run_locked(lock, take(queue_.begin()));
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  std::vector<std::thread> threads_;
  bool started_ = false;
  bool stopping_ = false;
};

}  // namespace detail

void set_worker_count(unsigned n) {
  worker_override().store(n);
  detail::Pool::instance().resize();
}

unsigned worker_count() {
  unsigned n = worker_override().load();
  return n != 0 ? n : std::max(1U, std::thread::hardware_concurrency());
}

TaskGroup::~TaskGroup() {
  try {
    wait();
  } catch (...) {  // NOLINT(bugprone-empty-catch): the job's failure was not asked for (wait() was not called)
  }
}

void TaskGroup::run(std::function<void()> job) {
  detail::Pool::instance().submit(*this, 1, std::move(job));
}

void TaskGroup::run_copies(std::size_t copies, std::function<void()> job) {
  detail::Pool::instance().submit(*this, copies, std::move(job));
}

void TaskGroup::wait() {
  detail::Pool::instance().wait(*this);
}

}  // namespace zw::core
