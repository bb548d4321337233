// test_capture.cpp: captures (byte-identical round trips, strict bounded reading that names the JSON path of every
// problem), the replay transport (matching, order, unmatched requests) and the recording transport.
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "core/codec.hpp"
#include "input_support.hpp"
#include "live/capture.hpp"
#include "live/transport_replay.hpp"

using namespace zw::live;
using zw::test::error_of;
using Json = nlohmann::json;

namespace {

Request request(std::string qname, std::uint16_t qtype, Proto proto = Proto::Udp) {
  Request r;
  r.server = "ns1.example.";
  r.address = "127.53.1.1";
  r.proto = proto;
  r.qname = std::move(qname);
  r.qtype = qtype;
  return r;
}

Response answer(std::string wire, double rtt = 1.5) {
  return Response{Outcome::Answer, std::move(wire), rtt, 1, nullptr};
}

ResolverVerdict verdict(std::string qname, std::uint16_t qtype, std::string v, int rcode, std::string why) {
  ResolverVerdict r;
  r.question.qname = std::move(qname);
  r.question.qtype = qtype;
  r.verdict = std::move(v);
  r.rcode = rcode;
  r.why_bogus = std::move(why);
  return r;
}

Capture sample() {
  Capture c;
  c.now = 1795000000;
  c.seed = 18446744073709551615ULL;
  c.names = {"example.", "Shop.SVC."};
  c.root_hints = ".\t3600000\tIN\tNS\ta.root.\na.root.\t3600000\tIN\tA\t127.53.0.1\n";
  c.anchors = {". IN DS 12345 13 2 ABCDEF", ". IN DNSKEY 257 3 13 AAAA"};
  Request v6 = request("example.", 48, Proto::Tcp);
  v6.address = "2001:db8::53";
  v6.port = 5353;
  v6.edns = false;
  v6.edns_size = 512;
  v6.dnssec_ok = false;
  v6.recursion_desired = true;
  c.exchanges = {
      {request("example.", 6), answer(std::string("\x12\x34\x84\x00\x00\x01\0\0\xff\xfe", 10), 0.123456789)},
      {v6, Response{Outcome::Timeout, "", 0, 2, nullptr}},
      {request("www.example.", 1), Response{Outcome::Malformed, "\x01", 3.25, 1, nullptr}},
      {request("example.", 1), Response{Outcome::Mismatch, "abc", 7, 1, nullptr}},
      {request("example.", 2), Response{Outcome::TooLarge, std::string(300, '\xaa'), 8, 1, nullptr}},
      {request("example.", 15), Response{Outcome::Unreachable, "", 0, 1, nullptr}},
      {request("example.", 16), Response{Outcome::DeadlinePassed, "", 0, 0, nullptr}},
  };
  c.resolver.push_back(verdict("example.", 6, "secure", 0, ""));
  c.resolver.push_back(
      verdict("bad.example.", 48, "bogus", 2, "signature expired from 127.53.1.1 for DNSKEY bad.example."));
  c.resolver.push_back(verdict("plain.example.", 6, "insecure", 3, ""));
  c.resolver.push_back(verdict("dark.example.", 6, "error", 2, ""));
  return c;
}

zw::infra::Address addr(const char* text) {
  auto a = zw::infra::Address::parse(text);
  REQUIRE(a);
  return *a;
}

/// sample() with the address facts and services of a live run.
Capture sample_with_facts() {
  Capture c = sample();
  c.services = {"api.example.", "web.example."};
  zw::infra::AddressFacts f;
  f.sources = {{"csv:asn.csv", "csv", 1767225600}, {"libloc:/usr/share/libloc-location/location.db", "libloc", {}}};
  zw::infra::AddressInfo one;
  one.asn = 64500;
  one.org = "Example Social, Inc. \"ES\"";
  one.network = "127.53.31.0/24";
  one.country = "NL";
  one.source = "csv:asn.csv";
  f.facts[addr("127.53.31.1")] = one;
  zw::infra::AddressInfo any;
  any.asn = 4294967295U;
  any.network = "2001:db8::-2001:db8::ff";
  any.anycast = true;
  any.source = f.sources[1].name;
  f.facts[addr("2001:db8::53")] = any;
  f.facts[addr("192.0.2.1")] = {};  // asked, not covered
  c.addresses = f;
  return c;
}

std::string written(const Capture& c) {
  std::ostringstream out;
  write_capture(out, c);
  return out.str();
}

Capture read_text(const std::string& text, std::uint64_t max_bytes = std::uint64_t{1} << 30) {
  std::istringstream in(text);
  return read_capture(in, "capture.json", max_bytes);
}

/// The message of reading `sample()` after `edit` changed its JSON.
std::string error_after(const std::function<void(Json&)>& edit) {
  Json doc = Json::parse(written(sample()));
  edit(doc);
  return error_of([&] { read_text(doc.dump()); });
}

}  // namespace

