// test_keyfiles_input.cpp: key files and the key history are read by the bounded reader: regular files only (a FIFO
// cannot hang a run), within their size budget, refused at the first NUL byte.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/cli_run.hpp"
#include "core/error.hpp"
#include "input_support.hpp"
#include "zone/keyfiles.hpp"

using namespace zw;
using namespace zw::zone;
using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

const std::string kZone = ZW_SOURCE_DIR "/test-vectors/zone/clean/clean-csk-ecdsap256.zone";

int run_cli(const std::string& args) {
  return test::run_zw(args).status;
}

}  // namespace

TEST_CASE("the key history is refused at its first NUL byte", "[keyfiles][input]") {
  test::ScratchDir dir;
  const std::string path = dir.write("history", "# zonewarden key history\n# a comment with a NUL \0 byte\n"s);
  CHECK_THROWS_AS(read_key_history(path), Error);
  const std::string before = dir.write("before", "# header\n\0"s);
  CHECK_THROWS_AS(append_key_history(before, {}, {}), Error);
}

TEST_CASE("a key history that is a sparse 2 GB file or a device is refused without reading it whole",
          "[keyfiles][input]") {
  test::ScratchDir dir;
  const std::string sparse = (dir.path / "history").string();
  { std::ofstream out(sparse, std::ios::binary); }
  fs::resize_file(sparse, std::uintmax_t{2} << 30);
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(read_key_history(sparse), Error);
  CHECK(test::seconds_since(start) < 1);
  start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(read_key_history("/dev/zero"), Error);
  CHECK(test::seconds_since(start) < 1);
}

TEST_CASE("a FIFO as key history is refused, not waited for, and in a key directory it is no key file",
          "[keyfiles][input]") {
  test::ScratchDir dir;
  const std::string fifo = (dir.path / "history").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(run_cli("zone --now 20260101 --key-history " + fifo + " " + kZone) == 3);

  fs::create_directories(dir.path / "keys");
  const std::string key_fifo = (dir.path / "keys" / "Kexample.+013+12345.private").string();
  REQUIRE(::mkfifo(key_fifo.c_str(), 0600) == 0);
  CHECK(run_cli("zone --now 20260101 --keys " + (dir.path / "keys").string() + " " + kZone) == 0);
}
