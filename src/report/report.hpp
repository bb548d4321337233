// report.hpp: renderers for findings: text for people, JSON for pipelines, and the catalogue in three formats.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "checks/zone_run.hpp"
#include "core/finding.hpp"
#include "core/time.hpp"

namespace zw::report {

/// Options for the text renderer.
struct TextOptions {
  std::size_t max_per_code = 5;  ///< instances shown per code and zone before summarising (0 = all)
  bool color = false;
  core::EpochSeconds now = 0;  ///< the evaluation time (--now), shown on the first line
};

/// Human-readable report: grouped by zone, worst first, one line per finding, a summary line.
void write_text(std::ostream& out, const checks::ZoneJobResult& result, int exit_code, const TextOptions& opt);

/// Machine-readable report: {"zones":[…], "findings":[…], "summary":{…}} in canonical order.
void write_json(std::ostream& out, const checks::ZoneJobResult& result, int exit_code, core::EpochSeconds now);

/// One finding as a JSON object string (for tests and streaming).
std::string finding_json(const Finding& f);

/// `zonewarden explain CODE`.
void write_explain(std::ostream& out, const catalog::Entry& e);

/// `zonewarden catalog --format text|json|man`.
void write_catalog_text(std::ostream& out);
void write_catalog_json(std::ostream& out);
/// The zonewarden-checks(7) manual page generated from the catalogue.
std::string catalog_man_page();

}  // namespace zw::report
