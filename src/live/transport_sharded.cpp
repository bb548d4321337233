// transport_sharded.cpp: a batch split by address over transports on the pool's threads.
#include "live/transport_sharded.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/thread_pool.hpp"

namespace zw::live {

std::vector<std::size_t> assign_shards(std::span<const Request> requests, std::size_t shards) {
  std::vector<std::size_t> out(requests.size(), 0);
  if (shards <= 1) return out;
  // Requests per address, in order of first appearance.
  std::map<std::string, std::size_t> index;
  std::vector<std::pair<std::size_t, std::size_t>> counts;  // (requests, first appearance)
  std::vector<std::size_t> address_of(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto [it, fresh] = index.try_emplace(requests[i].address, counts.size());
    if (fresh) counts.emplace_back(0, counts.size());
    ++counts[it->second].first;
    address_of[i] = it->second;
  }
  // Largest first onto the lightest shard (lowest number on ties): a deterministic, nearly even deal.
  std::vector<std::size_t> order(counts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return counts[a].first > counts[b].first; });
  std::vector<std::size_t> load(shards, 0), shard_of(counts.size(), 0);
  for (std::size_t a : order) {
    const auto lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    shard_of[a] = lightest;
    load[lightest] += counts[a].first;
  }
  for (std::size_t i = 0; i < requests.size(); ++i) out[i] = shard_of[address_of[i]];
  return out;
}

ShardedTransport::ShardedTransport(std::vector<std::unique_ptr<Transport>> shards,
                                   std::vector<std::unique_ptr<EventLoop>> loops)
    : loops_(std::move(loops)), shards_(std::move(shards)) {
  if (shards_.empty()) throw Error("a sharded transport needs at least one transport");
}

std::vector<Response> ShardedTransport::exchange(std::span<const Request> requests) {
  assignment_ = assign_shards(requests, shards_.size());
  if (shards_.size() == 1) return shards_[0]->exchange(requests);
  std::vector<std::vector<Request>> parts(shards_.size());
  std::vector<std::vector<std::size_t>> positions(shards_.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    parts[assignment_[i]].push_back(requests[i]);
    positions[assignment_[i]].push_back(i);
  }
  std::vector<std::vector<Response>> answers(shards_.size());
  {
    core::TaskGroup group;
    for (std::size_t s = 1; s < shards_.size(); ++s) {
      if (!parts[s].empty()) group.run([this, s, &parts, &answers] { answers[s] = shards_[s]->exchange(parts[s]); });
    }
    try {
      if (!parts[0].empty()) answers[0] = shards_[0]->exchange(parts[0]);
    } catch (...) {
      try {
        group.wait();
      } catch (...) {  // the first failure is this thread's
      }
      throw;
    }
    group.wait();
  }
  std::vector<Response> out(requests.size());
  for (std::size_t s = 0; s < shards_.size(); ++s) {
    for (std::size_t k = 0; k < positions[s].size(); ++k) out[positions[s][k]] = std::move(answers[s][k]);
  }
  return out;
}

}  // namespace zw::live
