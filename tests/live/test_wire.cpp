// test_wire.cpp: queries byte for byte, parsing of real answers, hostile messages, and answer classification.
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "core/error.hpp"
#include "live/wire.hpp"

using namespace zw::live;

namespace {

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

Request question(const std::string& qname, std::uint16_t qtype) {
  Request r;
  r.address = "127.0.0.1";
  r.qname = qname;
  r.qtype = qtype;
  return r;
}

// An authoritative answer to "Example. SOA" (ID 0xbeef) made by dnspython: compressed names, two NS in the
// authority section, A and AAAA glue and an OPT record (payload 8192) in the additional section.
const std::string kSoaAnswer = unhex(
    "beef84000001000100020003074578616d706c650000060001c00c0006000100000e100027036e7331c00c0a686f73746d6173746572c0"
    "0c78c425fd00001c2000000e10001275000000012cc00c0002000100000e100002c025c00c0002000100000e100006034e5332c00cc025"
    "0001000100000e100004c0000235c025001c000100000e10001020010db80000000000000000000000530000292000000000000000");

}  // namespace

TEST_CASE("make_query encodes the question, EDNS(0) with its size and DO, and RD as asked", "[wire]") {
  Request r = question("Example.", 6);
  // ID, flags 0, QD 1, AN 0, NS 0, AR 1 | "Example." SOA IN | OPT: root, type 41, size 1232, DO
  CHECK(hex(make_query(r, 0xbeef)) == "beef00000001000000000001074578616d706c65000006000100002904d0000080000000");
  r.dnssec_ok = false;
  r.edns_size = 4096;
  CHECK(hex(make_query(r, 0x0102)) == "010200000001000000000001074578616d706c6500000600010000291000000000000000");
  r.edns = false;
  r.recursion_desired = true;
  CHECK(hex(make_query(r, 0x0102)) == "010201000001000000000000074578616d706c650000060001");
  CHECK_THROWS_AS(make_query(question("a..b.", 1), 1), zw::Error);
}

TEST_CASE("parse_message reads a real answer section by section", "[wire]") {
  std::string token = "unset";
  const auto m = parse_message(kSoaAnswer, &token);
  REQUIRE(m);
  CHECK(token == "unset");
  CHECK(m->id == 0xbeef);
  CHECK(m->qr);
  CHECK(m->aa);
  CHECK_FALSE(m->tc);
  CHECK(m->rcode == 0);
  CHECK(m->qname == "example.");
  CHECK(m->qtype == 6);
  CHECK(m->qclass == 1);
  CHECK(m->has_opt);
  CHECK(m->opt_size == 8192);
  CHECK_FALSE(m->opt_do);
  CHECK(m->size == kSoaAnswer.size());
  REQUIRE(m->answer.size() == 1);
  CHECK(m->answer[0].owner == "example.");
  CHECK(m->answer[0].type == 6);
  CHECK(m->answer[0].ttl == 3600);
  // The presentation line keeps the spelling of the server (names compressed against "Example.").
  CHECK(m->answer[0].text ==
        "Example.\t3600\tIN\tSOA\tns1.Example. hostmaster.Example. 2026120701 7200 3600 1209600 300");
  // The RDATA comes out uncompressed: two full names and five 32-bit numbers.
  CHECK(m->answer[0].rdata.size() == 13 + 20 + 20);
  REQUIRE(m->authority.size() == 2);
  CHECK(m->authority[1].owner == "example.");
  CHECK(hex(m->authority[1].rdata) == "034e5332074578616d706c6500");  // NS2.Example., case kept
  REQUIRE(m->additional.size() == 2);                                 // the OPT record is not among them
  CHECK(m->additional[0].owner == "ns1.example.");
  CHECK(hex(m->additional[0].rdata) == "c0000235");
  CHECK(m->additional[1].type == 28);
}

TEST_CASE("parse_message gives the extended RCODE and EDNS version", "[wire]") {
  // BADVERS (16): RCODE 0 in the header, extended RCODE 1 and version 0 in the OPT TTL.
  const auto m = parse_message(unhex("000184000001000000000001000006000100002904d0010000000000"));
  REQUIRE(m);
  CHECK(m->rcode == 16);
  CHECK(m->edns_version == 0);
  CHECK(m->qname == ".");
}

