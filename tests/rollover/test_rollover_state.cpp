// test_rollover_state.cpp: a zone's rollover timeline (--state) survives a process killed at any point of its write,
// and runs that write it at once lose nothing.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <random>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "input_support.hpp"
#include "rollover/history.hpp"
#include "rollover/state.hpp"

using namespace zw;

namespace {

/// A version whose one CDS record names `n`: every version is another state and another item.
rollover::Snapshot version(int n) {
  rollover::Snapshot s;
  s.serial = static_cast<std::uint32_t>(n);
  s.signed_zone = true;
  s.keys.push_back({"00112233445566", 13, 12345, 257, true, true});
  s.dnskey_ttl = 3600;
  s.cds = {"12345 13 2 " + std::to_string(1000 + n)};
  return s;
}

constexpr core::EpochSeconds kT0 = 1'780'000'000;

std::set<std::string> cds_items(const rollover::History& h) {
  std::set<std::string> out;
  for (const auto& [name, seen] : h.items) {
    if (name.rfind("cds:", 0) == 0) out.insert(name);
  }
  return out;
}

}  // namespace

TEST_CASE("a timeline write killed at random points leaves a timeline the next run reads", "[rollover]") {
  test::ScratchDir dir;
  const std::string d = dir.path.string();
  rollover::save_observation(d, "example.", {version(0)}, kT0);
  std::mt19937 rng(20261207);
  std::size_t before = 1;
  int killed = 0;
  for (int i = 1; i <= 60; ++i) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      // Odd rounds die at the rename itself (the hook); even rounds are killed after a random delay, anywhere.
      if (i % 2 == 1) rollover::detail::before_rename = [](const std::string&) { ::_exit(0); };
      rollover::save_observation(d, "example.", {version(i)}, kT0 + i * 3600);
      ::_exit(0);
    }
    if (i % 2 == 0) {
      ::usleep(std::uniform_int_distribution<unsigned>(0, 4000)(rng));
      killed += ::kill(child, SIGKILL) == 0 ? 1 : 0;
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    rollover::History h;
    REQUIRE_NOTHROW(h = rollover::load_history(d, "example."));
    const std::size_t now = cds_items(h).size();
    INFO("round " << i);
    CHECK((now == before || now == before + 1));  // the old timeline or the new one, whole
    if (i % 2 == 1) CHECK(now == before);         // killed before the rename: the old one
    before = now;
  }
  CHECK(killed > 0);
}

TEST_CASE("two runs adding to one timeline at once lose nothing", "[rollover][threads]") {
  test::ScratchDir dir;
  const std::string d = dir.path.string();
  auto writer = [&](int first) {
    for (int i = first; i < first + 20; ++i) rollover::save_observation(d, "example.", {version(i)}, kT0 + i * 60);
  };
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    try {
      writer(100);
    } catch (...) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  std::thread other(writer, 200);
  writer(300);
  other.join();
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  const rollover::History h = rollover::load_history(d, "example.");
  CHECK(cds_items(h).size() == 60);
}

TEST_CASE("a timeline of another zone, of a newer format or damaged is refused naming the file", "[rollover]") {
  test::ScratchDir dir;
  const std::string d = dir.path.string();
  rollover::save_observation(d, "example.", {version(1)}, kT0);
  const std::string path = rollover::state_path(d, "example.");
  CHECK(path.substr(path.size() - 17) == "/example.rollover");
  CHECK(rollover::state_path(d, ".").substr(d.size()) == "/%2e.rollover");
  CHECK(rollover::state_path(d, "A/b.Example.").substr(d.size()) == "/a%2fb.example.rollover");
  // Another zone's file under this name.
  std::filesystem::copy_file(path, rollover::state_path(d, "other."));
  CHECK_THROWS_WITH(rollover::load_history(d, "other."),
                    Catch::Contains("other.rollover") && Catch::Contains("example."));
  dir.write("newer.rollover", "# zonewarden rollover-state version 9\n{}\n");
  CHECK_THROWS_WITH(rollover::load_history(d, "newer."), Catch::Contains("newer.rollover:1"));
  dir.write("broken.rollover", "# zonewarden rollover-state version 1\n{\"zone\": \"broken.\", \"epochs\": [\n");
  CHECK_THROWS_WITH(rollover::load_history(d, "broken."),
                    Catch::Contains("broken.rollover") && Catch::Contains("not a readable rollover state"));
}

TEST_CASE("a timeline keeps its epochs and items bounded", "[rollover]") {
  rollover::History h;
  h.zone = "example.";
  for (int i = 0; i < 700; ++i) h.record({version(i)}, kT0 + i * 60);
  CHECK(h.epochs.size() == rollover::History::kMaxEpochs);
  CHECK(h.epochs.back().state.serial == 699);
  // Far later, only the newest epoch is kept and old items go.
  h.record({version(5000)}, kT0 + 900LL * 86400);
  CHECK(h.epochs.size() == 1);
  CHECK(cds_items(h).size() == 1);
  // Round trip.
  const rollover::History back = rollover::parse_history("x", rollover::history_text(h));
  CHECK(rollover::history_text(back) == rollover::history_text(h));
}
