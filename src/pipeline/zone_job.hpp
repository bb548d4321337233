// zone_job.hpp: the `zonewarden zone` job: reads zone files and chain inputs, builds a view of each zone, verifies,
// runs the checks and returns the run every report reads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checks/runner.hpp"
#include "infra/address_data.hpp"
#include "pipeline/rollover_inputs.hpp"
#include "pipeline/views.hpp"
#include "report/run.hpp"
#include "zone/anchors.hpp"

namespace zw::pipeline {

/// What to check and how.
struct ZoneJob {
  std::vector<std::string> files;  ///< zone files; each is its own zone
  /// Views from servers (answers, captures), checked with the files; views of one zone form one subject, and the
  /// findings they show alike are merged.
  std::vector<View> views;
  std::string origin;                              ///< -o/--origin (presentation format), empty: from the SOA
  std::vector<std::string> ds_files;               ///< --ds
  std::vector<std::string> anchor_files;           ///< -k/--trust-anchor
  std::vector<zone::AnchorRecord> anchor_records;  ///< trust anchors already read (a live run's -k, a capture's)
  std::vector<std::string> previous_files;         ///< --previous: last published versions, matched to zones by origin
  std::vector<std::string> key_dirs;               ///< --keys: the signer's key directories
  std::string key_history;    ///< --key-history: file of public keys seen before (read, then updated)
  RolloverSettings rollover;  ///< --state, --previous timing, --propagation, --ds-ttl, --no-ds, --rfc5011
  checks::Options options;
  /// --asn-source: address data for the diversity checks (null or empty: none).
  std::shared_ptr<const infra::AddressData> addresses;
  /// Count the delegations whose nameservers' addresses the zone holds by their number of origin ASes
  /// (Metrics::delegations_by_asns; zone --stats).
  bool delegation_spread = false;
  checks::Policy policy;
  Severity fail_on = Severity::Error;                      ///< --fail-on: the exit status's threshold
  std::uint64_t max_input_bytes = std::uint64_t{4} << 30;  ///< per zone, $INCLUDEs counted, after decompression
  std::string include_root;  ///< --include-root: $INCLUDE stays in this directory (empty: the zone file's)
  /// Told what the job is doing now ("loading FILE", "verifying N signatures of ZONE"), for a progress display.
  std::function<void(std::string)> progress;
  /// Told as each subject's report is final (report::SubjectDone): with -f jsonl, its line is written then. A zone's
  /// findings are final once the checks across zones (chains of trust, keys shared between zones) have run.
  report::SubjectDone subject_done;
};

/// Runs the job. Throws zw::Error when an input cannot be read (exit status 3); with several zone files, one that
/// cannot be loaded is a subject with verdict Error instead, the others are still checked, and the run's exit is 3.
report::Run run_zone_job(const ZoneJob& job);

}  // namespace zw::pipeline
