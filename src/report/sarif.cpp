// sarif.cpp: SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for code-scanning services.
#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "report/report.hpp"

namespace zw::report {
namespace {

using Json = nlohmann::ordered_json;

// SARIF §3.27.10: a result's level is "error", "warning" or "note"; our five severities map onto them.
const char* level(Severity s) {
  if (s >= Severity::Error) return "error";
  return s == Severity::Warning ? "warning" : "note";
}

// A file path as a URI reference (SARIF §3.4.3): an absolute path as a file: URI, a relative one as it is; bytes
// outside the unreserved set and '/' percent-encoded (RFC 3986 §2.1).
std::string uri(std::string_view path) {
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    const bool keep = std::isalnum(c) != 0 || c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
    out += keep ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

Json rules() {
  Json out = Json::array();
  for (const catalog::Entry& e : catalog::all()) {
    out.push_back({{"id", std::string(e.name)},
                   {"shortDescription", {{"text", std::string(e.message)}}},
                   {"fullDescription", {{"text", std::string(e.rationale)}}},
                   {"defaultConfiguration", {{"level", level(e.severity)}}},
                   {"properties",
                    {{"severity", std::string(severity_name(e.severity))},
                     {"area", std::string(e.area)},
                     {"mode", std::string(catalog::mode_name(e.mode))},
                     {"reference", std::string(e.reference)}}}});
  }
  return out;
}

// Where a finding is: its file and line (zone files), else its servers and zone as logical locations.
Json locations(const Run& run, const Finding& f) {
  Json loc = Json::object();
  const FilePlace place = finding_place(run, f);
  if (!place.file.empty()) {
    Json physical = {{"artifactLocation", {{"uri", uri(place.file)}}}};
    if (place.line != 0) physical["region"] = {{"startLine", place.line}};
    loc["physicalLocation"] = physical;
  }
  Json logical = Json::array();
  for (const std::string& server : f.servers) {
    logical.push_back({{"name", server}, {"fullyQualifiedName", f.zone + " " + server}, {"kind", "resource"}});
  }
  if (place.file.empty() && f.servers.empty()) logical.push_back({{"name", f.zone}, {"kind", "namespace"}});
  if (!logical.empty()) loc["logicalLocations"] = logical;
  return Json::array({loc});
}

Json result(const Run& run, const Finding& f) {
  Json props = {{"severity", std::string(severity_name(f.severity))}, {"zone", f.zone}};
  if (!f.owner.empty()) props["owner"] = f.owner;
  if (!f.type.empty()) props["type"] = f.type;
  Json params = Json::object();
  for (const auto& [k, v] : f.params) params[k] = v;
  props["params"] = params;
  return {{"ruleId", std::string(catalog::name(f.code))},
          {"ruleIndex", static_cast<std::size_t>(f.code)},
          {"level", level(f.severity)},
          {"message", {{"text", render_message(f)}}},
          {"locations", locations(run, f)},
          {"properties", props}};
}

}  // namespace

void write_sarif(std::ostream& out, const Run& run, const WriteOptions& /*opt*/) {
  Json results = Json::array();
  for (const Finding& f : run.findings) results.push_back(result(run, f));
  Json notifications = Json::array();
  for (const Subject& z : run.subjects) {
    if (z.checked() || !findings_of(run, z).empty()) continue;
    Json n = {{"level", "error"}, {"message", {{"text", z.error}}}};
    const ErrorLocation where = locate_error(z.error, z.error_file, z.error_line);
    const std::string file = where.file.value_or(z.file);
    if (!file.empty()) {
      Json physical = {{"artifactLocation", {{"uri", uri(file)}}}};
      if (where.line) physical["region"] = {{"startLine", *where.line}};
      n["locations"] = Json::array({{{"physicalLocation", physical}}});
    }
    notifications.push_back(n);
  }
  Json invocation = {{"executionSuccessful", run.exit != 3}, {"exitCode", run.exit}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  Json doc;
  doc["$schema"] = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
  doc["version"] = "2.1.0";
  Json driver = {{"name", "zonewarden"}, {"version", ZW_VERSION}, {"rules", rules()}};
  doc["runs"] = Json::array({{{"tool", {{"driver", driver}}},
                              {"invocations", Json::array({invocation})},
                              {"properties", {{"now", core::format_time(run.now)}, {"command", run.command}}},
                              {"results", results}}});
  out << doc.dump(2) << "\n";
}

}  // namespace zw::report
