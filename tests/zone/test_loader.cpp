// test_loader.cpp: the master-file loader: directives, syntax, canonical RDATA, gzip, dig output, hostile input.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
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

const std::string kMalformed = ZW_SOURCE_DIR "/test-vectors/malformed/";

core::WireName wire(const std::string& text) {
  core::WireName out;
  std::string error;
  REQUIRE(core::parse_name(text, "", out, error));
  return out;
}

LoadOptions with_origin(const std::string& origin) {
  LoadOptions o;
  if (!origin.empty()) o.origin = wire(origin);
  return o;
}

Zone load(const std::string& text, const std::string& origin = "") {
  return load_zone_text(text, "test.zone", with_origin(origin));
}

using test::error_of;

std::string text_error(const std::string& text, const std::string& origin = "example.") {
  return error_of([&] { load(text, origin); });
}

const Record& only(const Zone& z, const std::string& owner, std::uint16_t type) {
  const RRset* s = z.find(wire(owner), type);
  REQUIRE(s != nullptr);
  REQUIRE(s->count == 1);
  return z.records[s->first];
}

std::string rdata(const Zone& z, const std::string& owner, std::uint16_t type) {
  return std::string(z.rdata(only(z, owner, type)));
}

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

using TempDir = zw::test::ScratchDir;

const std::string kSoa = "@ 3600 IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300\n";

}  // namespace

TEST_CASE("$ORIGIN, $TTL, relative names and @", "[loader]") {
  Zone z = load(
      "$ORIGIN Example.\n"                                          // 1
      "$TTL 1h30m\n"                                                // 2
      "@ IN SOA ns1 hostmaster 2024010101 7200 3600 1209600 300\n"  // 3
      "  IN NS ns1\n"                                               // 4
      "ns1 A 192.0.2.1\n"                                           // 5
      "www 300 A 192.0.2.2\n"                                       // 6
      "$ORIGIN sub\n"                                               // 7: relative to example.
      "host A 192.0.2.3\n"                                          // 8
      "$TTL 1d\n"                                                   // 9
      "abs.example. A 192.0.2.4\n"                                  // 10
      "w2 1W A 192.0.2.5\n"                                         // 11
      "@ TXT x\n");                                                 // 12
  CHECK(z.origin == wire("example."));
  CHECK(z.files == std::vector<std::string>{"test.zone"});
  CHECK(only(z, "example.", rrtype::SOA).ttl == 5400);
  CHECK(only(z, "example.", rrtype::NS).src.line == 4);
  CHECK(rdata(z, "example.", rrtype::NS) == wire("ns1.example."));
  CHECK(only(z, "ns1.example.", rrtype::A).ttl == 5400);
  CHECK(only(z, "www.example.", rrtype::A).ttl == 300);
  // RFC 2308 §4: once $TTL is given it, not the last explicit TTL, applies.
  CHECK(only(z, "host.sub.example.", rrtype::A).ttl == 5400);
  CHECK(only(z, "host.sub.example.", rrtype::A).src.line == 8);
  CHECK(only(z, "abs.example.", rrtype::A).ttl == 86400);
  CHECK(only(z, "w2.sub.example.", rrtype::A).ttl == 604800);
  CHECK(only(z, "sub.example.", rrtype::TXT).src.line == 12);
  CHECK(rdata(z, "ns1.example.", rrtype::A) == bytes({192, 0, 2, 1}));
}

