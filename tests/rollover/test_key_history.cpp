// test_key_history.cpp: the key history is a versioned state file: written under a lock (two writers keep every
// key), refused when its format is newer than this build reads, still read when it predates format versions.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_run.hpp"
#include "core/error.hpp"
#include "core/name.hpp"
#include "input_support.hpp"
#include "zone/keyfiles.hpp"

using namespace zw;
using zone::HistoryKey;

namespace {

const std::string kZone = ZW_SOURCE_DIR "/test-vectors/zone/clean/clean-csk-ecdsap256.zone";
constexpr const char* kVersion1 = "# zonewarden key-history version 1";

/// A distinct ECDSA P-256 zone-signing key of example. numbered `n`, first seen at 2026-01-01.
HistoryKey numbered_key(unsigned n) {
  HistoryKey h;
  std::string err;
  REQUIRE(core::parse_name("example.", ".", h.zone, err));
  h.flags = 256;
  h.algorithm = 13;
  h.dnskey_rdata = std::string("\x01\x00\x03\x0d", 4) + std::string(60, 'k') + std::to_string(100000 + n);
  h.first_seen = 1767225600;
  return h;
}

std::string first_line(const std::string& path) {
  std::string text = test::slurp(path);
  return text.substr(0, text.find('\n'));
}

}  // namespace

TEST_CASE("key history: two writers appending at once both keep every key", "[rollover][threads]") {
  test::ScratchDir dir;
  const std::string path = (dir.path / "history").string();
  constexpr unsigned kWriters = 4, kKeys = 25;
  std::vector<HistoryKey> keys_to_add;  // made here: Catch2 assertions are not for other threads
  for (unsigned n = 0; n < kWriters * kKeys; ++n) keys_to_add.push_back(numbered_key(n));
  std::vector<std::thread> writers;
  for (unsigned w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (unsigned k = 0; k < kKeys; ++k) zone::append_key_history(path, {}, {keys_to_add[w * kKeys + k]});
    });
  }
  for (std::thread& t : writers) t.join();
  std::set<std::string> keys;
  for (const HistoryKey& h : zone::read_key_history(path)) keys.insert(h.dnskey_rdata);
  CHECK(keys.size() == kWriters * kKeys);
}

TEST_CASE("key history: a new file starts with its format version", "[rollover]") {
  test::ScratchDir dir;
  const std::string path = (dir.path / "history").string();
  zone::append_key_history(path, {}, {numbered_key(1)});
  CHECK(first_line(path) == kVersion1);
  auto h = zone::read_key_history(path);
  REQUIRE(h.size() == 1);
  CHECK(h[0].source == path + ":3");
}

TEST_CASE("key history: a file of a newer format version is refused, naming the file", "[rollover]") {
  test::ScratchDir dir;
  const std::string path =
      dir.write("history", "# zonewarden key-history version 2\nexample. 2026-01-01T00:00:00Z 256 3 15 AAAA\n");
  CHECK_THAT(test::error_of([&] { zone::read_key_history(path); }), Catch::StartsWith(path + ":1: "));
  const std::string before = test::slurp(path);
  CHECK_THROWS_AS(zone::append_key_history(path, {}, {numbered_key(1)}), Error);
  CHECK(test::slurp(path) == before);
  test::Run r = test::run_zw("zone --now 20260101 --key-history " + path + " " + kZone);
  CHECK(r.status == 3);
  CHECK_THAT(r.err, Catch::Contains(path));
  CHECK(test::slurp(path) == before);
  // Another kind of state file is not a key history.
  const std::string other = dir.write("other", "# zonewarden rollover-state version 1\n");
  CHECK_THAT(test::error_of([&] { zone::read_key_history(other); }), Catch::StartsWith(other + ":1: "));
}

TEST_CASE("key history: a file from before format versions is read, and gets the version line when rewritten",
          "[rollover]") {
  test::ScratchDir dir;
  const std::string old_header =
      "# zonewarden key history (--key-history): every public key seen, appended by zonewarden; one key per line:\n"
      "# <zone> <first seen, RFC 3339 UTC> <flags> <protocol> <algorithm> <public key, base64>\n";
  const std::string path = dir.write(
      "history", old_header + "example. 2026-01-01T00:00:00Z 256 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=\n");
  auto h = zone::read_key_history(path);
  REQUIRE(h.size() == 1);
  CHECK(h[0].source == path + ":3");
  zone::append_key_history(path, h, {numbered_key(7)});
  CHECK(first_line(path) == kVersion1);
  auto h2 = zone::read_key_history(path);
  REQUIRE(h2.size() == 2);
  CHECK(h2[0].dnskey_rdata == h[0].dnskey_rdata);
  CHECK(h2[0].source == path + ":3");  // the old header is replaced, not kept below the new one
  CHECK(h2[1].dnskey_rdata == numbered_key(7).dnskey_rdata);
  // A file with a header of its own keeps it below the version line.
  const std::string custom = dir.write("custom", "# my keys\nexample. 2026-01-01T00:00:00Z 256 3 15 AAAA\n");
  zone::append_key_history(custom, {}, {numbered_key(8)});
  CHECK(first_line(custom) == kVersion1);
  CHECK(test::slurp(custom).find("\n# my keys\nexample. 2026-01-01T00:00:00Z 256 3 15 AAAA\n") != std::string::npos);
  CHECK(zone::read_key_history(custom).size() == 2);
}
