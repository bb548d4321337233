// runner.cpp: check execution, policy and exit status.
#include "checks/runner.hpp"

#include <algorithm>

namespace zw::checks {

std::vector<Finding> run_checks(const CheckInput& in, const Policy& policy) {
  FindingSink sink;
  for (const auto& [name, fn] : registry()) fn(in, sink);
  std::vector<Finding> all = sink.take();
  std::vector<Finding> out;
  out.reserve(all.size());
  for (Finding& f : all) {
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
