// test_rdata_ipseckey.cpp: IPSECKEY (RFC 4025) loads to its wire form in every way signers print it. BIND's
// dnssec-signzone text output splits a long public key over several lines; RFC 4025 §3.1 allows whitespace inside
// the base64 public key. Expected bytes are RFC 4025 §3.3's examples encoded by hand from §2.
#include <catch2/catch.hpp>
#include <string>

#include "core/error.hpp"
#include "zone/loader.hpp"
#include "zone/rdata_support.hpp"

namespace {

// Loads `record` (the last line of a small zone, line 4) and returns its RDATA in hex, or "error: <message>".
std::string load_hex(const std::string& record, bool fast = true) {
  const std::string zone = "$ORIGIN example.\n@ 300 IN SOA ns1 hostmaster 1 2 3 4 5\n@ 300 IN NS ns1\n" + record + "\n";
  return zw::test::rdata_hex_at(zone, "ipseckey.zone", 4, fast);
}

const std::string kKey = "010351537986ed35533b6064478eeeb27b5bd74dae149b6e81ba3a0521af82ab7801";

}  // namespace

TEST_CASE("IPSECKEY loads in RFC 4025's examples and as BIND prints it", "[loader][rdata][ipseckey]") {
  struct Case {
    const char* record;
    std::string wire;
  };
  const Case cases[] = {
      // RFC 4025 §3.3, one line each.
      {"x IPSECKEY ( 10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ== )", "0a0102c0000226" + kKey},
      {"x IPSECKEY ( 10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ== )", "0a0002" + kKey},
      {"x IPSECKEY ( 10 3 2 mygateway.example.com. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ== )",
       "0a0302096d7967617465776179076578616d706c6503636f6d00" + kKey},
      {"x IPSECKEY ( 10 2 2 2001:0DB8:0:8002::2000:1 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ== )",
       "0a020220010db800008002000000002000000"
       "1" +
           kKey},
      // dnssec-signzone's text output: the public key split over lines inside parentheses.
      {"x 3600 IN IPSECKEY ( 10 1 2 192.0.2.38\n\t\t\tAQNRU3mG7TVTO2BkR47usntb102uFJtugbo6\n\t\t\tBSGvgqt4AQ== )",
       "0a0102c0000226" + kKey},
      {"x IPSECKEY 10 0 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6 BSGvgqt4AQ==", "0a0002" + kKey},
      {"x IPSECKEY 10 2 2 2001:db8:0:8002::2000:1 AQNRU3mG7 TVTO2BkR47usntb102uFJtugbo6 BSGvgqt4AQ==",
       "0a020220010db800008002000000002000000"
       "1" +
           kKey},
      // A relative gateway name takes the origin; its case is kept (IPSECKEY is not in RFC 4034 §6.2's list).
      {"x IPSECKEY 10 3 2 GW AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6 BSGvgqt4AQ==",
       "0a03020247570765"
       "78616d706c6500" +
           kKey},
      // No public key (RFC 4025 §2.5: algorithm 0 means no key is present).
      {"x IPSECKEY 10 1 0 192.0.2.38", "0a0100c0000226"},
  };
  for (const Case& c : cases) {
    INFO(c.record);
    CHECK(load_hex(c.record) == c.wire);
    CHECK(load_hex(c.record, false) == c.wire);
  }
}

TEST_CASE("malformed IPSECKEY is an error at its line", "[loader][rdata][ipseckey]") {
  for (const char* record : {
           "x IPSECKEY 10 0 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",   // type 0 needs "."
           "x IPSECKEY 10 1 2 gw.example. AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",  // not IPv4
           "x IPSECKEY 10 2 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",   // not IPv6
           "x IPSECKEY 10 4 2 . AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",            // no type 4
           "x IPSECKEY 256 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ==",  // precedence > 255
           "x IPSECKEY 10 1 2 192.0.2.38 AQNRU3mG7TVTO2BkR47usntb102uFJtugbo6BSGvgqt4AQ=",    // bad base64
           "x IPSECKEY 10 1 2",                                                               // no gateway
       }) {
    INFO(record);
    const std::string r = load_hex(record);
    CHECK(r.rfind("error: ", 0) == 0);
    CHECK(r.find("ipseckey.zone:4") != std::string::npos);
  }
}

TEST_CASE("RFC 3597 generic IPSECKEY must be valid for the type", "[loader][rdata][ipseckey]") {
  // RFC 3597 §5: generic RDATA of a known type must be valid for it.
  CHECK(load_hex("x IPSECKEY \\# 7 0a0102c0000226") == "0a0102c0000226");
  CHECK(load_hex("x TYPE45 \\# 3 0a0002") == "0a0002");
  CHECK(load_hex("x IPSECKEY \\# 6 0a0102c00002").rfind("error: ", 0) == 0);  // IPv4 gateway cut short
  CHECK(load_hex("x IPSECKEY \\# 3 0a0402").rfind("error: ", 0) == 0);        // gateway type 4
  CHECK(load_hex("x IPSECKEY \\# 5 0a0302c000").rfind("error: ", 0) == 0);    // compressed gateway name
}
