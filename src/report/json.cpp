// json.cpp: the machine-readable report and the catalogue as JSON.
#include <charconv>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/time.hpp"
#include "report/report.hpp"

namespace zw::report {
namespace {

using Json = nlohmann::ordered_json;

// Parameters that name things or list them: kept as strings even when a value happens to be all digits (a salt in
// hex, a list of one key tag), so that each has one JSON type.
bool always_text(std::string_view param) {
  return param == "salt" || param == "keytags" || param == "serials";
}

// A decimal integer in canonical form (no sign but '-', no leading zero) that fits in 64 bits.
std::optional<std::int64_t> as_integer(std::string_view v) {
  std::string_view digits = !v.empty() && v[0] == '-' ? v.substr(1) : v;
  if (digits.empty() || digits.size() > 18 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n;
}

Json text_or_null(const std::string& s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

Json to_json(const Finding& f) {
  Json j;
  j["code"] = std::string(catalog::name(f.code));
  j["severity"] = std::string(severity_name(f.severity));
  j["zone"] = text_or_null(f.zone);
  j["owner"] = text_or_null(f.owner);
  j["type"] = text_or_null(f.type);
  Json p = Json::object();
  for (const auto& [k, v] : f.params) {
    auto n = always_text(k) ? std::nullopt : as_integer(v);
    p[k] = n ? Json(*n) : Json(v);
  }
  j["params"] = p;
  j["message"] = render_message(f);
  j["servers"] = f.servers;
  if (!f.file.empty()) {
    j["source"] = {{"file", f.file}, {"line", f.line ? Json(f.line) : Json(nullptr)}};
  } else {
    j["source"] = nullptr;
  }
  return j;
}

Json location_json(const ErrorLocation& where) {
  return {{"file", where.file ? Json(*where.file) : Json(nullptr)},
          {"line", where.line ? Json(*where.line) : Json(nullptr)}};
}

Json changes_json(const Subject& z) {
  if (!z.changes) return nullptr;
  Json keys = Json::array();
  auto state = [](const std::optional<rollover::KeyState>& s) -> Json {
    if (!s) return nullptr;
    return {{"tag", s->tag}, {"flags", s->flags}, {"signs_dnskey", s->signs_dnskey}, {"signs_data", s->signs_data}};
  };
  for (const rollover::KeyChange& k : z.changes->keys) {
    keys.push_back({{"algorithm", k.algorithm}, {"before", state(k.before)}, {"after", state(k.after)}});
  }
  return {{"serial_before", z.changes->serial_before},
          {"serial_after", z.changes->serial_after},
          {"keys", keys},
          {"cds_added", z.changes->cds_added.size()},
          {"cds_removed", z.changes->cds_removed.size()}};
}

Json counts_json(const SeverityCounts& counts) {
  Json c;
  for (Severity s : {Severity::Critical, Severity::Error, Severity::Warning, Severity::Notice, Severity::Info}) {
    c[std::string(severity_name(s))] = counts[static_cast<std::size_t>(s)];
  }
  return c;
}

Json zone_fields(const Subject& z) {
  const bool ok = z.checked();
  auto when_ok = [ok](auto v) { return ok ? Json(v) : Json(nullptr); };
  Json error = nullptr;
  if (!ok) {
    Json loc = location_json(locate_error(z.error, z.error_file, z.error_line));
    error = {{"message", z.error}, {"file", loc["file"]}, {"line", loc["line"]}};
  }
  return {{"zone", text_or_null(z.name)},
          {"file", z.file},
          {"verdict", verdict_name(z.verdict)},
          {"error", error},
          {"signed", when_ok(z.signed_zone)},
          {"chain", when_ok(z.chain)},
          {"records", when_ok(z.records)},
          {"rrsets", when_ok(z.rrsets)},
          {"names", when_ok(z.names)},
          {"signatures", when_ok(z.signatures)},
          {"signatures_verified", when_ok(z.signatures_verified)},
          {"keys", when_ok(z.keys)},
          {"counts", ok ? counts_json(z.counts) : Json(nullptr)},
          {"previous", changes_json(z)}};
}

Json zone_json(const Subject& z) {
  Json j = zone_fields(z);
  if (!z.servers.empty()) j["servers"] = z.servers;  // live runs only: zone reports keep their shape
  return j;
}

/// A live run and the replay of its capture give the same report, byte for byte: the inputs echoed are the names,
/// not the files they were read from.
Json check_inputs_json(const Inputs& in) {
  return {{"names", in.names}};
}

Json inputs_json(const Inputs& in) {
  return {{"zone_files", in.zone_files},
          {"origin", text_or_null(in.origin)},
          {"ds_files", in.ds_files},
          {"trust_anchor_files", in.trust_anchor_files},
          {"previous_files", in.previous_files},
          {"key_dirs", in.key_dirs},
          {"key_history", text_or_null(in.key_history)}};
}

}  // namespace

std::string subject_json(const Run& run, const Subject& z) {
  Json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["now"] = core::format_time(run.now);
  const Json fields = zone_json(z);
  for (const auto& [key, v] : fields.items()) j[key] = v;
  Json findings = Json::array();
  for (const Finding* f : findings_of(run, z)) findings.push_back(to_json(*f));
  j["findings"] = findings;
  return j.dump();
}

std::string finding_json(const Finding& f) {
  return to_json(f).dump();
}

ErrorLocation locate_error(std::string_view message, const std::string& file, std::size_t line) {
  ErrorLocation where;
  if (!file.empty()) {
    where.file = file;
    if (line) where.line = line;
    return where;
  }
  // zw::Error messages begin with the file they are about: "FILE:LINE: why" or "FILE: why". Options ("--ds: …")
  // and sentences ("invalid time \"x\": …") are not files.
  std::size_t colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0) return where;
  std::string_view head = message.substr(0, colon);
  std::optional<std::size_t> at;
  std::size_t last = head.rfind(':');
  if (last != std::string_view::npos && last + 1 < head.size()) {
    std::string_view digits = head.substr(last + 1);
    std::size_t n = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && ptr == digits.data() + digits.size() && n > 0) {
      at = n;
      head = head.substr(0, last);
    }
  }
  if (head.empty() || head[0] == '-') return where;
  std::error_code ec;
  const bool exists = std::filesystem::exists(std::filesystem::path(std::string(head)), ec);
  // A path that does not exist (a file that cannot be opened) still looks like one: a directory or an extension.
  if (!exists &&
      (head.find_first_of(" \t\"'`") != std::string_view::npos || head.find_first_of("/.") == std::string_view::npos)) {
    return where;
  }
  where.file = std::string(head);
  where.line = at;
  return where;
}

void write_json_error(std::ostream& out, std::string_view message, const ErrorLocation& where) {
  Json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["zonewarden"] = {{"version", ZW_VERSION}};
  Json loc = location_json(where);
  j["error"] = {{"message", std::string(message)}, {"file", loc["file"]}, {"line", loc["line"]}};
  j["exit"] = 3;
  out << j.dump(2) << "\n";
}

void write_json(std::ostream& out, const Run& run, const WriteOptions& /*opt*/) {
  Json j;
  j["schema_version"] = kJsonSchemaVersion;
  j["zonewarden"] = {{"version", ZW_VERSION}, {"now", core::format_time(run.now)}};
  j["now"] = {{"rfc3339", core::format_time(run.now)}, {"epoch", run.now}};
  if (run.command != "zone") j["command"] = run.command;
  j["inputs"] = run.command == "check" ? check_inputs_json(run.inputs) : inputs_json(run.inputs);
  Json zones = Json::array();
  for (const Subject& z : run.subjects) zones.push_back(zone_json(z));
  j["zones"] = zones;
  Json findings = Json::array();
  SeverityCounts counts{};
  for (const Finding& f : run.findings) {
    findings.push_back(to_json(f));
    ++counts[static_cast<std::size_t>(f.severity)];
  }
  j["findings"] = findings;
  Json summary = counts_json(counts);
  std::size_t failed = 0;
  for (const Subject& z : run.subjects) failed += z.checked() ? 0 : 1;
  summary["zones"] = run.subjects.size();
  summary["zones_not_checked"] = failed;
  summary["exit"] = run.exit;
  j["summary"] = summary;
  out << j.dump(2) << "\n";
}

void write_catalog_json(std::ostream& out) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const catalog::Entry& e : catalog::all()) {
    nlohmann::ordered_json j;
    j["code"] = std::string(e.name);
    j["area"] = std::string(e.area);
    j["mode"] = std::string(catalog::mode_name(e.mode));
    j["severity"] = std::string(severity_name(e.severity));
    j["ede"] = e.ede >= 0 ? nlohmann::ordered_json(e.ede) : nlohmann::ordered_json(nullptr);
    j["reference"] = std::string(e.reference);
    nlohmann::ordered_json params = nlohmann::ordered_json::array();
    for (auto p : catalog::param_names(e)) params.push_back(std::string(p));
    j["params"] = params;
    j["message"] = std::string(e.message);
    j["rationale"] = std::string(e.rationale);
    // The closed set of the detail param: each token, the text "{detail}" renders to and the params it uses.
    nlohmann::ordered_json details = nlohmann::ordered_json::array();
    for (const catalog::Detail& d : catalog::details(e.code)) {
      nlohmann::ordered_json used = nlohmann::ordered_json::array();
      for (auto p : catalog::detail_params(d)) used.push_back(std::string(p));
      details.push_back({{"token", std::string(d.token)}, {"text", std::string(d.text)}, {"params", used}});
    }
    j["details"] = details;
    // The conditions under which a finding takes another severity than the default.
    nlohmann::ordered_json conditions = nlohmann::ordered_json::array();
    for (const catalog::Condition& c : catalog::conditions(e.code)) {
      conditions.push_back({{"severity", std::string(severity_name(c.severity))},
                            {"token", std::string(c.token)},
                            {"when", std::string(c.text)}});
    }
    j["conditions"] = conditions;
    arr.push_back(j);
  }
  out << arr.dump(2) << "\n";
}

}  // namespace zw::report
