// json.cpp: the machine-readable report and the catalogue as JSON.
#include <map>
#include <nlohmann/json.hpp>

#include "core/time.hpp"
#include "report/report.hpp"

namespace zw::report {
namespace {

nlohmann::ordered_json to_json(const Finding& f) {
  nlohmann::ordered_json j;
  j["code"] = std::string(catalog::name(f.code));
  j["severity"] = std::string(severity_name(f.severity));
  j["zone"] = f.zone;
  j["owner"] = f.owner;
  j["type"] = f.type;
  nlohmann::ordered_json p = nlohmann::ordered_json::object();
  for (const auto& [k, v] : f.params) p[k] = v;
  j["params"] = p;
  j["message"] = render_message(f);
  if (!f.servers.empty()) j["servers"] = f.servers;
  if (!f.file.empty()) {
    j["source"] = {{"file", f.file}, {"line", f.line}};
  } else {
    j["source"] = nullptr;
  }
  return j;
}

}  // namespace

std::string finding_json(const Finding& f) {
  return to_json(f).dump();
}

void write_json(std::ostream& out, const checks::ZoneJobResult& result, int exit_code, core::EpochSeconds now) {
  nlohmann::ordered_json j;
  j["zonewarden"] = {{"version", ZW_VERSION}, {"now", core::format_time(now)}};
  nlohmann::ordered_json zones = nlohmann::ordered_json::array();
  for (const checks::ZoneSummary& z : result.zones) {
    nlohmann::ordered_json previous = nullptr;
    if (z.changes) {
      nlohmann::ordered_json keys = nlohmann::ordered_json::array();
      auto state = [](const std::optional<rollover::KeyState>& s) -> nlohmann::ordered_json {
        if (!s) return nullptr;
        return {{"tag", s->tag}, {"flags", s->flags}, {"signs_dnskey", s->signs_dnskey}, {"signs_data", s->signs_data}};
      };
      for (const rollover::KeyChange& k : z.changes->keys) {
        keys.push_back({{"algorithm", k.algorithm}, {"before", state(k.before)}, {"after", state(k.after)}});
      }
      previous = {{"serial_before", z.changes->serial_before},
                  {"serial_after", z.changes->serial_after},
                  {"keys", keys},
                  {"cds_added", z.changes->cds_added.size()},
                  {"cds_removed", z.changes->cds_removed.size()}};
    }
    zones.push_back({{"zone", z.name},
                     {"file", z.file},
                     {"signed", z.signed_zone},
                     {"chain", z.chain},
                     {"records", z.records},
                     {"rrsets", z.rrsets},
                     {"names", z.names},
                     {"signatures", z.signatures},
                     {"signatures_verified", z.signatures_verified},
                     {"keys", z.keys},
                     {"previous", previous}});
  }
  j["zones"] = zones;
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  std::map<std::string, std::size_t> counts;
  for (const Finding& f : result.findings) {
    findings.push_back(to_json(f));
    ++counts[std::string(severity_name(f.severity))];
  }
  j["findings"] = findings;
  nlohmann::ordered_json summary;
  for (const char* s : {"critical", "error", "warning", "notice", "info"}) summary[s] = counts[s];
  summary["exit"] = exit_code;
  j["summary"] = summary;
  out << j.dump(2) << "\n";
}

void write_catalog_json(std::ostream& out) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const catalog::Entry& e : catalog::all()) {
    nlohmann::ordered_json j;
    j["code"] = std::string(e.name);
    j["area"] = std::string(e.area);
    j["severity"] = std::string(severity_name(e.severity));
    j["ede"] = e.ede >= 0 ? nlohmann::ordered_json(e.ede) : nlohmann::ordered_json(nullptr);
    j["reference"] = std::string(e.reference);
    nlohmann::ordered_json params = nlohmann::ordered_json::array();
    for (auto p : catalog::param_names(e)) params.push_back(std::string(p));
    j["params"] = params;
    j["message"] = std::string(e.message);
    j["rationale"] = std::string(e.rationale);
    arr.push_back(j);
  }
  out << arr.dump(2) << "\n";
}

}  // namespace zw::report
