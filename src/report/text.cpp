// text.cpp: the human-readable report.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>

#include "report/report.hpp"

namespace zw::report {
namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

const char* color_of(Severity s) {
  switch (s) {
    case Severity::Critical: return "\033[1;35m";
    case Severity::Error: return "\033[1;31m";
    case Severity::Warning: return "\033[33m";
    case Severity::Notice: return "\033[36m";
    case Severity::Info: return "\033[2m";
  }
  return "";
}

std::string finding_line(const Finding& f) {
  std::string subject = f.owner;
  if (!f.type.empty()) subject += " " + f.type;
  std::string line = subject.empty() ? render_message(f) : subject + ": " + render_message(f);
  if (!f.file.empty()) line += f.line ? fmt::format("  [{}:{}]", f.file, f.line) : fmt::format("  [{}]", f.file);
  if (!f.servers.empty()) line += fmt::format("  [{}]", fmt::join(f.servers, ", "));
  return line;
}

}  // namespace

namespace {

/// The findings of zone `z`, code by code, worst first; counted into `totals`.
void write_zone_findings(std::ostream& out, const Run& run, const Subject& z, const WriteOptions& opt,
                         std::map<Severity, std::size_t>& totals) {
  std::size_t i = 0;
  // Findings are ordered by zone, then severity, then code: walk this zone's block code by code.
  std::vector<const Finding*> mine;
  for (const Finding& f : run.findings) {
    if (f.zone == z.name) mine.push_back(&f);
  }
  if (mine.empty()) out << "  no findings\n";
  while (i < mine.size()) {
    std::size_t j = i;
    while (j < mine.size() && mine[j]->code == mine[i]->code && mine[j]->severity == mine[i]->severity) ++j;
    const Finding& first = *mine[i];
    std::size_t count = j - i;
    totals[first.severity] += count;
    std::string sev = upper(severity_name(first.severity));
    std::string label =
        opt.color ? fmt::format("{}{:<8}\033[0m", color_of(first.severity), sev) : fmt::format("{:<8}", sev);
    std::string code(catalog::name(first.code));
    std::size_t show = (opt.max_per_code == 0 || count <= opt.max_per_code) ? count : opt.max_per_code;
    if (count == 1) {
      out << fmt::format("  {} {}  {}\n", label, code, finding_line(first));
    } else {
      out << fmt::format("  {} {}  ({} findings)\n", label, code, count);
      for (std::size_t k = i; k < i + show; ++k) out << fmt::format("      {}\n", finding_line(*mine[k]));
      if (show < count)
        out << fmt::format("      … and {} more (all of them with -f json or --max-per-code 0)\n", count - show);
    }
    i = j;
  }
}

/// A live run of several zones ends with a table of them, in walk order: verdict, servers, findings per severity and
/// the worst finding — what a watch-list run is read for.
void write_zone_table(std::ostream& out, const Run& run) {
  std::size_t width = 4;
  for (const Subject& z : run.subjects) width = std::max(width, z.name.size());
  out << fmt::format("{:<{}}  {:<8} {:>7} {:>8} {:>5} {:>7} {:>6} {:>4}  {}\n", "zone", width, "verdict", "servers",
                     "critical", "error", "warning", "notice", "info", "worst finding");
  for (const Subject& z : run.subjects) {
    const Finding* worst = nullptr;
    for (const Finding& f : run.findings) {
      if (f.zone == z.name && (worst == nullptr || f.severity > worst->severity)) worst = &f;
    }
    const auto n = [&](Severity s) { return z.counts[static_cast<std::size_t>(s)]; };
    out << fmt::format("{:<{}}  {:<8} {:>7} {:>8} {:>5} {:>7} {:>6} {:>4}  {}\n", z.name, width,
                       verdict_name(z.verdict), z.servers.size(), n(Severity::Critical), n(Severity::Error),
                       n(Severity::Warning), n(Severity::Notice), n(Severity::Info),
                       worst ? std::string(catalog::name(worst->code)) : std::string("-"));
  }
}

}  // namespace