TEST_CASE("TTL and class in either order, defaults", "[loader]") {
  Zone z = load(
      "a 60 IN A 192.0.2.1\n"
      "b IN 120 A 192.0.2.2\n"
      "c IN A 192.0.2.3\n"  // RFC 1035: the last explicit TTL
      "d 30 A 192.0.2.4\n"
      "e a 192.0.2.5\n"
      "f in 2h a 192.0.2.6\n",
      "example.");
  CHECK(only(z, "a.example.", rrtype::A).ttl == 60);
  CHECK(only(z, "b.example.", rrtype::A).ttl == 120);
  CHECK(only(z, "c.example.", rrtype::A).ttl == 120);
  CHECK(only(z, "d.example.", rrtype::A).ttl == 30);
  CHECK(only(z, "e.example.", rrtype::A).ttl == 30);
  CHECK(only(z, "f.example.", rrtype::A).ttl == 7200);
  for (const Record& r : z.records) CHECK(r.rclass == 1);

  // No TTL anywhere: before an SOA the default, from the SOA on its MINIMUM.
  LoadOptions o = with_origin("example.");
  o.default_ttl = 1234;
  Zone d = load_zone_text(
      "early A 192.0.2.1\n"
      "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 555\n"
      "late A 192.0.2.2\n",
      "t.zone", o);
  CHECK(only(d, "early.example.", rrtype::A).ttl == 1234);
  CHECK(only(d, "example.", rrtype::SOA).ttl == 555);
  CHECK(only(d, "late.example.", rrtype::A).ttl == 555);
}

TEST_CASE("parentheses, comments, quoted strings and blank owners", "[loader]") {
  Zone z = load(
      "@ IN SOA ns1 hostmaster ( ; the SOA\n"  // 1
      "    2024010101 ; serial\n"
      "    7200 3600\n"
      "\n"
      "    1209600 300 )\n"
      "txt 3600 TXT \"a;b\" \"c(d\" e\\;f ; a real comment \"x\n"  // 6
      "    3600 TXT \"tab\\\"quote\"\n"                            // 7: blank owner = txt
      "\t3600 A 192.0.2.1\n"                                       // 8
      "multi 3600 TXT ( \"one\"\n"                                 // 9
      "  \"two\" )\n"
      "  3600 AAAA 2001:db8::1 ; owner is multi\n",  // 11
      "example.");
  const RRset* soa = z.find(wire("example."), rrtype::SOA);
  REQUIRE(soa);
  std::string_view srd = z.rdata(z.records[soa->first]);
  CHECK(srd.substr(srd.size() - 4) == bytes({0, 0, 1, 44}));  // MINIMUM 300
  CHECK(z.records[soa->first].src.line == 1);
  const RRset* txt = z.find(wire("txt.example."), rrtype::TXT);
  REQUIRE(txt);
  REQUIRE(txt->count == 2);
  std::vector<std::string> rds;
  for (const Record& r : z.records_of(*txt)) rds.emplace_back(z.rdata(r));
  CHECK(std::find(rds.begin(), rds.end(), "\3a;b\3c(d\3e;f") != rds.end());
  CHECK(std::find(rds.begin(), rds.end(), "\x09tab\"quote") != rds.end());
  CHECK(only(z, "txt.example.", rrtype::A).src.line == 8);
  CHECK(rdata(z, "multi.example.", rrtype::TXT) == "\3one\3two");
  CHECK(only(z, "multi.example.", rrtype::TXT).src.line == 9);
  CHECK(only(z, "multi.example.", rrtype::AAAA).src.line == 11);
}

TEST_CASE("CRLF line ends, a byte-order mark, lower-case directives", "[loader]") {
  Zone z = load("\xEF\xBB\xBF$origin example.\r\n$ttl 60\r\n@ SOA ns1 hm ( 1 2\r\n 3 4 5 )\r\n  A 192.0.2.1\r\n");
  CHECK(z.origin == wire("example."));
  CHECK(only(z, "example.", rrtype::A).src.line == 5);
  CHECK(rdata(z, "example.", rrtype::A) == bytes({192, 0, 2, 1}));
}

TEST_CASE("escapes in owner names", "[loader]") {
  Zone z = load("a\\.b 60 A 192.0.2.1\n\\065\\066 60 A 192.0.2.2\n", "example.");
  CHECK(z.find(std::string("\3a.b\7example\0", 13), rrtype::A));
  CHECK(z.find(wire("ab.example."), rrtype::A));  // \065\066 = "AB", compared case-insensitively
}

