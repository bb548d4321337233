// runner.cpp: check execution, policy and exit status.
#include "checks/runner.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>

#include "core/parallel.hpp"

namespace zw::checks {

std::vector<Finding> run_checks(const CheckInput& in, const Policy& policy, CheckTimes* times, CheckSet set,
                                std::set<std::string>* bogus_zones) {
  // The checks are independent pure functions: run them side by side (the costly ones use all cores inside, too).
  std::vector<CheckEntry> checks;
  for (const CheckEntry& c : registry()) {
    if (set == CheckSet::All || c.structural == (set == CheckSet::Structural)) checks.push_back(c);
  }
  std::vector<FindingSink> sinks(checks.size());
  std::vector<double> seconds(checks.size());
  core::parallel_for(
      checks.size(),
      [&](std::size_t i) {
        const auto t0 = std::chrono::steady_clock::now();
        checks[i].fn(in, sinks[i]);
        seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      },
      1);
  std::vector<Finding> all;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    std::vector<Finding> part = sinks[i].take();
    all.insert(all.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
    if (times) times->emplace_back(checks[i].name, seconds[i]);
  }
  std::vector<Finding> out;
  out.reserve(all.size());
  for (Finding& f : all) {
    if (bogus_zones && f.code == catalog::Code::ZONE_BOGUS) bogus_zones->insert(f.zone);
    if (policy.disabled.count(f.code)) continue;
    if (auto it = policy.severity.find(f.code); it != policy.severity.end()) f.severity = it->second;
    out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(), finding_less);
  return out;
}

std::optional<Severity> worst(const std::vector<Finding>& findings) {
  std::optional<Severity> w;
  for (const Finding& f : findings) {
    if (!w || f.severity > *w) w = f.severity;
  }
  return w;
}

int exit_status(const std::vector<Finding>& findings, Severity fail_on) {
  auto w = worst(findings);
  if (!w || *w < fail_on) return kExitClean;
  return *w >= Severity::Error ? kExitError : kExitWarning;
}

}  // namespace zw::checks
