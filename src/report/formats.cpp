// formats.cpp: the table of report formats, the names of verdicts, and what several formats ask of a subject.
#include <algorithm>

#include "core/error.hpp"
#include "report/report.hpp"

namespace zw::report {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Secure: return "secure";
    case Verdict::Insecure: return "insecure";
    case Verdict::Bogus: return "bogus";
    case Verdict::Error: return "error";
  }
  return "error";
}

const std::vector<Format>& formats() {
  static const std::vector<Format> table = {
      {"text", &write_text, "for people: grouped by zone, worst first, a summary line"},
      {"json", &write_json, "for pipelines: one JSON document (schema_version, zones, findings, summary)"},
      {"jsonl", &write_jsonl, "JSON Lines: one object per zone with its findings"},
      {"nagios", &write_nagios, "monitoring plugin (Nagios, Icinga): status line, perfdata, exit 0-3", &nagios_status},
      {"prometheus", &write_prometheus, "Prometheus textfile collector metrics"},
      {"sarif", &write_sarif, "SARIF 2.1.0 for code scanning"},
      {"junit", &write_junit, "JUnit XML: a testsuite per zone, a testcase per finding code"},
      {"github", &write_github, "GitHub Actions workflow commands (::error file=...)"},
      {"gcc", &write_gcc, "compiler style: FILE:LINE: severity: message [CODE]"},
      {"dot", &write_dot, "the chain of trust as a Graphviz graph"},
      {"svg", &write_svg, "the chain of trust drawn by Graphviz dot"},
  };
  return table;
}

const Format* find_format(std::string_view name) {
  const auto& table = formats();
  auto it = std::find_if(table.begin(), table.end(), [&](const Format& f) { return f.name == name; });
  return it == table.end() ? nullptr : &*it;
}

std::vector<const Finding*> findings_of(const Run& run, const Subject& z) {
  std::vector<const Finding*> mine;
  if (z.name.empty()) return mine;
  for (const Finding& f : run.findings) {
    if (f.zone == z.name) mine.push_back(&f);
  }
  return mine;
}

std::string subject_label(const Subject& z) {
  return z.name.empty() ? z.file : z.name;
}

FilePlace finding_place(const Run& run, const Finding& f) {
  if (!f.file.empty() || !f.servers.empty()) return {f.file, f.line};
  for (const Subject& z : run.subjects) {
    if (z.name != f.zone || z.name.empty()) continue;
    if (z.soa_line != 0) return {z.soa_file, z.soa_line};
    return {z.file, 0};
  }
  return {};
}

int subject_status(const Run& run, const Subject& z, Severity fail_on) {
  const std::vector<const Finding*> mine = findings_of(run, z);
  // A zone no server answered is not checked, yet reported: by its findings (ZONE_UNREACHABLE).
  if (!z.checked() && mine.empty()) return kExitCannotCheck;
  int status = kExitClean;
  for (const Finding* f : mine) {
    if (f->severity < fail_on) continue;
    status = std::max(status, f->severity >= Severity::Error ? int{kExitError} : int{kExitWarning});
  }
  return status;
}

}  // namespace zw::report