TEST_CASE("RFC 3597 unknown types and generic RDATA", "[loader]") {
  Zone z = load(
      "x 60 TYPE65280 \\# 4 0A000001\n"
      "y 60 A \\# 4 C0000201\n"
      "e 60 TYPE65281 \\# 0\n"
      "s 60 TYPE65282 \\# 3 ab ( cd\n ef )\n"
      "m 60 MX \\# 8 000a 044D41494C 00\n",
      "example.");
  CHECK(rdata(z, "x.example.", 65280) == bytes({10, 0, 0, 1}));
  CHECK(rdata(z, "y.example.", rrtype::A) == bytes({192, 0, 2, 1}));
  CHECK(rdata(z, "e.example.", 65281).empty());
  CHECK(rdata(z, "s.example.", 65282) == bytes({0xab, 0xcd, 0xef}));
  CHECK(rdata(z, "m.example.", rrtype::MX) == std::string("\0\x0a\4mail\0", 8));  // lowercased as MX
  CHECK(type_name(65280) == "TYPE65280");

  CHECK_THAT(text_error("x 60 TYPE65280 \\# 3 0a00\n"), Catch::Contains("test.zone:1:"));
  CHECK_THAT(text_error("\nx 60 TYPE65280 \\# 2 0g00\n"), Catch::Contains("test.zone:2: RFC 3597"));
  CHECK_THAT(text_error("x 60 TYPE65280 \\# 1 0a00\n"), Catch::Contains("2 octets given, 1 declared"));
  CHECK_THAT(text_error("x 60 TYPE65280 \\# x 0a00\n"), Catch::Contains("length"));
  CHECK_THAT(text_error("x 60 A \\# 5 c000020100\n"), Catch::Contains("test.zone:1: RFC 3597 RDATA is not valid A"));
  CHECK_THAT(text_error("x 60 TYPE65280 01\n"), Catch::Contains("test.zone:1: cannot parse TYPE65280 RDATA"));
  CHECK_THAT(text_error("x 60 TYPE99999 \\# 0\n"), Catch::Contains("unknown RR type 'TYPE99999'"));
  CHECK_THAT(text_error("x 60 ANY \\# 0\n"), Catch::Contains("cannot appear in a zone file"));
}

TEST_CASE("canonical RDATA: names lowercased per RFC 4034 §6.2 and RFC 6840 §5.1", "[loader]") {
  Zone z = load(
      "@ 60 MX 10 MAIL.Example.\n"
      "@ 60 RRSIG A 13 1 60 20241025041736 20241011041203 6518 EXAMPLE. AAAA\n"
      "@ 60 NSEC WWW.Example. A RRSIG NSEC\n"
      "@ 60 CNAME Target.EXAMPLE.\n"
      "Upper 60 SOA NS1.Example. HostMaster.Example. 1 2 3 4 5\n",
      "example.");
  CHECK(rdata(z, "example.", rrtype::MX) == std::string("\0\x0a", 2) + wire("mail.example."));
  std::string sig = rdata(z, "example.", rrtype::RRSIG);
  CHECK(sig.substr(18, 9) == wire("example."));
  // RFC 6840 §5.1: the NSEC next domain name keeps its case.
  CHECK(rdata(z, "example.", rrtype::NSEC).substr(0, 13) == wire("WWW.Example."));
  CHECK(rdata(z, "example.", rrtype::CNAME) == wire("target.example."));
  CHECK(rdata(z, "upper.example.", rrtype::SOA).substr(0, 13) == wire("ns1.example."));
  // Owners are lowercased by ZoneBuilder.
  CHECK(z.find_name(wire("upper.example.")).has_value());
  CHECK(z.names[*z.find_name(wire("upper.example."))] == wire("upper.example."));
}

