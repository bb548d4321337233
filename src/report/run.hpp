// run.hpp: what a job produced and every report reads (DESIGN.md §1, The run): subjects with verdicts and counts,
// findings, metrics and the chain-of-trust graph. Reports never reach into a job's internals.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/finding.hpp"
#include "core/time.hpp"
#include "rollover/changes.hpp"

namespace zw::report {

/// A subject's verdict. secure: signed, and no ZONE_BOGUS; bogus: ZONE_BOGUS found (also when --disable hides
/// it); insecure: not signed, or below a delegation that proves it has no DS (RFC 4035 §4.3: validators treat it as
/// unsigned); error: could not be checked.
enum class Verdict : std::uint8_t { Secure, Insecure, Bogus, Error };

/// "secure", "insecure", "bogus", "error".
const char* verdict_name(Verdict v);

/// Findings per severity, indexed by Severity.
using SeverityCounts = std::array<std::size_t, 5>;

/// An apex DNSKEY as reports name it (no key material: a label set for metrics and graphs).
struct KeySummary {
  std::uint16_t tag = 0;
  std::uint8_t algorithm = 0;
  std::uint16_t flags = 0;
  auto operator<=>(const KeySummary&) const = default;
};

/// One thing checked: a zone (a file, or the views of its servers).
struct Subject {
  std::string name;  ///< presentation format; empty when the file could not be loaded
  std::string file;  ///< the zone file it was read from
  /// Where that file's apex SOA record is: the zone file or a file it $INCLUDEs, and the line (0: no SOA, or a view
  /// of servers). Formats with file locations place the zone-wide findings there (finding_place).
  std::string soa_file;
  std::size_t soa_line = 0;
  Verdict verdict = Verdict::Error;
  bool signed_zone = false;
  std::string chain;  ///< where its chain of trust starts: "ds", "trust-anchor", "parent-zone", … (checks.hpp)
  std::size_t records = 0;
  std::size_t rrsets = 0;
  std::size_t names = 0;
  std::size_t signatures = 0;
  std::size_t signatures_verified = 0;
  std::size_t keys = 0;
  SeverityCounts counts{};                       ///< its findings per severity (after the policy)
  std::optional<rollover::ZoneChanges> changes;  ///< with --previous: what changed since that version
  /// Why it could not be checked (verdict Error): the zw::Error's message, file and line.
  std::string error;
  std::string error_file;
  std::size_t error_line = 0;
  /// Live runs: every server of the zone ("NAME/ADDRESS", sorted), whether it answered or not.
  std::vector<std::string> servers;
  /// The earliest expiration of any of its signatures (every view), seconds since the epoch; empty when unsigned.
  std::optional<core::EpochSeconds> earliest_expiry;
  /// Its apex DNSKEYs (every view), sorted, without repeats.
  std::vector<KeySummary> dnskeys;
  /// Distinct origin ASes of its nameservers' addresses, when address data covered them (src/infra/).
  std::optional<std::size_t> nameserver_asns;
  double load_seconds = 0;
  double verify_seconds = 0;

  bool checked() const { return verdict != Verdict::Error; }
};

/// What the run was asked to read (echoed in the JSON report).
struct Inputs {
  std::vector<std::string> zone_files;
  std::string origin;
  std::vector<std::string> ds_files;
  std::vector<std::string> trust_anchor_files;
  std::vector<std::string> previous_files;
  std::vector<std::string> key_dirs;
  std::string key_history;
  std::vector<std::string> names;  ///< check: the names checked
};

/// An edge of the chain-of-trust graph: `child`'s chain starts at `source` ("parent-zone": at `parent`'s DS).
struct ChainEdge {
  std::string parent;  ///< the parent zone when checked in the same run, else empty
  std::string child;
  std::string source;
};

/// Measurements of the run.
struct Metrics {
  double checks_seconds = 0;  ///< all checks over all zones
  // zonewarden check: the live run's parts (wall time), for --stats.
  double walk_seconds = 0;       ///< the walk: every question to every server
  double analysis_seconds = 0;   ///< views, checks and live checks (beside the validator)
  double validator_seconds = 0;  ///< libunbound's resolutions (beside the analysis)
  std::size_t walk_rounds = 0;
  std::size_t questions_udp = 0, questions_tcp = 0, questions_unanswered = 0;
  /// ZoneJob::delegation_spread: the delegations judged, by their number of origin ASes (0: none covered).
  std::map<std::size_t, std::size_t> delegations_by_asns;
  std::vector<std::pair<std::string, double>> check_times;  ///< each check's own time, in registry order
};

/// The result of a job.
struct Run {
  std::string command = "zone";
  core::EpochSeconds now = 0;  ///< the clock every check read (--now)
  Inputs inputs;
  std::vector<Subject> subjects;
  std::vector<Finding> findings;  ///< canonical order, merged across views
  Metrics metrics;
  std::vector<ChainEdge> graph;
  std::vector<std::string> warnings;  ///< problems with auxiliary inputs that did not stop the run (key files)
  int exit = 0;                       ///< DESIGN.md §6: 0, 1, 2, or 3 when some subject could not be checked
  /// The loaded zones and their analyses, still allocated: freeing a TLD zone's millions of objects takes a
  /// noticeable part of a second, which a process about to exit need not spend (cmd_zone.cpp).
  std::shared_ptr<void> retained;
};

/// Told that subject `index` of `run` is final: its entry in `run.subjects` and its findings in `run.findings` no
/// longer change, nor does any subject before it (a batched run appends the subjects of later batches). A job calls it
/// once per subject, from the thread that runs the job, as soon as that subject is final; `run` is valid only during
/// the call.
using SubjectDone = std::function<void(const Run& run, std::size_t index)>;

}  // namespace zw::report