TEST_CASE("a capture reads back equal and writes back byte-identical", "[capture]") {
  const Capture c = sample();
  const std::string first = written(c);
  const Capture back = read_text(first);
  CHECK(back.now == c.now);
  CHECK(back.seed == c.seed);
  CHECK(back.names == c.names);
  CHECK(back.root_hints == c.root_hints);
  CHECK(back.anchors == c.anchors);
  REQUIRE(back.exchanges.size() == c.exchanges.size());
  for (std::size_t i = 0; i < c.exchanges.size(); ++i) {
    const Request& a = c.exchanges[i].request;
    const Request& b = back.exchanges[i].request;
    CHECK(std::tie(a.server, a.address, a.port, a.proto, a.qname, a.qtype, a.edns, a.edns_size, a.dnssec_ok,
                   a.recursion_desired) == std::tie(b.server, b.address, b.port, b.proto, b.qname, b.qtype, b.edns,
                                                    b.edns_size, b.dnssec_ok, b.recursion_desired));
    const Response& x = c.exchanges[i].response;
    const Response& y = back.exchanges[i].response;
    CHECK(x.outcome == y.outcome);
    CHECK(x.wire == y.wire);
    CHECK(x.rtt_ms == y.rtt_ms);
    CHECK(x.attempts == y.attempts);
  }
  REQUIRE(back.resolver.size() == c.resolver.size());
  for (std::size_t i = 0; i < c.resolver.size(); ++i) {
    CHECK(back.resolver[i].question.qname == c.resolver[i].question.qname);
    CHECK(back.resolver[i].question.qtype == c.resolver[i].question.qtype);
    CHECK(back.resolver[i].verdict == c.resolver[i].verdict);
    CHECK(back.resolver[i].rcode == c.resolver[i].rcode);
    CHECK(back.resolver[i].why_bogus == c.resolver[i].why_bogus);
  }
  CHECK(written(back) == first);
  CHECK_FALSE(back.addresses);  // a capture of version 1 without facts: none, and none written back
  CHECK(back.services.empty());
  CHECK(first.find("address_") == std::string::npos);
  CHECK(first.find("services") == std::string::npos);
}

TEST_CASE("a capture keeps the services asked and the address facts, in canonical order", "[capture]") {
  const Capture c = sample_with_facts();
  const std::string first = written(c);
  const Capture back = read_text(first);
  CHECK(back.services == c.services);
  REQUIRE(back.addresses);
  REQUIRE(back.addresses->sources.size() == 2);
  CHECK(back.addresses->sources[0].name == "csv:asn.csv");
  CHECK(back.addresses->sources[0].built == 1767225600);
  CHECK_FALSE(back.addresses->sources[1].built);
  REQUIRE(back.addresses->facts.size() == 3);
  const auto& one = back.addresses->facts.at(addr("127.53.31.1"));
  CHECK(one.asn == 64500);
  CHECK(one.org == "Example Social, Inc. \"ES\"");
  CHECK(one.network == "127.53.31.0/24");
  CHECK(one.country == "NL");
  CHECK_FALSE(one.anycast);
  CHECK(one.source == "csv:asn.csv");
  CHECK(back.addresses->facts.at(addr("2001:db8::53")).anycast);
  CHECK(back.addresses->facts.at(addr("2001:db8::53")).asn == 4294967295U);
  CHECK(back.addresses->facts.at(addr("192.0.2.1")).asn == 0);
  CHECK(written(back) == first);

  // Sorted keys, one fact and one source a line, facts in address order; other keys as before.
  CHECK(first.rfind("{\"address_facts\":[\n{\"address\":\"127.53.31.1\",\"anycast\":false,\"asn\":64500,", 0) == 0);
  CHECK(first.find("\n{\"address\":\"192.0.2.1\",\"anycast\":false,\"asn\":0,\"country\":\"\",\"network\":\"\","
                   "\"org\":\"\",\"source\":\"\"},\n{\"address\":\"2001:db8::53\"") != std::string::npos);
  CHECK(first.find("\n],\"address_sources\":[\n{\"built\":1767225600,\"kind\":\"csv\",\"name\":\"csv:asn.csv\"},\n"
                   "{\"built\":null,\"kind\":\"libloc\",") != std::string::npos);
  CHECK(first.find("\n],\"anchors\":") != std::string::npos);
  CHECK(
      first.find(",\"seed\":18446744073709551615,\"services\":[\"api.example.\",\"web.example.\"],\"version\":1}\n") !=
      std::string::npos);

  // A run with no address data recorded that it had none: empty lists, not absent ones.
  Capture empty = sample();
  empty.addresses = zw::infra::AddressFacts{};
  const std::string none = written(empty);
  CHECK(none.rfind("{\"address_facts\":[],\"address_sources\":[],\"anchors\":", 0) == 0);
  const Capture none_back = read_text(none);
  REQUIRE(none_back.addresses);
  CHECK(none_back.addresses->facts.empty());
  CHECK(written(none_back) == none);
}

