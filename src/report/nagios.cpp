// nagios.cpp: the monitoring-plugins output (Nagios, Icinga, Naemon): one status line with perfdata, details after,
// and the plugin exit status.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "core/error.hpp"
#include "report/report.hpp"

namespace zw::report {
namespace {

constexpr std::array<const char*, 4> kStates = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

// Plugin output is read line by line, and '|' starts the performance data: a message never carries either.
std::string plain(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '|') c = '/';
    if (c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

// A perfdata label may hold any character but '=' and the quote (monitoring-plugins guidelines, Performance data).
std::string label(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '=' || c == '\'') c = '_';
  }
  return "'" + out + "'";
}

// The state -w and -c give a subject: its earliest signature expiry against the minimum remaining validity.
int validity_state(const Run& run, const Subject& z, const WriteOptions& opt) {
  if (!z.checked() || !z.earliest_expiry) return kExitClean;
  const std::int64_t remaining = *z.earliest_expiry - run.now;
  if (opt.critical && remaining < *opt.critical) return kExitError;
  if (opt.warning && remaining < *opt.warning) return kExitWarning;
  return kExitClean;
}

int state_of(const Run& run, const Subject& z, const WriteOptions& opt) {
  return std::max(subject_status(run, z, opt.fail_on), validity_state(run, z, opt));
}

// "ok", "warning", "critical", "unknown": a state as perfdata labels name it.
std::string state_label(std::size_t state) {
  std::string out = kStates[state];
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string validity_text(const Run& run, const Subject& z) {
  const std::int64_t remaining = *z.earliest_expiry - run.now;
  const std::string at = core::format_time(*z.earliest_expiry);
  if (remaining < 0) return fmt::format("a signature expired {} ago ({})", core::format_duration(-remaining), at);
  return fmt::format("a signature expires in {} ({})", core::format_duration(remaining), at);
}

std::string finding_text(const Finding& f) {
  std::string subject = f.owner;
  if (!f.type.empty()) subject += " " + f.type;
  return fmt::format("{} {}{}", catalog::name(f.code), subject.empty() ? "" : subject + ": ", render_message(f));
}

// What the status line says of a subject: why it is in its state.
std::string summary(const Run& run, const Subject& z, const WriteOptions& opt) {
  const std::string name = subject_label(z);
  const std::vector<const Finding*> mine = findings_of(run, z);
  if (!z.checked() && mine.empty()) return z.error;  // the message names the file
  if (validity_state(run, z, opt) > subject_status(run, z, opt.fail_on)) return name + ": " + validity_text(run, z);
  // Findings under --fail-on do not make the state: an OK zone is named by its verdict and its signature validity.
  if (!mine.empty() && state_of(run, z, opt) != kExitClean) return name + ": " + finding_text(*mine.front());
  if (z.earliest_expiry) return fmt::format("{}: {}, {}", name, verdict_name(z.verdict), validity_text(run, z));
  return fmt::format("{}: {}", name, verdict_name(z.verdict));
}

bool summary_perfdata(const Run& run, const WriteOptions& opt) {
  if (opt.perfdata == Perfdata::Auto) return run.subjects.size() > kPerfdataZonesMax;
  return opt.perfdata == Perfdata::Summary;
}

std::string perfdata(const Run& run, const WriteOptions& opt) {
  std::string out;
  auto add = [&out](const std::string& item) { out += (out.empty() ? "" : " ") + item; };
  // Range syntax "N:": an alert when the value falls below N (monitoring-plugins guidelines, Threshold and ranges).
  const std::string warn = opt.warning ? fmt::format("{}:", *opt.warning) : std::string();
  const std::string crit = opt.critical ? fmt::format("{}:", *opt.critical) : std::string();
  auto validity = [&](const std::string& name, std::int64_t seconds) {
    std::string item = fmt::format("{}={}s", label(name), seconds);
    if (!warn.empty() || !crit.empty()) item += ";" + warn + ";" + crit;
    add(item);
  };
  const bool summary = summary_perfdata(run, opt);
  std::optional<std::int64_t> least;
  std::array<std::size_t, 4> per_state{};
  for (const Subject& z : run.subjects) {
    if (summary) ++per_state[static_cast<std::size_t>(state_of(run, z, opt))];
    if (!z.checked() || !z.earliest_expiry) continue;
    const std::int64_t remaining = *z.earliest_expiry - run.now;
    if (!summary) validity(z.name + " signature_validity", remaining);
    if (!least || remaining < *least) least = remaining;
  }
  if (summary) {
    // A fixed number of items whatever the number of zones: the least remaining validity, the zones per state.
    if (least) validity("signature_validity", *least);
    for (std::size_t s : {0U, 1U, 2U, 3U})
      add(fmt::format("{}={};;;0", label(fmt::format("zones_{}", state_label(s))), per_state[s]));
  }
  SeverityCounts counts{};
  for (const Finding& f : run.findings) ++counts[static_cast<std::size_t>(f.severity)];
  for (Severity s : {Severity::Critical, Severity::Error, Severity::Warning, Severity::Notice, Severity::Info}) {
    add(fmt::format("{}={};;;0", label(severity_name(s)), counts[static_cast<std::size_t>(s)]));
  }
  add(fmt::format("{}={};;;0", label("zones"), run.subjects.size()));
  return out;
}

// The long output: each subject, worst first, then its findings (at most --max-per-code of a code).
void write_details(std::ostream& out, const Run& run, const std::vector<const Subject*>& order,
                   const WriteOptions& opt) {
  for (const Subject* z : order) {
    const int state = state_of(run, *z, opt);
    if (!z->checked() && findings_of(run, *z).empty()) {
      out << plain(fmt::format("{}: {}", kStates[static_cast<std::size_t>(state)], z->error)) << "\n";
      continue;
    }
    std::string head =
        fmt::format("{}: {} ({}", z->name, kStates[static_cast<std::size_t>(state)], verdict_name(z->verdict));
    if (z->earliest_expiry) head += "; " + validity_text(run, *z);
    out << plain(head + ")") << "\n";
    std::map<catalog::Code, std::size_t> shown;
    std::map<catalog::Code, std::size_t> hidden;
    for (const Finding* f : findings_of(run, *z)) {
      if (opt.max_per_code != 0 && shown[f->code] >= opt.max_per_code) {
        ++hidden[f->code];
        continue;
      }
      ++shown[f->code];
      out << plain(fmt::format("  {} {}", severity_name(f->severity), finding_text(*f))) << "\n";
    }
    for (const auto& [code, n] : hidden) out << fmt::format("  ... and {} more {}\n", n, catalog::name(code));
  }
}

}  // namespace

int nagios_status(const Run& run, const WriteOptions& opt) {
  if (run.exit == kExitCannotCheck) return kExitCannotCheck;
  int status = std::clamp(run.exit, int{kExitClean}, int{kExitError});
  for (const Subject& z : run.subjects) status = std::max(status, validity_state(run, z, opt));
  return status;
}

void write_nagios(std::ostream& out, const Run& run, const WriteOptions& opt) {
  // The worst subject first: by state (UNKNOWN, CRITICAL, WARNING, OK), then its worst finding, then the signature
  // that expires first, then the run's canonical order.
  struct Rank {
    int state;
    int worst;  // its worst finding's severity, -1 without findings
    core::EpochSeconds expiry;
    const Subject* subject;
  };
  std::vector<Rank> ranked;
  for (const Subject& z : run.subjects) {
    const std::vector<const Finding*> mine = findings_of(run, z);
    ranked.push_back({state_of(run, z, opt), mine.empty() ? -1 : static_cast<int>(mine.front()->severity),
                      z.earliest_expiry.value_or(std::numeric_limits<core::EpochSeconds>::max()), &z});
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Rank& a, const Rank& b) {
    if (a.state != b.state) return a.state > b.state;
    if (a.worst != b.worst) return a.worst > b.worst;
    return a.expiry < b.expiry;
  });
  std::vector<const Subject*> order;
  for (const Rank& r : ranked) order.push_back(r.subject);
  const int status = nagios_status(run, opt);
  std::string line = fmt::format("ZONEWARDEN {} - ", kStates[static_cast<std::size_t>(status)]);
  if (order.empty()) {
    line += "no zone checked";
  } else {
    line += summary(run, *order.front(), opt);
  }
  if (order.size() > 1) {
    std::array<std::size_t, 4> per_state{};
    for (const Rank& r : ranked) ++per_state[static_cast<std::size_t>(r.state)];
    std::string counts;
    for (std::size_t s : {3U, 2U, 1U, 0U}) {
      if (per_state[s] != 0) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", per_state[s], kStates[s]);
    }
    line += fmt::format(" (worst of {} zones: {})", order.size(), counts);
  }
  out << plain(line) << " | " << perfdata(run, opt) << "\n";
  write_details(out, run, order, opt);
}

void write_nagios_error(std::ostream& out, std::string_view message) {
  out << "ZONEWARDEN UNKNOWN - " << plain(message) << "\n";
}

}  // namespace zw::report
