// report.hpp: renderers for findings (text for people; JSON, monitoring, CI and graph formats for machines) and the
// catalogue in three formats.
#pragma once

#include <cstdint>
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
  std::size_t max_per_code = 5;          ///< text, nagios: instances shown per code and zone (0 = all)
  bool color = false;                    ///< text: ANSI colours
  Severity fail_on = Severity::Error;    ///< junit failures; nagios and prometheus per-zone status (--fail-on)
  std::optional<std::int64_t> warning;   ///< nagios -w: WARNING below this remaining signature validity (seconds)
  std::optional<std::int64_t> critical;  ///< nagios -c: CRITICAL below this remaining signature validity (seconds)
};

/// A report format: its name for -f/--format, its writer, and (when the format defines its own) the exit status.
struct Format {
  const char* name;
  void (*write)(std::ostream& out, const Run& run, const WriteOptions& opt);
  const char* description;
  /// The process exit status under this format; null: Run::exit.
  int (*exit_status)(const Run& run, const WriteOptions& opt) = nullptr;
};

/// Every report format, in the order --help lists them (DESIGN.md §1: one table maps each format to its writer).
const std::vector<Format>& formats();

/// The format called `name`, or null.
const Format* find_format(std::string_view name);

/// The findings of subject `z`, in canonical order (findings name their zone; a subject without a name has none).
std::vector<const Finding*> findings_of(const Run& run, const Subject& z);

/// What names a subject in a report: its zone name, or its file when the file could not be loaded.
std::string subject_label(const Subject& z);

/// The file a finding is about: its own, else (a zone-wide finding of a zone file) its zone's file; empty for
/// findings about servers.
std::string finding_file(const Run& run, const Finding& f);

/// A subject's own status on the exit-status scale (DESIGN.md §6): 3 not checked; 2 its worst finding at or above
/// `fail_on` is an error or critical; 1 it is a warning or below; 0 none at or above `fail_on`.
int subject_status(const Run& run, const Subject& z, Severity fail_on);

/// Human-readable report: grouped by zone, worst first, one line per finding, a summary line.
void write_text(std::ostream& out, const Run& run, const WriteOptions& opt);

/// The version of the JSON report's layout (man/zonewarden-zone.1, JSON OUTPUT); raised when a field changes
/// meaning or disappears, not when one is added.
inline constexpr int kJsonSchemaVersion = 1;

/// Machine-readable report: schema version, clock, inputs, zones with verdicts, findings, summary; canonical order.
void write_json(std::ostream& out, const Run& run, const WriteOptions& opt);

/// One subject as one line of JSON: schema version, clock, the zone's fields as in write_json, and its findings.
std::string subject_json(const Run& run, const Subject& z);

/// JSON Lines: one subject_json line per subject, in canonical order, each flushed as it is written.
void write_jsonl(std::ostream& out, const Run& run, const WriteOptions& opt);

/// The monitoring-plugins output (Nagios, Icinga): a status line with perfdata, then details (man/zonewarden.1).
void write_nagios(std::ostream& out, const Run& run, const WriteOptions& opt);
/// The plugin's exit status: OK 0, WARNING 1, CRITICAL 2, UNKNOWN 3 (Run::exit, raised by -w/-c).
int nagios_status(const Run& run, const WriteOptions& opt);
/// The one line a plugin prints when it could not check: "ZONEWARDEN UNKNOWN - message".
void write_nagios_error(std::ostream& out, std::string_view message);

/// Prometheus text exposition format for the node exporter's textfile collector.
void write_prometheus(std::ostream& out, const Run& run, const WriteOptions& opt);

/// SARIF 2.1.0: the catalogue as rules, zone-file findings at their file and line, server findings as logical
/// locations.
void write_sarif(std::ostream& out, const Run& run, const WriteOptions& opt);

/// JUnit XML: one testsuite per zone, one testcase per finding code of the catalogue; failures at or above
/// --fail-on.
void write_junit(std::ostream& out, const Run& run, const WriteOptions& opt);

/// GitHub Actions workflow commands: ::error/::warning/::notice file=…,line=…,title=CODE::message.
void write_github(std::ostream& out, const Run& run, const WriteOptions& opt);

/// Compiler-style lines: FILE:LINE: error|warning|note: message [CODE] (servers instead of files in live runs).
void write_gcc(std::ostream& out, const Run& run, const WriteOptions& opt);

/// The chain of trust as a Graphviz digraph in DNSViz's shapes and colours.
void write_dot(std::ostream& out, const Run& run, const WriteOptions& opt);
/// The chain of trust as SVG, drawn by Graphviz's dot(1); zw::Error when dot is not installed.
void write_svg(std::ostream& out, const Run& run, const WriteOptions& opt);

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
