// test_canonical_order.cpp: the loader puts a zone's names in the canonical order of RFC 4034 §6.1 however the file
// orders them. The loader sorts by octet keys and compares a number made of eight key octets first; this test holds
// it against core::name_compare (a label-by-label comparison written separately) on names made to defeat shortcuts:
// labels that agree in their first eight octets, labels that end inside those octets, upper case, escaped octets
// (\000, \001, \255), names above, beside and outside the origin, and owners repeated in separate runs.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "core/name.hpp"
#include "core/parallel.hpp"
#include "zone/loader.hpp"

namespace fs = std::filesystem;

namespace {

// A label from a small alphabet, so that names share long prefixes and octets that sort near the escapes.
std::string random_label(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {"a",     "A", "b", "ab", "abcdefgh", "abcdefg",    "\\000", "\\001",
                                                  "\\255", "-", "0", "z",  "Z",        "abcdefghij", "\\.",   "\\\\"};
  std::string out;
  const std::size_t n = 1 + rng() % 4;
  for (std::size_t i = 0; i < n; ++i) out += pieces[rng() % pieces.size()];
  return out;
}

// Owner names in presentation format, relative ones below the origin and absolute ones elsewhere.
std::vector<std::string> random_owners(std::mt19937& rng, std::size_t n) {
  std::vector<std::string> out = {"example.",     "xample.",  "example.com.", "exampld.", "examplf.",
                                  "a.b.example.", "EXAMPLE.", "com.",         "."};
  for (std::size_t i = 0; i < n; ++i) {
    std::string name;
    const std::size_t labels = 1 + rng() % 3;
    for (std::size_t l = 0; l < labels; ++l) name += random_label(rng) + ".";
    switch (rng() % 5) {
      case 0: name += "example."; break;
      case 1: name += "org."; break;  // outside the origin, sorts after it
      case 2: name += "c."; break;    // outside, sorts before
      default: name += "EXAMPLE."; break;
    }
    out.push_back(name);
  }
  return out;
}

struct Loaded {
  std::vector<std::string> names;
  std::vector<std::tuple<std::uint32_t, std::uint16_t, std::string, std::uint32_t>> records;  // name, type, RDATA, line
  std::size_t parts = 0;
};

Loaded load(const std::string& text, bool parallel) {
  const fs::path p = fs::temp_directory_path() / ("zw-canonical-" + std::to_string(std::random_device{}()) + ".zone");
  {
    std::ofstream f(p, std::ios::binary);
    f << text;
  }
  zw::zone::LoadOptions o;
  zw::zone::LoadStats stats;
  o.parallel = parallel;
  o.parallel_part_bytes = 4096;
  o.stats = &stats;
  Loaded out;
  try {
    zw::zone::Zone z = zw::zone::load_zone_file(p.string(), o);
    // Names outside the origin are set aside with their records (Zone::out_of_zone), in canonical order too: merged
    // back, the two lists must give every owner in order.
    std::vector<zw::core::WireName> outside;
    for (const auto& r : z.out_of_zone) {
      if (outside.empty() || outside.back() != r.owner) outside.push_back(r.owner);
    }
    std::merge(z.names.begin(), z.names.end(), outside.begin(), outside.end(), std::back_inserter(out.names),
               [](const auto& a, const auto& b) { return zw::core::name_compare(a, b) < 0; });
    for (const auto& r : z.records) out.records.emplace_back(r.name, r.type, std::string(z.rdata(r)), r.src.line);
    out.parts = stats.parts;
  } catch (...) {
    fs::remove(p);
    throw;
  }
  fs::remove(p);
  return out;
}

}  // namespace

