// test_cli.cpp: the zonewarden executable end to end: exit statuses, error messages, output formats.
#include <catch2/catch.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli/cli_run.hpp"

using zw::test::kSrc;
using zw::test::Run;
using zw::test::run_zw;
using zw::test::slurp;
namespace fs = std::filesystem;

TEST_CASE("usage errors and unreadable input exit 3 with a clear message", "[cli]") {
  Run none = run_zw("");
  CHECK(none.status == 3);
  Run bad_opt = run_zw("zone --no-such-option x.zone");
  CHECK(bad_opt.status == 3);
  Run missing = run_zw("zone /nonexistent/missing.zone");
  CHECK(missing.status == 3);
  CHECK(missing.err.find("/nonexistent/missing.zone") != std::string::npos);
  Run bad_now = run_zw("zone --now yesterday " + kSrc + "/zones/tld/ER.zone");
  CHECK(bad_now.status == 3);
  CHECK(bad_now.err.find("yesterday") != std::string::npos);
  Run bad_code = run_zw("zone --disable NO_SUCH_CODE " + kSrc + "/zones/tld/ER.zone");
  CHECK(bad_code.status == 3);
  Run bad_format = run_zw("zone -f xml " + kSrc + "/zones/tld/ER.zone");
  CHECK(bad_format.status == 3);
  Run big = run_zw("zone --max-input-size 1K " + kSrc + "/zones/tld/ARPA.zone");
  CHECK(big.status == 3);
  CHECK(big.err.find("ARPA.zone: input larger than") != std::string::npos);
  Run bomb = run_zw("zone --max-input-size 1M " + kSrc + "/zones/tld/FJ.zone.gz");  // 2 MB once decompressed
  CHECK(bomb.status == 3);
  Run help = run_zw("zone --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("--trust-anchor") != std::string::npos);
}

TEST_CASE("malformed zone files exit 3 naming the file and line, never crash", "[cli][malformed]") {
  fs::path dir = fs::path(kSrc) / "test-vectors" / "malformed";
  REQUIRE(fs::exists(dir));
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".zone") continue;
    ++n;
    DYNAMIC_SECTION(e.path().filename().string()) {
      Run r = run_zw("zone " + e.path().string());
      CHECK(r.status == 3);
      CHECK(r.err.find(e.path().filename().string()) != std::string::npos);
      CHECK(r.err.find("zonewarden: error:") != std::string::npos);
      CHECK(r.out.empty());
    }
  }
  CHECK(n >= 8);
}

TEST_CASE("exit status follows the worst finding and --fail-on", "[cli]") {
  const std::string fj = kSrc + "/zones/tld/FJ.zone.gz";
  CHECK(run_zw("zone --now 20241011163831 " + fj).status == 2);
  // With every error-level code of .fj disabled, the signed-glue warnings remain (and without address data, no AS or
  // country findings about its delegations).
  const std::string quiet =
      "--asn-source none --disable GLUE_MISSING --disable ZONE_ORIGIN_DOUBLED --disable NSEC3_ITERATIONS_NONZERO ";
  CHECK(run_zw("zone --now 20241011163831 " + quiet + fj).status == 0);
  CHECK(run_zw("zone --now 20241011163831 --fail-on warning " + quiet + fj).status == 1);
  CHECK(run_zw("zone --now 20241011163831 --fail-on warning --severity RRSIG_ON_NON_AUTHORITATIVE=info " + quiet + fj)
            .status == 0);
  CHECK(
      run_zw("zone --now 20241011163831 --fail-on notice " + quiet + "--severity RRSIG_ON_NON_AUTHORITATIVE=info " + fj)
          .status == 1);
}

TEST_CASE("JSON output is canonical and complete", "[cli][json]") {
  Run r = run_zw("zone -f json -k " + kSrc + "/zones/root/root-anchors.ds --now 2026-11-23 " + kSrc +
                 "/zones/root/root-2026073102.zone.gz");
  CHECK(r.status == 2);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["zones"].size() == 1);
  CHECK(j["zones"][0]["zone"] == ".");
  CHECK(j["summary"]["exit"] == 2);
  CHECK(j["summary"]["critical"] == 1);
  const auto& findings = j["findings"];
  REQUIRE(findings.size() > 2000);  // every expired signature is kept in JSON
  CHECK(findings[0]["code"] == "ZONE_BOGUS");
  std::size_t expired = 0;
  for (const auto& f : findings) {
    for (const char* key : {"code", "severity", "zone", "owner", "type", "params", "source"}) CHECK(f.contains(key));
    if (f["code"] == "RRSIG_EXPIRED") {
      ++expired;
      CHECK(f["source"]["line"].get<int>() > 0);
      CHECK(f["params"].contains("keytag"));
    }
  }
  CHECK(expired == j["zones"][0]["signatures"].get<std::size_t>());
  // Same input, same bytes.
  Run again = run_zw("zone -f json -k " + kSrc + "/zones/root/root-anchors.ds --now 2026-11-23 " + kSrc +
                     "/zones/root/root-2026073102.zone.gz");
  CHECK(again.out == r.out);
}

