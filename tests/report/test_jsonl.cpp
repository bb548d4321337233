// test_jsonl.cpp: the jsonl format: every line a JSON object holding one zone and exactly its findings, written as
// each zone is final, in the run's order.
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pipeline/check_job.hpp"
#include "pipeline/zone_job.hpp"
#include "report/report.hpp"
#include "report/report_support.hpp"

using namespace zw::test;

TEST_CASE("jsonl: one parseable line per zone in canonical order with that zone's findings", "[report][jsonl]") {
  const std::string args = " " + kExpired + " " + kArab + " " + kEr + " " + kBadTtl;
  Run lines = run_zw("zone -f jsonl" + args);
  Run whole = run_zw("zone -f json" + args);
  CHECK(lines.status == 3);
  auto doc = nlohmann::json::parse(whole.out);
  std::istringstream in(lines.out);
  std::size_t i = 0;
  for (std::string line; std::getline(in, line); ++i) {
    INFO(line.substr(0, 200));
    auto j = nlohmann::json::parse(line);
    REQUIRE(i < doc["zones"].size());
    CHECK(j["zone"] == doc["zones"][i]["zone"]);
    CHECK(j["verdict"] == doc["zones"][i]["verdict"]);
    CHECK(j["now"] == "2026-06-01T00:00:00Z");
    nlohmann::json expected = nlohmann::json::array();
    for (const auto& f : doc["findings"]) {
      if (!j["zone"].is_null() && f["zone"] == j["zone"]) expected.push_back(f);
    }
    CHECK(j["findings"] == expected);
  }
  CHECK(i == 3);
  CHECK(lines.out.find("\"zone\":\"er.\"") != std::string::npos);
  CHECK(run_zw("zone -f jsonl" + args).out == lines.out);
}

namespace {

std::size_t line_count(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

std::string whole_jsonl(const zw::report::Run& run) {
  std::ostringstream out;
  zw::report::write_jsonl(out, run, {});
  return out.str();
}

/// What a job announced: the subjects in the order it told them, and the lines written at each announcement.
struct Announced {
  std::vector<std::size_t> order;
  std::vector<std::size_t> lines;
};

zw::report::SubjectDone recorder(zw::report::JsonlStream& stream, std::ostringstream& out, Announced& seen) {
  return [&stream, &out, &seen](const zw::report::Run& run, std::size_t index) {
    stream.complete(run, index);
    seen.order.push_back(index);
    seen.lines.push_back(line_count(out.str()));
  };
}

}  // namespace

TEST_CASE("jsonl stream: lines in the run's order whatever the order in which zones complete", "[report][jsonl]") {
  zw::report::Run run;
  run.now = 1700000000;
  for (const char* name : {"a.", "b.", "c."}) {
    zw::report::Subject z;
    z.name = name;
    z.verdict = zw::report::Verdict::Insecure;
    run.subjects.push_back(z);
  }
  std::ostringstream out;
  zw::report::JsonlStream stream(out);
  stream.complete(run, 2);  // c. is final before a. and b.: it waits
  CHECK(out.str().empty());
  CHECK(stream.waiting() == 1);
  stream.complete(run, 0);
  CHECK(line_count(out.str()) == 1);
  CHECK(out.str().find("\"zone\":\"a.\"") != std::string::npos);
  stream.complete(run, 0);  // told twice: written once
  stream.complete(run, 7);  // no such subject: nothing
  CHECK(stream.written() == 1);
  stream.complete(run, 1);  // b., then the waiting c.
  CHECK(stream.written() == 3);
  CHECK(stream.waiting() == 0);
  CHECK(out.str() == whole_jsonl(run));
  stream.finish(run);
  CHECK(out.str() == whole_jsonl(run));
}

TEST_CASE("jsonl stream: the zone job announces each zone and its line is out before the next zone's",
          "[report][jsonl][pipeline]") {
  zw::pipeline::ZoneJob job;
  job.files = {kEr, kArab, kBadTtl};
  job.options.now = zw::core::parse_time("20260601", 0);
  std::ostringstream out;
  zw::report::JsonlStream stream(out);
  Announced seen;
  job.subject_done = recorder(stream, out, seen);
  const zw::report::Run run = zw::pipeline::run_zone_job(job);
  CHECK(seen.order == std::vector<std::size_t>{0, 1, 2});
  // When the first zone was announced its line was written, and no other.
  CHECK(seen.lines == std::vector<std::size_t>{1, 2, 3});
  CHECK(out.str() == whole_jsonl(run));
}

TEST_CASE("jsonl stream: the check job announces each zone of a replayed walk", "[report][jsonl][pipeline][check]") {
  zw::pipeline::CheckJob job;
  job.capture = kSrc + "/test-vectors/capture/badsig.capture";
  std::ostringstream out;
  zw::report::JsonlStream stream(out);
  Announced seen;
  job.subject_done = recorder(stream, out, seen);
  const zw::report::Run run = zw::pipeline::run_check_job(job);
  REQUIRE(run.subjects.size() >= 2);
  REQUIRE(seen.order.size() == run.subjects.size());
  for (std::size_t i = 0; i < seen.order.size(); ++i) {
    CHECK(seen.order[i] == i);
    CHECK(seen.lines[i] == i + 1);
  }
  CHECK(out.str() == whole_jsonl(run));
}

TEST_CASE("jsonl streamed to standard output is the report written whole to --output", "[report][jsonl][cli]") {
  Scratch dir("jsonl");
  const std::string file = dir.path("report.jsonl").string();
  const std::string args = " " + kExpired + " " + kArab + " " + kEr + " " + kBadTtl;
  Run streamed = run_zw("zone -f jsonl" + args);
  Run whole = run_zw("zone -f jsonl --output " + file + args);
  CHECK(whole.status == streamed.status);
  CHECK(whole.out.empty());
  CHECK(line_count(streamed.out) == 3);
  CHECK(zw::test::slurp(file) == streamed.out);
  const std::string capture = " --capture " + kSrc + "/test-vectors/capture/badsig.capture";
  Run live = run_zw("check -f jsonl" + capture);
  Run live_whole = run_zw("check -f jsonl --output " + file + capture);
  CHECK(live.status == 2);
  CHECK(live_whole.status == live.status);
  CHECK(line_count(live.out) >= 2);
  CHECK(zw::test::slurp(file) == live.out);
}
