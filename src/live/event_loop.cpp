// event_loop.cpp: the libevent base of a live run.
#include "live/event_loop.hpp"

#include <event2/event.h>

#include "core/error.hpp"

namespace zw::live {

EventLoop::EventLoop() : base_(event_base_new()) {
  if (base_ == nullptr) throw Error("libevent: cannot create an event base");
}

EventLoop::~EventLoop() {
  event_base_free(base_);
}

void EventDeleter::operator()(event* e) const {
  event_free(e);
}

}  // namespace zw::live
