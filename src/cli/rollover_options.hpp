// rollover_options.hpp: --state, --propagation, --rfc5011 (zone and check) and the gate's --state-record, --sampled,
// --ds-ttl and --no-ds (zone): the rollover timing inputs.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "pipeline/rollover_inputs.hpp"

namespace zw::cli {

struct RolloverArgs {
  std::string state;                    ///< --state DIR
  std::string state_record = "passed";  ///< --state-record passed|always (zone)
  bool sampled = false;                 ///< --sampled (zone)
  std::string propagation = "1h";       ///< --propagation DUR
  std::string ds_ttl;                   ///< --ds-ttl DUR (zone); empty: the parent's, else 1d
  bool no_ds = false;                   ///< --no-ds (zone)
  bool rfc5011 = false;                 ///< --rfc5011
};

/// Registers the options on `sub`; `gate`: the zone command's options too.
void add_rollover_options(CLI::App* sub, RolloverArgs& a, bool gate);

/// The settings the options name. A live run's versions are samples and always recorded. Throws zw::Error (exit 3)
/// for a malformed duration or --no-ds beside --ds.
pipeline::RolloverSettings build_rollover_settings(const RolloverArgs& a, bool gate, bool ds_given);

}  // namespace zw::cli
