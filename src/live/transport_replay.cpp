// transport_replay.cpp: replaying a capture's exchanges and recording a live transport's.
#include "live/transport_replay.hpp"

#include <cassert>
#include <utility>

namespace zw::live {
namespace {

std::string ascii_lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

ReplayTransport::Key ReplayTransport::key_of(const Request& r) {
  // RFC 4343 §3: DNS names compare without regard to ASCII case.
  return {r.server, r.address, r.port,      r.proto,     ascii_lower(r.qname),
          r.qtype,  r.edns,    r.edns_size, r.dnssec_ok, r.recursion_desired};
}

ReplayTransport::ReplayTransport(std::vector<Observation> recorded)
    : recorded_(std::move(recorded)), unused_(recorded_.size()) {
  for (std::size_t i = 0; i < recorded_.size(); ++i) queues_[key_of(recorded_[i].request)].indices.push_back(i);
}

std::vector<Response> ReplayTransport::exchange(std::span<const Request> requests) {
  std::vector<Response> out;
  out.reserve(requests.size());
  for (const Request& request : requests) {
    const auto queue = queues_.find(key_of(request));
    if (queue == queues_.end() || queue->second.next == queue->second.indices.size()) {
      ++unmatched_;
      out.push_back(Response{Outcome::Timeout, {}, 0, 0, nullptr});
      continue;
    }
    out.push_back(recorded_[queue->second.indices[queue->second.next++]].response);
    --unused_;
  }
  return out;
}

std::unique_ptr<Transport> make_replay_transport(std::vector<Observation> recorded) {
  return std::make_unique<ReplayTransport>(std::move(recorded));
}

std::vector<Response> RecordingTransport::exchange(std::span<const Request> requests) {
  std::vector<Response> responses = inner_.exchange(requests);
  assert(responses.size() == requests.size());
  for (std::size_t i = 0; i < requests.size() && i < responses.size(); ++i)
    sink_.push_back({requests[i], responses[i]});
  return responses;
}

}  // namespace zw::live
