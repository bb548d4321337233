// test_rdata_syntax.cpp: RDATA as real signers and dig print it loads to the exact wire form: SVCB/HTTPS (RFC 9460)
// and CAA (RFC 8659) by the native parser, every other type by ldns. Expected bytes come from dnspython 2.3 (an
// independent implementation) and, where ldns reads the text correctly, from ldns itself; the RFC 9460 Appendix D
// vectors are in test-vectors/kat/.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/handles.hpp"
#include "core/ldns.hpp"
#include "core/name.hpp"
#include "zone/loader.hpp"
#include "zone/rdata_fast.hpp"
#include "zone/rdata_native.hpp"
#include "zone/rdata_support.hpp"

namespace {

struct Case {
  const char* type;
  const char* text;  ///< RDATA as written in a zone file
  const char* wire;  ///< canonical RDATA in hex (dnspython's to_digestable)
};

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    const auto u = static_cast<unsigned char>(c);
    out += kDigits[u >> 4];
    out += kDigits[u & 15];
  }
  return out;
}

std::string strip_spaces(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

// Loads one record (owner relative to `origin`, or absolute) after a root SOA and returns its RDATA in hex, or
// "error: <message>".
std::string load_hex(const std::string& owner, const std::string& type, const std::string& text,
                     const std::string& origin = "example.", bool fast = true) {
  const std::string zone = "$ORIGIN .\n. 300 IN SOA a.root. b.root. 1 2 3 4 5\n$ORIGIN " + origin + "\n" + owner +
                           " 300 IN " + type + " " + text + "\n";
  return zw::test::rdata_hex_at(zone, "rdata.zone", 4, fast);
}

// The canonical RDATA ldns makes of the same text, or "error: …".
std::string ldns_hex(const std::string& type, const std::string& written) {
  // ldns reads one line: drop comments (outside quoted strings) and join the lines.
  std::string text;
  bool quoted = false, comment = false;
  for (std::size_t i = 0; i < written.size(); ++i) {
    const char c = written[i];
    if (c == '\n') {
      comment = false;
      text += ' ';
    } else if (comment) {
      continue;
    } else if (c == '\\' && i + 1 < written.size()) {
      text += c;
      text += written[++i];
    } else if (c == '"') {
      quoted = !quoted;
      text += c;
    } else if (c == ';' && !quoted) {
      comment = true;
    } else {
      text += c;
    }
  }
  const std::string line = "rr.example. 300 IN " + type + " " + text;
  zw::core::LdnsRdfPtr origin(ldns_dname_new_frm_str("example."));
  ldns_rr* raw = nullptr;
  const ldns_status st = ldns_rr_new_frm_str(&raw, line.c_str(), 300, origin.get(), nullptr);
  zw::core::LdnsRrPtr rr(raw);
  if (st != LDNS_STATUS_OK || !rr) return std::string("error: ") + ldns_get_errorstr_by_id(st);
  ldns_rr2canonical(rr.get());
  zw::core::LdnsBufferPtr buf(ldns_buffer_new(512));
  if (ldns_rr_rdata2buffer_wire(buf.get(), rr.get()) != LDNS_STATUS_OK) return "error: wire";
  return hex(
      std::string_view(reinterpret_cast<const char*>(ldns_buffer_begin(buf.get())), ldns_buffer_position(buf.get())));
}

// SVCB, HTTPS and CAA as BIND, Knot, dig and dnspython print them (RFC 9460 §2.1, RFC 8659 §4.1.1).
const std::vector<Case> kNative = {
    {"HTTPS", R"(1 . alpn="h2,h3" ipv6hint="2001:db8::1")",
     "000100000100060268320268330006001020010db8000000000000000000000001"},
    {"HTTPS", R"(1 . alpn=h2,h3 ipv6hint=2001:db8::1)",
     "000100000100060268320268330006001020010db8000000000000000000000001"},
    {"SVCB", R"(0 svc.example.)", "000003737663076578616d706c6500"},
    {"HTTPS", R"(0 Svc.Example.)", "000003537663074578616d706c6500"},
    {"SVCB", R"(1 . key65535="x")", "000100ffff000178"},
    {"SVCB", R"(1 . key65535)", "000100ffff0000"},
    {"SVCB", R"(1 . mandatory=alpn,ipv4hint alpn=h2 ipv4hint=192.0.2.1)",
     "00010000000004000100040001000302683200040004c0000201"},
    {"SVCB", R"(1 . ipv4hint=192.0.2.1 mandatory="ipv4hint,alpn" alpn="h2")",
     "00010000000004000100040001000302683200040004c0000201"},
    {"HTTPS", R"(1 . no-default-alpn alpn=h2)", "0001000001000302683200020000"},
    {"HTTPS", R"(1 . alpn=h3 no-default-alpn="")", "0001000001000302683300020000"},
    {"SVCB", R"(1 . port=8443)", "0001000003000220fb"},
    {"SVCB", R"(1 . port="53")", "000100000300020035"},
    {"SVCB", R"(1 . ipv4hint=192.0.2.1,192.0.2.2)", "00010000040008c0000201c0000202"},
    {"SVCB", R"(1 svc dohpath="/dns-query{?dns}")",
     "000103737663076578616d706c6500000700102f646e732d71756572797b3f646e737d"},
    {"SVCB", R"(1 . alpn="h2\,x,h3")", "000100000100080268320178026833"},
    {"SVCB", R"(1 . alpn="h2\\,x,h3")", "000100000100080468322c78026833"},
    {"HTTPS",
     R"(1 . ech="AEP+DQA/BAAgACCW2/dfOBZAtQU55/py/BlhdRdaauPAkrERAUwppoeSEgAEAAEAAQAQY2QxLnRlc3QuZGVmby5pZQAA")",
     "000100000500450043fe0d003f040020002096dbf75f381640b50539e7fa72fc196175175a6ae3c092b111014c29a68792120004000100010"
     "0106364312e746573742e6465666f2e69650000"},
    {"HTTPS", R"(1 . ech=AEP+DQA/BAAgACCW2/dfOBZAtQU55/py/BlhdRdaauPAkrERAUwppoeSEgAEAAEAAQAQY2QxLnRlc3QuZGVmby5pZQAA)",
     "000100000500450043fe0d003f040020002096dbf75f381640b50539e7fa72fc196175175a6ae3c092b111014c29a68792120004000100010"
     "0106364312e746573742e6465666f2e69650000"},
    {"HTTPS", R"(1 . ( alpn="h2,h3"
       ipv4hint="192.0.2.1" ))",
     "0001000001000602683202683300040004c0000201"},
    {"HTTPS", R"(1 . ohttp)", "00010000080000"},
    {"HTTPS", R"(1 . key1="\002h2")", "00010000010003026832"},
    {"SVCB", R"(2 svc.example. port=443 key3000="a b" key2999=\065)",
     "000203737663076578616d706c65000003000201bb0bb70001410bb80003612062"},
    // draft-ietf-tls-key-share-prediction: X25519MLKEM768 (4588), x25519 (29), secp256r1 (23), as key9 in dnspython
    {"HTTPS", R"(1 . alpn=h2 tls-supported-groups=4588,29,23)", "000100000100030268320009000611ec001d0017"},
    {"CAA", R"(0 issue ca.example)", "0005697373756563612e6578616d706c65"},
    {"CAA", R"(0 issue "ca.example")", "0005697373756563612e6578616d706c65"},
    {"CAA", R"(0 issue ";")", "000569737375653b"},
    {"CAA", R"(0 iodef "mailto:x@example")", "0005696f6465666d61696c746f3a78406578616d706c65"},
    {"CAA", R"(128 tbs "x")", "800374627378"},
    {"CAA", R"(255 issuewild "x.example; policy=ev")",
     "ff09697373756577696c64782e6578616d706c653b20706f6c6963793d6576"},
    {"CAA", R"(0 issue "")", "00056973737565"},
    {"CAA", R"(0 Issue "a\"b\065")", "0005497373756561226241"},
    {"CAA", R"(0 issue ca.example;)", "0005697373756563612e6578616d706c65"},
};

