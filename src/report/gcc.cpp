// gcc.cpp: compiler-style diagnostics (FILE:LINE: severity: message [CODE]), the lines editors and CI logs parse.
#include <fmt/format.h>

#include "report/report.hpp"

namespace zw::report {
namespace {

// GCC's diagnostic kinds: error, warning, note.
const char* kind(Severity s) {
  if (s >= Severity::Error) return "error";
  return s == Severity::Warning ? "warning" : "note";
}

std::string message(const Finding& f) {
  std::string subject = f.owner;
  if (!f.type.empty()) subject += " " + f.type;
  return fmt::format("{}{} [{}]", subject.empty() ? "" : subject + ": ", render_message(f), catalog::name(f.code));
}

}  // namespace

void write_gcc(std::ostream& out, const Run& run, const WriteOptions& /*opt*/) {
  for (const Finding& f : run.findings) {
    // A zone file's finding is at its file and line; a server's finding names the server; else the zone.
    const FilePlace place = finding_place(run, f);
    if (!place.file.empty()) {
      const std::string at = place.line != 0 ? fmt::format("{}:{}", place.file, place.line) : place.file;
      out << fmt::format("{}: {}: {}\n", at, kind(f.severity), message(f));
    } else if (!f.servers.empty()) {
      for (const std::string& s : f.servers) out << fmt::format("{}: {}: {}\n", s, kind(f.severity), message(f));
    } else {
      out << fmt::format("{}: {}: {}\n", f.zone, kind(f.severity), message(f));
    }
  }
  for (const Subject& z : run.subjects) {
    if (z.checked() || !findings_of(run, z).empty()) continue;
    // The message begins with the file and line it is about (zw::Error): they become the location.
    const ErrorLocation where = locate_error(z.error, z.error_file, z.error_line);
    std::string at = where.file.value_or(subject_label(z));
    if (where.line) at += fmt::format(":{}", *where.line);
    std::string why = z.error;
    if (why.rfind(at + ": ", 0) == 0) why.erase(0, at.size() + 2);
    out << fmt::format("{}: error: {}\n", at, why);
  }
}

}  // namespace zw::report
