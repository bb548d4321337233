// test_cymru.cpp: Team Cymru's DNS interface as an address source, against a resolver stand-in on loopback that
// answers its TXT questions from a table (run in a private network namespace: ctest live:transport).
#include <catch2/catch.hpp>
#include <string>

#include "infra/address_data.hpp"
#include "live/lab_support.hpp"
#include "live/txt_resolver.hpp"

using zw::test::TxtResolver;

namespace {

zw::infra::Address addr(const char* text) {
  auto a = zw::infra::Address::parse(text);
  REQUIRE(a);
  return *a;
}

}  // namespace

TEST_CASE("Team Cymru's DNS interface: origin and AS names, IPv4 and IPv6, a resolver given", "[live][infra]") {
  if (!zw::test::in_netns()) return;  // binds port 53: run through tests/lab/netns-run (ctest: live:transport)
  const std::string v6name =
      std::string("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.") + "origin6.asn.example-lab.";
  TxtResolver resolver("127.0.0.16",
                       {{"1.31.53.127.origin.asn.example-lab.", "64500 | 127.53.31.0/24 | US | lab | 2026-01-01"},
                        {v6name, "64501 64502 | 2001:db8::/32 | DE | lab | 2026-01-01"},
                        {"as64500.asn.example-lab.", "64500 | US | lab | 2026-01-01 | Example Social, Inc., US"}});
  const auto s = zw::infra::open_source("cymru:origin.asn.example-lab,127.0.0.16");
  CHECK(s->kind == "cymru");
  auto v4 = s->lookup(addr("127.53.31.1"));
  REQUIRE(v4);
  CHECK(v4->asn == 64500);
  CHECK(v4->network == "127.53.31.0/24");
  CHECK(v4->country == "US");
  CHECK(v4->org == "Example Social, Inc., US");
  auto v6 = s->lookup(addr("2001:db8::1"));
  REQUIRE(v6);
  CHECK(v6->asn == 64501);                              // several origins: the first stands for the prefix
  CHECK(v6->org.empty());                               // no AS name answered
  CHECK_FALSE(s->lookup(addr("127.53.40.1")));          // NXDOMAIN: not covered
  CHECK(s->lookup(addr("127.53.31.1"))->asn == 64500);  // from the cache
}