// The other types, with the syntax variants signers and dig produce: hex split by blanks and parentheses, base64
// over several lines, mnemonics, quoted strings with escapes, epoch-second RRSIG times, …
const std::vector<Case> kOther = {
    {"TLSA", R"(3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6)",
     "0301010c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6"},
    {"TLSA", R"(3 1 1 0C72AC70B745AC19998811B131D662C9 AC69DBDBE7CB23E5B514B56664C5D3D6)",
     "0301010c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6"},
    {"TLSA", R"(3 1 1 ( 0c72ac70b745ac19998811b131d662c9
      ac69dbdbe7cb23e5b514b56664c5d3d6 ))",
     "0301010c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6"},
    {"SMIMEA", R"(3 1 1 0C72AC70B745AC19998811B131D662C9)", "0301010c72ac70b745ac19998811b131d662c9"},
    {"SSHFP", R"(1 1 dd465c09cfa51fb45020cc83316fff21b9ec74ac)", "0101dd465c09cfa51fb45020cc83316fff21b9ec74ac"},
    {"SSHFP", R"(4 2 dd465c09cfa51fb45020cc83316fff21b9ec74ac dd465c09cfa51fb45020cc83316fff21)",
     "0402dd465c09cfa51fb45020cc83316fff21b9ec74acdd465c09cfa51fb45020cc83316fff21"},
    {"NAPTR", R"(100 10 "S" "SIP+D2U" "" _sip._udp.Example.)",
     "0064000a0153075349502b44325500045f736970045f756470076578616d706c6500"},
    {"NAPTR", R"(100 10 "u" "E2U+sip" "!^.*$!sip:info@example.com!" .)",
     "0064000a0175074532552b7369701b215e2e2a24217369703a696e666f406578616d706c652e636f6d2100"},
    {"NAPTR", R"(100 10 u E2U+sip !^.*$!sip:info@example.com! .)",
     "0064000a0175074532552b7369701b215e2e2a24217369703a696e666f406578616d706c652e636f6d2100"},
    {"LOC", R"(52 22 23.000 N 4 53 32.000 E -2.00m 0.00m 10000m 10m)", "000016138b3cf018810cbce0009895b8"},
    {"LOC", R"(52 N 4 E 0m)", "001216138b28720080dbba0000989680"},
    {"LOC", R"(42 21 54 N 71 06 18 W -24m 30m)", "0033161389172dd070be15f000988d20"},
    {"LOC", R"(32 7 19 S 116 2 25 E 10m)", "00121613791b7d2898e6486800989a68"},
    {"CERT", R"(1 0 0 MIIBAA==)", "000100000030820100"},
    {"CERT", R"(PKIX 12345 RSASHA256 MIIBAA==)", "000130390830820100"},
    {"URI", R"(10 1 "ftp://ftp1.example.com/public")",
     "000a00016674703a2f2f667470312e6578616d706c652e636f6d2f7075626c6963"},
    {"DS", R"(12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC 1AFE51DE49FD46E6C4B45C55D4AC69CB)",
     "3039080249fd46e6c4b45c55d4ac69cbd3cd34ac1afe51de49fd46e6c4b45c55d4ac69cb"},
    {"DS", R"(12345 8 2 ( 49FD46E6C4B45C55D4AC69CBD3CD34AC
       1AFE51DE49FD46E6C4B45C55D4AC69CB ))",
     "3039080249fd46e6c4b45c55d4ac69cbd3cd34ac1afe51de49fd46e6c4b45c55d4ac69cb"},
    {"DS", R"(12345 RSASHA256 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE49FD46E6C4B45C55D4AC69CB)",
     "3039080249fd46e6c4b45c55d4ac69cbd3cd34ac1afe51de49fd46e6c4b45c55d4ac69cb"},
    {"DNSKEY", R"(257 3 13 ( mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+Gq
        JxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== ))",
     "0101030d99db2cc14cabdc33d6d77da63a2f15f71112584f234e8d1dc428e39e8a4a97e1aa271a555dc90701e17e2a4c4b6f120b7c32d44f4"
     "ac02bd894cf2d4be7778a19"},
    {"DNSKEY",
     R"(257 3 ECDSAP256SHA256 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==)",
     "0101030d99db2cc14cabdc33d6d77da63a2f15f71112584f234e8d1dc428e39e8a4a97e1aa271a555dc90701e17e2a4c4b6f120b7c32d44f4"
     "ac02bd894cf2d4be7778a19"},
    {"TXT", R"("a \"quoted\" \065 word" plain)", "1161202271756f74656422204120776f726405706c61696e"},
    {"TXT", R"("semi;colon" "paren(" x\;y)", "0a73656d693b636f6c6f6e06706172656e2803783b79"},
    {"TXT", R"("tab\009" "\\back")", "0474616209055c6261636b"},
    {"TXT", R"("")", "00"},
    {"SPF", R"("v=spf1 -all")", "0b763d73706631202d616c6c"},
    {"HINFO", R"("PC" "Linux")", "025043054c696e7578"},
    {"RRSIG", R"(SOA 13 1 300 1706745600 1704067200 12345 example. ZmFrZXNpZ25hdHVyZQ==)",
     "00060d010000012c65badf00659200803039076578616d706c650066616b657369676e6174757265"},
    {"RRSIG", R"(A 13 2 300 20240201000000 20240101000000 12345 Example. ( ZmFrZXNp
     Z25hdHVyZQ== ))",
     "00010d020000012c65badf00659200803039076578616d706c650066616b657369676e6174757265"},
    {"SRV", R"(10 5 443 Target.Example.)", "000a000501bb06746172676574076578616d706c6500"},
    {"OPENPGPKEY", R"(AAAA)", "000000"},
    {"ZONEMD",
     R"(2024010101 1 1 0C72AC70B745AC19998811B131D662C90C72AC70B745AC19998811B131D662C90C72AC70B745AC19998811B131D662C9)",
     "78a3f17501010c72ac70b745ac19998811b131d662c90c72ac70b745ac19998811b131d662c90c72ac70b745ac19998811b131d662c9"},
    {"CSYNC", R"(2024010101 3 A NS AAAA)", "78a3f1750003000460000008"},
    {"RP", R"(mbox.example. txt.example.)", "046d626f78076578616d706c650003747874076578616d706c6500"},
    {"AAAA", R"(::ffff:192.0.2.1)", "00000000000000000000ffffc0000201"},
    {"DHCID", R"(AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfNuVAA2kjEA=)",
     "000201636fc0b8271c82825bb1ac5c41cf5351aa69b4febd94e8f17cdb95000da48c40"},
    {"EUI48", R"(00-00-5e-00-53-2a)", "00005e00532a"},
    {"APL", R"(1:192.168.32.0/21 !1:192.168.38.0/28)", "00011503c0a82000011c83c0a826"},
    {"NSEC", R"(next.example. A TYPE65534 RRSIG NSEC)",
     "046e657874076578616d706c65000006400000000003ff20000000000000000000000000000000000000000000000000000000000000000"
     "2"},
    {"ZONEMD",
     R"(2024010101 1 1 ( 0C72AC70B745AC19998811B131D662C90C72AC70 B745AC19998811B131D662C90C72AC70B745AC19998811B131D662C9 ))",
     "78a3f17501010c72ac70b745ac19998811b131d662c90c72ac70b745ac19998811b131d662c90c72ac70b745ac19998811b131d662c9"},
    {"OPENPGPKEY", R"(( AAAA
   AAAA ))",
     "000000000000"},
    {"DHCID", R"(( AAIBY2/AuCccgoJbsaxcQc9TUapptP69lOjxfN
 uVAA2kjEA= ))",
     "000201636fc0b8271c82825bb1ac5c41cf5351aa69b4febd94e8f17cdb95000da48c40"},
    {"SMIMEA", R"(3 1 1 ( 0C72AC70B745AC19998811B131D662C9
   0C72AC70B745AC19998811B131D662C9 ))",
     "0301010c72ac70b745ac19998811b131d662c90c72ac70b745ac19998811b131d662c9"},
    {"SOA", R"(ns1 hostmaster 2024010101 1h 15m 1w 1d)",
     "036e7331076578616d706c65000a686f73746d6173746572076578616d706c650078a3f17500000e100000038400093a8000015180"},
    {"SOA", R"(NS1.Example. Host\.Master.example. ( 2024010101 ; serial
  7200 3600 1209600 300 ))",
     "036e7331076578616d706c65000b686f73742e6d6173746572076578616d706c650078a3f17500001c2000000e10001275000000012c"},
    {"TXT", R"("\195\169t\195\169")", "05c3a974c3a9"},
    {"TXT", R"(( "multi"
  "line" ))",
     "056d756c7469046c696e65"},
    {"TXT", R"("" "")", "0000"},
    {"NSEC3PARAM", R"(1 0 10 AABBCCDD)", "0100000a04aabbccdd"},
    {"NSEC3", R"(1 1 12 aabbccdd ( 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR A RRSIG ))",
     "0101000c04aabbccdd14174eb2409fe28bcb4887a1836f957f0a8425e27b0006400000000002"},
    {"IPSECKEY", R"(10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==)",
     "0a0102c0000226010351537986ed35533b6064478eeeb27b5bd74dae149b6e81ba3a0521af82ab7801"},
    {"KX", R"(10 KX.example.)", "000a026b78076578616d706c6500"},
    {"AFSDB", R"(1 AFS.example.)", "000103616673076578616d706c6500"},
    {"NID", R"(10 0014:4fff:ff20:ee64)", "000a00144fffff20ee64"},
    {"L32", R"(10 10.1.2.0)", "000a0a010200"},
    {"EUI64", R"(00-00-5e-ef-10-00-00-2a)", "00005eef1000002a"},
    {"CDS", R"(0 0 0 00)", "0000000000"},
    {"CDNSKEY", R"(0 3 0 AA==)", "0000030000"},
    {"RRSIG", R"(A 8 2 300 ( 20240201000000 20240101000000 12345 example.
    ZmFrZXNpZ25hdHVyZQ== ))",
     "000108020000012c65badf00659200803039076578616d706c650066616b657369676e6174757265"},
    {"RRSIG", R"(HTTPS 13 2 300 20240201000000 20240101000000 12345 example. ZmFrZXNpZ25hdHVyZQ==)",
     "00410d020000012c65badf00659200803039076578616d706c650066616b657369676e6174757265"},
    {"RRSIG", R"(TYPE65534 13 2 300 20240201000000 20240101000000 12345 example. ZmFrZXNpZ25hdHVyZQ==)",
     "fffe0d020000012c65badf00659200803039076578616d706c650066616b657369676e6174757265"},
    {"MX", R"(10 @)", "000a076578616d706c6500"},
    {"SRV", R"(0 0 0 .)", "00000000000000"},
    {"PTR", R"(@)", "076578616d706c6500"},
    {"HINFO", R"(PC Linux)", "025043054c696e7578"},
    {"DNAME", R"(Target.Example.)", "06746172676574076578616d706c6500"},
    {"NSEC", R"(Next.Example. ( A NS SOA
  RRSIG NSEC DNSKEY HTTPS SVCB CAA ))",
     "044e657874074578616d706c650000096200000000038000c0010140"},
    {"A", R"(192.0.2.1 ; a comment)", "c0000201"},
};

}  // namespace

