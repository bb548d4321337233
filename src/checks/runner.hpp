// runner.hpp: runs the registered checks whose needs the input meets, applies the user's severity overrides and
// disabled codes, merges the findings several views showed alike, and orders them canonically.
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

/// Which checks a call runs: the ones that may run beside the signature verification of one view (neither Verified
/// nor AllViews), the others, or all.
enum class Stage : std::uint8_t { All, BesideVerification, AfterVerification };

/// The registered checks of `stage` whose needs `in` meets (CompleteZone: some view is complete; AllViews: some zone
/// has two views or more), in registry order.
std::vector<CheckEntry> checks_for(const CheckInput& in, Stage stage);

/// Runs the checks of `stage` side by side, applies the policy, merges equal findings and returns them in canonical
/// order; `times` gets one entry per check run. A CompleteZone check sees only the complete views.
/// `bogus_zones`, when set, receives the zones reported ZONE_BOGUS before the policy applies, so that a verdict does
/// not depend on which codes the user chose to see.
std::vector<Finding> run_checks(const CheckInput& in, const Policy& policy, CheckTimes* times = nullptr,
                                Stage stage = Stage::All, std::set<std::string>* bogus_zones = nullptr);

/// Drops the disabled codes and applies the severity overrides of `policy`.
void apply_policy(std::vector<Finding>& findings, const Policy& policy);

/// Merges findings equal in (code, zone, owner, type, params, source) into one that lists every server that showed
/// them and carries the worst of their severities (DESIGN.md §1, Findings); returns them in canonical order.
std::vector<Finding> merge_findings(std::vector<Finding> findings);

/// Worst severity among findings, or empty when there are none.
std::optional<Severity> worst(const std::vector<Finding>& findings);

/// Exit status per DESIGN.md §6: 0 below `fail_on`, else 1 (worst is warning) or 2 (error/critical).
int exit_status(const std::vector<Finding>& findings, Severity fail_on);

}  // namespace zw::checks
