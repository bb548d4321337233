// github.cpp: GitHub Actions workflow commands: each finding an annotation on its file and line.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/report.hpp"

namespace zw::report {
namespace {

// GitHub's escaping of workflow commands: the data escapes '%', CR and LF; property values also ':' and ','.
std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

// Annotation levels: error, warning, notice.
const char* command(Severity s) {
  if (s >= Severity::Error) return "error";
  return s == Severity::Warning ? "warning" : "notice";
}

}  // namespace

void write_github(std::ostream& out, const Run& run, const WriteOptions& /*opt*/) {
  for (const Finding& f : run.findings) {
    std::string props;
    const FilePlace place = finding_place(run, f);
    if (!place.file.empty()) {
      props = "file=" + escape_property(place.file);
      if (place.line != 0) props += fmt::format(",line={}", place.line);
      props += ",";
    }
    props += "title=" + escape_property(catalog::name(f.code));
    std::string subject = f.zone;
    if (!f.owner.empty() && f.owner != f.zone) subject = f.owner;
    if (!f.type.empty()) subject += " " + f.type;
    std::string message = (subject.empty() ? "" : subject + ": ") + render_message(f);
    if (!f.servers.empty()) message += fmt::format(" [{}]", fmt::join(f.servers, ", "));
    out << "::" << command(f.severity) << " " << props << "::" << escape_data(message) << "\n";
  }
  for (const Subject& z : run.subjects) {
    if (z.checked() || !findings_of(run, z).empty()) continue;
    const ErrorLocation where = locate_error(z.error, z.error_file, z.error_line);
    const std::string file = where.file.value_or(z.file);
    std::string props = file.empty() ? "" : "file=" + escape_property(file) + ",";
    if (!file.empty() && where.line) props += fmt::format("line={},", *where.line);
    out << "::error " << props << "title=not checked::" << escape_data(z.error) << "\n";
  }
}

}  // namespace zw::report
