// report.hpp: renderers for findings (text for people; JSON, monitoring, CI and graph formats for machines) and the
// catalogue in three formats.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/time.hpp"
#include "report/run.hpp"

namespace zw::report {

/// nagios --perfdata: one signature-validity item per zone, or a summary of fixed length.
enum class Perfdata : std::uint8_t { Auto, Zones, Summary };

/// Under --perfdata's default, the most zones whose perfdata is one item per zone; above, the summary (NRPE cuts
/// plugin output at a few kilobytes).
inline constexpr std::size_t kPerfdataZonesMax = 20;

/// How a report is written (the options of every format; each format reads the ones it knows).
struct WriteOptions {
  std::size_t max_per_code = 5;          ///< text, nagios: instances shown per code and zone (0 = all)
  bool color = false;                    ///< text: ANSI colours
  Severity fail_on = Severity::Error;    ///< junit failures; nagios and prometheus per-zone status (--fail-on)
  std::optional<std::int64_t> warning;   ///< nagios -w: WARNING below this remaining signature validity (seconds)
  std::optional<std::int64_t> critical;  ///< nagios -c: CRITICAL below this remaining signature validity (seconds)
  Perfdata perfdata = Perfdata::Auto;    ///< nagios --perfdata (Auto: Zones up to kPerfdataZonesMax zones)
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

/// A place in a zone file.
struct FilePlace {
  std::string file;      ///< empty: not in a file (a finding about servers)
  std::size_t line = 0;  ///< 0: the whole file
};

/// Where a finding is in the zone files: its own file and line; for a zone-wide finding of a zone file (one with
/// neither a file nor servers: ZONE_BOGUS, ZONE_SHRINK, …), its zone's apex SOA record when the file has one, else
/// its zone's file; nowhere for findings about servers.
FilePlace finding_place(const Run& run, const Finding& f);

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

/// JSON Lines written while a job runs: each subject's line as soon as that subject and every subject before it in
/// the run's order are final, flushed, so that a reader at the other end of a pipe sees the zones as they complete.
/// Subjects completed out of order wait in a reorder buffer (at most one line per subject not yet written), so the
/// output is byte-identical to write_jsonl's whatever the order of completion.
class JsonlStream {
 public:
  explicit JsonlStream(std::ostream& out) : out_(out) {}
  /// Subject `index` of `run` is final (a SubjectDone): writes its line when every subject before it is written,
  /// then every waiting line that follows. A subject announced twice is written once.
  void complete(const Run& run, std::size_t index);
  /// The end of the run: writes, in order, the lines of the subjects not written yet.
  void finish(const Run& run);
  /// Lines written so far.
  std::size_t written() const { return next_; }
  /// Lines waiting for an earlier subject.
  std::size_t waiting() const { return waiting_.size(); }

 private:
  std::ostream& out_;
  std::size_t next_ = 0;                        ///< the index of the next line to write
  std::map<std::size_t, std::string> waiting_;  ///< completed subjects after `next_`, by index
};

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
