// runner.cpp: check selection by needs, execution, policy, merging and exit status.
#include "checks/runner.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <numeric>
#include <tuple>

#include "core/parallel.hpp"

namespace zw::checks {
namespace {

bool some_zone_has_views(const CheckInput& in) {
  std::set<std::string> seen;
  for (const ZoneContext& z : in.zones) {
    if (!seen.insert(z.name).second) return true;
  }
  return false;
}

bool some_view_complete(const CheckInput& in) {
  return std::any_of(in.zones.begin(), in.zones.end(), [](const ZoneContext& z) { return z.coverage.complete; });
}

/// The input restricted to its complete views; parent links to a view left out are dropped.
CheckInput complete_views(const CheckInput& in) {
  CheckInput out;
  out.options = in.options;
  out.inventory = in.inventory;
  out.history = in.history;
  out.addresses = in.addresses;
  std::vector<std::optional<std::size_t>> index(in.zones.size());
  for (std::size_t i = 0; i < in.zones.size(); ++i) {
    if (!in.zones[i].coverage.complete) continue;
    index[i] = out.zones.size();
    out.zones.push_back(in.zones[i]);
  }
  for (ZoneContext& z : out.zones) {
    if (z.chain.parent) z.chain.parent = index[*z.chain.parent];
  }
  return out;
}

auto merge_key(const Finding& f) {
  return std::tie(f.zone, f.code, f.owner, f.type, f.params, f.file, f.line);
}

}  // namespace

std::vector<CheckEntry> checks_for(const CheckInput& in, Stage stage) {
  const bool views = some_zone_has_views(in);
  const bool complete = some_view_complete(in);
  std::vector<CheckEntry> out;
  for (const CheckEntry& c : registry()) {
    // Beside the verification of one view run only the checks that read neither signature results nor other views.
    const bool after = c.needs_any(Verified | AllViews);
    if (stage != Stage::All && after != (stage == Stage::AfterVerification)) continue;
    if (c.needs_any(AllViews) && !views) continue;
    if (c.needs_any(CompleteZone) && !complete) continue;
    out.push_back(c);
  }
  return out;
}

std::vector<Finding> run_checks(const CheckInput& in, const Policy& policy, CheckTimes* times, Stage stage,
                                std::set<std::string>* bogus_zones) {
  const std::vector<CheckEntry> checks = checks_for(in, stage);
  const bool partial =
      !std::all_of(in.zones.begin(), in.zones.end(), [](const ZoneContext& z) { return z.coverage.complete; });
  const CheckInput complete = partial ? complete_views(in) : CheckInput{};
  // The checks are independent pure functions: run them side by side (the costly ones use all cores inside, too).
  std::vector<FindingSink> sinks(checks.size());
  std::vector<double> seconds(checks.size());
  core::parallel_for(
      checks.size(),
      [&](std::size_t i) {
        const auto t0 = std::chrono::steady_clock::now();
        checks[i].fn(partial && checks[i].needs_any(CompleteZone) ? complete : in, sinks[i]);
        seconds[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      },
      1);
  std::vector<Finding> out;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    std::vector<Finding> part = sinks[i].take();
    if (times) times->emplace_back(checks[i].name, seconds[i]);
    for (Finding& f : part) {
      if (bogus_zones && f.code == catalog::Code::ZONE_BOGUS) bogus_zones->insert(f.zone);
      out.push_back(std::move(f));
    }
  }
  apply_policy(out, policy);
  return merge_findings(std::move(out));
}

void apply_policy(std::vector<Finding>& findings, const Policy& policy) {
  std::erase_if(findings, [&](const Finding& f) { return policy.disabled.count(f.code) > 0; });
  for (Finding& f : findings) {
    if (auto it = policy.severity.find(f.code); it != policy.severity.end()) f.severity = it->second;
  }
}

std::vector<Finding> merge_findings(std::vector<Finding> findings) {
  std::vector<std::size_t> order(findings.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return merge_key(findings[a]) < merge_key(findings[b]); });
  std::vector<Finding> out;
  out.reserve(findings.size());
  for (std::size_t i = 0; i < order.size();) {
    Finding f = std::move(findings[order[i]]);
    std::size_t j = i + 1;
    for (; j < order.size() && merge_key(findings[order[j]]) == merge_key(f); ++j) {
      Finding& other = findings[order[j]];
      f.severity = std::max(f.severity, other.severity);
      f.servers.insert(f.servers.end(), other.servers.begin(), other.servers.end());
    }
    if (j > i + 1) {
      std::sort(f.servers.begin(), f.servers.end());
      f.servers.erase(std::unique(f.servers.begin(), f.servers.end()), f.servers.end());
    }
    out.push_back(std::move(f));
    i = j;
  }
  sort_findings(out);
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
