// junit.cpp: JUnit XML (the Apache Ant schema CI systems read): a testsuite per zone, a testcase per finding code.
#include <fmt/format.h>

#include <map>

#include "report/report.hpp"

namespace zw::report {
namespace {

// Text for an XML attribute or element: the five special characters as entities, and the control characters XML 1.0
// does not allow (§2.2) replaced.
std::string xml(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' ? '?' : c;
    }
  }
  return out;
}

std::string finding_line(const Finding& f) {
  std::string line = fmt::format("{} {}", severity_name(f.severity), catalog::name(f.code));
  std::string subject = f.owner;
  if (!f.type.empty()) subject += " " + f.type;
  if (!subject.empty()) line += " " + subject;
  line += ": " + render_message(f);
  if (!f.file.empty()) line += f.line ? fmt::format(" [{}:{}]", f.file, f.line) : fmt::format(" [{}]", f.file);
  for (const std::string& s : f.servers) line += " [" + s + "]";
  return line;
}

// The codes a run of this command can report: every code for live runs, the zone-file codes for zone runs.
bool in_scope(const Run& run, const catalog::Entry& e) {
  return run.command != "zone" || e.mode != catalog::Mode::Live;
}

// The schema's timestamp: ISO 8601 without a time zone (UTC here).
std::string timestamp(const Run& run) {
  std::string t = core::format_time(run.now);
  if (!t.empty() && t.back() == 'Z') t.pop_back();
  return t;
}

void write_suite(std::ostream& out, const Run& run, const Subject& z, std::size_t id, const WriteOptions& opt) {
  const std::string name = xml(subject_label(z));
  std::map<catalog::Code, std::vector<const Finding*>> by_code;
  std::string below;  // findings under --fail-on: reported, not failures
  for (const Finding* f : findings_of(run, z)) {
    if (f->severity >= opt.fail_on) {
      by_code[f->code].push_back(f);
    } else {
      below += finding_line(*f) + "\n";
    }
  }
  std::string cases;
  std::size_t tests = 0;
  std::size_t errors = 0;
  if (!z.checked() && findings_of(run, z).empty()) {
    ++tests;
    ++errors;
    cases += fmt::format("    <testcase name=\"load\" classname=\"{}\" time=\"0\">\n", name);
    cases += fmt::format("      <error type=\"input\" message=\"{}\">{}</error>\n    </testcase>\n", xml(z.error),
                         xml(z.error));
  } else {
    for (const catalog::Entry& e : catalog::all()) {
      if (!in_scope(run, e) && by_code.find(e.code) == by_code.end()) continue;
      ++tests;
      cases += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\"", e.name, name);
      auto it = by_code.find(e.code);
      if (it == by_code.end()) {
        cases += "/>\n";
        continue;
      }
      std::string body;
      for (const Finding* f : it->second) body += finding_line(*f) + "\n";
      cases += fmt::format(">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n", e.name,
                           xml(render_message(*it->second.front())), xml(body));
    }
  }
  out << fmt::format(
      "  <testsuite name=\"{}\" package=\"zonewarden\" id=\"{}\" timestamp=\"{}\" hostname=\"localhost\" "
      "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"0\">\n",
      name, id, timestamp(run), tests, by_code.size(), errors);
  out << "    <properties>\n";
  out << fmt::format("      <property name=\"verdict\" value=\"{}\"/>\n", verdict_name(z.verdict));
  if (!z.file.empty()) out << fmt::format("      <property name=\"file\" value=\"{}\"/>\n", xml(z.file));
  out << fmt::format("      <property name=\"fail-on\" value=\"{}\"/>\n", severity_name(opt.fail_on));
  out << "    </properties>\n" << cases;
  out << "    <system-out>" << xml(below) << "</system-out>\n    <system-err></system-err>\n  </testsuite>\n";
}

}  // namespace

void write_junit(std::ostream& out, const Run& run, const WriteOptions& opt) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  for (std::size_t i = 0; i < run.subjects.size(); ++i) write_suite(out, run, run.subjects[i], i, opt);
  out << "</testsuites>\n";
}

}  // namespace zw::report