TEST_CASE("zone names come out in RFC 4034 canonical order, each once", "[loader][canonical]") {
  const unsigned saved = zw::core::worker_count();
  zw::core::set_worker_count(std::max(2U, saved));
  for (unsigned seed : {1U, 2U, 3U, 4U}) {
    std::mt19937 rng(seed);
    std::vector<std::string> owners = random_owners(rng, 3000);
    // What the names must be: the distinct wire names, ordered by name_compare.
    std::vector<zw::core::WireName> want;
    for (const std::string& o : owners) {
      zw::core::WireName w;
      std::string error;
      REQUIRE(zw::core::parse_name(o, "", w, error));
      want.push_back(zw::core::name_lower(w));
    }
    std::sort(want.begin(), want.end(), [](const auto& a, const auto& b) { return zw::core::name_compare(a, b) < 0; });
    want.erase(std::unique(want.begin(), want.end(),
                           [](const auto& a, const auto& b) { return zw::core::name_compare(a, b) == 0; }),
               want.end());
    const std::string head = "$ORIGIN example.\n@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 300\n";
    // Every owner twice, in two shuffled passes, so that one name forms separate runs.
    std::string shuffled = head;
    for (int pass = 0; pass < 2; ++pass) {
      std::shuffle(owners.begin(), owners.end(), rng);
      for (const std::string& o : owners) shuffled += o + " 3600 IN TXT \"" + std::to_string(pass) + "\"\n";
    }
    // The same names already in canonical order (the path that keeps file order), two records each.
    std::string sorted = "$ORIGIN example.\n";
    for (const auto& w : want) {
      const std::string o = zw::core::name_to_text(w);
      if (o == "example.") sorted += "@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 300\n";
      sorted += o + " 3600 IN TXT \"0\"\n" + o + " 3600 IN TXT \"1\"\n";
    }
    for (const std::string* text : {&shuffled, &sorted}) {
      const Loaded in_order = load(*text, false);
      for (bool parallel : {false, true}) {
        INFO("seed " << seed << (text == &sorted ? ", sorted file" : ", shuffled file")
                     << (parallel ? ", in parallel parts" : ", in order"));
        const Loaded got = parallel ? load(*text, true) : in_order;
        if (parallel) CHECK(got.parts > 10);
        REQUIRE(got.names.size() == want.size());
        for (std::size_t i = 0; i < got.names.size(); ++i) {
          INFO("name " << i << ": " << zw::core::name_to_text(got.names[i]) << ", expected "
                       << zw::core::name_to_text(want[i]));
          REQUIRE(zw::core::name_compare(got.names[i], want[i]) == 0);
          if (i > 0) REQUIRE(zw::core::name_compare(got.names[i - 1], got.names[i]) < 0);
        }
        CHECK(got.records == in_order.records);
      }
    }
  }
  zw::core::set_worker_count(saved == std::max(1U, std::thread::hardware_concurrency()) ? 0 : saved);
}

TEST_CASE("duplicate records are kept once, in order or not, in one part or across parts (RFC 2181 §5)",
          "[loader][canonical]") {
  const unsigned saved = zw::core::worker_count();
  zw::core::set_worker_count(std::max(2U, saved));
  std::mt19937 rng(5);
  // Each name gets A records from a small pool, some drawn twice; file order shuffled, owners in either case.
  std::vector<std::string> lines;
  std::set<std::tuple<std::string, std::string>> distinct;  // (lower-case owner, address)
  for (int n = 0; n < 2000; ++n) {
    const std::string owner = "h" + std::to_string(n);
    for (int k = 0; k < 4; ++k) {
      const std::string address = "192.0.2." + std::to_string(rng() % 3);
      lines.push_back((rng() % 2 ? owner : "H" + owner.substr(1)) + " 3600 IN A " + address + "\n");
      distinct.emplace(owner, address);
    }
  }
  for (bool shuffled : {false, true}) {
    std::vector<std::string> order = lines;
    if (shuffled) std::shuffle(order.begin(), order.end(), rng);
    std::string text = "$ORIGIN example.\n@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 300\n";
    for (const std::string& l : order) text += l;
    for (bool parallel : {false, true}) {
      INFO((shuffled ? "shuffled" : "in name order") << (parallel ? ", in parallel parts" : ", in order"));
      const Loaded got = load(text, parallel);
      std::size_t a_records = 0;
      std::set<std::tuple<std::uint32_t, std::string>> seen;
      for (const auto& [name, type, rdata, line] : got.records) {
        if (type != 1) continue;
        ++a_records;
        CHECK(seen.emplace(name, rdata).second);  // no record twice
      }
      CHECK(a_records == distinct.size());
    }
  }
  zw::core::set_worker_count(saved == std::max(1U, std::thread::hardware_concurrency()) ? 0 : saved);
}
