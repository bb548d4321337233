// event_loop.hpp: the one libevent loop of a live run, shared by the transport and the validating resolver
// (DESIGN.md §4: libunbound runs on the same event_base).
#pragma once

#include <memory>

struct event_base;
struct event;

namespace zw::live {

/// Frees a libevent event (event_free).
struct EventDeleter {
  void operator()(event* e) const;
};
using EventPtr = std::unique_ptr<event, EventDeleter>;

/// Owns an event_base. Not thread-safe: one walker drives it.
class EventLoop {
 public:
  EventLoop();  ///< throws zw::Error when libevent cannot create a base
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  event_base* base() const { return base_; }

 private:
  event_base* base_ = nullptr;
};

}  // namespace zw::live