TEST_CASE("SVCB, HTTPS and CAA load in the forms signers and dig print", "[loader][rdata]") {
  for (const Case& c : kNative) {
    INFO(c.type << " " << c.text);
    CHECK(load_hex("rr", c.type, c.text) == c.wire);
    CHECK(load_hex("rr", c.type, c.text, "example.", false) == c.wire);
  }
}

TEST_CASE("RDATA syntax variants give the same bytes as ldns and dnspython", "[loader][rdata]") {
  for (const Case& c : kOther) {
    INFO(c.type << " " << c.text);
    CHECK(load_hex("rr", c.type, c.text) == c.wire);
    CHECK(ldns_hex(c.type, c.text) == c.wire);
  }
  // RFC 3597 generic RDATA, TYPEnnn and CLASSnnn.
  CHECK(load_hex("rr", "TYPE65534", "\\# 5 0102030405") == "0102030405");
  CHECK(load_hex("rr", "TYPE65534", "\\# 0") == "");
  CHECK(load_hex("rr", "A", "\\# 4 C0000201") == "c0000201");
  CHECK(load_hex("rr", "TYPE1", "192.0.2.1") == "c0000201");
  CHECK(load_hex("rr", "TYPE64", "\\# 3 000100") == "000100");
  {
    zw::zone::LoadOptions o;
    const auto z =
        zw::zone::load_zone_text(". 300 CLASS1 SOA a. b. 1 2 3 4 5\nrr. CLASS1 300 TYPE1 192.0.2.1\n", "c.zone", o);
    REQUIRE(z.records.size() == 2);
    CHECK(z.records[1].rclass == 1);
  }
  CHECK(load_hex("rr", "CAA", "\\# 6 800374627378") == "800374627378");
}

