// test_address_facts.cpp: address data that records what it answers (a live run saving a capture) and address data
// that answers from recorded facts (a replay): the same answers, sources and ages, no lookup.
#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "infra/address_facts.hpp"
#include "infra/diversity.hpp"
#include "input_support.hpp"

using namespace zw::infra;

namespace {

Address addr(const char* text) {
  auto a = Address::parse(text);
  REQUIRE(a);
  return *a;
}

/// Two sources: a CSV range file (AS and organisation, built 2026-01-01) and an iptoasn file (AS and country).
std::shared_ptr<const AddressData> two_sources(const zw::test::ScratchDir& dir) {
  const std::string csv = (dir.path / "ranges.csv").string();
  const std::string tsv = (dir.path / "countries.tsv").string();
  std::ofstream(csv) << "# built=2026-01-01\n127.53.31.0,127.53.31.255,64500,\"Example Social, Inc.\"\n";
  std::ofstream(tsv) << "127.53.31.0\t127.53.32.255\t64999\tNL\tOTHER\n198.51.100.0\t198.51.100.255\t64511\tDE\tCDN\n";
  auto data = std::make_shared<AddressData>();
  data->add(open_source("csv:" + csv));
  data->add(open_source("iptoasn:" + tsv));
  return data;
}

void check_same(const AddressInfo& a, const AddressInfo& b) {
  CHECK(a.asn == b.asn);
  CHECK(a.org == b.org);
  CHECK(a.network == b.network);
  CHECK(a.country == b.country);
  CHECK(a.anycast == b.anycast);
  CHECK(a.source == b.source);
}

}  // namespace

TEST_CASE("a recorder answers as its address data does and keeps every answer", "[infra][capture]") {
  const zw::test::ScratchDir dir;
  const auto data = two_sources(dir);
  const FactRecorder recorder(data);
  const AddressData& rec = *recorder.data();
  REQUIRE(rec.sources().size() == 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CHECK(rec.sources()[i]->name == data->sources()[i]->name);
    CHECK(rec.sources()[i]->kind == data->sources()[i]->kind);
    CHECK(rec.sources()[i]->built == data->sources()[i]->built);
  }
  for (const char* a : {"127.53.31.1", "127.53.32.1", "198.51.100.80", "192.0.2.1"}) {
    INFO(a);
    check_same(rec.lookup(addr(a)), data->lookup(addr(a)));
  }
  const AddressFacts facts = recorder.facts();
  REQUIRE(facts.sources.size() == 2);
  CHECK(facts.sources[0].kind == "csv");
  CHECK(facts.sources[0].built == 1767225600);  // 2026-01-01
  REQUIRE(facts.facts.size() == 4);
  const AddressInfo& first = facts.facts.at(addr("127.53.31.1"));
  CHECK(first.asn == 64500);
  CHECK(first.org == "Example Social, Inc.");
  CHECK(first.country == "NL");  // from the second source
  CHECK(first.source == facts.sources[0].name);
  CHECK(facts.facts.at(addr("192.0.2.1")).asn == 0);  // asked, and no source covers it

  // No address data: nothing to ask, no source, no fact.
  const FactRecorder none(nullptr);
  CHECK(none.data()->empty());
  CHECK(none.facts().sources.empty());
}

TEST_CASE("recorded facts answer as the recorded run did, and nothing else", "[infra][capture]") {
  const zw::test::ScratchDir dir;
  const auto data = two_sources(dir);
  const FactRecorder recorder(data);
  const std::map<std::string, std::vector<Address>> ns = {{"ns1.example.", {addr("127.53.31.1")}},
                                                          {"ns2.example.", {addr("198.51.100.80")}},
                                                          {"ns3.example.", {addr("192.0.2.1")}}};
  const Spread live = spread_of(ns, *recorder.data());
  const auto replayed = recorded_address_data(recorder.facts());
  REQUIRE(replayed->sources().size() == 2);
  CHECK(replayed->sources()[0]->name == data->sources()[0]->name);
  CHECK(replayed->sources()[0]->built == data->sources()[0]->built);
  CHECK(replayed->sources()[1]->kind == "iptoasn");
  const Spread again = spread_of(ns, *replayed);
  CHECK(again.asns == live.asns);
  CHECK(again.countries == live.countries);
  CHECK(again.uncovered == live.uncovered);
  CHECK(again.covered == 2);
  for (std::size_t i = 0; i < live.addresses.size(); ++i) check_same(again.addresses[i].info, live.addresses[i].info);
  // An address the run never asked about is one no source covers.
  CHECK(replayed->lookup(addr("127.53.32.1")).asn == 0);
  CHECK(data->lookup(addr("127.53.32.1")).asn == 64999);
  // Facts without sources: no address data.
  CHECK(recorded_address_data(AddressFacts{})->empty());
}