TEST_CASE("the origin: -o, $ORIGIN, or the first SOA", "[loader]") {
  // -o is authoritative for the apex even when the file says otherwise.
  CHECK(load("$ORIGIN other.\n@ 60 A 192.0.2.1\n", "example.").origin == wire("example."));
  CHECK(load("$ORIGIN example.\nwww 60 A 192.0.2.1\n").origin == wire("example."));
  CHECK(load("example. 60 SOA ns1 hm 1 2 3 4 5\nwww 60 A 192.0.2.1\n").origin == wire("example."));
  // A named-compilezone dump: "$ORIGIN ." before the SOA; the SOA owner is the apex.
  Zone dump = load(
      "$ORIGIN .\n$TTL 60\nexample IN SOA ns1.example. hm.example. 1 2 3 4 5\n"
      "  NS ns1.example.\n$ORIGIN example.\nns1 A 192.0.2.1\n");
  CHECK(dump.origin == wire("example."));
  CHECK(dump.find(wire("ns1.example."), rrtype::A));
  CHECK(text_error("example. 60 NS ns1.example.\n", "") == "test.zone: no origin: give -o/--origin or include the SOA");
  CHECK_THAT(text_error("www 60 A 192.0.2.1\n", ""), Catch::Contains("test.zone:1: relative owner name 'www' but no "
                                                                     "origin"));
  CHECK_THAT(text_error("a. 60 NS ns1\n", ""),
             Catch::Contains("test.zone:1: relative name in the RDATA but no origin"));
  CHECK_THAT(text_error("a. 60 MX 10 @\n", ""), Catch::Contains("test.zone:1: relative name in the RDATA"));
}

TEST_CASE("classes other than IN are kept, mixing is rejected", "[loader]") {
  Zone z = load("@ CH 60 SOA ns1 hm 1 2 3 4 5\nversion CH TXT \"1.0\"\nauthors TXT \"x\"\n", "bind.");
  for (const Record& r : z.records) CHECK(r.rclass == 3);
  CHECK_THAT(error_of([] { load("@ CH 60 TXT a\n\nx IN 60 TXT b\n", "bind."); }),
             Catch::Contains("test.zone:3: class IN differs from class CH at test.zone:1"));
}

TEST_CASE("$INCLUDE: relative paths, origin argument, no leaking origin", "[loader]") {
  TempDir dir;
  dir.write("sub/inc.zone",
            "; included\n"
            "host 60 A 192.0.2.10\n"        // 2
            "$ORIGIN elsewhere.example.\n"  // must not leak back
            "deep 60 A 192.0.2.11\n"        // 4
            "$INCLUDE more.zone\n");        // 5: relative to sub/
  dir.write("sub/more.zone", "more 60 A 192.0.2.12\n");
  dir.write("sub/plain.zone", "plain 60 A 192.0.2.13\n");
  std::string main = dir.write("main.zone",
                               "$ORIGIN example.\n"                          // 1
                               "@ 60 SOA ns1 hm 1 2 3 4 5\n"                 // 2
                               "$INCLUDE sub/inc.zone lab\n"                 // 3
                               "after 60 A 192.0.2.20\n"                     // 4
                               "$INCLUDE \"sub/plain.zone\"\n"               // 5
                               "\t60 TXT \"owner is after, not plain\"\n");  // 6
  Zone z = load_zone_file(main, LoadOptions{});
  CHECK(z.origin == wire("example."));
  REQUIRE(z.files.size() == 4);
  CHECK(z.files[0] == main);
  CHECK(z.files[1] == (dir.path / "sub/inc.zone").string());
  CHECK(z.files[2] == (dir.path / "sub/more.zone").string());
  const Record& host = only(z, "host.lab.example.", rrtype::A);
  CHECK(z.where(host.src) == (dir.path / "sub/inc.zone").string() + ":2");
  CHECK(z.where(only(z, "deep.elsewhere.example.", rrtype::A).src) == z.files[1] + ":4");
  CHECK(z.where(only(z, "more.elsewhere.example.", rrtype::A).src) == z.files[2] + ":1");
  CHECK(z.where(only(z, "after.example.", rrtype::A).src) == main + ":4");
  CHECK(only(z, "plain.example.", rrtype::A).src.file == 3);
  CHECK(only(z, "after.example.", rrtype::TXT).src.line == 6);

  std::string missing = dir.write("missing.zone", "$ORIGIN example.\n\n$INCLUDE x.db\n");
  CHECK(error_of([&] { load_zone_file(missing, LoadOptions{}); }) ==
        missing + ":3: cannot open $INCLUDE file '" + (dir.path / "x.db").string() + "': No such file or directory");
}

