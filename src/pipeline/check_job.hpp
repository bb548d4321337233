// check_job.hpp: the `zonewarden check` job: walks the chain of trust from the root hints to each name over every
// server (or replays a capture), turns each server's answers into views, checks them like zone files, adds what only
// the wire shows and an independent validator's verdict, and returns the run every report reads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks/runner.hpp"
#include "infra/address_data.hpp"
#include "live/transport.hpp"
#include "pipeline/rollover_inputs.hpp"
#include "report/run.hpp"

namespace zw::pipeline {

struct CheckJob {
  std::vector<std::string> names;  ///< NAME... (presentation; made absolute and lower-case)
  std::vector<std::string> lists;  ///< --list FILE: one name per line, '#' comments
  std::string root_hints = "/usr/share/dns/root.hints";
  std::vector<std::string> anchor_files;  ///< -k; empty: /usr/share/dns/root.key
  bool ipv4 = true;
  bool ipv6 = true;
  std::vector<std::string> probes;                      ///< --probe NAME/TYPE
  double timeout_seconds = 2;                           ///< --timeout: what one question may cost, retries included
  unsigned retries = 1;                                 ///< --retries
  std::size_t parallel = 64;                            ///< --parallel
  std::size_t per_address = 8;                          ///< --per-address
  double deadline_seconds = 0;                          ///< --deadline (0: none)
  std::optional<std::uint64_t> seed;                    ///< --seed; default: from the clock
  std::shared_ptr<const infra::AddressData> addresses;  ///< --asn-source (null or empty: none)
  /// --asn-source was given: a replay looks addresses up in `addresses` rather than in the facts the capture holds.
  bool asn_source_given = false;
  RolloverSettings rollover;  ///< --state, --propagation, --rfc5011
  std::vector<std::string> services;
  /// Told what the run is doing (the walk's rounds, the analysis); may be empty.
  std::function<void(std::string)> progress;  ///< --service NAME: watched names whose A/AAAA must not sit in one AS
  bool resolver = true;                       ///< --no-resolver turns the independent validator off
  std::string save_capture;                   ///< --save-capture FILE
  std::string capture;                        ///< --capture FILE: re-analyse offline
  bool now_given = false;                     ///< --now was given (else: the clock, or the capture's time)
  checks::Options options;
  checks::Policy policy;
  Severity fail_on = Severity::Error;
  /// Told as each zone's report is final (report::SubjectDone): once the checks across zones have run and the
  /// independent validator's verdict on it has been compared; with more than stream_batch names, batch by batch.
  report::SubjectDone subject_done;
  /// A streamed run (subject_done set, no --save-capture) of more names than this walks and checks them this many at
  /// a time, in the order given, and tells each batch's zones as final when the batch is done.
  std::size_t stream_batch = 50;
};

/// Runs the job. Throws zw::Error when an input cannot be used (hints, anchors, list, capture): exit status 3.
report::Run run_check_job(const CheckJob& job);

}  // namespace zw::pipeline
