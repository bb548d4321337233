// test_ci_formats.cpp: the github and gcc formats, line by line, as the parsers of GitHub Actions and of editors and
// CI logs read them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "report/report.hpp"
#include "report/report_support.hpp"

using namespace zw::test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A workflow command: ::LEVEL key=value,key=value::data; the values free of unescaped ':' and ',', the data of CR
// and LF (GitHub's "Workflow commands for GitHub Actions").
const std::regex kGithub(
    R"(::(error|warning|notice) ((file|line|title)=[^:,\r\n]*)(,(file|line|title)=[^:,\r\n]*)*::[^\r\n]*)");
// FILE:LINE: error|warning|note: message [CODE] (GCC's diagnostic format; a file without its line is allowed).
const std::regex kGcc(R"(([^:]+)(:[0-9]+)?: (error|warning|note): .+ \[[A-Z0-9_]+\])");

}  // namespace

TEST_CASE("github lines are workflow commands with the file and line and the code as title", "[report][github]") {
  Run r = run_zw("zone -f github " + kExpired + " " + kEr + " " + kBadTtl);
  CHECK(r.status == 3);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() >= 2);
  bool expired = false;
  for (const std::string& line : lines) {
    INFO(line);
    CHECK(std::regex_match(line, kGithub));
    expired = expired || line.rfind("::error file=" + kEr + ",line=", 0) == 0;
  }
  CHECK(expired);
  CHECK(r.out.find(",title=RRSIG_EXPIRED::") != std::string::npos);
  CHECK(lines.back().rfind("::error file=" + kBadTtl + ",line=4,title=not checked::", 0) == 0);
}

TEST_CASE("github escapes data and property values as GitHub requires", "[report][github]") {
  zw::report::Run run;
  zw::Finding f;
  f.code = zw::catalog::Code::RRSIG_EXPIRED;
  f.severity = zw::Severity::Critical;
  f.zone = "example.";
  f.file = "dir,with:odd%name.zone";
  f.line = 7;
  f.params = {{"keytag", "1"}, {"expiration", "50%\r\nnext"}};
  run.findings = {f};
  std::ostringstream out;
  zw::report::write_github(out, run, {});
  INFO(out.str());
  CHECK(out.str().rfind("::error file=dir%2Cwith%3Aodd%25name.zone,line=7,title=RRSIG_EXPIRED::", 0) == 0);
  CHECK(out.str().find("50%25%0D%0Anext") != std::string::npos);
  CHECK(lines_of(out.str()).size() == 1);
}

TEST_CASE("gcc lines are FILE:LINE: severity: message and code with servers instead of files in live runs",
          "[report][gcc]") {
  Run r = run_zw("zone -f gcc " + kExpired + " " + kEr + " " + kBadTtl);
  CHECK(r.status == 3);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() >= 2);
  CHECK(lines.back() == kBadTtl + ":4: error: bad TTL '1x'");
  lines.pop_back();
  std::size_t with_line = 0;
  for (const std::string& line : lines) {
    INFO(line);
    std::smatch m;
    REQUIRE(std::regex_match(line, m, kGcc));
    CHECK(m[1].str() == kEr);
    with_line += m[2].matched ? 1 : 0;
  }
  CHECK(with_line >= 10);
  CHECK(std::regex_search(r.out, std::regex(": error: .* \\[RRSIG_EXPIRED\\]")));

  Run live = run_zw("check -f gcc --capture " + kSrc + "/test-vectors/capture/badsig.capture");
  CHECK(live.status == 2);
  const std::regex server_line(R"([a-z0-9.-]+\./[0-9a-f.:]+: (error|warning|note): .+ \[[A-Z0-9_]+\])");
  bool by_server = false;
  for (const std::string& line : lines_of(live.out)) {
    INFO(line);
    by_server = by_server || std::regex_match(line, server_line);
    CHECK(std::regex_search(line, std::regex(R"(: (error|warning|note): .+ \[[A-Z0-9_]+\]$)")));
  }
  CHECK(by_server);
}

TEST_CASE("zone-wide findings are placed at the apex SOA record in sarif github and gcc",
          "[report][github][gcc][sarif]") {
  // ER.zone's apex SOA record is on its line 4; the expired signatures make the zone bogus (ZONE_BOGUS, zone-wide).
  const std::string args = " " + kExpired + " " + kEr;
  Run gcc = run_zw("zone -f gcc" + args);
  CHECK(std::regex_search(gcc.out, std::regex("(^|\n)" + std::regex_replace(kEr, std::regex(R"([.+])"), R"(\$&)") +
                                              R"(:4: error: .+ \[ZONE_BOGUS\]\n)")));
  for (const std::string& line : lines_of(gcc.out)) {
    INFO(line);
    std::smatch m;
    REQUIRE(std::regex_match(line, m, kGcc));
    CHECK(m[2].matched);  // every finding of a zone file has a line now
  }
  Run github = run_zw("zone -f github" + args);
  CHECK(github.out.find("::error file=" + kEr + ",line=4,title=ZONE_BOGUS::") != std::string::npos);
  for (const std::string& line : lines_of(github.out)) {
    INFO(line);
    CHECK(line.find(",line=") != std::string::npos);
  }
  Run sarif = run_zw("zone -f sarif" + args);
  const auto doc = nlohmann::json::parse(sarif.out);
  bool bogus = false;
  for (const auto& res : doc["runs"][0]["results"]) {
    INFO(res.dump());
    const auto& loc = res["locations"][0]["physicalLocation"];
    REQUIRE(loc.contains("region"));
    if (res["ruleId"] == "ZONE_BOGUS") {
      bogus = true;
      CHECK(loc["region"]["startLine"] == 4);
    }
  }
  CHECK(bogus);
}

TEST_CASE("a zone-wide finding is at its zone's SOA record, in the file that holds it, else at the file",
          "[report][github][gcc]") {
  zw::report::Run run;
  zw::report::Subject z;
  z.name = "example.";
  z.file = "example.zone";
  z.soa_file = "soa.inc";
  z.soa_line = 3;
  run.subjects = {z};
  zw::Finding f;
  f.code = zw::catalog::Code::ZONE_BOGUS;
  f.severity = zw::Severity::Critical;
  f.zone = "example.";
  f.params = {{"detail", "no-valid-dnskey"}};
  zw::Finding own = f;
  own.file = "example.zone";
  own.line = 9;
  zw::Finding served = f;
  served.servers = {"ns1.example./192.0.2.1"};
  const auto at = [&](const zw::Finding& x) {
    const zw::report::FilePlace p = zw::report::finding_place(run, x);
    return p.file + ":" + std::to_string(p.line);
  };
  CHECK(at(f) == "soa.inc:3");
  CHECK(at(own) == "example.zone:9");
  CHECK(at(served) == ":0");
  run.subjects[0].soa_line = 0;  // no SOA: the file
  CHECK(at(f) == "example.zone:0");
  zw::Finding other = f;
  other.zone = "other.";
  CHECK(at(other) == ":0");
}
