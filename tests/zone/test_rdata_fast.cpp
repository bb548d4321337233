// test_rdata_fast.cpp: the native RDATA parsers give exactly the bytes ldns gives, on every zone the project ships
// and on thousands of mutated records; what they do not handle goes to ldns unchanged.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <tuple>

#include "core/error.hpp"
#include "core/name.hpp"
#include "zone/loader.hpp"
#include "zone/rdata_fast.hpp"

namespace fs = std::filesystem;

namespace {

struct Outcome {
  std::string error;  ///< empty when the load succeeded
  std::vector<std::tuple<std::string, std::uint16_t, std::uint16_t, std::uint32_t, std::string, std::uint32_t>> records;
};

zw::zone::LoadOptions options_for(const std::string& text, bool fast) {
  zw::zone::LoadOptions o;
  o.fast_rdata = fast;
  auto at = text.find("; zw-origin: ");
  if (at != std::string::npos) {
    auto end = text.find('\n', at);
    std::string err;
    zw::core::WireName origin;
    if (zw::core::parse_name(text.substr(at + 13, end - at - 13), ".", origin, err)) o.origin = origin;
  }
  return o;
}

Outcome outcome(const zw::zone::Zone& z) {
  Outcome out;
  for (const auto& r : z.records) {
    out.records.emplace_back(z.names[r.name], r.type, r.rclass, r.ttl, std::string(z.rdata(r)), r.src.line);
  }
  return out;
}

Outcome load_file(const fs::path& p, const std::string& head, bool fast) {
  try {
    return outcome(zw::zone::load_zone_file(p.string(), options_for(head, fast)));
  } catch (const zw::Error& e) {
    return Outcome{e.what(), {}};
  }
}

Outcome load_text(const std::string& text, bool fast) {
  try {
    return outcome(zw::zone::load_zone_text(text, "mutant.zone", options_for(text, fast)));
  } catch (const zw::Error& e) {
    return Outcome{e.what(), {}};
  }
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> shipped_zones() {
  std::vector<fs::path> out;
  for (const char* dir : {"test-vectors", "zones"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(ZW_SOURCE_DIR) / dir)) {
      if (!e.is_regular_file()) continue;
      const std::string name = e.path().filename().string();
      if (name.ends_with(".zone") || name.ends_with(".zone.gz") || name.ends_with(".ds")) out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("native RDATA parsing gives ldns's bytes on every shipped zone", "[loader][fast]") {
  std::size_t files = 0, records = 0;
  for (const fs::path& p : shipped_zones()) {
    const std::string head = p.extension() == ".gz" ? std::string() : slurp(p).substr(0, 4096);
    Outcome fast = load_file(p, head, true);
    Outcome slow = load_file(p, head, false);
    INFO(p.string());
    CHECK(fast.error == slow.error);
    REQUIRE(fast.records.size() == slow.records.size());
    for (std::size_t i = 0; i < fast.records.size(); ++i) {
      if (fast.records[i] != slow.records[i]) {
        INFO("record " << i << " line " << std::get<5>(slow.records[i]) << " type " << std::get<1>(slow.records[i]));
        CHECK(zw::core::name_to_text(std::get<0>(fast.records[i])) ==
              zw::core::name_to_text(std::get<0>(slow.records[i])));
        CHECK(std::get<4>(fast.records[i]) == std::get<4>(slow.records[i]));
        CHECK(fast.records[i] == slow.records[i]);
      }
    }
    ++files;
    records += fast.records.size();
  }
  CHECK(files > 150);
  CHECK(records > 200000);  // the root snapshots and TLDs are most of it
}

TEST_CASE("native RDATA parsing agrees with ldns on mutated records", "[loader][fast]") {
  // Every shape the fast parsers accept, then random edits of single characters and tokens.
  const std::string base =
      "$ORIGIN example.\n$TTL 300\n"
      "@ SOA ns1 hostmaster 2024010101 7200 3600 1209600 300\n"
      "@ NS ns1.example.\n@ NS Ns2.Other.\n"
      "@ MX 10 mail\n"
      "ns1 A 192.0.2.1\nns1 AAAA 2001:db8::1\n"
      "www CNAME @\nalias DNAME Target.Example.\n"
      "1.2 PTR host.example.\n"
      "sub DS 12345 8 2 49FD46E6C4B45C55D4AC69CBD3CD34AC1AFE51DE 49FD46E6C4B45C55D4AC69CBD3CD34AC\n"
      "sub CDS 0 0 0 00\n"
      "@ DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n"
      "@ CDNSKEY 0 3 0 AA==\n"
      "@ RRSIG SOA 13 1 300 20240201000000 20240101000000 12345 example. "
      "ZmFrZXNpZ25hdHVyZWZha2VzaWduYXR1cmVmYWtlc2lnbmF0dXJlZmFrZXNp Z25hdHVyZQ==\n"
      "@ NSEC ns1.Example. A NS SOA MX RRSIG NSEC DNSKEY TYPE65280 CAA\n"
      "@ NSEC3PARAM 1 0 0 -\n"
      "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 1 12 aabbccdd 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n"
      "b4um86eghhds6nea196smvmlo4ors995 NSEC3 1 0 0 - 2vptu5timamqttgl4luu9kg21e0aor3s\n";
  {
    Outcome fast = load_text(base, true);
    Outcome slow = load_text(base, false);
    REQUIRE(fast.error.empty());
    REQUIRE(fast.records == slow.records);
    CHECK(fast.records.size() == 18);
  }
  std::mt19937 rng(20261123);
  const std::string alphabet = "0123456789abcdefzAZ.-+/=\\@;()\" \t\n:#TYPE";
  int disagreements = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text = base;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      // Only edit after the directives so most mutants stay loadable.
      std::size_t pos = 20 + rng() % (text.size() - 20);
      switch (rng() % 3) {
        case 0: text[pos] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
        default: text.erase(pos, 1 + rng() % 4); break;
      }
    }
    Outcome fast = load_text(text, true);
    Outcome slow = load_text(text, false);
    if (fast.error != slow.error || fast.records != slow.records) {
      ++disagreements;
      UNSCOPED_INFO("mutant:\n" << text << "\nfast: " << fast.error << "\nslow: " << slow.error);
    }
  }
  CHECK(disagreements == 0);
}

TEST_CASE("native RDATA parsers leave unusual text to ldns", "[loader][fast]") {
  using zw::zone::Token;
  auto fast = [](std::uint16_t type, std::vector<std::string> words) {
    std::vector<Token> toks;
    for (const auto& w : words) toks.push_back(Token{w, false});
    std::string out = "x";
    bool ok = zw::zone::fast_rdata(type, toks, std::string_view("\7example\0", 9), out);
    CHECK(out.size() >= 1);
    return ok ? out.substr(1) : std::string("FALLBACK");
  };
  CHECK(fast(1, {"192.0.2.1"}) == std::string("\xc0\x00\x02\x01", 4));
  CHECK(fast(1, {"192.0.2.01"}) == "FALLBACK");
  CHECK(fast(2, {"NS1.Example."}) == std::string("\3ns1\7example\0", 13));
  CHECK(fast(2, {"ns1"}) == std::string("\3ns1\7example\0", 13));
  CHECK(fast(2, {"a\\.b."}) == "FALLBACK");                      // escapes
  CHECK(fast(43, {"1", "RSASHA256", "2", "00"}) == "FALLBACK");  // mnemonic algorithm
  CHECK(fast(43, {"1", "8", "2", "0"}) == "FALLBACK");           // odd hex
  CHECK(fast(48, {"256", "3", "8", "AAE"}) == "FALLBACK");       // unpadded base64
  CHECK(fast(48, {"256", "3", "8", "AA=A"}) == "FALLBACK");      // padding inside
  CHECK(fast(48, {"256", "3", "8", "AB=="}) == "FALLBACK");      // stray bits
  CHECK(fast(48, {"256", "3", "8", "AA=="}) == std::string("\1\0\3\x08\0", 5));
  CHECK(fast(46, {"A", "8", "2", "300", "20240230000000", "20240101000000", "1", ".", "AA=="}) == "FALLBACK");
  CHECK(fast(46, {"A", "8", "2", "300", "1706745600", "20240101000000", "1", ".", "AA=="}) == "FALLBACK");
  CHECK(fast(16, {"text"}) == "FALLBACK");                  // TXT is ldns's
  CHECK(fast(47, {"next.example."}) == "FALLBACK");         // an NSEC without types
  CHECK(fast(50, {"1", "0", "0", "-", "00"}).size() == 7);  // an NSEC3 of an empty non-terminal: no types
  CHECK(zw::zone::type_from_text("nsec3param") == 51);
  CHECK(zw::zone::type_from_text("TYPE65280") == 65280);
  CHECK(zw::zone::type_from_text("TYPE65536") == 0);
  CHECK(zw::zone::type_from_text("CAA") == 257);
  CHECK(zw::zone::type_from_text("NOTATYPE") == 0);
}