TEST_CASE("a capture with a wrong address fact or service is refused naming its JSON path", "[capture]") {
  using Edit = std::function<void(Json&)>;
  const std::vector<std::pair<Edit, std::string>> cases = {
      {[](Json& d) { d["address_facts"][0]["address"] = "127.53.31"; },
       "capture.json: address_facts[0].address: not an IPv4 or IPv6 address"},
      {[](Json& d) { d["address_facts"][2]["address"] = "2001:DB8::53"; },
       "address_facts[2].address: not in canonical form (2001:db8::53)"},
      {[](Json& d) { d["address_facts"][1]["address"] = "127.53.31.1"; }, "address_facts[1].address: given twice"},
      {[](Json& d) { d["address_facts"][0]["asn"] = 4294967296ULL; }, "address_facts[0].asn: out of range"},
      {[](Json& d) { d["address_facts"][0]["asn"] = "AS64500"; }, "address_facts[0].asn: not a number"},
      {[](Json& d) { d["address_facts"][0]["country"] = "Netherlands"; },
       "address_facts[0].country: not a two-letter country code"},
      {[](Json& d) { d["address_facts"][0]["anycast"] = 0; }, "address_facts[0].anycast: not true or false"},
      {[](Json& d) { d["address_facts"][0]["org"] = nullptr; }, "address_facts[0].org: not a string"},
      {[](Json& d) { d["address_facts"][0].erase("network"); }, "address_facts[0].network: missing"},
      {[](Json& d) { d["address_facts"][0]["prefix"] = ""; }, "address_facts[0].prefix: unknown key"},
      {[](Json& d) { d["address_facts"][0]["source"] = "mmdb:other.mmdb"; },
       "address_facts[0].source: not one of address_sources"},
      {[](Json& d) { d["address_sources"][0]["built"] = "2026-01-01"; }, "address_sources[0].built: not a number"},
      {[](Json& d) { d["address_sources"][1]["name"] = ""; }, "address_sources[1].name: empty"},
      {[](Json& d) { d["address_sources"][1].erase("kind"); }, "address_sources[1].kind: missing"},
      {[](Json& d) { d.erase("address_sources"); }, "capture.json: address_sources: missing"},
      {[](Json& d) { d.erase("address_facts"); }, "capture.json: address_facts: missing"},
      {[](Json& d) { d["address_facts"] = Json::object(); }, "capture.json: address_facts: not an array"},
      {[](Json& d) { d["services"][1] = "web.example"; }, "services[1]: not an absolute domain name"},
      {[](Json& d) { d["services"] = "api.example."; }, "capture.json: services: not an array"},
  };
  for (const auto& [edit, expected] : cases) {
    Json doc = Json::parse(written(sample_with_facts()));
    edit(doc);
    const std::string message = error_of([&] { read_text(doc.dump()); });
    INFO(message);
    CHECK(message.find(expected) != std::string::npos);
  }
}

TEST_CASE("a capture is canonical JSON with one exchange a line", "[capture]") {
  const std::string text = written(sample());
  const Json doc = Json::parse(text);
  CHECK(doc["format"] == "zonewarden-capture");
  CHECK(doc["version"] == 1);
  CHECK(doc["exchanges"][0]["response"]["wire"] == "EjSEAAABAAD//g==");
  CHECK(text.rfind("{\"anchors\":", 0) == 0);
  std::istringstream lines(text);
  std::string line;
  int exchange_lines = 0;
  while (std::getline(lines, line)) exchange_lines += line.rfind("{\"request\":", 0) == 0 ? 1 : 0;
  CHECK(exchange_lines == 7);
  CHECK(doc.dump() + "\n" != text);  // not one long line
  // The empty capture round-trips too.
  const std::string empty = written(Capture{});
  CHECK(written(read_text(empty)) == empty);
}

