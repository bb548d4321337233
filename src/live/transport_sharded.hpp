// transport_sharded.hpp: one batch over several transports at once, each on its own thread and event loop, split by
// server address. On loopback and on fast links the cost of a question is the kernel's work for its socket, which is
// charged to the thread that sends; shards put every core to that work.
#pragma once

#include <memory>
#include <vector>

#include "live/event_loop.hpp"
#include "live/transport.hpp"

namespace zw::live {

/// Splits each batch by address: every request to one address goes to the same shard (so that shard's per-address
/// cap is the cap), and the addresses are dealt to the shards so that each gets about as many requests (largest first;
/// ties in order of first appearance). Shard 0 runs on the calling thread; the others run as jobs of the process's
/// pool (core::TaskGroup), each on its own transport (and its own event loop, owned by `loops`). Responses come back
/// in request order. With one shard, the batch goes to it unchanged.
class ShardedTransport final : public Transport {
 public:
  ShardedTransport(std::vector<std::unique_ptr<Transport>> shards, std::vector<std::unique_ptr<EventLoop>> loops);
  std::vector<Response> exchange(std::span<const Request> requests) override;

  /// For each request of the last batch, the shard that sent it (tests).
  const std::vector<std::size_t>& last_assignment() const { return assignment_; }

 private:
  std::vector<std::unique_ptr<EventLoop>> loops_;  // declared first: destroyed after the transports that use them
  std::vector<std::unique_ptr<Transport>> shards_;
  std::vector<std::size_t> assignment_;
};

/// Assigns each request of a batch to one of `shards` shards by its address, as ShardedTransport does.
std::vector<std::size_t> assign_shards(std::span<const Request> requests, std::size_t shards);

}  // namespace zw::live