TEST_CASE("CAA and SVCB text ldns reads correctly gives ldns's bytes", "[loader][rdata]") {
  // The differential half: where ldns 1.8.3 parses the text right, the native parser must agree with it.
  int compared = 0;
  for (const Case& c : kNative) {
    if (ldns_hex(c.type, c.text) != c.wire) continue;
    INFO(c.type << " " << c.text);
    CHECK(load_hex("rr", c.type, c.text) == ldns_hex(c.type, c.text));
    ++compared;
  }
  CHECK(compared >= 10);
}

TEST_CASE("RFC 9460 Appendix D vectors", "[loader][rdata][kat]") {
  std::ifstream in(std::string(ZW_SOURCE_DIR) + "/test-vectors/kat/rfc9460-appendix-d.txt");
  REQUIRE(in);
  std::string line, loaded;
  int ok = 0, wire = 0, fail = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ';') continue;
    const auto tab = line.find('\t');
    REQUIRE(tab != std::string::npos);
    const std::string kind = line.substr(0, tab), rest = line.substr(tab + 1);
    INFO(line);
    if (kind == "wire") {
      CHECK(loaded == strip_spaces(rest));
      ++wire;
      continue;
    }
    std::istringstream fields(rest);
    std::string owner, type, text;
    fields >> owner >> type >> std::ws;
    std::getline(fields, text);
    loaded = load_hex(owner, type, text, "com.");
    if (kind == "ok") {
      CHECK(loaded.rfind("error", 0) != 0);
      ++ok;
    } else {
      REQUIRE(kind == "fail");
      CHECK(loaded.rfind("error: rdata.zone:4: ", 0) == 0);
      ++fail;
    }
  }
  CHECK(ok == 10);
  CHECK(wire == 10);
  CHECK(fail == 10);
}

