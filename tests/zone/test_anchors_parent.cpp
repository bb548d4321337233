// test_anchors_parent.cpp: a parent zone and its child checked in one run: the parent's DS RRset is the child's entry
// point, --ds and -k still take precedence, and the summary's chain field says where the entry point came from.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "pipeline/zone_job.hpp"

using namespace zw;
namespace fs = std::filesystem;

namespace {

const std::string kChain = ZW_SOURCE_DIR "/test-vectors/zone/chain/";
const std::string kZones = ZW_SOURCE_DIR "/zones/";
// The parent example.'s KSK (tag 20045) and the child secure.example.'s key (tag in the vector header).
const std::string kParentKskDs =
    "example. IN DS 20045 8 2 5B91D405200795C060CB6598859E530989E28DF116F0DB8F7782406FB2A1B445\n";

struct TempFile {
  fs::path path;
  explicit TempFile(const std::string& text) {
    std::string tmpl = (fs::temp_directory_path() / "zw-parent-XXXXXX").string();
    int fd = ::mkstemp(tmpl.data());
    REQUIRE(fd >= 0);
    ::close(fd);
    path = tmpl;
    std::ofstream(path, std::ios::binary) << text;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ec;
    fs::remove(path, ec);
  }
};

pipeline::ZoneJob pair(const std::string& stem, bool parent_first = false) {
  pipeline::ZoneJob job;
  job.files = {kChain + stem + ".zone", kChain + stem + "-parent.zone"};
  if (parent_first) std::swap(job.files[0], job.files[1]);
  job.options.now = core::parse_time("2026-01-01T00:00:00Z", 0);
  return job;
}

std::map<std::string, std::string> chains(const report::Run& r) {
  std::map<std::string, std::string> out;
  for (const auto& z : r.subjects) out[z.name] = z.chain;
  return out;
}

bool has(const report::Run& r, catalog::Code c, const std::string& zone) {
  for (const Finding& f : r.findings) {
    if (f.code == c && f.zone == zone) return true;
  }
  return false;
}

bool any_warning(const report::Run& r) {
  for (const Finding& f : r.findings) {
    if (f.severity >= Severity::Warning) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a child checked with its parent takes the parent's DS RRset as its entry point", "[anchors][parent]") {
  for (bool parent_first : {false, true}) {
    auto r = pipeline::run_zone_job(pair("parent-child-clean", parent_first));
    CHECK(chains(r) == std::map<std::string, std::string>{{"example.", "assumed"}, {"secure.example.", "parent-zone"}});
    CHECK_FALSE(any_warning(r));
    CHECK_FALSE(has(r, catalog::Code::CHAIN_ANCHOR_ASSUMED, "secure.example."));
  }
  // The same DS made wrong in the parent: the child is bogus, and the finding points into the parent's file.
  auto r = pipeline::run_zone_job(pair("parent-ds-no-matching-dnskey"));
  CHECK(has(r, catalog::Code::ZONE_BOGUS, "secure.example."));
  for (const Finding& f : r.findings) {
    if (f.code == catalog::Code::DS_NO_MATCHING_DNSKEY)
      CHECK(f.file == kChain + "parent-ds-no-matching-dnskey-parent.zone");
  }
}

TEST_CASE("a delegation without DS, or from an unsigned parent, is insecure", "[anchors][parent]") {
  for (const char* stem : {"parent-no-ds", "parent-unsigned"}) {
    INFO(stem);
    auto r = pipeline::run_zone_job(pair(stem));
    CHECK(chains(r).at("secure.example.") == "insecure-delegation");
    CHECK_FALSE(has(r, catalog::Code::CHAIN_ANCHOR_ASSUMED, "secure.example."));
    CHECK_FALSE(has(r, catalog::Code::ZONE_BOGUS, "secure.example."));
  }
}

TEST_CASE("a DS set given with --ds overrides the parent's DS RRset", "[anchors][parent]") {
  // The child's real DS, taken from the clean parent.
  std::string ds_line;
  {
    std::ifstream in(kChain + "parent-child-clean-parent.zone");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("secure.example.", 0) == 0 && line.find("\tDS\t") != std::string::npos) ds_line = line;
    }
  }
  REQUIRE_FALSE(ds_line.empty());
  TempFile ds(ds_line + "\n");
  pipeline::ZoneJob job = pair("parent-ds-no-matching-dnskey");
  job.ds_files = {ds.path.string()};
  auto r = pipeline::run_zone_job(job);
  CHECK(chains(r).at("secure.example.") == "ds");
  CHECK_FALSE(has(r, catalog::Code::ZONE_BOGUS, "secure.example."));
  CHECK_FALSE(has(r, catalog::Code::DS_NO_MATCHING_DNSKEY, "secure.example."));
}