TEST_CASE("gzip input is recognised by its magic, not its name", "[loader]") {
  TempDir dir;
  std::string path = (dir.path / "zone.txt").string();
  gzFile f = gzopen(path.c_str(), "wb");
  REQUIRE(f);
  std::string text = "$ORIGIN example.\n" + kSoa;
  for (int i = 0; i < 1000; ++i) text += "h" + std::to_string(i) + " 60 A 192.0.2.1\n";
  REQUIRE(gzwrite(f, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
  REQUIRE(gzclose(f) == Z_OK);
  Zone z = load_zone_file(path, LoadOptions{});
  CHECK(z.origin == wire("example."));
  CHECK(z.records.size() == 1001);
  CHECK(only(z, "h999.example.", rrtype::A).src.line == 1002);

  // A truncated gzip file is an error, not a short zone.
  std::string data;
  {
    std::ifstream in(path, std::ios::binary);
    data.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::string cut = dir.write("cut.gz", data.substr(0, data.size() / 2));
  CHECK_THAT(error_of([&] { load_zone_file(cut, LoadOptions{}); }), Catch::Contains(cut + ": truncated gzip data"));
}

TEST_CASE("dig AXFR output (the er. TLD)", "[loader]") {
  const std::string path = ZW_SOURCE_DIR "/test-vectors/axfr/ER.zone";
  Zone z = load_zone_file(path, LoadOptions{});
  CHECK(z.origin == wire("er."));
  const RRset* soa = z.find(wire("er."), rrtype::SOA);
  REQUIRE(soa);
  CHECK(soa->count == 1);  // dig prints the SOA first and last
  CHECK(z.records.size() == 61);
  CHECK(z.where(z.records[soa->first].src) == path + ":4");
  CHECK(z.find(wire("er."), rrtype::DNSKEY));
  CHECK(z.find(wire("com.er."), rrtype::DS));
  CHECK(z.kinds[*z.find_name(wire("com.er."))] == NodeKind::Delegation);
}

TEST_CASE("hostile input: committed malformed vectors", "[loader]") {
  struct Case {
    const char* file;
    int line;
    const char* reason;
  };
  const Case cases[] = {
      {"truncated-paren.zone", 4, "unbalanced parentheses: '(' is never closed"},
      {"unterminated-quote.zone", 4, "unterminated quoted string"},
      {"garbage-rdata.zone", 4, "cannot parse A RDATA"},
      {"long-label.zone", 4, "label longer than 63 octets"},
      {"binary-garbage.zone", 3, "NUL byte"},
      {"bad-type.zone", 4, "unknown RR type 'AAA'"},
      {"bad-ttl.zone", 4, "bad TTL '1x'"},
      {"no-origin.zone", 3, "relative owner name 'www' but no origin: give -o/--origin"},
      {"include-loop-a.zone", 3, "include nesting deeper than 16 (loop?)"},
  };
  for (const Case& c : cases) {
    INFO(c.file);
    const std::string path = kMalformed + c.file;
    const std::string msg = error_of([&] { load_zone_file(path, LoadOptions{}); });
    CHECK_THAT(msg, Catch::StartsWith(path + ":" + std::to_string(c.line) + ": "));
    CHECK_THAT(msg, Catch::Contains(c.reason));
  }
  LoadOptions shallow;
  shallow.max_include_depth = 3;
  CHECK_THAT(error_of([&] { load_zone_file(kMalformed + "include-loop-b.zone", shallow); }),
             Catch::Equals(kMalformed + "include-loop-a.zone:3: include nesting deeper than 3 (loop?)"));
  CHECK_THAT(error_of([&] { load_zone_file(kMalformed + "does-not-exist.zone", LoadOptions{}); }),
             Catch::Equals(kMalformed + "does-not-exist.zone: cannot open: No such file or directory"));
  CHECK_THAT(error_of([&] { load_zone_file(kMalformed, LoadOptions{}); }),
             Catch::Contains("cannot open: Is a directory"));
}

TEST_CASE("hostile input: huge names and records fail fast", "[loader]") {
  auto start = std::chrono::steady_clock::now();
  std::string labels;
  labels.reserve(200000);
  for (int i = 0; i < 100000; ++i) labels += "a.";
  CHECK_THAT(text_error("; x\n" + labels + " 60 A 192.0.2.1\n"),
             Catch::Contains("test.zone:2: bad owner name: name longer"));
  CHECK_THAT(text_error("x 60 CNAME " + labels + "\n"), Catch::StartsWith("test.zone:1: "));
  CHECK_THAT(text_error("x 60 CNAME " + labels.substr(0, 300) + "\n"), Catch::StartsWith("test.zone:1: "));
  // Relative RDATA name that is only too long once the origin is appended.
  std::string rel;
  for (int i = 0; i < 62; ++i) rel += "abc.";
  CHECK_THAT(text_error("x 60 CNAME " + rel + "x\n"),
             Catch::Contains("test.zone:1: domain name in the RDATA is longer"));
  CHECK_THAT(text_error("x 60 CNAME " + labels.substr(0, 60000) + "\n"), Catch::StartsWith("test.zone:1: "));
  CHECK_THAT(text_error("x 60 MX 10 " + labels.substr(0, 60000) + "\n"), Catch::StartsWith("test.zone:1: "));
  std::string label64(64, 'a');
  CHECK_THAT(text_error("x 60 CNAME " + label64 + "\n"), Catch::StartsWith("test.zone:1: cannot parse CNAME"));

  // One logical record over 1 MiB (an unclosed parenthesis swallowing the rest of the file).
  std::string big = "\n\nx 60 TXT (\n";
  while (big.size() < (std::size_t{1} << 20) + 1000) big += "  \"abcdefghijklmnopqrstuvwxyz\"\n";
  big += ")\n";
  CHECK_THAT(text_error(big), Catch::Contains("test.zone:3: record longer than 1 MiB"));
  // RDATA text that fits the scanner but not ldns's 64 KiB line.
  std::string wide = "x 60 TXT";
  for (int i = 0; i < 1000; ++i) wide += " \"" + std::string(100, 'x') + "\"";
  CHECK_THAT(text_error(wide + "\n"), Catch::Contains("test.zone:1: RDATA text longer than"));
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 10.0);
}

TEST_CASE("hostile input: syntax errors name the right line", "[loader]") {
  CHECK_THAT(text_error("ok 60 A 192.0.2.1\n(\n\n"), Catch::Contains("test.zone:2: unbalanced parentheses"));
  CHECK_THAT(text_error("a 60 TXT ( \"x\"\n ( \"y\" ) )\n"), Catch::Contains("test.zone:2: nested '('"));
  CHECK_THAT(text_error("a 60 A 192.0.2.1 )\n"), Catch::Contains("test.zone:1: ')' without a matching '('"));
  CHECK_THAT(text_error("a 60 TXT (\n \"abc\n\"\n)\n"),
             Catch::Contains("test.zone:1: unterminated quoted string (opened "
                             "on line 2)"));
  CHECK_THAT(text_error("\na 60 TXT \"abc"), Catch::Contains("test.zone:2: unterminated quoted string"));
  CHECK_THAT(text_error("a 60 TXT abc\\"), Catch::Contains("test.zone:1: backslash at the end of a line"));
  CHECK_THAT(text_error("a 60 A 192.0.2.1\n\nb 60 A 192.0.2.\x01\n"),
             Catch::Contains("test.zone:3: control character 0x01"));
  CHECK_THAT(text_error(std::string("a 60 A 192.0.2.1\n; \0 in a comment\n", 34)),
             Catch::Contains("test.zone:2: NUL byte"));
  CHECK_THAT(text_error("\n$GENERATE 1-10 h$ A 192.0.2.$\n"),
             Catch::Contains("test.zone:2: $GENERATE is not supported"));
  CHECK_THAT(text_error("$FOO bar\n"), Catch::Contains("test.zone:1: unknown directive '$FOO'"));
  CHECK_THAT(text_error("$TTL forever\n"), Catch::Contains("test.zone:1: bad $TTL value 'forever'"));
  CHECK_THAT(text_error("$TTL 99999999999\n"), Catch::Contains("bad $TTL value"));
  CHECK_THAT(text_error("$ORIGIN\n"), Catch::Contains("test.zone:1: $ORIGIN takes exactly one domain name"));
  CHECK_THAT(text_error("  60 A 192.0.2.1\n"),
             Catch::Contains("test.zone:1: the line starts with white space but there "
                             "is no previous owner"));
  CHECK_THAT(text_error("a 60 60 A 192.0.2.1\n"), Catch::Contains("two TTLs"));
  CHECK_THAT(text_error("a IN IN A 192.0.2.1\n"), Catch::Contains("two classes"));
  CHECK_THAT(text_error("a 60 IN\n"), Catch::Contains("test.zone:1: missing RR type"));
  CHECK_THAT(text_error("a 60 A\n"), Catch::Contains("test.zone:1: cannot parse A RDATA"));
  CHECK_THAT(text_error("a 60 DNSKEY 257 3 13 !!notbase64!!\n"), Catch::Contains("test.zone:1: cannot parse DNSKEY"));
  CHECK_THAT(text_error("a..b 60 A 192.0.2.1\n"), Catch::Contains("test.zone:1: bad owner name: empty label"));
  CHECK_THAT(text_error("\"quoted\" 60 A 192.0.2.1\n"),
             Catch::Contains("test.zone:1: the owner name cannot be a quoted string"));

  // Random bytes never crash or hang the loader.
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::string junk = "$ORIGIN example.\n";
    std::size_t n = rng() % 400;
    for (std::size_t i = 0; i < n; ++i) {
      auto v = rng() % 100;
      junk.push_back(v < 60 ? " \t\n();\"\\.@$0123456789abcdefINATXSOMRG"[rng() % 38] : static_cast<char>(rng() % 256));
    }
    try {
      load_zone_text(junk, "junk.zone", LoadOptions{});
    } catch (const Error& e) {
      CHECK_THAT(std::string(e.what()), Catch::StartsWith("junk.zone"));
    }
  }
}

TEST_CASE("load real zone snapshots (set ZW_REALDATA_DIR)", "[.manual]") {
  const char* dir = std::getenv("ZW_REALDATA_DIR");
  if (!dir) {
    WARN("ZW_REALDATA_DIR is not set");
    return;
  }
  std::vector<fs::path> files;
  for (const char* sub : {"root-zone", "tld-axfr-2024-10"}) {
    for (const auto& e : fs::directory_iterator(fs::path(dir) / sub)) {
      std::string n = e.path().filename().string();
      if (n.find(".zone") != std::string::npos) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    auto t0 = std::chrono::steady_clock::now();
    Zone z = load_zone_file(p.string(), LoadOptions{});
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%-40s origin %-22s %7zu records %6zu names %7.1f ms\n", p.filename().c_str(),
                core::name_to_text(z.origin).c_str(), z.records.size(), z.names.size(), ms);
  }
}
