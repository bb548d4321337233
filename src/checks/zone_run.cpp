// zone_run.cpp: orchestrates loading, analysis and checks for `zonewarden zone`.
#include "checks/zone_run.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <memory>
#include <thread>

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

  // Previous versions (--previous): parsed and their signatures attached, not verified again.
  std::vector<std::unique_ptr<zone::Zone>> previous;
  std::vector<std::unique_ptr<dnssec::ZoneAnalysis>> previous_analyses;
  for (const std::string& f : job.previous_files) {
    zone::LoadOptions lo;
    lo.origin = origin;
    lo.max_input_bytes = job.max_input_bytes;
    previous.push_back(std::make_unique<zone::Zone>(zone::load_zone_file(f, lo)));
    previous_analyses.push_back(std::make_unique<dnssec::ZoneAnalysis>(dnssec::analyse(*previous.back(), false)));
  }

  std::vector<std::unique_ptr<zone::Zone>> zones;
  std::vector<std::unique_ptr<dnssec::ZoneAnalysis>> analyses;
  std::vector<Finding> structural_findings;
  CheckTimes structural_times;
  ZoneJobResult result;
  CheckInput in;
  in.options = job.options;
  for (const std::string& dir : job.key_dirs) {
    auto keys = zone::read_key_directory(dir);
    for (const auto& k : keys) {
      if (!k.problem.empty()) result.warnings.push_back(k.file + ": " + k.problem);
    }
    in.inventory.insert(in.inventory.end(), keys.begin(), keys.end());
  }
  if (!job.key_history.empty()) in.history = zone::read_key_history(job.key_history);
  for (const std::string& file : job.files) {
    auto t0 = std::chrono::steady_clock::now();
    zone::LoadOptions lo;
    lo.origin = origin;
    lo.max_input_bytes = job.max_input_bytes;
    if (job.progress) job.progress("loading " + file);
    std::unique_ptr<zone::Zone> loaded;
    try {
      loaded = std::make_unique<zone::Zone>(zone::load_zone_file(file, lo));
      if (!loaded->apex()) throw Error(file + ": no records at the zone origin " + core::name_to_text(loaded->origin));
    } catch (const Error& e) {
      // One zone file that cannot be loaded does not hide the reports of the others; the run still exits 3.
      if (job.files.size() == 1) throw;
      ZoneSummary failed;
      failed.file = file;
      failed.error = e.what();
      failed.error_file = e.file();
      failed.error_line = e.line();
      result.zones.push_back(std::move(failed));
      continue;
    }
    zones.push_back(std::move(loaded));
    const zone::Zone& z = *zones.back();
    double load = seconds_since(t0);
    t0 = std::chrono::steady_clock::now();
    analyses.push_back(std::make_unique<dnssec::ZoneAnalysis>());
    dnssec::ZoneAnalysis& a = *analyses.back();
    a.signed_zone = dnssec::zone_is_signed(z);

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

    // The structural checks (denial chains, delegations, DS records) need no signature, only the zone and whether it
    // is signed: they run on a thread of their own while the signatures are attached and verified on all cores, so
    // their sequential parts fill the gaps those leave instead of adding to the run.
    {
      CheckInput one;
      one.options = job.options;
      one.zones.push_back(ctx);
      std::exception_ptr failure;
      std::thread structural([&] {
        try {
          auto found = run_checks(one, job.policy, &structural_times, CheckSet::Structural);
          structural_findings.insert(structural_findings.end(), std::make_move_iterator(found.begin()),
                                     std::make_move_iterator(found.end()));
        } catch (...) {
          failure = std::current_exception();
        }
      });
      try {
        dnssec::prepare_analysis(z, a);
        if (job.progress) job.progress("verifying " + std::to_string(a.sigs.size()) + " signatures of " + ctx.name);
        dnssec::verify_signatures(z, a);
      } catch (...) {
        structural.join();
        throw;
      }
      structural.join();
      if (failure) std::rethrow_exception(failure);
    }

    std::optional<rollover::ZoneChanges> result_changes;
    for (std::size_t p = 0; p < previous.size(); ++p) {
      if (previous[p]->origin == z.origin) {
        if (ctx.previous) throw Error(job.previous_files[p] + ": a second --previous for zone " + ctx.name);
        ctx.previous = previous[p].get();
        ctx.previous_analysis = previous_analyses[p].get();
        result_changes = rollover::compare_versions(*ctx.previous, *ctx.previous_analysis, z, a);
      }
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
    s.changes = std::move(result_changes);
    result.zones.push_back(s);
    in.zones.push_back(std::move(ctx));
  }
  const bool all_loaded = zones.size() == job.files.size();
  for (std::size_t p = 0; p < previous.size() && all_loaded; ++p) {
    bool used = false;
    for (const auto& z : zones) used = used || z->origin == previous[p]->origin;
    if (!used) {
      throw Error(job.previous_files[p] + ": zone " + core::name_to_text(previous[p]->origin) +
                  " is not among the zones checked");
    }
  }
  if (job.progress) job.progress("checking");
  const auto checks_start = std::chrono::steady_clock::now();
  CheckTimes verified_times;
  result.findings = run_checks(in, job.policy, &verified_times, CheckSet::Verified);
  result.findings.insert(result.findings.end(), std::make_move_iterator(structural_findings.begin()),
                         std::make_move_iterator(structural_findings.end()));
  std::sort(result.findings.begin(), result.findings.end(), finding_less);
  result.checks_seconds = seconds_since(checks_start);
  // Each check's time, summed over the zones, in registry order.
  for (const CheckEntry& c : registry()) {
    double secs = 0;
    bool ran = false;
    for (const auto* times : {&structural_times, &verified_times}) {
      for (const auto& [name, t] : *times) {
        if (name == c.name) {
          secs += t;
          ran = true;
        }
      }
    }
    if (ran) result.check_times.emplace_back(c.name, secs);
  }

  if (!job.key_history.empty()) {
    // Remember every public key seen in this run (published and inventory) so later runs find faults across time.
    std::vector<zone::HistoryKey> seen;
    for (const ZoneContext& ctx : in.zones) {
      for (const dnssec::KeyInfo& k : ctx.analysis->keys) {
        zone::HistoryKey h;
        h.zone = ctx.zone->origin;
        h.algorithm = k.key.algorithm;
        h.flags = k.key.flags;
        h.dnskey_rdata = k.key.rdata;
        h.first_seen = job.options.now;
        seen.push_back(std::move(h));
      }
    }
    for (const zone::InventoryKey& k : in.inventory) {
      if (k.dnskey_rdata.size() < 4) continue;
      zone::HistoryKey h;
      h.zone = k.zone;
      h.algorithm = static_cast<std::uint8_t>(k.dnskey_rdata[3]);
      h.flags = static_cast<std::uint16_t>((static_cast<unsigned char>(k.dnskey_rdata[0]) << 8) |
                                           static_cast<unsigned char>(k.dnskey_rdata[1]));
      h.dnskey_rdata = k.dnskey_rdata;
      h.first_seen = job.options.now;
      seen.push_back(std::move(h));
    }
    zone::append_key_history(job.key_history, in.history, seen);
  }
  struct Retained {
    std::vector<std::unique_ptr<zone::Zone>> zones, previous;
    std::vector<std::unique_ptr<dnssec::ZoneAnalysis>> analyses, previous_analyses;
  };
  result.retained = std::make_shared<Retained>(
      Retained{std::move(zones), std::move(previous), std::move(analyses), std::move(previous_analyses)});
  return result;
}

}  // namespace zw::checks
