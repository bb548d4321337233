// test_algorithms.cpp: the algorithm table (mnemonics, RFC 8624 signing status, key families and sizes).
#include <catch2/catch.hpp>

#include "dnssec/algorithms.hpp"

using namespace zw::dnssec;

TEST_CASE("algorithm table: mnemonics", "[dnssec][algorithms]") {
  CHECK(algorithm_name(8) == "RSASHA256");
  CHECK(algorithm_name(13) == "ECDSAP256SHA256");
  CHECK(algorithm_name(16) == "ED448");
  CHECK(algorithm_name(253) == "PRIVATEDNS");
  CHECK(algorithm_name(0) == "ALG0");
  CHECK(algorithm_name(200) == "ALG200");
}

TEST_CASE("algorithm table: RFC 8624 status, RSA and what this build verifies", "[dnssec][algorithms]") {
  for (int a = 0; a < 256; ++a) {
    const auto alg = static_cast<std::uint8_t>(a);
    INFO("algorithm " << a);
    AlgStatus want = AlgStatus::Unknown;
    if (a == 8 || (a >= 13 && a <= 16)) want = AlgStatus::Recommended;
    if (a == 5 || a == 7 || a == 10) want = AlgStatus::Deprecated;
    if (a == 1 || a == 3 || a == 6 || a == 12) want = AlgStatus::Prohibited;
    CHECK(algorithm_facts(alg).status == want);
    CHECK(is_rsa_algorithm(alg) == (a == 1 || a == 5 || a == 7 || a == 8 || a == 10));
    CHECK(algorithm_supported(alg) == (a == 5 || a == 7 || a == 8 || a == 10 || (a >= 13 && a <= 16)));
  }
}

TEST_CASE("algorithm table: fixed key and signature sizes", "[dnssec][algorithms]") {
  CHECK(algorithm_facts(13).key_octets == 64);  // RFC 6605 §4
  CHECK(algorithm_facts(13).signature_octets == 64);
  CHECK(algorithm_facts(14).key_octets == 96);
  CHECK(algorithm_facts(14).signature_octets == 96);
  CHECK(algorithm_facts(15).key_octets == 32);  // RFC 8080 §3, §4
  CHECK(algorithm_facts(15).signature_octets == 64);
  CHECK(algorithm_facts(16).key_octets == 57);
  CHECK(algorithm_facts(16).signature_octets == 114);
  CHECK(algorithm_facts(8).key_octets == 0);  // RSA: variable
  CHECK(algorithm_facts(14).family == KeyFamily::EcdsaP384);
}
