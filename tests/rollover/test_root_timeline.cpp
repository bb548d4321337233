// test_root_timeline.cpp: the real root zone snapshots of zones/root/, checked in date order with one --state
// directory, are reported at the stage of the KSK-2017 and KSK-2024 rollovers each was taken in, with no timing
// error; the keys read from each agree with the DNSKEY timelines derived from the root's history.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "catalog/catalog.hpp"
#include "dnssec/analysis.hpp"
#include "input_support.hpp"
#include "pipeline/zone_job.hpp"
#include "rollover/snapshot.hpp"
#include "zone/loader.hpp"

namespace fs = std::filesystem;
using namespace zw;

namespace {

const fs::path kRoot = fs::path(ZW_SOURCE_DIR) / "zones" / "root";

struct Snap {
  const char* file;
  const char* now;  ///< as zones/README.md says, when the snapshot's signatures were current
};

const Snap kSnapshots[] = {
    {"root-2017082100.zone.gz", "2017-08-25T00:00:00Z"}, {"root-2019010300.zone.gz", "2019-01-08T00:00:00Z"},
    {"root-2019012200.zone.gz", "2019-01-28T00:00:00Z"}, {"root-2019033102.zone.gz", "2019-04-05T00:00:00Z"},
    {"root-2023051100.zone.gz", "2023-05-15T00:00:00Z"}, {"root-2024101100.axfr.zone.gz", "2024-10-11T16:06:28Z"},
    {"root-2026073102.zone.gz", "2026-08-05T00:00:00Z"},
};

/// The KSK stages each snapshot is reported at ("stage old new"); empty: no KSK rollover.
const std::map<std::string, std::string> kKskStage = {
    {"root-2017082100.zone.gz", "new-key-published 19036 20326"},  // KSK-2017 pre-published
    {"root-2019010300.zone.gz", "new-key-active 19036 20326"},     // KSK-2017 signs since 2018-10-11
    {"root-2019012200.zone.gz", "old-key-revoked 19164 20326"},    // KSK-2010 revoked (tag 19036 + REVOKE)
    {"root-2019033102.zone.gz", "old-key-removed 19164 20326"},    // and removed
    {"root-2023051100.zone.gz", ""},
    {"root-2024101100.axfr.zone.gz", ""},
    {"root-2026073102.zone.gz", "new-key-published 20326 38696"},  // KSK-2024 pre-published
};

/// Runs every snapshot in date order against one state directory; returns each run's findings.
std::vector<std::vector<Finding>> run_in_order(bool sampled) {
  test::ScratchDir state;
  std::vector<std::vector<Finding>> out;
  for (const Snap& s : kSnapshots) {
    pipeline::ZoneJob job;
    job.files = {(kRoot / s.file).string()};
    job.options.now = core::parse_time(s.now, 0);
    job.rollover.state_dir = state.path.string();
    job.rollover.timing.sampled = sampled;
    job.rollover.record_always = true;
    out.push_back(pipeline::run_zone_job(job).findings);
  }
  return out;
}

}  // namespace

TEST_CASE("the root's snapshots in date order: each at its KSK rollover stage, no timing error",
          "[rollover][realdata]") {
  const auto runs = run_in_order(true);
  REQUIRE(runs.size() == std::size(kSnapshots));
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::string file = kSnapshots[i].file;
    INFO(file);
    std::string ksk;
    for (const Finding& f : runs[i]) {
      const auto& entry = catalog::entry(f.code);
      if (entry.area == std::string_view("rollover")) CHECK(f.code == catalog::Code::ROLLOVER_IN_PROGRESS);
      if (f.code == catalog::Code::ROLLOVER_IN_PROGRESS && f.param("kind") == "KSK") {
        CHECK(ksk.empty());
        ksk = f.param("stage") + " " + f.param("old") + " " + f.param("new");
        CHECK(f.param("method") == "RFC 5011");
      }
    }
    CHECK(ksk == kKskStage.at(file));
  }
}

TEST_CASE("the root's snapshots as if every version had been seen: a ZSK appears to sign unannounced",
          "[rollover][realdata]") {
  // Without --sampled, 2017-08-21 was served until 2019-01-03 was first seen, so the 2019 ZSK would have signed
  // without pre-publication: what the gate must say about consecutive versions, and why archives need --sampled.
  const auto runs = run_in_order(false);
  bool prepublish = false;
  for (const Finding& f : runs[1]) prepublish |= f.code == catalog::Code::ZSK_PREPUBLISH_TOO_SHORT;
  CHECK(prepublish);
}

TEST_CASE("the keys read from each root snapshot agree with the root's DNSKEY timelines", "[rollover][realdata]") {
  // serial -> (tag/flags set, DNSKEY signers)
  std::map<std::uint32_t, std::pair<std::set<std::string>, std::set<std::string>>> rows;
  std::set<std::uint32_t> firsts;
  for (const char* tsv : {"root-dnskey-timeline-2018-2020.tsv", "root-dnskey-timeline-2023-2026.tsv"}) {
    std::ifstream in(kRoot / tsv);
    REQUIRE(in);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#' || line.rfind("serial", 0) == 0) continue;
      std::vector<std::string> cols;
      std::stringstream ss(line);
      for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
      REQUIRE(cols.size() == 5);
      std::set<std::string> keys, signers;
      std::stringstream k(cols[3]), g(cols[4]);
      for (std::string w; k >> w;) keys.insert(w);
      for (std::string w; g >> w;) signers.insert(w);
      const auto serial = static_cast<std::uint32_t>(std::stoul(cols[0]));
      rows[serial] = {keys, signers};
      if (first) firsts.insert(serial);
      first = false;
    }
  }
  std::size_t compared = 0;
  for (const Snap& s : kSnapshots) {
    zone::LoadOptions lo;
    const zone::Zone z = zone::load_zone_file((kRoot / s.file).string(), lo);
    const dnssec::ZoneAnalysis a = dnssec::analyse(z, false);
    const rollover::Snapshot snap = rollover::take_snapshot(z, a, {}, {}, core::parse_time(s.now, 0));
    // The row in force: the last change at or before the serial, within the timeline that covers it.
    auto it = rows.upper_bound(snap.serial);
    if (it == rows.begin()) continue;
    --it;
    if (firsts.count(it->first) && it->first > snap.serial) continue;
    const bool covered =
        std::none_of(firsts.begin(), firsts.end(), [&](std::uint32_t f) { return f > it->first && f <= snap.serial; });
    if (!covered || (snap.serial < 2018030202) || (snap.serial >= 2020020102 && snap.serial < 2023110400)) continue;
    std::set<std::string> keys, signers;
    for (const rollover::SnapKey& k : snap.keys) {
      keys.insert(std::to_string(k.tag) + "/" + std::to_string(k.flags));
      if (k.signs_dnskey) signers.insert(std::to_string(k.tag));
    }
    INFO(s.file << " against the timeline row of serial " << it->first);
    CHECK(keys == it->second.first);
    CHECK(signers == it->second.second);
    ++compared;
  }
  CHECK(compared == 5);  // 2019-01-03, 2019-01-22, 2019-03-31, 2024-10-11, 2026-07-31
}
