// test_input.cpp: the one bounded reader of input files: size limit, NUL bytes, streamed gzip, pipes and FIFOs (never
// waited for without a writer), the kinds of file each input accepts, and the OS's reason in open failures.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "cli/cli_run.hpp"
#include "core/error.hpp"
#include "core/handles.hpp"
#include "core/input.hpp"
#include "input_support.hpp"

using namespace zw;
using namespace zw::core;
using namespace std::string_literals;

namespace {

namespace fs = std::filesystem;

ReadLimits limit(std::uint64_t bytes, bool gunzip = true) {
  return ReadLimits{bytes, "too large", gunzip};
}

int run_cli(const std::string& args) {
  return test::run_zw(args).status;
}

const std::string kZone = ZW_SOURCE_DIR "/test-vectors/zone/clean/clean-csk-ecdsap256.zone";

}  // namespace

TEST_CASE("the reader stops at its size limit: by the size of a file, or one byte past it", "[input]") {
  test::ScratchDir dir;
  const std::string text(1000, 'x');
  const std::string path = dir.write("f", text);
  CHECK(read_input_file(path, InputKinds::regular, limit(1000)) == text);
  CHECK(test::error_of([&] { read_input_file(path, InputKinds::regular, limit(999)); }) == path + ": too large");
  // A 2 GiB sparse file is refused by its size, unread.
  const std::string sparse = dir.write("sparse", "");
  fs::resize_file(sparse, std::uintmax_t{2} << 30);
  const auto start = std::chrono::steady_clock::now();
  CHECK(test::error_of([&] { read_input_file(sparse, InputKinds::regular, limit(1 << 20)); }) ==
        sparse + ": too large");
  CHECK(test::seconds_since(start) < 1);
}

TEST_CASE("the reader refuses binary data at the first NUL byte, naming its line", "[input]") {
  test::ScratchDir dir;
  const std::string path = dir.write("f", "a\nb\nc\0d\n"s);
  CHECK(test::error_of([&] { read_input_file(path, InputKinds::regular, limit(1 << 20)); }) ==
        path + ":3: NUL byte in the text (binary data?)");
  // An endless device stops at its first block.
  const auto start = std::chrono::steady_clock::now();
  CHECK(test::error_of([&] { read_input_file("/dev/zero", InputKinds::streams, limit(std::uint64_t{1} << 40)); }) ==
        "/dev/zero:1: NUL byte in the text (binary data?)");
  CHECK(test::seconds_since(start) < 1);
}

TEST_CASE("gzip data is decompressed as a stream, within the limit", "[input][gzip]") {
  test::ScratchDir dir;
  const std::string text = "line one\nline two\n";
  SECTION("one member, two members, whatever the name") {
    CHECK(read_input_file(dir.write("a.txt", test::gzip(text)), InputKinds::regular, limit(100)) == text);
    CHECK(read_input_file(dir.write("b", test::gzip(text) + test::gzip(text)), InputKinds::regular, limit(100)) ==
          text + text);
  }
  SECTION("a bomb stops at the limit") {
    const std::string bomb = test::gzip(std::string(std::size_t{64} << 20, 'a'));
    REQUIRE(bomb.size() < (std::size_t{1} << 20));
    const std::string path = dir.write("bomb", bomb);
    CHECK(test::error_of([&] { read_input_file(path, InputKinds::regular, limit(1 << 20)); }) == path + ": too large");
  }
  SECTION("truncated and corrupt data are refused") {
    const std::string z = test::gzip(std::string(100000, 'a') + "\n");
    const std::string cut = dir.write("cut", z.substr(0, z.size() / 2));
    CHECK(test::error_of([&] { read_input_file(cut, InputKinds::regular, limit(1 << 20)); }) ==
          cut + ": truncated gzip data");
    std::string bad = z;
    bad[12] = static_cast<char>(bad[12] ^ 0x55);
    const std::string corrupt = dir.write("corrupt", bad);
    CHECK_THAT(test::error_of([&] { read_input_file(corrupt, InputKinds::regular, limit(1 << 20)); }),
               Catch::StartsWith(corrupt + ": corrupt gzip data"));
  }
  SECTION("NUL bytes inside the compressed text are found") {
    const std::string path = dir.write("nul.gz", test::gzip("a\n\0"s));
    CHECK(test::error_of([&] { read_input_file(path, InputKinds::regular, limit(100)); }) ==
          path + ":2: NUL byte in the text (binary data?)");
  }
  SECTION("without gunzip, gzip is binary data") {
    const std::string path = dir.write("plain", test::gzip(text));
    CHECK_THAT(test::error_of([&] { read_input_file(path, InputKinds::regular, limit(100, false)); }),
               Catch::Contains("NUL byte"));
  }
}