TEST_CASE("RFC 3597 generic SVCB, HTTPS and CAA must be valid for the type", "[loader][rdata]") {
  // RFC 3597 §5: the generic form of a known type must be valid RDATA of that type. Every record above, written as
  // "\\# len hex", loads to the same bytes.
  for (const Case& c : kNative) {
    const std::string generic = "\\# " + std::to_string(std::strlen(c.wire) / 2) + " " + c.wire;
    INFO(c.type << " " << generic);
    CHECK(load_hex("rr", c.type, generic) == c.wire);
  }
  const std::vector<std::pair<const char*, const char*>> bad = {
      {"SVCB", "\\# 5 0001 00 0003"},                                // ends inside a SvcParam
      {"SVCB", "\\# 10 0001 00 0003 0003 003500"},                   // a 3-octet port
      {"SVCB", "\\# 16 0001 00 0003 0002 0035 0001 0003 026832"},    // keys out of order
      {"SVCB", "\\# 17 0001 00 0001 0003 026832 0001 0003 026833"},  // a key twice
      {"SVCB", "\\# 4 0001 c00c"},                                   // a compressed TargetName
      {"SVCB", "\\# 2 0001"},                                        // no TargetName
      {"SVCB", "\\# 4 0001 0161"},                                   // the TargetName runs off the end
      {"SVCB", "\\# 9 0001 00 0000 0002 0001"},                      // mandatory names an absent key
      {"SVCB", "\\# 7 0001 00 0002 0000"},                           // no-default-alpn without alpn
      {"SVCB", "\\# 9 0001 00 0001 0002 0000"},                      // an empty alpn-id
      {"SVCB", "\\# 10 0001 00 0004 0003 c00002"},                   // a 3-octet ipv4hint
      {"HTTPS", "\\# 8 0001 00 0003 0002 00"},                       // the value runs off the end
      {"CAA", "\\# 3 00 00 41"},                                     // an empty tag
      {"CAA", "\\# 5 00 02 2d 2d 41"},                               // a tag that is not alphanumeric
      {"CAA", "\\# 3 00 05 41"},                                     // the tag runs off the end
      {"CAA", "\\# 1 00"},                                           // no tag length
  };
  for (const auto& [type, text] : bad) {
    INFO(type << " " << text);
    const std::string loaded = load_hex("rr", type, text);
    CHECK(loaded.rfind("error: rdata.zone:4: ", 0) == 0);
    CHECK(loaded.find("RFC 3597 RDATA is not valid") != std::string::npos);  // not a length mismatch
  }
  // Values of known keys written as keyNNNNN are their wire form and must be valid too.
  CHECK(load_hex("rr", "SVCB", "1 . key3=\"\\000\"").rfind("error: rdata.zone:4: ", 0) == 0);
  CHECK(load_hex("rr", "SVCB", "1 . key3=\"\\000\\053\"") == "000100000300020035");  // port 53
}

