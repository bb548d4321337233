// formats.cpp: the table of report formats, and the names of verdicts.
#include <algorithm>

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
  };
  return table;
}

const Format* find_format(std::string_view name) {
  const auto& table = formats();
  auto it = std::find_if(table.begin(), table.end(), [&](const Format& f) { return f.name == name; });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace zw::report