void write_text(std::ostream& out, const Run& run, const WriteOptions& opt) {
  std::map<Severity, std::size_t> totals;
  // The clock every time-dependent check read: a mistaken --now shows here, not only in surprising findings.
  out << "zonewarden " << run.command << ": evaluated at " << core::format_time(run.now) << "\n";
  std::size_t failed = 0;
  for (const Subject& z : run.subjects) {
    if (!z.checked()) {
      ++failed;
      // A zone file that could not be read is named by its file; a zone from servers by its name, with the
      // findings that say why (ZONE_UNREACHABLE).
      out << fmt::format("zone {}: error: {}\n", z.file.empty() ? z.name : z.file, z.error);
      if (z.file.empty() && !z.name.empty()) write_zone_findings(out, run, z, opt, totals);
      continue;
    }
    const std::string counts =
        fmt::format("{}, {}, {}, {}", count_noun(z.records, "record"), count_noun(z.rrsets, "RRset"),
                    count_noun(z.signatures, "signature"), count_noun(z.keys, "key"));
    if (z.file.empty()) {
      // The views of servers: what a validator concludes, and where the chain starts.
      out << fmt::format("zone {}  {}  ({}; chain: {})\n", z.name, verdict_name(z.verdict), counts,
                         z.signed_zone ? z.chain : "unsigned");
    } else {
      out << fmt::format("zone {}  ({}: {}; chain: {})\n", z.name, z.file, counts,
                         z.signed_zone ? z.chain : "unsigned");
    }
    if (z.changes) {
      std::size_t added = 0;
      std::size_t removed = 0;
      std::size_t flags = 0;
      for (const auto& k : z.changes->keys) {
        added += k.added() ? 1 : 0;
        removed += k.removed() ? 1 : 0;
        flags += (k.before && k.after && k.before->flags != k.after->flags) ? 1 : 0;
      }
      out << fmt::format(
          "  since the previous version: serial {} -> {}, keys {} added, {} removed, {} with new flags\n",
          z.changes->serial_before, z.changes->serial_after, added, removed, flags);
    }
    write_zone_findings(out, run, z, opt, totals);
  }
  if (run.command == "check" && run.subjects.size() >= 2) write_zone_table(out, run);
  std::string not_checked = failed ? fmt::format(" ({} not checked)", failed) : std::string();
  out << fmt::format("summary: {} zone{}{}, {} critical, {} error{}, {} warning{}, {} notice{}, {} info; exit {}\n",
                     run.subjects.size(), run.subjects.size() == 1 ? "" : "s", not_checked, totals[Severity::Critical],
                     totals[Severity::Error], totals[Severity::Error] == 1 ? "" : "s", totals[Severity::Warning],
                     totals[Severity::Warning] == 1 ? "" : "s", totals[Severity::Notice],
                     totals[Severity::Notice] == 1 ? "" : "s", totals[Severity::Info], run.exit);
}

void write_explain(std::ostream& out, const catalog::Entry& e) {
  out << fmt::format("{}  ({}, mode {}, default severity {})\n", e.name, e.area, catalog::mode_name(e.mode),
                     severity_name(e.severity));
  out << fmt::format("  reference: {}\n", e.reference);
  if (e.ede >= 0) out << fmt::format("  extended DNS error: {}\n", e.ede);
  out << fmt::format("  message:   {}\n", e.message);
  if (!e.params.empty()) out << fmt::format("  params:    {}\n", e.params);
  for (const catalog::Detail& d : catalog::details(e.code)) {
    auto used = catalog::detail_params(d);
    out << fmt::format("  detail={}: {}{}\n", d.token, d.text,
                       used.empty() ? std::string() : fmt::format(" (params: {})", fmt::join(used, " ")));
  }
  for (const catalog::Condition& c : catalog::conditions(e.code)) {
    out << fmt::format("  {} when: {} ({})\n", severity_name(c.severity), c.text, c.token);
  }
  out << "\n" << e.rationale << "\n";
}

void write_catalog_text(std::ostream& out) {
  for (const catalog::Entry& e : catalog::all()) {
    out << fmt::format("{:<32} {:<9} {:<10} {:<4} {}\n", e.name, severity_name(e.severity), e.area,
                       catalog::mode_name(e.mode), e.reference);
    for (const catalog::Detail& d : catalog::details(e.code)) out << fmt::format("    detail={}\n", d.token);
    for (const catalog::Condition& c : catalog::conditions(e.code)) {
      out << fmt::format("    {} when: {}\n", severity_name(c.severity), c.text);
    }
  }
}

}  // namespace zw::report
