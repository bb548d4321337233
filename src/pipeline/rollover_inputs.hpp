// rollover_inputs.hpp: the zone job's rollover step: each view's snapshot and its zone's timeline before the
// checks (--state DIR, --previous), the versions seen added to the timelines after them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "rollover/rules.hpp"

namespace zw::pipeline {

/// How the zone job keeps rollover timelines.
struct RolloverSettings {
  std::string state_dir;                ///< --state DIR; empty: no timeline is read or written
  bool record_always = false;           ///< record the versions seen even when the run fails (--state-record always)
  rollover::TimingOptions timing;       ///< --propagation, --sampled, --rfc5011 (the root zone always)
  std::optional<std::uint32_t> ds_ttl;  ///< --ds-ttl; else the parent zone's DS TTL, else one day
  bool no_ds = false;                   ///< --no-ds: the parent publishes no DS for the zones checked
};

/// The rollover inputs of a run's views, kept while the checks read them.
struct RolloverInputs {
  std::vector<std::unique_ptr<rollover::ViewRollover>> views;
  std::map<std::string, std::vector<rollover::Snapshot>> seen;  ///< per zone, the distinct versions its views showed
};

/// Builds each view's snapshot and timeline (its zone's --state timeline, and its --previous version as the epoch
/// before now) and points the view at it. Throws zw::Error naming a state file that cannot be read.
void attach_rollover(const RolloverSettings& settings, core::EpochSeconds now, std::vector<checks::ZoneContext>& zones,
                     RolloverInputs& out);

/// Adds the versions seen to each zone's timeline (--state), under the state file's lock.
void save_rollover(const RolloverSettings& settings, core::EpochSeconds now, const RolloverInputs& in);

}  // namespace zw::pipeline
