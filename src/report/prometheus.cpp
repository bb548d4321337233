// prometheus.cpp: metrics in the Prometheus text exposition format, for the node exporter's textfile collector.
#include <fmt/format.h>

#include "report/report.hpp"

namespace zw::report {
namespace {

// A label value: backslash, double quote and line feed escaped (Prometheus exposition formats, text format).
std::string value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void family(std::ostream& out, std::string_view name, std::string_view help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n";
}

}  // namespace

void write_prometheus(std::ostream& out, const Run& run, const WriteOptions& opt) {
  family(out, "zonewarden_last_run_timestamp_seconds",
         "The time the checks evaluated (--now), seconds since the epoch.");
  out << "zonewarden_last_run_timestamp_seconds " << run.now << "\n";

  family(out, "zonewarden_zone_status",
         "The zone's status: 0 ok, 1 warning, 2 error or critical (at or above --fail-on), 3 not checked.");
  for (const Subject& z : run.subjects) {
    out << fmt::format("zonewarden_zone_status{{zone=\"{}\"}} {}\n", value(subject_label(z)),
                       subject_status(run, z, opt.fail_on));
  }

  family(out, "zonewarden_zone_findings", "Findings about the zone, by severity.");
  for (const Subject& z : run.subjects) {
    if (z.name.empty()) continue;
    for (Severity s : {Severity::Critical, Severity::Error, Severity::Warning, Severity::Notice, Severity::Info}) {
      out << fmt::format("zonewarden_zone_findings{{zone=\"{}\",severity=\"{}\"}} {}\n", value(z.name),
                         severity_name(s), z.counts[static_cast<std::size_t>(s)]);
    }
  }

  family(out, "zonewarden_rrsig_earliest_expiry_timestamp_seconds",
         "When the zone's first signature expires, seconds since the epoch.");
  for (const Subject& z : run.subjects) {
    if (z.checked() && z.earliest_expiry) {
      out << fmt::format("zonewarden_rrsig_earliest_expiry_timestamp_seconds{{zone=\"{}\"}} {}\n", value(z.name),
                         *z.earliest_expiry);
    }
  }

  family(out, "zonewarden_dnskey_info", "An apex DNSKEY of the zone (value 1).");
  for (const Subject& z : run.subjects) {
    if (!z.checked()) continue;
    for (const KeySummary& k : z.dnskeys) {
      out << fmt::format("zonewarden_dnskey_info{{zone=\"{}\",tag=\"{}\",algorithm=\"{}\",flags=\"{}\"}} 1\n",
                         value(z.name), k.tag, k.algorithm, k.flags);
    }
  }

  bool any_asns = false;
  for (const Subject& z : run.subjects) any_asns = any_asns || z.nameserver_asns.has_value();
  if (any_asns) {
    family(out, "zonewarden_nameserver_asns", "Distinct origin ASes of the zone's nameserver addresses.");
    for (const Subject& z : run.subjects) {
      if (z.nameserver_asns) {
        out << fmt::format("zonewarden_nameserver_asns{{zone=\"{}\"}} {}\n", value(subject_label(z)),
                           *z.nameserver_asns);
      }
    }
  }
}

}  // namespace zw::report