TEST_CASE("a capture with a wrong field is refused naming its JSON path", "[capture]") {
  using Edit = std::function<void(Json&)>;
  const std::vector<std::pair<Edit, std::string>> cases = {
      {[](Json& d) { d["exchanges"][3]["response"]["wire"] = "not base64!"; },
       "capture.json: exchanges[3].response.wire: not base64"},
      {[](Json& d) { d["exchanges"][3]["response"]["wire"] = "YW=j"; }, "exchanges[3].response.wire: not base64"},
      {[](Json& d) { d["exchanges"][0]["response"]["wire"] = zw::core::base64_encode(std::string(65536, 'x')); },
       "exchanges[0].response.wire: longer than 65535 octets"},
      {[](Json& d) { d["exchanges"][0]["request"]["port"] = 65536; }, "exchanges[0].request.port: out of range"},
      {[](Json& d) { d["exchanges"][0]["request"]["port"] = -1; }, "exchanges[0].request.port: out of range"},
      {[](Json& d) { d["exchanges"][0]["request"]["port"] = "53"; }, "exchanges[0].request.port: not a number"},
      {[](Json& d) { d["exchanges"][2]["request"]["qtype"] = 1.5; }, "exchanges[2].request.qtype: not an integer"},
      {[](Json& d) { d["exchanges"][1]["request"]["proto"] = "sctp"; }, "exchanges[1].request.proto: not udp or tcp"},
      {[](Json& d) { d["exchanges"][1]["request"]["edns"] = 1; }, "exchanges[1].request.edns: not true or false"},
      {[](Json& d) { d["exchanges"][1]["request"]["address"] = "::zz"; },
       "exchanges[1].request.address: not an IPv4 or IPv6 address"},
      {[](Json& d) { d["exchanges"][1]["request"]["qname"] = "example"; },
       "exchanges[1].request.qname: not an absolute domain name"},
      {[](Json& d) { d["exchanges"][1]["request"]["server"] = "a..b."; },
       "exchanges[1].request.server: not an absolute domain name"},
      {[](Json& d) { d["exchanges"][4]["response"]["outcome"] = "lost"; },
       "exchanges[4].response.outcome: not an outcome"},
      {[](Json& d) { d["exchanges"][4]["response"]["rtt_ms"] = -1; }, "exchanges[4].response.rtt_ms: out of range"},
      {[](Json& d) { d["exchanges"][4]["response"]["attempts"] = 4294967296ULL; },
       "exchanges[4].response.attempts: out of range"},
      {[](Json& d) { d["exchanges"][5]["response"].erase("attempts"); }, "exchanges[5].response.attempts: missing"},
      {[](Json& d) { d["exchanges"][5]["request"]["extra"] = 1; }, "exchanges[5].request.extra: unknown key"},
      {[](Json& d) { d["exchanges"][6] = 1; }, "exchanges[6]: not an object"},
      {[](Json& d) { d["exchanges"] = Json::object(); }, "capture.json: exchanges: not an array"},
      {[](Json& d) { d["resolver"][1]["verdict"] = "maybe"; },
       "resolver[1].verdict: not secure, insecure, bogus or error"},
      {[](Json& d) { d["resolver"][1]["rcode"] = 5000; }, "resolver[1].rcode: out of range"},
      {[](Json& d) { d["resolver"][2]["question"]["qtype"] = nullptr; }, "resolver[2].question.qtype: not a number"},
      {[](Json& d) { d["names"][1] = 7; }, "capture.json: names[1]: not a string"},
      {[](Json& d) { d["anchors"] = "x"; }, "capture.json: anchors: not an array"},
      {[](Json& d) { d["now"] = 1.5; }, "capture.json: now: not an integer"},
      {[](Json& d) { d["now"] = 9223372036854775808ULL; }, "capture.json: now: out of range"},
      {[](Json& d) { d["seed"] = -1; }, "capture.json: seed: out of range"},
      {[](Json& d) { d["format"] = "zonemaster"; }, "capture.json: format: not \"zonewarden-capture\""},
      {[](Json& d) { d.erase("format"); }, "capture.json: format: not \"zonewarden-capture\""},
      {[](Json& d) { d["version"] = 2; }, "capture.json: version: unsupported"},
      {[](Json& d) { d["extra"] = true; }, "capture.json: extra: unknown key"},
      {[](Json& d) { d.erase("root_hints"); }, "capture.json: root_hints: missing"},
  };
  for (const auto& [edit, expected] : cases) {
    const std::string message = error_after(edit);
    INFO(message);
    CHECK(message.find(expected) != std::string::npos);
  }
}

