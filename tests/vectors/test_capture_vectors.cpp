// test_capture_vectors.cpp: every capture in test-vectors/capture/ (a live run of a lab scenario, made by
// scripts/make-captures) replayed offline: the codes its header expects, the servers it names, nothing else of
// warning or above, and the same report on every replay, byte for byte.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "pipeline/check_job.hpp"
#include "report/report.hpp"

namespace fs = std::filesystem;
using namespace zw;

namespace {

struct CaptureVector {
  fs::path path;
  std::set<std::string> expect, allow;
  std::map<std::string, std::vector<std::string>> servers;
};

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

CaptureVector read_vector(const fs::path& p) {
  CaptureVector v;
  v.path = p;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line) && !line.empty() && line[0] == '#') {
    auto field = [&](const char* key) -> std::optional<std::vector<std::string>> {
      const std::string k = std::string("# ") + key;
      if (line.rfind(k, 0) != 0) return std::nullopt;
      return words(line.substr(k.size()));
    };
    if (auto w = field("zw-expect:")) v.expect.insert(w->begin(), w->end());
    if (auto w = field("zw-allow:")) v.allow.insert(w->begin(), w->end());
    if (auto w = field("zw-servers:")) {
      REQUIRE(!w->empty());
      std::vector<std::string> ids(w->begin() + 1, w->end());
      std::sort(ids.begin(), ids.end());
      v.servers[w->front()] = ids;
    }
  }
  return v;
}

std::vector<fs::path> capture_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(ZW_SOURCE_DIR) / "test-vectors" / "capture")) {
    if (e.path().extension() == ".capture") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string json_of(const report::Run& run) {
  std::ostringstream out;
  report::find_format("json")->write(out, run, {});
  return out.str();
}

}  // namespace

TEST_CASE("every capture vector replays to what its header says, byte for byte on every replay",
          "[vectors][capture][check]") {
  const auto files = capture_files();
  REQUIRE(files.size() >= 15);  // the clean lab and every fault scenario
  for (const fs::path& p : files) {
    const CaptureVector v = read_vector(p);
    INFO(p.filename().string());
    pipeline::CheckJob job;
    job.capture = p.string();
    const report::Run run = pipeline::run_check_job(job);
    std::set<std::string> seen;
    for (const Finding& f : run.findings) {
      const std::string code(catalog::name(f.code));
      seen.insert(code);
      INFO(code << " " << f.zone << " " << f.owner);
      if (f.severity >= Severity::Warning) CHECK((v.expect.count(code) + v.allow.count(code)) == 1);
      if (auto s = v.servers.find(code); s != v.servers.end()) CHECK(f.servers == s->second);
    }
    for (const std::string& code : v.expect) {
      INFO("expected " << code);
      CHECK(seen.count(code) == 1);
    }
    CHECK(json_of(pipeline::run_check_job(job)) == json_of(run));
  }
}
