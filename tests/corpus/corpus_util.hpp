// corpus_util.hpp: shared helpers for the upstream-corpus tests (running a zone job, summarising its findings).
#pragma once

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "pipeline/zone_job.hpp"

namespace zw::corpus {

/// Runs `zonewarden zone -o ORIGIN --now NOW FILE` in-process.
inline report::Run run_zone(const std::string& file, const std::string& origin, const std::string& now) {
  pipeline::ZoneJob job;
  job.files = {file};
  job.origin = origin;
  job.options.now = core::parse_time(now, 0);
  return pipeline::run_zone_job(job);
}

/// True for the one finding every corpus test leaves out of the comparison: NS_COUNT_LOW with count 1. Neither
/// kzonecheck nor named-checkzone asks for two nameservers (both only want at least one NS at the apex), and
/// nearly every upstream test zone has exactly one. NS_COUNT_LOW with count 0 (no apex NS) stays in.
inline bool scope_excluded(const Finding& f) {
  return f.code == catalog::Code::NS_COUNT_LOW && f.param("count") == "1";
}

/// Codes (by name, sorted, one per code) of the findings at or above `min`, without the scope exclusion.
inline std::vector<std::string> codes_at_or_above(const report::Run& r, Severity min) {
  std::set<std::string> out;
  for (const Finding& f : r.findings) {
    if (f.severity >= min && !scope_excluded(f)) out.insert(std::string(catalog::name(f.code)));
  }
  return {out.begin(), out.end()};
}

/// Our verdict in the upstream tools' terms: "error" when a finding of severity error or critical remains after
/// the scope exclusion, "warning" when the worst is a warning, else "clean".
inline std::string verdict(const report::Run& r) {
  bool warning = false;
  for (const Finding& f : r.findings) {
    if (scope_excluded(f)) continue;
    if (f.severity >= Severity::Error) return "error";
    if (f.severity == Severity::Warning) warning = true;
  }
  return warning ? "warning" : "clean";
}

/// True when a finding with `code` has severity at least `min`.
inline bool has_code(const report::Run& r, catalog::Code code, Severity min) {
  return std::any_of(r.findings.begin(), r.findings.end(),
                     [&](const Finding& f) { return f.code == code && f.severity >= min; });
}

/// Number of findings with `code` (any severity).
inline std::size_t count_code(const report::Run& r, catalog::Code code) {
  return static_cast<std::size_t>(
      std::count_if(r.findings.begin(), r.findings.end(), [&](const Finding& f) { return f.code == code; }));
}

/// "A B C" from a list of strings, "-" when empty.
inline std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out.empty() ? "-" : out;
}

}  // namespace zw::corpus