TEST_CASE("hostile capture text is refused without a crash", "[capture]") {
  const std::string good = written(sample());
  CHECK(error_of([] { read_text(""); }) == "capture.json: line 1, column 1: not valid JSON");
  CHECK(error_of([] { read_text("{\"a\":\n  nope}"); }).find("capture.json: line 2, column") == 0);
  CHECK(error_of([] { read_text("[1,2]"); }) == "capture.json: not a JSON object");
  CHECK(error_of([&] { read_text(good.substr(0, good.size() / 2)); }).find("not valid JSON") != std::string::npos);
  CHECK(error_of([] { read_text("{\"exchanges\":" + std::string(100000, '[') + std::string(100000, ']') + "}"); }) ==
        "capture.json: nested deeper than 8 levels");
  CHECK(error_of([] { read_text(R"({"names":[{"a":{"b":{"c":{"d":{"e":{"f":{"g":1}}}}}}}]})"); }) ==
        "capture.json: nested deeper than 8 levels");
  CHECK(error_of([] { read_text(std::string(100000, '[') + std::string(100000, ']')); }) ==
        "capture.json: not a JSON object");
  CHECK(error_of([] { read_text("7"); }) == "capture.json: not a JSON object");
  CHECK(error_of([] { read_text(R"({"format":"zonewarden-capture","format":"x"})"); }) ==
        "capture.json: an object repeats the key \"format\"");
  CHECK(error_of([] { read_text("{\"names\":[\"\xff\"]}"); }).find("not valid JSON") != std::string::npos);
  CHECK(error_of([&] { read_text(good, good.size() - 1); }) ==
        "capture.json: larger than " + std::to_string(good.size() - 1) + " bytes");
  CHECK_NOTHROW(read_text(good, good.size()));

  // Problems of the content are reported after those of the format and version; every element is bounded.
  CHECK(error_of([] { read_text(R"({"exchanges":[1],"format":"x"})"); }) ==
        "capture.json: format: not \"zonewarden-capture\"");
  CHECK(error_of([] { read_text(R"({"exchanges":[1],"format":"zonewarden-capture","version":7})"); }) ==
        "capture.json: version: unsupported (this zonewarden reads version 1)");
  CHECK(error_of([] { read_text(R"({"exchanges":[1],"format":"zonewarden-capture","version":1})"); }) ==
        "capture.json: exchanges[0]: not an object");
  std::string wide = R"({"format":"zonewarden-capture","version":1,"resolver":[{"question":[)";
  for (int i = 0; i < 100; ++i) wide += "0,";
  wide += R"(0]}],"exchanges":[]})";
  CHECK(error_of([&] { read_text(wide); }) == "capture.json: resolver[0]: too large");
  CHECK(error_of([] { read_text(R"({"format":"zonewarden-capture","version":1,"foo":[[1,2],{"a":3}]})"); }) ==
        "capture.json: foo: unknown key");
  std::string names = R"({"format":"zonewarden-capture","version":1,"names":[)";
  for (int i = 0; i < (1 << 20); ++i) names += "\".\",";
  names += R"("."]})";
  CHECK(error_of([&] { read_text(names); }) == "capture.json: names[1048576]: more than 1048576 entries");

  // Reading costs time linear in the text: many small objects in one array once cost quadratic time.
  std::string many = "{\"exchanges\":[{}";
  for (int i = 0; i < 300000; ++i) many += ",{}";
  many += "]}";
  const auto start = std::chrono::steady_clock::now();
  CHECK(error_of([&] { read_text(many); }) == "capture.json: format: not \"zonewarden-capture\"");
  CHECK(zw::test::seconds_since(start) <
        10);  // quadratic would be minutes; sanitizer builds on a busy machine are slow

  // Random damage, with and without address facts: every outcome is a capture or a zw::Error.
  std::mt19937 rng(11);
  const std::string with_facts = written(sample_with_facts());
  for (int round = 0; round < 4000; ++round) {
    std::string text = round % 2 == 0 ? good : with_facts;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) text[rng() % text.size()] = static_cast<char>(rng() % 256);
    try {
      read_text(text);
    } catch (const zw::Error&) {
    }
  }
}