TEST_CASE("parse_message refuses hostile messages with a closed token", "[wire]") {
  std::string token;
  CHECK_FALSE(parse_message("", &token));
  CHECK(token == "short-header");
  CHECK_FALSE(parse_message(kSoaAnswer.substr(0, 11), &token));
  CHECK(token == "short-header");
  // Every truncation of a real answer is refused, never read past.
  for (std::size_t n = 12; n < kSoaAnswer.size(); ++n) {
    token.clear();
    CHECK_FALSE(parse_message(kSoaAnswer.substr(0, n), &token));
    CHECK_FALSE(token.empty());
  }
  // A question name that points at itself: a compression loop.
  CHECK_FALSE(parse_message(unhex("000184000001000000000000c00c00060001"), &token));
  CHECK(token == "bad-name");
  // Two pointers pointing at each other.
  CHECK_FALSE(parse_message(unhex("000184000001000000000000c00ec00c00060001"), &token));
  CHECK(token == "bad-name");
  // A pointer past the end of the message.
  CHECK_FALSE(parse_message(unhex("000184000001000000000000c0ff00060001"), &token));
  CHECK(token == "bad-name");
  // Counts far larger than the data: 65535 answers promised, none present.
  CHECK_FALSE(parse_message(unhex("00018400ffffffffffffffff0000060001"), &token));
  CHECK(token == "truncated");
  // An RDLENGTH larger than what is left.
  CHECK_FALSE(parse_message(unhex("00018400000000010000000000000100010000000affff7f000001"), &token));
  CHECK(token == "truncated");
  // TSIG records ldns 1.8.3 leaks (found by the wire fuzz target; RFC 8945 §5.1: one TSIG, the last record). Each
  // record: the root name, a type, class ANY, TTL 0, no RDATA.
  const std::string tsig = "0000fa00ff000000000000", a = "00000100ff000000000000";
  token.clear();
  CHECK(parse_message(unhex("000184000000000000000001" + tsig), &token));  // one TSIG, the last record: read
  CHECK(token.empty());
  CHECK_FALSE(parse_message(unhex("000184000000000000000002" + tsig + tsig), &token));  // two
  CHECK(token == "malformed");
  CHECK_FALSE(parse_message(unhex("000184000000000000000002" + tsig + a), &token));  // a record after it
  CHECK(token == "malformed");
  CHECK_FALSE(parse_message(unhex("000184000000000000000003" + a + tsig), &token));  // the records after it missing
  CHECK(token == "truncated");
}

TEST_CASE("classify_answer accepts only a response to this ID and question", "[wire]") {
  const Request r = question("EXAMPLE.", 6);
  CHECK(classify_answer(r, 0xbeef, kSoaAnswer) == Outcome::Answer);  // the name compared case-insensitively
  CHECK(classify_answer(r, 0xbeee, kSoaAnswer) == Outcome::Mismatch);
  CHECK(classify_answer(question("example.", 2), 0xbeef, kSoaAnswer) == Outcome::Mismatch);
  CHECK(classify_answer(question("www.example.", 6), 0xbeef, kSoaAnswer) == Outcome::Mismatch);
  std::string query = kSoaAnswer;
  query[2] = static_cast<char>(query[2] & 0x7f);  // QR=0
  CHECK(classify_answer(r, 0xbeef, query) == Outcome::Mismatch);
  std::string chaos = kSoaAnswer;
  chaos[24] = 3;  // the question's class: CH
  CHECK(classify_answer(r, 0xbeef, chaos) == Outcome::Mismatch);
  CHECK(classify_answer(r, 0xbeef, kSoaAnswer.substr(0, 40)) == Outcome::Malformed);
  CHECK(classify_answer(r, 0xbeef, "\xbe\xef") == Outcome::Malformed);
  // FORMERR without a question (a server without EDNS, RFC 6891 §7) still answers the query.
  CHECK(classify_answer(r, 0xbeef, unhex("beef81010000000000000000")) == Outcome::Answer);
  CHECK(classify_answer(r, 0xbeef, unhex("beef81000000000000000000")) == Outcome::Mismatch);
}

TEST_CASE("parse_message survives random damage to a real answer", "[wire]") {
  std::mt19937 rng(20261207);
  const Request r = question("example.", 6);
  std::size_t parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string m = kSoaAnswer;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) m[rng() % m.size()] = static_cast<char>(rng() & 0xff);
    if (rng() % 4 == 0) m.resize(rng() % m.size());
    std::string token;
    const auto msg = parse_message(m, &token);
    CHECK((msg.has_value() == token.empty()));
    if (msg) {
      ++parsed;
      CHECK(msg->size == m.size());
    }
    (void)classify_answer(r, 0xbeef, m);
  }
  CHECK(parsed > 1000);  // most single changes leave a message that still parses
}