TEST_CASE("malformed SVCB, HTTPS and CAA are errors at their line", "[loader][rdata]") {
  const std::vector<std::pair<const char*, const char*>> bad = {
      {"SVCB", "1 . alpn=h2 alpn=h3"},               // a key twice
      {"SVCB", "1 . port=h2"},                       // not a number
      {"SVCB", "1 . port=65536"},                    // too large
      {"SVCB", "1 . ipv4hint=192.0.2.1,"},           // an empty item
      {"SVCB", "1 . ipv4hint=2001:db8::1"},          // the wrong family
      {"SVCB", "1 . ipv6hint=192.0.2.1"},            //
      {"SVCB", "1 . ipv4hint=\"192.0.2.1\\000x\""},  // a NUL inside an address
      {"SVCB", "1 . alpn="},                         // alpn needs a value
      {"SVCB", "1 . alpn=\"\""},                     //
      {"SVCB", "1 . alpn=h2,,h3"},                   // an empty alpn-id
      {"SVCB", "1 . foo=bar"},                       // an unknown key name
      {"SVCB", "1 . key65536=x"},                    // key number out of range
      {"SVCB", "1 . key01=x"},                       // leading zero
      {"SVCB", "1 . =x"},                            // no key
      {"SVCB", "1 . \"alpn=h2\""},                   // a quoted SvcParam
      {"SVCB", "1 . alpn= \"h2\""},                  // blank between = and the value
      {"SVCB", "1 . alpn=\"h2\"x"},                  // text glued to the quoted value
      {"SVCB", "1 . alpn=h2\"x\""},                  //
      {"SVCB", "1 . ech=not-base64!"},               //
      {"SVCB", "1 . ech"},                           //
      {"SVCB", "1 . no-default-alpn"},               // without alpn (RFC 9460 §7.1.1)
      {"SVCB", "1 . ohttp=x"},                       // ohttp takes no value (RFC 9540 §4)
      {"SVCB", "1 . mandatory=foo alpn=h2"},         // unknown key in mandatory
      {"SVCB", "1 . key667=\"a\\2\""},               // a malformed escape
      {"SVCB", "65536 ."},                           // priority out of range
      {"SVCB", "1"},                                 // no TargetName
      {"SVCB", "1 \"x.\""},                          // a quoted TargetName
      {"HTTPS", "1 . alpn=h2 ALPN=h3"},              // key names are case-insensitive: a repeat
      {"SVCB", "1 . tls-supported-groups"},          //
      {"SVCB", "1 . tls-supported-groups=29,x"},     //
      {"CAA", "256 issue \"x\""},                    // flags out of range
      {"CAA", "0 issue"},                            // no value
      {"CAA", "0 issue a b"},                        // two values
      {"CAA", "0 \"issue\" x"},                      // quoted tag
      {"CAA", "0 is-sue x"},                         // tag not alphanumeric
      {"CAA", "0 issue \"a\\2\""},                   // a malformed escape
  };
  for (const auto& [type, text] : bad) {
    INFO(type << " " << text);
    CHECK(load_hex("rr", type, text).rfind("error: rdata.zone:4: ", 0) == 0);
  }
  // A relative TargetName needs an origin.
  const std::string no_origin = "rr.example. 300 IN SVCB 1 svc\n. 300 IN SOA a. b. 1 2 3 4 5\n";
  zw::zone::LoadOptions o;
  CHECK_THROWS_WITH(zw::zone::load_zone_text(no_origin, "rdata.zone", o), Catch::StartsWith("rdata.zone:1: "));
}

