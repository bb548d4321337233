// runner.hpp: runs every registered check, applies the user's severity overrides and disabled codes, and orders
// the findings canonically.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "checks/check.hpp"
#include "core/error.hpp"

namespace zw::checks {

/// User policy over findings.
struct Policy {
  std::map<catalog::Code, Severity> severity;  ///< --severity CODE=LEVEL
  std::set<catalog::Code> disabled;            ///< --disable CODE
};

/// Seconds each check took, in registry order.
using CheckTimes = std::vector<std::pair<std::string, double>>;

/// Which registered checks run_checks runs: all, only the structural ones, or only the others.
enum class CheckSet : std::uint8_t { All, Structural, Verified };

/// Runs the registered checks of `set` (side by side), applies the policy and returns the findings in canonical
/// order; `times` gets one entry per check run.
/// `bogus_zones`, when set, receives the zones reported ZONE_BOGUS before the policy applies, so that a verdict does
/// not depend on which codes the user chose to see.
std::vector<Finding> run_checks(const CheckInput& in, const Policy& policy, CheckTimes* times = nullptr,
                                CheckSet set = CheckSet::All, std::set<std::string>* bogus_zones = nullptr);

/// Worst severity among findings, or empty when there are none.
std::optional<Severity> worst(const std::vector<Finding>& findings);

/// Exit status per DESIGN.md §5: 0 below `fail_on`, else 1 (worst is warning) or 2 (error/critical).
int exit_status(const std::vector<Finding>& findings, Severity fail_on);

}  // namespace zw::checks
