// progress.cpp: the progress line (a thread that redraws it; nothing until the delay has passed).
#include "report/progress.hpp"

namespace zw::report {

Progress::Progress(std::ostream& out, bool enabled, std::chrono::milliseconds delay, std::chrono::milliseconds interval)
    : out_(out) {
  if (enabled) thread_ = std::thread([this, delay, interval] { run(delay, interval); });
}

Progress::~Progress() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Progress::phase(std::string text) {
  std::lock_guard lock(mutex_);
  text_ = std::move(text);
  changed_ = true;
}

void Progress::run(std::chrono::milliseconds delay, std::chrono::milliseconds interval) {
  std::unique_lock lock(mutex_);
  if (wake_.wait_for(lock, delay, [this] { return stop_; })) return;
  bool shown = false;
  while (true) {
    if (changed_ && !text_.empty()) {
      // \033[K erases what a longer earlier phase left to the right.
      out_ << "\rzonewarden: " << text_ << "\033[K" << std::flush;
      changed_ = false;
      shown = true;
    }
    if (wake_.wait_for(lock, interval, [this] { return stop_; })) break;
  }
  if (shown) out_ << "\r\033[K" << std::flush;
}

}  // namespace zw::report
