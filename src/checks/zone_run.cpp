// zone_run.cpp: orchestrates loading, analysis and checks for `zonewarden zone`.
#include "checks/zone_run.hpp"

#include <chrono>
#include <memory>

#include "core/error.hpp"
#include "zone/anchors.hpp"
#include "zone/loader.hpp"

namespace zw::checks {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

ZoneJobResult run_zone_job(const ZoneJob& job) {
  if (job.files.empty()) throw Error("no zone file given");
  core::WireName origin;
  if (!job.origin.empty()) {
    std::string err;
    std::string text = job.origin;
    if (text.back() != '.') text.push_back('.');
    if (!core::parse_name(text, ".", origin, err)) throw Error("--origin " + job.origin + ": " + err);
  }

  std::vector<zone::AnchorRecord> ds_records;
  for (const std::string& f : job.ds_files) {
    auto recs = zone::read_anchor_file(f, false, job.options.now);
    ds_records.insert(ds_records.end(), recs.begin(), recs.end());
  }
  std::vector<zone::AnchorRecord> anchors;
  for (const std::string& f : job.anchor_files) {
    auto recs = zone::read_anchor_file(f, true, job.options.now);
    anchors.insert(anchors.end(), recs.begin(), recs.end());
  }

  std::vector<std::unique_ptr<zone::Zone>> zones;
  std::vector<std::unique_ptr<dnssec::ZoneAnalysis>> analyses;
  ZoneJobResult result;
  CheckInput in;
  in.options = job.options;
  for (const std::string& file : job.files) {
    auto t0 = std::chrono::steady_clock::now();
    zone::LoadOptions lo;
    lo.origin = origin;
    lo.max_input_bytes = job.max_input_bytes;
    zones.push_back(std::make_unique<zone::Zone>(zone::load_zone_file(file, lo)));
    const zone::Zone& z = *zones.back();
    double load = seconds_since(t0);
    if (!z.apex()) throw Error(file + ": no records at the zone origin " + core::name_to_text(z.origin));
    t0 = std::chrono::steady_clock::now();
    analyses.push_back(std::make_unique<dnssec::ZoneAnalysis>(dnssec::analyse(z)));
    const dnssec::ZoneAnalysis& a = *analyses.back();

    ZoneContext ctx;
    ctx.name = core::name_to_text(z.origin);
    ctx.zone = &z;
    ctx.analysis = &a;
    ctx.chain.any_ds_given = !job.ds_files.empty();
    ctx.chain.any_anchor_given = !job.anchor_files.empty();
    for (const auto& r : ds_records) {
      if (r.owner == z.origin) ctx.chain.parent_ds.push_back({r.rdata, r.file, r.line});
    }
    for (const auto& r : anchors) {
      if (r.owner != z.origin) continue;
      (r.type == 43 ? ctx.chain.anchor_ds : ctx.chain.anchor_dnskey).push_back({r.rdata, r.file, r.line});
    }

    ZoneSummary s;
    s.name = ctx.name;
    s.file = file;
    s.records = z.records.size();
    s.rrsets = z.rrsets.size();
    s.names = z.names.size();
    s.signatures = a.sigs.size();
    for (const auto& sig : a.sigs) s.signatures_verified += sig.status == dnssec::SigStatus::Valid ? 1 : 0;
    s.keys = a.keys.size();
    s.signed_zone = a.signed_zone;
    s.chain = !ctx.chain.parent_ds.empty()                                         ? "ds"
              : (!ctx.chain.anchor_ds.empty() || !ctx.chain.anchor_dnskey.empty()) ? "trust-anchor"
                                                                                   : "assumed";
    s.load_seconds = load;
    s.verify_seconds = seconds_since(t0);
    result.zones.push_back(s);
    in.zones.push_back(std::move(ctx));
  }
  result.findings = run_checks(in, job.policy);
  return result;
}

}  // namespace zw::checks
