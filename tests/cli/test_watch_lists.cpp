// test_watch_lists.cpp: the watch-lists in zones/ read as --list reads them, and national.list is every country-code
// TLD of the bundled root zone (scripts/make-watch-lists).
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/name.hpp"
#include "zone/loader.hpp"

namespace {

const std::string kSrc = ZW_SOURCE_DIR;

// The names of a list: one per line, '#' comments, as `check --list` reads them.
std::vector<std::string> list_names(const std::string& file) {
  std::ifstream in(file);
  REQUIRE(in);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    std::istringstream fields(line);
    std::string name, extra;
    if (!(fields >> name)) continue;
    CHECK_FALSE(fields >> extra);
    zw::core::WireName w;
    std::string err;
    INFO(name);
    CHECK(zw::core::parse_name(name, ".", w, err));
    CHECK(name.back() == '.');
    out.push_back(name);
  }
  return out;
}

}  // namespace

TEST_CASE("zones/national.list holds every ccTLD of the 2026-07-31 root zone, ASCII and IDN", "[lists]") {
  const auto names = list_names(kSrc + "/zones/national.list");
  const std::set<std::string> unique(names.begin(), names.end());
  CHECK(unique.size() == names.size());
  zw::zone::LoadOptions lo;
  const zw::zone::Zone root = zw::zone::load_zone_file(kSrc + "/zones/root/root-2026073102.zone.gz", lo);
  std::set<std::string> two_letter;
  for (std::uint32_t n = 0; n < root.names.size(); ++n) {
    if (root.kinds[n] != zw::zone::NodeKind::Delegation) continue;
    const std::string text = zw::core::name_to_text(root.names[n]);
    if (text.size() == 3) two_letter.insert(text);
  }
  CHECK(two_letter.size() >= 240);
  for (const std::string& t : two_letter) {
    INFO(t);
    CHECK(unique.count(t) == 1);  // every two-letter TLD is national
  }
  std::size_t idn = 0;
  for (const std::string& n : names) {
    INFO(n);
    zw::core::WireName w;
    std::string err;
    REQUIRE(zw::core::parse_name(n, ".", w, err));
    const auto at = root.find_name(zw::core::name_lower(w));
    REQUIRE(at);
    CHECK(root.kinds[*at] == zw::zone::NodeKind::Delegation);  // delegated in the root zone
    if (n.rfind("xn--", 0) == 0) ++idn;
  }
  CHECK(idn >= 55);
  CHECK(unique.count("xn--p1ai.") == 1);  // .рф
  CHECK(unique.count("com.") == 0);
}

TEST_CASE("zones/services.list reads as a watch-list", "[lists]") {
  const auto names = list_names(kSrc + "/zones/services.list");
  CHECK(names.size() >= 40);
  CHECK(std::set<std::string>(names.begin(), names.end()).size() == names.size());
}
