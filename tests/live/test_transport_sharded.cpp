// test_transport_sharded.cpp: a batch split by address over transports running at once.
#include <catch2/catch.hpp>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/thread_pool.hpp"
#include "live/transport_sharded.hpp"

using namespace zw::live;

namespace {

Request ask(const std::string& address, std::uint16_t qtype) {
  Request r;
  r.server = "ns.test.";
  r.address = address;
  r.qname = "example.";
  r.qtype = qtype;
  return r;
}

// Answers each request with its own address and type in the wire field; records what it was asked, on which thread.
class Tagging final : public Transport {
 public:
  explicit Tagging(int n) : n_(n) {}
  std::vector<Response> exchange(std::span<const Request> requests) override {
    std::vector<Response> out;
    for (const Request& r : requests) {
      asked.push_back(r.address);
      Response x;
      x.outcome = Outcome::Answer;
      x.wire = std::to_string(n_) + " " + r.address + " " + std::to_string(r.qtype);
      out.push_back(std::move(x));
    }
    thread = std::this_thread::get_id();
    return out;
  }
  std::vector<std::string> asked;
  std::thread::id thread;

 private:
  int n_;
};

}  // namespace

TEST_CASE("shards: every request to one address goes to one shard, the load is dealt evenly", "[transport]") {
  std::vector<Request> rs;
  for (int i = 0; i < 6; ++i) rs.push_back(ask("192.0.2.1", 1));  // 6
  for (int i = 0; i < 4; ++i) rs.push_back(ask("192.0.2.2", 1));  // 4
  for (int i = 0; i < 3; ++i) rs.push_back(ask("192.0.2.3", 1));  // 3
  for (int i = 0; i < 2; ++i) rs.push_back(ask("192.0.2.4", 1));  // 2
  const auto a = assign_shards(rs, 2);
  std::map<std::string, std::set<std::size_t>> shards_of;
  std::vector<std::size_t> load(2, 0);
  for (std::size_t i = 0; i < rs.size(); ++i) {
    shards_of[rs[i].address].insert(a[i]);
    ++load[a[i]];
  }
  for (const auto& [address, s] : shards_of) CHECK(s.size() == 1);
  // Largest first onto the lightest: 6 → 0, 4 → 1, 3 → 1, 2 → 0: 8 and 7.
  CHECK(load[0] == 8);
  CHECK(load[1] == 7);
  CHECK(assign_shards(rs, 2) == a);  // deterministic
  CHECK(assign_shards(rs, 1) == std::vector<std::size_t>(rs.size(), 0));
}

TEST_CASE("shards: responses come back in request order from every shard, shards on other threads", "[transport]") {
  zw::core::set_worker_count(2);
  auto* first = new Tagging(0);
  auto* second = new Tagging(1);
  std::vector<std::unique_ptr<Transport>> ts;
  ts.emplace_back(first);
  ts.emplace_back(second);
  ShardedTransport sharded(std::move(ts), {});
  std::vector<Request> rs;
  for (int i = 0; i < 40; ++i) rs.push_back(ask("192.0.2." + std::to_string(1 + i % 5), static_cast<std::uint16_t>(i)));
  const auto responses = sharded.exchange(rs);
  REQUIRE(responses.size() == rs.size());
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const std::string expected =
        std::to_string(sharded.last_assignment()[i]) + " " + rs[i].address + " " + std::to_string(rs[i].qtype);
    CHECK(responses[i].wire == expected);
  }
  CHECK(!first->asked.empty());
  CHECK(!second->asked.empty());
  CHECK(first->asked.size() + second->asked.size() == rs.size());
  CHECK(first->thread == std::this_thread::get_id());  // shard 0 runs here
  zw::core::set_worker_count(0);
}
