// test_views.cpp: views of one zone from several servers: provenance, findings merged across views with their
// servers united, identical answers sharing a view, coverage, and the needs that decide which checks run.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "checks/runner.hpp"
#include "core/time.hpp"
#include "pipeline/views.hpp"
#include "pipeline/zone_job.hpp"
#include "report/report.hpp"
#include "zone/loader.hpp"

using namespace zw;
using catalog::Code;

namespace {

std::string vector_text(const std::string& rel) {
  std::ifstream in(std::string(ZW_SOURCE_DIR) + "/test-vectors/zone/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  REQUIRE_FALSE(ss.str().empty());
  return ss.str();
}

zone::Zone load(const std::string& text) {
  zone::LoadOptions lo;
  return zone::load_zone_text(text, "answers", lo);
}

zone::Exchange server(const std::string& name, const std::string& address) {
  return {name, address, "udp", "example. AXFR"};
}

pipeline::ZoneJob job_of(std::vector<pipeline::View> views) {
  pipeline::ZoneJob job;
  job.views = std::move(views);
  job.options.now = core::parse_time("2026-01-01T00:00:00Z", 0);
  return job;
}

std::vector<const Finding*> with_code(const report::Run& r, Code c) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings) {
    if (f.code == c) out.push_back(&f);
  }
  return out;
}

using Servers = std::vector<std::string>;

}  // namespace

TEST_CASE("two views of one zone: equal findings merge and name every server that showed them", "[pipeline][views]") {
  const std::string text = vector_text("timing/rrsig-expired.zone");
  std::string stale = text;  // server B serves another serial: its SOA signature no longer matches
  const std::string serial = " 2026010101 7200";
  REQUIRE(stale.find(serial) != std::string::npos);
  stale.replace(stale.find(serial), serial.size(), " 2026010100 7200");

  auto a = pipeline::view_from_answers(load(text), server("ns1.example.", "127.0.0.1"));
  auto b = pipeline::view_from_answers(load(stale), server("ns2.example.", "127.0.0.2"));
  const report::Run r = pipeline::run_zone_job(job_of({a, b}));

  REQUIRE(r.subjects.size() == 1);  // one zone, two views
  CHECK(r.subjects[0].name == "example.");

  // Shown by both servers: one finding, both servers, no file.
  auto expired = with_code(r, Code::RRSIG_EXPIRED);
  REQUIRE(expired.size() == 1);
  CHECK(expired[0]->servers == Servers{"ns1.example./127.0.0.1", "ns2.example./127.0.0.2"});
  CHECK(expired[0]->file.empty());

  // Shown by one: its server alone.
  auto invalid = with_code(r, Code::RRSIG_INVALID);
  REQUIRE(invalid.size() == 1);
  CHECK(invalid[0]->owner == "example.");
  CHECK(invalid[0]->type == "SOA");
  CHECK(invalid[0]->servers == Servers{"ns2.example./127.0.0.2"});

  // The cross-view check (Need AllViews) compares them: about the zone, naming the server at fault only. One server
  // serves each serial; the stale one is the one whose signatures fail (and whose serial is older).
  auto serials = with_code(r, Code::SOA_SERIAL_MISMATCH);
  REQUIRE(serials.size() == 1);
  CHECK(serials[0]->param("serials") == "2026010100 2026010101");
  CHECK(serials[0]->servers == Servers{"ns2.example./127.0.0.2"});
}

