// test_catalog.cpp: the catalogue's own rules (DESIGN.md §2) and the generated manual page being current.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "catalog/catalog.hpp"
#include "checks/check.hpp"
#include "report/report.hpp"

namespace fs = std::filesystem;
using namespace zw;

namespace {

/// Codes of mode zone or both that no zone-file vector shows yet: the rollover checks across versions, not built yet,
/// and delegation facts that need data from outside the zone. Shrinks as those land. (Live codes need no zone vector.)
const std::set<std::string> kNotYetInVectors = {
    "RESPONSE_TOO_LARGE",
    // rollover timing shown by the real signers' sequences (test-vectors/rollover/, scripts/make-rollover-vectors)
    "ZSK_PREPUBLISH_TOO_SHORT",
    "ZSK_RETIRED_TOO_EARLY",
    "KSK_ACTIVE_BEFORE_DS",
    "KSK_OLD_REMOVED_TOO_EARLY",
};

std::set<std::string> codes_expected_by_vectors() {
  std::set<std::string> out;
  for (const char* folder : {"zone", "keydirs", "signers", "rollover"}) {
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

namespace {

/// Live codes that no capture of test-vectors/capture/ shows yet: a disagreement of two validators (there must be none
/// on the lab).
const std::set<std::string> kLiveNotYetInCaptures = {
    "VALIDATOR_DISAGREEMENT",
};

/// The codes the capture vectors expect or allow (zw-expect, zw-allow).
std::set<std::string> codes_shown_by_captures() {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(ZW_SOURCE_DIR) / "test-vectors" / "capture")) {
    if (e.path().extension() != ".capture") continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line) && !line.empty() && line[0] == '#') {
      for (const char* key : {"zw-expect:", "zw-allow:"}) {
        auto pos = line.find(key);
        if (pos == std::string::npos) continue;
        std::istringstream words(line.substr(pos + std::string(key).size()));
        std::string w;
        while (words >> w) out.insert(w);
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("every live code is shown by a capture vector", "[catalog][vectors][capture]") {
  const auto shown = codes_shown_by_captures();
  for (const catalog::Entry& e : catalog::all()) {
    if (e.mode != catalog::Mode::Live) continue;
    const std::string name(e.name);
    INFO(name);
    CHECK((shown.count(name) + kLiveNotYetInCaptures.count(name)) == 1);
  }
}

TEST_CASE("every code of mode zone or both is expected by at least one test vector", "[catalog][vectors]") {
  auto expected = codes_expected_by_vectors();
  for (const std::string& name : kNotYetInVectors) {
    INFO(name << " is listed as not yet in vectors: it must be a code of mode zone or both");
    auto code = catalog::find(name);
    REQUIRE(code.has_value());
    CHECK(catalog::entry(*code).mode != catalog::Mode::Live);
  }
  for (const catalog::Entry& e : catalog::all()) {
    std::string name(e.name);
    if (e.mode == catalog::Mode::Live) continue;
    if (kNotYetInVectors.count(name)) {
      INFO(name << " is listed as not yet in vectors but a vector expects it: remove it from the list");
      CHECK(expected.count(name) == 0);
      continue;
    }
    INFO(name << " (mode " << catalog::mode_name(e.mode) << ") has no one-defect vector in test-vectors/zone/");
    CHECK(expected.count(name) == 1);
  }
}

TEST_CASE("every row names a mode and an area with a section title", "[catalog]") {
  std::set<std::string_view> area_names;
  for (const catalog::Area& a : catalog::areas()) {
    CHECK(area_names.insert(a.name).second);
    CHECK(!a.title.empty());
  }
  for (const catalog::Entry& e : catalog::all()) {
    INFO(e.name);
    CHECK(area_names.count(e.area) == 1);
    auto mode = catalog::mode_name(e.mode);
    CHECK((mode == "zone" || mode == "live" || mode == "both"));
  }
  CHECK(catalog::entry(catalog::Code::RRSIG_EXPIRED).mode == catalog::Mode::Both);
  CHECK(catalog::entry(catalog::Code::ZONE_UNREACHABLE).mode == catalog::Mode::Live);
  CHECK(catalog::entry(catalog::Code::ZONE_SHRINK).mode == catalog::Mode::Zone);
}

TEST_CASE("the build's zonewarden-checks(7) is generated from the catalogue", "[catalog][man]") {
  std::ifstream in(fs::path(ZW_BINARY).parent_path() / "man" / "zonewarden-checks.7");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == report::catalog_man_page());
}

TEST_CASE("every placeholder of every template names a declared param", "[catalog]") {
  // Reads "{...}" exactly as render_message() does: every brace pair is a placeholder, "{name}" or "{name:noun}",
  // so a misspelt or undeclared name (which would render as empty text) fails here.
  for (const catalog::Entry& e : catalog::all()) {
    INFO(e.name << ": " << e.message);
    auto params = catalog::param_names(e);
    std::set<std::string_view> declared(params.begin(), params.end());
    std::string_view tmpl = e.message;
    for (auto open = tmpl.find('{'); open != std::string_view::npos; open = tmpl.find('{', open + 1)) {
      auto close = tmpl.find('}', open);
      REQUIRE(close != std::string_view::npos);
      std::string_view key = tmpl.substr(open + 1, close - open - 1);
      key = key.substr(0, key.find(':'));
      INFO("placeholder {" << key << "}");
      CHECK(declared.count(key) == 1);
    }
  }
}

TEST_CASE("every code appears in zonewarden-checks(7), under its area's section", "[catalog][man]") {
  std::string page = report::catalog_man_page();
  for (const catalog::Entry& e : catalog::all()) {
    INFO(e.name << " (area " << e.area << ") is missing from the generated manual page");
    auto at = page.find(".B " + std::string(e.name) + "\n");
    REQUIRE(at != std::string::npos);
    auto section = page.rfind("\n.SH ", at);
    REQUIRE(section != std::string::npos);
    auto title = page.substr(section + 5, page.find('\n', section + 1) - section - 5);
    const catalog::Area* area = nullptr;
    for (const catalog::Area& a : catalog::areas()) {
      if (a.name == e.area) area = &a;
    }
    REQUIRE(area != nullptr);
    CHECK(title == area->title);
  }
}

TEST_CASE("the reporter rejects a finding whose params differ from its row's", "[catalog][reporter]") {
  checks::ZoneContext ctx;
  ctx.name = "example.";
  FindingSink sink;
  checks::Reporter reporter(ctx, sink);
  using P = checks::Reporter::Params;
  // RRSIG_EXPIRED declares "keytag expiration".
  reporter.zone(catalog::Code::RRSIG_EXPIRED, P{{"keytag", "1"}, {"expiration", "2026-01-01"}});
  reporter.zone(catalog::Code::RRSIG_EXPIRED, P{{"expiration", "2026-01-01"}, {"keytag", "1"}});  // any order
  reporter.zone(catalog::Code::ZONE_UNSIGNED);
  CHECK(sink.take().size() == 3);
  // A misspelt name, a missing one, an extra one, a repeated one.
  CHECK_THROWS_AS(reporter.zone(catalog::Code::RRSIG_EXPIRED, P{{"keytagg", "1"}, {"expiration", "2026-01-01"}}),
                  std::logic_error);
  CHECK_THROWS_AS(reporter.zone(catalog::Code::RRSIG_EXPIRED, P{{"keytag", "1"}}), std::logic_error);
  CHECK_THROWS_AS(reporter.zone(catalog::Code::RRSIG_EXPIRED,
                                P{{"keytag", "1"}, {"expiration", "2026-01-01"}, {"remaining", "1d"}}),
                  std::logic_error);
  CHECK_THROWS_AS(reporter.zone(catalog::Code::RRSIG_EXPIRED, P{{"keytag", "1"}, {"keytag", "2"}}), std::logic_error);
  CHECK_THROWS_AS(reporter.zone(catalog::Code::ZONE_UNSIGNED, P{{"reason", "x"}}), std::logic_error);
  checks::ExternalRecord rec;
  CHECK_THROWS_AS(reporter.external(catalog::Code::RRSIG_EXPIRED, rec, "DS", P{{"keytagg", "1"}}), std::logic_error);
  CHECK(sink.take().empty());
}
