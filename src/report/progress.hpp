// progress.hpp: a one-line progress display on standard error for runs long enough to need one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace zw::report {

/// Shows "zonewarden: <phase>" on one line of `out`, rewritten in place with \r, from `delay` after construction on
/// (a run shorter than that shows nothing), and clears the line when destroyed. Disabled (not a terminal, --quiet),
/// it writes nothing. phase() may be called from any thread.
class Progress {
 public:
  Progress(std::ostream& out, bool enabled, std::chrono::milliseconds delay = std::chrono::seconds(2),
           std::chrono::milliseconds interval = std::chrono::milliseconds(250));
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// What the run is doing now, e.g. "loading example.zone" or "verifying 2792 signatures of example.".
  void phase(std::string text);

 private:
  void run(std::chrono::milliseconds delay, std::chrono::milliseconds interval);

  std::ostream& out_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string text_;
  bool changed_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace zw::report
