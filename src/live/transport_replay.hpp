// transport_replay.hpp: transports without sockets around captures: replay answers requests from recorded
// observations (--capture), the recorder keeps what another transport observed (--save-capture).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "live/capture.hpp"
#include "live/transport.hpp"

namespace zw::live {

/// Answers each request with the response of the first unused recorded request equal to it: same server, address,
/// port, transport, qname (case-insensitive), qtype, EDNS, EDNS size, DO and RD. A request never recorded (or
/// asked more often than recorded) is a Timeout with no attempt, and is counted.
class ReplayTransport final : public Transport {
 public:
  explicit ReplayTransport(std::vector<Observation> recorded);
  std::vector<Response> exchange(std::span<const Request> requests) override;

  /// Requests answered Timeout because the capture holds no unused equal request.
  std::size_t unmatched() const { return unmatched_; }
  /// Recorded exchanges not used yet.
  std::size_t unused() const { return unused_; }

 private:
  using Key = std::tuple<std::string, std::string, std::uint16_t, Proto, std::string, std::uint16_t, bool,
                         std::uint16_t, bool, bool>;
  static Key key_of(const Request& r);

  std::vector<Observation> recorded_;
  /// The recordings of one request, in order, and the first unused one.
  struct Queue {
    std::vector<std::size_t> indices;  ///< into recorded_
    std::size_t next = 0;
  };
  std::map<Key, Queue> queues_;
  std::size_t unmatched_ = 0;
  std::size_t unused_ = 0;
};

/// A replay transport over `recorded` (see ReplayTransport).
std::unique_ptr<Transport> make_replay_transport(std::vector<Observation> recorded);

/// Forwards every batch to `inner` and appends each request with its response to `sink`, in request order.
class RecordingTransport final : public Transport {
 public:
  /// Both must outlive the recorder.
  RecordingTransport(Transport& inner, std::vector<Observation>& sink) : inner_(inner), sink_(sink) {}
  std::vector<Response> exchange(std::span<const Request> requests) override;

 private:
  Transport& inner_;
  std::vector<Observation>& sink_;
};

}  // namespace zw::live
