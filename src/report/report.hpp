// report.hpp: renderers for findings: text for people, JSON for pipelines, and the catalogue in three formats.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/time.hpp"
#include "report/run.hpp"

namespace zw::report {

/// How a report is written (the options of every format; each format reads the ones it knows).
struct WriteOptions {
  std::size_t max_per_code = 5;  ///< text: instances shown per code and zone before summarising (0 = all)
  bool color = false;            ///< text: ANSI colours
};

/// A report format: its name for -f/--format and its writer.
struct Format {
  const char* name;
  void (*write)(std::ostream& out, const Run& run, const WriteOptions& opt);
  const char* description;
};

/// Every report format, in the order --help lists them (DESIGN.md §1: one table maps each format to its writer).
const std::vector<Format>& formats();

/// The format called `name`, or null.
const Format* find_format(std::string_view name);

/// Human-readable report: grouped by zone, worst first, one line per finding, a summary line.
void write_text(std::ostream& out, const Run& run, const WriteOptions& opt);

/// The version of the JSON report's layout (man/zonewarden-zone.1, JSON OUTPUT); raised when a field changes
/// meaning or disappears, not when one is added.
inline constexpr int kJsonSchemaVersion = 1;

/// Machine-readable report: schema version, clock, inputs, zones with verdicts, findings, summary; canonical order.
void write_json(std::ostream& out, const Run& run, const WriteOptions& opt);

/// Where an error is: the file and line a zw::Error names, else as its message begins ("FILE:LINE: …", "FILE: …").
struct ErrorLocation {
  std::optional<std::string> file;
  std::optional<std::size_t> line;
};
ErrorLocation locate_error(std::string_view message, const std::string& file = {}, std::size_t line = 0);

/// The JSON document of a run that could not check: {"schema_version", "zonewarden", "error":{…}, "exit":3}.
void write_json_error(std::ostream& out, std::string_view message, const ErrorLocation& where);

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