TEST_CASE("pipes are read as streams, and a FIFO without a writer is refused at once", "[input][fifo]") {
  test::ScratchDir dir;
  SECTION("a pipe whose writer is slow is waited for, within the limit") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    UniqueFd rd(fds[0]);
    UniqueFd wr(fds[1]);
    const std::jthread writer([&] {
      for (int i = 0; i < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (::write(wr.get(), "abc\n", 4) != 4) break;
      }
      wr.reset();
    });
    CHECK(read_input_file("/dev/fd/" + std::to_string(rd.get()), InputKinds::streams, limit(100)) == "abc\nabc\nabc\n");
  }
  SECTION("a pipe is held to the limit") {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    UniqueFd rd(fds[0]);
    UniqueFd wr(fds[1]);
    REQUIRE(::write(wr.get(), "0123456789", 10) == 10);
    wr.reset();
    CHECK(test::error_of([&] {
            read_input_file("/dev/fd/" + std::to_string(rd.get()), InputKinds::streams, limit(9));
          }) == "/dev/fd/" + std::to_string(rd.get()) + ": too large");
  }
  SECTION("a FIFO is read while its writer has it open") {
    const std::string fifo = (dir.path / "fifo").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    UniqueFd wr(::open(fifo.c_str(), O_RDWR | O_CLOEXEC));  // a writer that does not wait for a reader
    REQUIRE(wr);
    REQUIRE(::write(wr.get(), "text\n", 5) == 5);
    const std::jthread closer([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      wr.reset();
    });
    CHECK(read_input_file(fifo, InputKinds::streams, limit(100)) == "text\n");
  }
  SECTION("a FIFO nobody writes to is refused, not waited for") {
    const std::string fifo = (dir.path / "fifo").string();
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto start = std::chrono::steady_clock::now();
    CHECK(test::error_of([&] { read_input_file(fifo, InputKinds::streams, limit(100)); }) ==
          fifo + ": cannot open: no process has the FIFO open for writing");
    CHECK(test::seconds_since(start) < 1);
  }
}

TEST_CASE("each input accepts its kinds of file and says the OS's reason", "[input]") {
  test::ScratchDir dir;
  const std::string fifo = (dir.path / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(test::error_of([&] { read_input_file(fifo, InputKinds::regular, limit(100)); }) ==
        fifo + ": cannot open: not a regular file");
  CHECK(test::error_of([&] { read_input_file("/dev/null", InputKinds::regular, limit(100)); }) ==
        "/dev/null: cannot open: not a regular file");
  CHECK(read_input_file("/dev/null", InputKinds::streams, limit(100)).empty());
  CHECK(test::error_of([&] { read_input_file(dir.path.string(), InputKinds::streams, limit(100)); }) ==
        dir.path.string() + ": cannot open: Is a directory");
  const std::string missing = (dir.path / "missing").string();
  CHECK(test::error_of([&] { read_input_file(missing, InputKinds::streams, limit(100)); }) ==
        missing + ": cannot open: No such file or directory");
  if (::geteuid() != 0) {  // root reads anything
    const std::string secret = dir.write("secret", "x\n");
    fs::permissions(secret, fs::perms::none);
    CHECK(test::error_of([&] { read_input_file(secret, InputKinds::streams, limit(100)); }) ==
          secret + ": cannot open: Permission denied");
  }
}

TEST_CASE("a zone, DS or anchor file that is a FIFO without a writer ends the run, never hangs it", "[input][cli]") {
  test::ScratchDir dir;
  const std::string fifo = (dir.path / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  CHECK(run_cli("zone --now 20260101 " + fifo) == 3);
  CHECK(run_cli("zone --now 20260101 --ds " + fifo + " " + kZone) == 3);
  CHECK(run_cli("zone --now 20260101 -k " + fifo + " " + kZone) == 3);
  // A gzip'd DS file is read like any other.
  std::ifstream ds_in(ZW_SOURCE_DIR "/test-vectors/zone/clean/clean-ecdsap256-nsec.ds", std::ios::binary);
  const std::string ds{std::istreambuf_iterator<char>(ds_in), {}};
  REQUIRE_FALSE(ds.empty());
  const std::string ds_gz = dir.write("ds.gz", test::gzip(ds));
  CHECK(run_cli("zone --now 20260101 --ds " + ds_gz +
                " " ZW_SOURCE_DIR "/test-vectors/zone/clean/clean-ecdsap256-nsec.zone") == 0);
}
