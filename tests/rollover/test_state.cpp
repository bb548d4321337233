// test_state.cpp: state files are replaced atomically (a reader or a crash never leaves a half file), written under
// a lock, and read only in a format version this build knows.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_run.hpp"
#include "core/error.hpp"
#include "input_support.hpp"
#include "rollover/state.hpp"

using namespace zw;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMax = std::size_t{1} << 24;

/// The names of the files in `dir`.
std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

/// Sets the before-rename hook for one scope.
struct Hook {
  explicit Hook(void (*f)(const std::string&)) { rollover::detail::before_rename = f; }
  ~Hook() { rollover::detail::before_rename = nullptr; }
  Hook(const Hook&) = delete;
  Hook& operator=(const Hook&) = delete;
};

}  // namespace

TEST_CASE("a state file is replaced whole, keeps its permissions and leaves no temporary file", "[rollover]") {
  test::ScratchDir dir;
  const std::string path = (dir.path / "state").string();
  rollover::write_state_file(path, "# zonewarden test version 1\nfirst\n");
  CHECK(test::slurp(path) == "# zonewarden test version 1\nfirst\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  REQUIRE(::chmod(path.c_str(), 0600) == 0);
  rollover::write_state_file(path, "# zonewarden test version 1\nsecond\n");
  CHECK(test::slurp(path) == "# zonewarden test version 1\nsecond\n");
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(files_in(dir.path) == std::vector<std::string>{"state"});
}

TEST_CASE("a write that fails before the rename leaves the old state file and no temporary file", "[rollover]") {
  test::ScratchDir dir;
  const std::string path = dir.write("state", "# zonewarden test version 1\nold\n");
  {
    Hook hook([](const std::string&) { throw Error("simulated failure"); });
    CHECK_THROWS_AS(rollover::write_state_file(path, "# zonewarden test version 1\nnew\n"), Error);
  }
  CHECK(test::slurp(path) == "# zonewarden test version 1\nold\n");
  CHECK(files_in(dir.path) == std::vector<std::string>{"state"});
}

TEST_CASE("a process killed before the rename leaves the old state file readable", "[rollover]") {
  test::ScratchDir dir;
  const std::string path = dir.write("state", "# zonewarden test version 1\nold\n");
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    rollover::detail::before_rename = [](const std::string&) { ::_exit(0); };  // a crash after the data is synced
    rollover::write_state_file(path, "# zonewarden test version 1\nnew\n");
    ::_exit(1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  auto read = rollover::read_state_file(path, "test", 1, kMax, "too large");
  REQUIRE(read);
  CHECK(read->version == 1);
  CHECK(read->text == "# zonewarden test version 1\nold\n");
  CHECK(files_in(dir.path).size() == 2);  // the crash left its temporary file beside the state file
}

TEST_CASE("a reader never sees a half-written state file", "[rollover][threads]") {
  test::ScratchDir dir;
  const std::string path = (dir.path / "state").string();
  const std::string big = "# zonewarden test version 1\n" + std::string(1 << 20, 'b') + "\n";
  const std::string small = "# zonewarden test version 1\n" + std::string(1000, 's') + "\n";
  rollover::write_state_file(path, small);
  std::atomic<bool> done{false};
  std::atomic<int> reads{0}, torn{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto r = rollover::read_state_file(path, "test", 1, kMax, "too large");
      if (!r || (r->text != big && r->text != small)) ++torn;
      ++reads;
    }
  });
  for (int i = 0; i < 60; ++i) rollover::write_state_file(path, i % 2 ? small : big);
  done = true;
  reader.join();
  CHECK(reads.load() > 0);
  CHECK(torn.load() == 0);
}

TEST_CASE("the state lock lets one writer at a time read, change and write", "[rollover][threads]") {
  test::ScratchDir dir;
  const std::string path = (dir.path / "counter").string();
  rollover::write_state_file(path, "# zonewarden counter version 1\n0\n");
  auto bump = [&] {  // no Catch2 assertion here: they are not for other threads
    for (int i = 0; i < 50; ++i) {
      rollover::StateLock lock(path);
      auto r = rollover::read_state_file(path, "counter", 1, kMax, "too large");
      if (!r) return;
      const int n = std::stoi(r->text.substr(r->text.find('\n') + 1));
      rollover::write_state_file(path, "# zonewarden counter version 1\n" + std::to_string(n + 1) + "\n");
    }
  };
  std::thread a(bump), b(bump);
  a.join();
  b.join();
  CHECK(test::slurp(path) == "# zonewarden counter version 1\n100\n");
  CHECK(files_in(dir.path) == std::vector<std::string>{"counter", "counter.lock"});
}

TEST_CASE("state file versions: missing, none, current, newer, malformed, another kind", "[rollover]") {
  test::ScratchDir dir;
  CHECK_FALSE(rollover::read_state_file((dir.path / "missing").string(), "test", 1, kMax, "too large"));
  auto version_of = [&](const std::string& text) {
    const std::string path = dir.write("state", text);
    return rollover::read_state_file(path, "test", 2, kMax, "too large")->version;
  };
  CHECK(version_of("") == 0);
  CHECK(version_of("# a file from before versions\nx\n") == 0);
  CHECK(version_of("# zonewarden test version 1\n") == 1);
  CHECK(version_of("# zonewarden test version 2 (with words after it)\nx\n") == 2);
  const std::string path = (dir.path / "state").string();
  for (const char* bad : {"# zonewarden test version 3\n", "# zonewarden test version 12345678901234\n",
                          "# zonewarden test version x\n", "# zonewarden other version 1\n"}) {
    INFO(bad);
    CHECK_THAT(test::error_of([&] { version_of(bad); }), Catch::StartsWith(path + ":1: "));
  }
  CHECK_THAT(test::error_of([&] { rollover::read_state_file(dir.path.string(), "test", 1, kMax, "too large"); }),
             Catch::StartsWith(dir.path.string() + ": "));
}
