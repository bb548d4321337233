// test_catalog.cpp: the catalogue's own rules (DESIGN.md §2) and the generated manual page being current.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "catalog/catalog.hpp"
#include "report/report.hpp"

namespace fs = std::filesystem;
using namespace zw;

namespace {

/// Codes that no zone-file vector can show yet: live-mode codes, and the rollover checks across versions, not built yet
/// (denial of existence, key inventories, rollovers across versions). Shrinks as those land.
const std::set<std::string> kNotYetInVectors = {
    // live mode
    "ZONE_UNREACHABLE",
    "RESOLVER_VERDICT_BOGUS",
    "VALIDATOR_DISAGREEMENT",
    "DS_WITHOUT_DNSKEY",
    "NS_UNREACHABLE",
    "NS_LAME",
    "NS_SINGLE_ASN",
    "SOA_SERIAL_MISMATCH",
    "SERVER_DATA_MISMATCH",
    "TCP_UNSUPPORTED",
    "EDNS_UNSUPPORTED",
    "RESPONSE_TOO_LARGE",
    "SERVICE_ENDPOINT_CONCENTRATION",
    // rollovers across snapshots
    "ROLLOVER_IN_PROGRESS",
    "ZSK_PREPUBLISH_TOO_SHORT",
    "ZSK_RETIRED_TOO_EARLY",
    "KSK_ACTIVE_BEFORE_DS",
    "KSK_OLD_REMOVED_TOO_EARLY",
    "ALGORITHM_ROLLOVER_ORDER",
    "RFC5011_HOLDDOWN_VIOLATION",
};

std::set<std::string> codes_expected_by_vectors() {
  std::set<std::string> out;
  for (const char* folder : {"zone", "keydirs"}) {
    fs::path root = fs::path(ZW_SOURCE_DIR) / "test-vectors" / folder;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file() || e.path().extension() != ".zone") continue;
      std::ifstream in(e.path());
      std::string line;
      while (std::getline(in, line)) {
        auto pos = line.find("zw-expect:");
        if (pos == std::string::npos) continue;
        std::istringstream words(line.substr(pos + 10));
        std::string w;
        while (words >> w) out.insert(w);
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("catalogue codes are unique, documented and well-formed", "[catalog]") {
  std::set<std::string_view> names;
  for (const catalog::Entry& e : catalog::all()) {
    INFO(e.name);
    CHECK(names.insert(e.name).second);
    CHECK(std::regex_match(std::string(e.name), std::regex("[A-Z][A-Z0-9_]+")));
    CHECK(!e.reference.empty());
    CHECK(e.rationale.size() > 40);
    CHECK(!e.message.empty());
    CHECK(catalog::find(e.name) == e.code);
    CHECK(&catalog::entry(e.code) == &e);
    // Templates use only declared parameters.
    auto params = catalog::param_names(e);
    std::set<std::string_view> declared(params.begin(), params.end());
    std::string msg(e.message);
    std::regex placeholder("\\{([a-z_]+)(?::[^}]*)?\\}");  // "{name}" or "{name:noun}"
    for (auto it = std::sregex_iterator(msg.begin(), msg.end(), placeholder); it != std::sregex_iterator(); ++it) {
      CHECK(declared.count((*it)[1].str()) == 1);
    }
  }
  CHECK(catalog::find("rrsig_expired") == catalog::Code::RRSIG_EXPIRED);
  CHECK_FALSE(catalog::find("NO_SUCH_CODE").has_value());
}

TEST_CASE("every zone-mode code is expected by at least one test vector", "[catalog][vectors]") {
  auto expected = codes_expected_by_vectors();
  for (const catalog::Entry& e : catalog::all()) {
    std::string name(e.name);
    if (kNotYetInVectors.count(name)) {
      INFO(name << " is listed as not yet in vectors but a vector expects it: remove it from the list");
      CHECK(expected.count(name) == 0);
      continue;
    }
    INFO(name << " has no one-defect vector in test-vectors/zone/");
    CHECK(expected.count(name) == 1);
  }
}

TEST_CASE("the committed zonewarden-checks(7) is generated from the catalogue", "[catalog][man]") {
  std::ifstream in(fs::path(ZW_SOURCE_DIR) / "man" / "zonewarden-checks.7");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  INFO("regenerate with: zonewarden catalog --format man > man/zonewarden-checks.7");
  CHECK(ss.str() == report::catalog_man_page());
}
