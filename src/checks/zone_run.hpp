// zone_run.hpp: the `zonewarden zone` job: load zone files and chain inputs, analyse, run the checks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "checks/runner.hpp"
#include "rollover/changes.hpp"

namespace zw::checks {

/// What to check and how.
struct ZoneJob {
  std::vector<std::string> files;           ///< zone files; each is its own zone
  std::string origin;                       ///< -o/--origin (presentation format), empty: from the SOA
  std::vector<std::string> ds_files;        ///< --ds
  std::vector<std::string> anchor_files;    ///< -k/--trust-anchor
  std::vector<std::string> previous_files;  ///< --previous: last published versions, matched to zones by origin
  std::vector<std::string> key_dirs;        ///< --keys: the signer's key directories
  std::string key_history;                  ///< --key-history: file of public keys seen before (read, then appended)
  Options options;
  Policy policy;
  std::uint64_t max_input_bytes = std::uint64_t{4} << 30;  ///< per zone, $INCLUDEs counted, after decompression
  std::string include_root;  ///< --include-root: $INCLUDE stays in this directory (empty: the zone file's)
  /// Told what the job is doing now ("loading FILE", "verifying N signatures of ZONE"), for a progress display.
  std::function<void(std::string)> progress;
};

/// Facts about one checked zone, for reports.
struct ZoneSummary {
  std::string name;
  std::string file;
  std::size_t records = 0;
  std::size_t rrsets = 0;
  std::size_t names = 0;
  std::size_t signatures = 0;
  std::size_t signatures_verified = 0;
  std::size_t keys = 0;
  bool signed_zone = false;
  bool bogus = false;  ///< ZONE_BOGUS was found (whether or not --disable hides it)
  std::string chain;   ///< chain_source_name(): "ds", "trust-anchor", "parent-zone", "insecure-delegation", "assumed"
  double load_seconds = 0;
  double verify_seconds = 0;
  std::optional<rollover::ZoneChanges> changes;  ///< with --previous: what changed since that version
  /// Set when the file could not be loaded (the other fields are empty): the zw::Error's message, file and line.
  std::string error;
  std::string error_file;
  std::size_t error_line = 0;
};

/// Result of a zone job.
struct ZoneJobResult {
  std::vector<std::string> warnings;  ///< problems with auxiliary inputs that did not stop the run (key files)
  std::vector<ZoneSummary> zones;
  std::vector<Finding> findings;
  double checks_seconds = 0;  ///< all checks over all zones
  CheckTimes check_times;     ///< each check's own time (they run side by side)
  /// The loaded zones and their analyses, still allocated: freeing a TLD zone's millions of objects takes a
  /// noticeable part of a second, which a process about to exit need not spend (cmd_zone.cpp).
  std::shared_ptr<void> retained;
};

/// Runs the job. Throws zw::Error when an input cannot be read (exit status 3); with several zone files, one that
/// cannot be loaded is a ZoneSummary with `error` set instead, and the others are still checked.
ZoneJobResult run_zone_job(const ZoneJob& job);

}  // namespace zw::checks