TEST_CASE("text output summarises codes that fire thousands of times", "[cli][text]") {
  Run r = run_zw("zone -k " + kSrc + "/zones/root/root-anchors.ds --now 2026-11-23 " + kSrc +
                     "/zones/root/root-2026073102.zone.gz",
                 "NO_COLOR=1");
  CHECK(r.status == 2);
  CHECK(r.out.find("RRSIG_EXPIRED  (2792 findings)") != std::string::npos);
  CHECK(r.out.find("and 2787 more") != std::string::npos);
  CHECK(r.out.find("summary: 1 zone, 1 critical, 2792 errors") != std::string::npos);
  CHECK(r.out.find("\033[") == std::string::npos);
}

TEST_CASE("explain and catalog", "[cli][catalog]") {
  Run e = run_zw("explain rrsig_expired");
  CHECK(e.status == 0);
  CHECK(e.out.find("RFC 4035") != std::string::npos);
  CHECK(e.out.find("mode both") != std::string::npos);
  CHECK(run_zw("explain NOT_A_CODE").status == 3);
  Run c = run_zw("catalog --format json");
  CHECK(c.status == 0);
  auto j = nlohmann::json::parse(c.out);
  CHECK(j.size() > 80);
  for (const auto& row : j) {
    INFO(row["code"]);
    CHECK((row["mode"] == "zone" || row["mode"] == "live" || row["mode"] == "both"));
  }
  // The build generates zonewarden-checks(7) from the catalogue (nothing committed to keep in step).
  Run m = run_zw("catalog --format man");
  CHECK(m.out == slurp(fs::path(ZW_BINARY).parent_path() / "man" / "zonewarden-checks.7"));
  CHECK_FALSE(fs::exists(fs::path(kSrc) / "man" / "zonewarden-checks.7"));
}

TEST_CASE("the manual pages document every option and command", "[cli][man]") {
  auto roff = [](const std::string& opt) {
    std::string r;
    for (char c : opt) r += c == '-' ? std::string("\\-") : std::string(1, c);
    return r;
  };
  for (const std::string command : {"zone", "check"}) {
    const std::string name = "zonewarden-" + command + ".1";
    std::string page = slurp(fs::path(kSrc) / "man" / name);
    Run help = run_zw(command + " --help");
    std::regex long_opt("--([a-z][a-z-]+)");
    std::size_t n = 0;
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), long_opt); it != std::sregex_iterator();
         ++it) {
      std::string opt = (*it)[1].str();
      INFO(name << " does not document --" << opt);
      CHECK(page.find(roff("--" + opt)) != std::string::npos);
      ++n;
    }
    CHECK(n >= 10);
    // The SYNOPSIS names every option too (by its short name where it has one).
    const auto syn_begin = page.find(".SH SYNOPSIS");
    const std::string synopsis = page.substr(syn_begin, page.find(".SH DESCRIPTION") - syn_begin);
    std::regex opt_line(R"(\n +(-([a-zA-Z]),)?--([a-z][a-z-]+))");
    std::size_t in_synopsis = 0;
    for (auto it = std::sregex_iterator(help.out.begin(), help.out.end(), opt_line); it != std::sregex_iterator();
         ++it) {
      const std::string opt = (*it)[2].matched ? "-" + (*it)[2].str() : "--" + (*it)[3].str();
      INFO("the SYNOPSIS of " << name << " does not name " << opt);
      CHECK(synopsis.find(roff(opt)) != std::string::npos);
      ++in_synopsis;
    }
    CHECK(in_synopsis >= 18);
  }
  const std::string zone_page = slurp(fs::path(kSrc) / "man" / "zonewarden-zone.1");
  CHECK(zone_page.find(".RB [ \\-\\- ]") != std::string::npos);
  std::string main_page = slurp(fs::path(kSrc) / "man" / "zonewarden.1");
  Run top = run_zw("--help");
  for (const char* cmd : {"zone", "check", "explain", "catalog"}) {
    CHECK(top.out.find(cmd) != std::string::npos);
    bool documented = main_page.find(std::string(".B ") + cmd) != std::string::npos ||
                      main_page.find(std::string(".BI ") + cmd) != std::string::npos;
    CHECK(documented);
  }
}

TEST_CASE("a previous version: the changes since it, and a wrong zone is an input error", "[cli][history]") {
  const std::string root = kSrc + "/zones/root/";
  Run r = run_zw("zone -f json --now 20190128000000 --previous " + root + "root-2019010300.zone.gz " + root +
                 "root-2019012200.zone.gz");
  REQUIRE(r.status == 0);
  auto j = nlohmann::json::parse(r.out);
  const auto& prev = j["zones"][0]["previous"];
  CHECK(prev["serial_before"] == 2019010300);
  CHECK(prev["serial_after"] == 2019012200);
  CHECK(prev["keys"].size() == 4);
  Run wrong = run_zw("zone --previous " + kSrc + "/zones/tld/ER.zone " + root + "root-2019012200.zone.gz");
  CHECK(wrong.status == 3);
  CHECK(wrong.err.find("ER.zone: zone er. is not among the zones checked") != std::string::npos);
}