TEST_CASE("replay answers each request with the first unused equal recording", "[capture]") {
  std::vector<Observation> recorded = {
      {request("example.", 6), answer("first")},
      {request("www.example.", 1), answer("www")},
      {request("example.", 6), answer("second")},
      {request("example.", 6, Proto::Tcp), answer("tcp")},
  };
  ReplayTransport replay(recorded);
  CHECK(replay.unused() == 4);
  const std::vector<Request> batch = {request("EXAMPLE.", 6), request("example.", 6, Proto::Tcp),
                                      request("example.", 6), request("nowhere.example.", 1)};
  const std::vector<Response> got = replay.exchange(batch);
  REQUIRE(got.size() == 4);
  CHECK(got[0].wire == "first");
  CHECK(got[1].wire == "tcp");
  CHECK(got[2].wire == "second");
  CHECK(got[3].outcome == Outcome::Timeout);
  CHECK(got[3].attempts == 0);
  CHECK(replay.unmatched() == 1);
  CHECK(replay.unused() == 1);
  // Asked once more than recorded: unmatched.
  const Request again[] = {request("example.", 6)};
  CHECK(replay.exchange(again)[0].outcome == Outcome::Timeout);
  CHECK(replay.unmatched() == 2);
  const Request www[] = {request("www.example.", 1)};
  CHECK(replay.exchange(www)[0].wire == "www");
  CHECK(replay.unused() == 0);
}

TEST_CASE("replay matches on every field of the request", "[capture]") {
  using Change = std::function<void(Request&)>;
  const std::vector<Change> changes = {
      [](Request& r) { r.server = "ns2.example."; },
      [](Request& r) { r.address = "127.53.1.2"; },
      [](Request& r) { r.port = 5353; },
      [](Request& r) { r.proto = Proto::Tcp; },
      [](Request& r) { r.qname = "other.example."; },
      [](Request& r) { r.qtype = 2; },
      [](Request& r) { r.edns = false; },
      [](Request& r) { r.edns_size = 4096; },
      [](Request& r) { r.dnssec_ok = false; },
      [](Request& r) { r.recursion_desired = true; },
  };
  for (std::size_t i = 0; i < changes.size(); ++i) {
    INFO("change " << i);
    auto replay = make_replay_transport({{request("example.", 6), answer("recorded")}});
    Request asked = request("example.", 6);
    changes[i](asked);
    const Request batch[] = {asked, request("example.", 6)};
    const auto got = replay->exchange(batch);
    CHECK(got[0].outcome == Outcome::Timeout);
    CHECK(got[1].wire == "recorded");
    CHECK(dynamic_cast<ReplayTransport&>(*replay).unmatched() == 1);
  }
}

namespace {

/// Answers with the qname and a counter, so that every response differs.
class EchoTransport final : public Transport {
 public:
  std::vector<Response> exchange(std::span<const Request> requests) override {
    std::vector<Response> out;
    for (const Request& r : requests) {
      ++count_;
      out.push_back(answer(r.qname + std::to_string(count_), count_));
    }
    return out;
  }

 private:
  int count_ = 0;
};

}  // namespace

TEST_CASE("the recorder keeps every exchange in order and its capture replays the same", "[capture]") {
  EchoTransport echo;
  std::vector<Observation> seen;
  RecordingTransport recorder(echo, seen);
  const Request first[] = {request("a.example.", 1), request("b.example.", 1)};
  const Request second[] = {request("a.example.", 1)};
  const auto r1 = recorder.exchange(first);
  const auto r2 = recorder.exchange(second);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0].request.qname == "a.example.");
  CHECK(seen[0].response.wire == "a.example.1");
  CHECK(seen[1].response.wire == "b.example.2");
  CHECK(seen[2].response.wire == "a.example.3");
  CHECK(r2[0].wire == "a.example.3");

  Capture c;
  c.exchanges = seen;
  ReplayTransport replay(read_text(written(c)).exchanges);
  const auto p1 = replay.exchange(first);
  const auto p2 = replay.exchange(second);
  CHECK(p1[0].wire == r1[0].wire);
  CHECK(p1[1].wire == r1[1].wire);
  CHECK(p2[0].wire == r2[0].wire);
  CHECK(p2[0].rtt_ms == r2[0].rtt_ms);
  CHECK(replay.unmatched() == 0);
  CHECK(replay.unused() == 0);
}