TEST_CASE("servers with identical answers share one view", "[pipeline][views]") {
  const std::string text = vector_text("timing/rrsig-expired.zone");
  std::vector<pipeline::View> views = {pipeline::view_from_answers(load(text), server("ns1.example.", "127.0.0.1")),
                                       pipeline::view_from_answers(load(text), server("ns2.example.", "127.0.0.2")),
                                       pipeline::view_from_answers(load(text), server("ns1.example.", "::1"))};
  auto merged = pipeline::merge_identical(views);
  REQUIRE(merged.size() == 1);
  CHECK(merged[0].servers == Servers{"ns1.example./127.0.0.1", "ns1.example./::1", "ns2.example./127.0.0.2"});

  const report::Run r = pipeline::run_zone_job(job_of(merged));
  auto expired = with_code(r, Code::RRSIG_EXPIRED);
  REQUIRE(expired.size() == 1);
  CHECK(expired[0]->servers == merged[0].servers);
  CHECK(with_code(r, Code::SOA_SERIAL_MISMATCH).empty());  // one view: nothing to compare

  // A different answer is a view of its own.
  std::string other = text;
  other.replace(other.find(" 2026010101 7200"), 16, " 2026010102 7200");
  views.push_back(pipeline::view_from_answers(load(other), server("ns3.example.", "127.0.0.3")));
  CHECK(pipeline::merge_identical(views).size() == 2);
}

TEST_CASE("a zone file's findings name their file and line, a server's name the server", "[pipeline][views]") {
  const std::string path = std::string(ZW_SOURCE_DIR) + "/test-vectors/zone/timing/rrsig-expired.zone";
  pipeline::ZoneJob job = job_of({pipeline::view_from_answers(load(vector_text("timing/rrsig-expired.zone")),
                                                              server("ns1.example.", "127.0.0.1"))});
  job.files = {path};
  const report::Run r = pipeline::run_zone_job(job);
  REQUIRE(r.subjects.size() == 2);  // the file is a subject of its own
  auto expired = with_code(r, Code::RRSIG_EXPIRED);
  REQUIRE(expired.size() == 2);
  const Finding* from_file = expired[0]->file.empty() ? expired[1] : expired[0];
  const Finding* from_server = expired[0]->file.empty() ? expired[0] : expired[1];
  CHECK(from_file->file == path);
  CHECK(from_file->line > 0);
  CHECK(from_file->servers.empty());
  CHECK(from_server->servers == Servers{"ns1.example./127.0.0.1"});
  CHECK(from_server->line == 0);
}

TEST_CASE("a view that answered only some queries is not judged by what it was not asked", "[pipeline][views]") {
  // The NSEC chain skips a name: a complete view shows it; a view asked for the apex SOA alone cannot.
  const std::string text = vector_text("denial/nsec-next-wrong.zone");
  auto complete = pipeline::view_from_answers(load(text), server("ns1.example.", "127.0.0.1"));
  CHECK(with_code(pipeline::run_zone_job(job_of({complete})), Code::NSEC_CHAIN_BROKEN).size() == 1);

  checks::Coverage partial;
  partial.complete = false;
  zone::Zone z = load(text);
  partial.asked = {{z.origin, zone::rrtype::SOA}};
  auto asked = pipeline::view_from_answers(std::move(z), server("ns1.example.", "127.0.0.1"), partial);
  CHECK(asked.coverage.covers(asked.zone->origin, zone::rrtype::SOA));
  CHECK_FALSE(asked.coverage.covers(asked.zone->origin, zone::rrtype::NSEC));
  const report::Run r = pipeline::run_zone_job(job_of({asked}));
  CHECK(with_code(r, Code::NSEC_CHAIN_BROKEN).empty());
  // What needs no whole zone still runs on it: the signature checks.
  CHECK_FALSE(r.findings.empty());
}

TEST_CASE("the needs decide where each check runs", "[pipeline][needs]") {
  checks::CheckInput one;
  one.zones.resize(1);
  one.zones[0].name = "example.";
  auto names = [](const std::vector<checks::CheckEntry>& list) {
    std::vector<std::string> out;
    for (const auto& c : list) out.emplace_back(c.name);
    return out;
  };
  auto has = [](const std::vector<std::string>& v, const char* n) {
    return std::find(v.begin(), v.end(), n) != v.end();
  };

  const auto beside = names(checks::checks_for(one, checks::Stage::BesideVerification));
  for (const auto& c : checks::registry()) {
    // Nothing that reads signature results may run beside verification.
    CHECK(has(beside, c.name) == (!c.needs_any(checks::Verified) && !c.needs_any(checks::AllViews)));
  }
  CHECK(has(beside, "denial"));
  CHECK_FALSE(has(beside, "signatures"));
  CHECK_FALSE(has(names(checks::checks_for(one, checks::Stage::All)), "view-consistency"));

  checks::CheckInput two = one;
  two.zones.push_back(one.zones[0]);
  CHECK(has(names(checks::checks_for(two, checks::Stage::All)), "view-consistency"));

  one.zones[0].coverage.complete = false;  // no complete view: no CompleteZone check
  for (const auto& c : checks::checks_for(one, checks::Stage::All)) CHECK_FALSE(c.needs_any(checks::CompleteZone));
}