TEST_CASE("an anchor for the parent serves the child through the parent, and a bogus parent makes the child bogus",
          "[anchors][parent]") {
  TempFile good(kParentKskDs);
  pipeline::ZoneJob job = pair("parent-child-clean");
  job.anchor_files = {good.path.string()};
  auto r = pipeline::run_zone_job(job);
  CHECK(chains(r) ==
        std::map<std::string, std::string>{{"example.", "trust-anchor"}, {"secure.example.", "parent-zone"}});
  CHECK_FALSE(any_warning(r));

  std::string wrong = kParentKskDs;
  wrong[wrong.size() - 2] = wrong[wrong.size() - 2] == '5' ? '6' : '5';
  TempFile bad(wrong);
  job.anchor_files = {bad.path.string()};
  r = pipeline::run_zone_job(job);
  CHECK(has(r, catalog::Code::ZONE_BOGUS, "example."));
  CHECK(has(r, catalog::Code::ZONE_BOGUS, "secure.example."));

  // Without the parent's file the anchor serves no zone checked.
  job.files.pop_back();
  job.anchor_files = {good.path.string()};
  CHECK_THROWS_AS(pipeline::run_zone_job(job), Error);
}

TEST_CASE("the 2024 root zone is the parent of the TLD transfers of the same day", "[anchors][parent][realdata]") {
  pipeline::ZoneJob job;
  job.files = {kZones + "tld/ARPA.zone", kZones + "tld/ER.zone", kZones + "tld/XN--WGBH1C.zone",
               kZones + "root/root-2024101100.axfr.zone.gz", kZones + "tld/SL.zone.gz"};
  job.anchor_files = {kZones + "root/root-anchors.ds"};
  job.options.now = core::parse_time("20241011183254", 0);
  auto r = pipeline::run_zone_job(job);
  CHECK(chains(r) == std::map<std::string, std::string>{{".", "trust-anchor"},
                                                        {"arpa.", "parent-zone"},
                                                        {"er.", "parent-zone"},
                                                        {"xn--wgbh1c.", "parent-zone"},
                                                        // .sl was signed but had no DS in the root
                                                        {"sl.", "insecure-delegation"}});
  for (const Finding& f : r.findings) {
    if (f.zone == "sl.") continue;  // its deprecated algorithm (test_realdata.cpp)
    INFO(f.zone << " " << catalog::name(f.code));
    CHECK(f.severity < Severity::Warning);
  }
}

TEST_CASE("glue is compared per address family: no AAAA glue is not stale glue", "[anchors][parent]") {
  std::ifstream in(kChain + "parent-child-clean-parent.zone");
  std::string text, line;
  while (std::getline(in, line)) {
    if (line.rfind("ns.secure.example.", 0) == 0 && line.find("\tAAAA\t") != std::string::npos) continue;
    text += line + "\n";
  }
  TempFile parent(text);
  pipeline::ZoneJob job = pair("parent-child-clean");
  job.files[1] = parent.path.string();
  auto r = pipeline::run_zone_job(job);
  CHECK(chains(r).at("secure.example.") == "parent-zone");
  CHECK_FALSE(has(r, catalog::Code::GLUE_MISMATCH, "secure.example."));
  // A stale AAAA beside a correct A is reported.
  std::string stale = text;
  stale += "ns.secure.example.\t3600\tIN\tAAAA\t2001:db8:1::999\n";
  TempFile parent2(stale);
  job.files[1] = parent2.path.string();
  r = pipeline::run_zone_job(job);
  CHECK(has(r, catalog::Code::GLUE_MISMATCH, "secure.example."));
}
