// test_loader_input.cpp: what the loader agrees to read: $INCLUDE confined to a root, regular files only, one
// budget of includes and bytes per zone, a bounded reader (gzip bombs, sparse files, binary data found early),
// standard input as "-", and dig AXFR output that must be a whole transfer.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>

#include "core/error.hpp"
#include "core/name.hpp"
#include "input_support.hpp"
#include "zone/loader.hpp"
#include "zone/zone.hpp"

using namespace zw;
using namespace zw::zone;

namespace {

namespace fs = std::filesystem;

using test::error_of;

using TempDir = zw::test::ScratchDir;

const std::string kHead = "$ORIGIN example.\n@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 300\n";

using test::seconds_since;

// Runs the zonewarden binary through the shell; returns its exit status.
int run_cli(const std::string& args) {
  const int rc = std::system((std::string(ZW_BINARY) + " " + args).c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("$INCLUDE of a FIFO or a device is refused and not read", "[loader][include]") {
  TempDir dir;
  const std::string fifo = (dir.path / "pipe").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string main = dir.write("main.zone", kHead + "$INCLUDE pipe\n");
  const auto start = std::chrono::steady_clock::now();
  const std::string e = error_of([&] { load_zone_file(main, LoadOptions{}); });
  CHECK(seconds_since(start) < 5);
  CHECK_THAT(e, Catch::StartsWith(main + ":3: "));
  CHECK_THAT(e, Catch::Contains("not a regular file"));

  LoadOptions anywhere;
  anywhere.include_root = "/";
  const std::string dev = dir.write("dev.zone", kHead + "$INCLUDE /dev/zero\n");
  CHECK_THAT(error_of([&] { load_zone_file(dev, anywhere); }), Catch::Contains("not a regular file"));
}

TEST_CASE("$INCLUDE fan-out is bounded by one budget of includes per zone", "[loader][include]") {
  TempDir dir;
  // Each file includes the next ten times, 16 levels deep (the nesting limit): 10^15 includes if nothing stops it.
  for (int level = 0; level < 15; ++level) {
    std::string text = "h" + std::to_string(level) + " 60 A 192.0.2.1\n";
    for (int k = 0; k < 10; ++k) text += "$INCLUDE f" + std::to_string(level + 1) + ".zone\n";
    dir.write("f" + std::to_string(level) + ".zone", text);
  }
  dir.write("f15.zone", "leaf 60 A 192.0.2.2\n");
  const std::string main = dir.write("main.zone", kHead + "$INCLUDE f0.zone\n");
  const auto start = std::chrono::steady_clock::now();
  const std::string e = error_of([&] { load_zone_file(main, LoadOptions{}); });
  CHECK(seconds_since(start) < 30);
  CHECK_THAT(e, Catch::Contains("more than 10000 $INCLUDE files"));
}

TEST_CASE("$INCLUDE stays below the include root and refusals do not echo the file", "[loader][include]") {
  TempDir dir;
  dir.write("outside.zone", "secret-token 60 A 192.0.2.7\n");
  dir.write("zones/inside.zone", "inside 60 A 192.0.2.8\n");
  dir.write("zones/sub/deeper.zone", "deeper 60 A 192.0.2.9\n");
  fs::create_symlink(dir.path / "outside.zone", dir.path / "zones" / "link.zone");

  SECTION("files below the zone file's directory are read") {
    const std::string main = dir.write(
        "zones/main.zone", kHead + "$INCLUDE inside.zone\n$INCLUDE sub/deeper.zone\n$INCLUDE sub/../inside.zone\n");
    Zone z = load_zone_file(main, LoadOptions{});
    CHECK(z.records.size() == 3);
  }
  SECTION("'..', absolute paths and symbolic links cannot leave it") {
    for (const std::string& inc : std::vector<std::string>{"../outside.zone", (dir.path / "outside.zone").string(),
                                                           "link.zone", "/etc/hosts", "/etc/passwd"}) {
      const std::string main = dir.write("zones/main.zone", kHead + "\n$INCLUDE " + inc + "\n");
      const std::string e = error_of([&] { load_zone_file(main, LoadOptions{}); });
      INFO(e);
      CHECK_THAT(e, Catch::StartsWith(main + ":4: "));
      CHECK_THAT(e, Catch::Contains("outside the include root"));
      CHECK_THAT(e, !Catch::Contains("secret-token") && !Catch::Contains("localhost") && !Catch::Contains("root:"));
    }
  }
  SECTION("--include-root widens or narrows it") {
    const std::string main = dir.write("zones/main.zone", kHead + "$INCLUDE ../outside.zone\n");
    LoadOptions wide;
    wide.include_root = dir.path.string();
    CHECK(load_zone_file(main, wide).records.size() == 2);
    LoadOptions narrow;
    narrow.include_root = (dir.path / "zones" / "sub").string();
    const std::string inner = dir.write("zones/inner.zone", kHead + "$INCLUDE inside.zone\n");
    CHECK_THAT(error_of([&] { load_zone_file(inner, narrow); }), Catch::Contains("outside the include root"));
    LoadOptions missing;
    missing.include_root = (dir.path / "nowhere").string();
    CHECK_THAT(error_of([&] { load_zone_file(main, missing); }), Catch::Contains("include root"));
  }
}

TEST_CASE("one bounded reader: gzip bombs and sparse files and binary data stop early", "[loader][input]") {
  TempDir dir;
  CHECK(LoadOptions{}.max_input_bytes == std::uint64_t{4} << 30);

  SECTION("a gzip bomb of text stops at --max-input-size") {
    // 1 MiB of records compressed once, the member repeated: 512 MiB of text from well under 1 MiB.
    std::string text = kHead;
    while (text.size() < (std::size_t{1} << 20)) text += "www 60 A 192.0.2.1\n";
    const std::string member = test::gzip(text);
    std::string bomb;
    for (int i = 0; i < 512; ++i) bomb += member;
    const std::string path = dir.write("bomb.zone.gz", bomb);
    LoadOptions small;
    small.max_input_bytes = std::uint64_t{32} << 20;
    const auto start = std::chrono::steady_clock::now();
    CHECK_THAT(error_of([&] { load_zone_file(path, small); }), Catch::Contains("larger than 32 MiB"));
    CHECK(seconds_since(start) < 10);
  }
  SECTION("a sparse $INCLUDE is refused at its first block of NUL bytes") {
    const std::string sparse = dir.write("sparse.zone", "ok 60 A 192.0.2.1\n");
    REQUIRE(::truncate(sparse.c_str(), off_t{2} << 30) == 0);  // 2 GiB, nearly all a hole
    const std::string main = dir.write("main.zone", kHead + "$INCLUDE sparse.zone\n");
    const auto start = std::chrono::steady_clock::now();
    CHECK(error_of([&] { load_zone_file(main, LoadOptions{}); }) == sparse + ":2: NUL byte in the text (binary data?)");
    CHECK(seconds_since(start) < 1);
  }
  SECTION("a top-level file starting with NUL bytes fails at line 1, at once") {
    const std::string path = dir.write("zeros.zone", "");
    REQUIRE(::truncate(path.c_str(), off_t{2} << 30) == 0);
    const auto start = std::chrono::steady_clock::now();
    CHECK(error_of([&] { load_zone_file(path, LoadOptions{}); }) == path + ":1: NUL byte in the text (binary data?)");
    CHECK(seconds_since(start) < 1);
  }
  SECTION("the zone file and its $INCLUDEs share one byte budget") {
    std::string big;
    while (big.size() < 300000) big += "x 60 A 192.0.2.3\n";
    dir.write("a.zone", big);
    dir.write("b.zone", big);
    const std::string main = dir.write("main.zone", kHead + "$INCLUDE a.zone\n$INCLUDE b.zone\n");
    LoadOptions o;
    o.max_input_bytes = 500000;
    CHECK_THAT(error_of([&] { load_zone_file(main, o); }), Catch::Contains("(--max-input-size)"));
    o.max_input_bytes = 700000;
    CHECK_NOTHROW(load_zone_file(main, o));
  }
}

TEST_CASE("'-' reads the zone from standard input (plain or gzip)", "[loader][input][cli]") {
  TempDir dir;
  const std::string src = ZW_SOURCE_DIR "/test-vectors/axfr/ER.zone";
  const std::string gz = (dir.path / "er.gz").string();
  REQUIRE(std::system(("gzip -c " + src + " > " + gz).c_str()) == 0);
  const std::string out = (dir.path / "out.json").string();
  const std::string common = " zone --now 20241012000000 -f json - > " + out;
  const int file_status = run_cli("zone --now 20241012000000 " + src + " > /dev/null");
  CHECK(run_cli("< " + src + common) == file_status);
  CHECK_THAT(slurp(out), Catch::Contains("\"er.\""));
  CHECK(run_cli("< " + gz + common) == file_status);
  CHECK_THAT(slurp(out), Catch::Contains("\"er.\""));
  // Errors name the input '-'; relative $INCLUDEs resolve from the current directory.
  dir.write("inc/host.zone", "host 60 A 192.0.2.1\n");
  dir.write("stdin.zone", kHead + "$INCLUDE inc/host.zone\n\nbad A 999.0.0.1\n");
  const std::string err = (dir.path / "err.txt").string();
  CHECK(run_cli("zone - < /dev/null > /dev/null 2>&1; cd " + dir.path.string() + " && " + ZW_BINARY +
                " zone - < stdin.zone > /dev/null 2> " + err) == 3);
  CHECK_THAT(slurp(err), Catch::Contains("-:5: "));
}

TEST_CASE("dig AXFR output must be a whole transfer", "[loader][axfr]") {
  const std::string dir = ZW_SOURCE_DIR "/test-vectors/axfr/";
  SECTION("whole transfers load, in order or in parallel parts") {
    CHECK(load_zone_file(dir + "ER.zone", LoadOptions{}).records.size() == 61);
    for (const char* tld : {"FJ.zone.gz", "SL.zone.gz", "ARPA.zone"}) {
      LoadOptions parts;
      parts.parallel_part_bytes = 4096;
      CHECK_NOTHROW(load_zone_file(ZW_SOURCE_DIR "/zones/tld/" + std::string(tld), parts));
    }
  }
  SECTION("an incomplete transfer is an input error, never checked as if whole") {
    struct Case {
      const char* file;
      const char* reason;
    };
    for (const Case& c :
         {Case{"ER-transfer-failed.zone", ":34: incomplete transfer: "},
          Case{"ER-communications-error.zone", ":34: incomplete transfer: "},
          Case{"ER-cut.zone", ": incomplete transfer: "}, Case{"ER-soa-mismatch.zone", ": incomplete transfer: "},
          Case{"ER-size-mismatch.zone", ":68: incomplete transfer: "}}) {
      const std::string path = dir + c.file;
      const std::string e = error_of([&] { load_zone_file(path, LoadOptions{}); });
      INFO(e);
      CHECK_THAT(e, Catch::StartsWith(path + c.reason));
      CHECK(run_cli("zone --now 20241012000000 " + path + " > /dev/null 2>&1") == 3);
    }
  }
  SECTION("every record counts toward dig's XFR size, whichever parser reads it") {
    // CAA, SVCB, HTTPS and IPSECKEY are read by the native parsers, TXT by ldns, A and NS by the fast one.
    TempDir tmp;
    const std::string text =
        "; <<>> DiG 9.18.28 <<>> @192.0.2.1 example. axfr\n;; global options: +cmd\n"
        "example.\t3600\tIN\tSOA\tns1.example. hostmaster.example. 1 7200 3600 1209600 300\n"
        "example.\t3600\tIN\tNS\tns1.example.\n"
        "example.\t3600\tIN\tCAA\t0 issue \"ca.example\"\n"
        "example.\t3600\tIN\tHTTPS\t1 . alpn=h2\n"
        "_dns.example.\t3600\tIN\tSVCB\t1 ns1.example. alpn=dot\n"
        "example.\t3600\tIN\tIPSECKEY\t10 1 0 192.0.2.38\n"
        "example.\t3600\tIN\tTXT\t\"x\"\n"
        "ns1.example.\t3600\tIN\tA\t192.0.2.1\n"
        "example.\t3600\tIN\tSOA\tns1.example. hostmaster.example. 1 7200 3600 1209600 300\n"
        ";; Query time: 1 msec\n;; SERVER: 192.0.2.1#53(192.0.2.1) (TCP)\n"
        ";; XFR size: 9 records (messages 1, bytes 400)\n\n";
    const std::string path = tmp.write("native.zone", text);
    CHECK(load_zone_file(path, LoadOptions{}).records.size() == 8);  // the closing SOA repeats the first
  }
  SECTION("the same text without dig's header is an ordinary master file") {
    TempDir tmp;
    std::string text = slurp(dir + "ER-cut.zone");
    text = text.substr(text.find("\ner.") + 1);
    CHECK_NOTHROW(load_zone_file(tmp.write("plain.zone", text), LoadOptions{}));
  }
}

TEST_CASE("records outside the zone are set aside with their source", "[loader][out-of-zone]") {
  const std::string text = kHead +
                           "@ 3600 NS ns1\n"
                           "ns1 3600 A 192.0.2.1\n"
                           "stray.example.net. 3600 A 192.0.2.9\n"  // 5
                           "\t3600 TXT \"also outside\"\n"          // 6
                           "www 3600 A 192.0.2.2\n"
                           "com. 3600 NS a.gtld-servers.net.\n";  // 8
  for (bool parallel : {false, true}) {
    TempDir dir;
    std::string big = text;
    for (int i = 0; i < 3000; ++i) big += "h" + std::to_string(i) + " 60 A 192.0.2.3\n";
    const std::string path = dir.write("z.zone", big);
    LoadOptions o;
    o.parallel = parallel;
    o.parallel_part_bytes = 4096;
    Zone z = load_zone_file(path, o);
    REQUIRE(z.out_of_zone.size() == 3);
    CHECK(z.records.size() == 3004);
    for (const auto& n : z.names) CHECK(core::name_is_subdomain(n, z.origin));
    CHECK(z.where(z.out_of_zone[0].src) == path + ":8");  // com. sorts before example.net.
    CHECK(z.out_of_zone[0].type == rrtype::NS);
    CHECK(core::name_to_text(z.out_of_zone[1].owner) == "stray.example.net.");
    CHECK(z.out_of_zone[1].type == rrtype::A);
    CHECK(z.out_of_zone[1].src.line == 5);
    CHECK(z.out_of_zone[2].type == rrtype::TXT);
    CHECK(z.out_of_zone[2].src.line == 6);
    const RRset* www = z.find(*z.find_name(core::WireName("\3www\7example\0", 13)), rrtype::A);
    REQUIRE(www);
    CHECK(z.rdata(z.records[www->first]) == std::string("\xc0\x00\x02\x02", 4));
  }
}