TEST_CASE("mutated SVCB, HTTPS and CAA records load to valid RDATA or fail at their line", "[loader][rdata]") {
  // Random edits of characters and tokens: every outcome is either RDATA the generic-form check accepts (so the text
  // parser never writes what it would refuse as wire) or an error naming the file and line.
  const std::string base =
      "$ORIGIN example.\n$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n"
      "a HTTPS 1 . alpn=\"h2,h3\" ipv4hint=192.0.2.1 mandatory=alpn,ipv4hint port=\"443\"\n"
      "b SVCB 2 svc.example. ech=\"AEP+DQA/BAAg\" key667=\"a\\\\,b\\065\" alpn=f\\\\\\092oo\\092,bar no-default-alpn\n"
      "c HTTPS 0 Target.Example.\n"
      "d SVCB 1 . ipv6hint=\"2001:db8::1,::ffff:192.0.2.1\" dohpath=\"/q{?dns}\" key65535 ohttp\n"
      "e CAA 0 issue \"ca.example; account=1\"\n"
      "f CAA 128 tbs x\\\"y\n";
  {
    zw::zone::LoadOptions o;
    REQUIRE(zw::zone::load_zone_text(base, "mutant.zone", o).records.size() == 7);
  }
  std::mt19937 rng(20261207);
  const std::string alphabet = "0123456789abcdefz.,=-\\\" ()\t;:keyalpnmandatory";
  int loaded = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = 70 + rng() % (text.size() - 70);  // after the SOA
      switch (rng() % 3) {
        case 0: text[pos] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
        default: text.erase(pos, 1 + rng() % 4); break;
      }
    }
    try {
      zw::zone::LoadOptions o;
      const zw::zone::Zone z = zw::zone::load_zone_text(text, "mutant.zone", o);
      for (const auto& r : z.records) {
        if (!zw::zone::has_native_parser(r.type)) continue;
        INFO(text);
        CHECK(zw::zone::check_native_wire(r.type, z.rdata(r)).empty());
      }
      ++loaded;
    } catch (const zw::Error& e) {
      INFO(text);
      CHECK(std::string(e.what()).rfind("mutant.zone:", 0) == 0);
      ++refused;
    }
  }
  CHECK(loaded > 100);
  CHECK(refused > 100);
}