TEST_CASE("merging joins findings equal in code, zone, owner, type, params and source", "[pipeline][merge]") {
  auto finding = [](Severity s, std::string param, std::uint32_t line, std::vector<std::string> servers) {
    Finding f;
    f.code = Code::RRSIG_EXPIRED;
    f.severity = s;
    f.zone = "example.";
    f.owner = "www.example.";
    f.type = "A";
    f.params = {{"keytag", std::move(param)}, {"expiration", "2025-12-31T00:00:00Z"}};
    f.line = line;
    f.servers = std::move(servers);
    return f;
  };
  auto merged = checks::merge_findings(
      {finding(Severity::Error, "1", 0, {"b/2"}), finding(Severity::Critical, "1", 0, {"a/1", "b/2"}),
       finding(Severity::Error, "2", 0, {"a/1"}), finding(Severity::Error, "1", 7, {})});
  REQUIRE(merged.size() == 3);
  CHECK(merged[0].severity == Severity::Critical);  // the worst of the merged
  CHECK(merged[0].servers == Servers{"a/1", "b/2"});
  CHECK(merged[1].param("keytag") != merged[2].param("keytag"));
  CHECK(std::count_if(merged.begin(), merged.end(), [](const Finding& f) { return f.line == 7; }) == 1);
}

TEST_CASE("a server that answers without the zone's apex is lame: a finding, not an input error", "[pipeline][views]") {
  const std::string text = vector_text("timing/rrsig-expired.zone");
  auto good = pipeline::view_from_answers(load(text), server("ns1.example.", "127.0.0.1"));
  zone::LoadOptions lo;
  lo.origin = good.zone->origin;
  auto lame = pipeline::view_from_answers(zone::load_zone_text("www.example. 3600 IN A 192.0.2.1\n", "answers", lo),
                                          server("ns2.example.", "127.0.0.2"));
  REQUIRE_FALSE(lame.zone->apex());

  report::Run r = pipeline::run_zone_job(job_of({good, lame}));
  auto found = with_code(r, Code::NS_LAME);
  REQUIRE(found.size() == 1);
  CHECK(found[0]->servers == Servers{"ns2.example./127.0.0.2"});
  CHECK(found[0]->param("address") == "127.0.0.2");
  REQUIRE(r.subjects.size() == 1);
  CHECK(r.subjects[0].checked());

  // Every server lame: the zone could not be checked (exit 3), and the findings say why.
  r = pipeline::run_zone_job(job_of({lame}));
  REQUIRE(r.subjects.size() == 1);
  CHECK_FALSE(r.subjects[0].checked());
  CHECK(r.exit == 3);
  CHECK(with_code(r, Code::NS_LAME).size() == 1);
}

TEST_CASE("the text report names the servers of a finding", "[pipeline][views][report]") {
  const std::string text = vector_text("timing/rrsig-expired.zone");
  auto merged = pipeline::merge_identical({pipeline::view_from_answers(load(text), server("ns1.example.", "127.0.0.1")),
                                           pipeline::view_from_answers(load(text), server("ns2.example.", "::1"))});
  const report::Run r = pipeline::run_zone_job(job_of(merged));
  std::ostringstream out;
  report::find_format("text")->write(out, r, {});
  CHECK(out.str().find("[ns1.example./127.0.0.1, ns2.example./::1]") != std::string::npos);
  std::ostringstream json;
  report::find_format("json")->write(json, r, {});
  CHECK(json.str().find("\"ns2.example./::1\"") != std::string::npos);
  CHECK(report::find_format("yaml") == nullptr);
}
