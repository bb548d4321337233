// zone_run.cpp: orchestrates loading, analysis and checks for `zonewarden zone`.
#include "checks/zone_run.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <memory>
#include <set>
#include <thread>

#include "core/bytes.hpp"
#include "core/error.hpp"
#include "dnssec/crypto.hpp"
#include "zone/anchors.hpp"
#include "zone/loader.hpp"

namespace zw::checks {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---- chain-of-trust inputs: --ds, -k, and parent zones checked in the same run ----

/// Reads --ds (or -k) files. A file that yields no usable record is an error (DESIGN.md §6, fail closed).
std::vector<zone::AnchorRecord> read_chain_files(const std::vector<std::string>& files, bool anchors,
                                                 core::EpochSeconds now, const core::WireName& origin) {
  zone::AnchorReadOptions opt;
  opt.allow_dnskey = anchors;
  opt.now = now;
  opt.origin = core::name_lower(origin);
  std::vector<zone::AnchorRecord> out;
  for (const std::string& f : files) {
    auto recs = zone::read_anchor_file(f, opt);
    // A trust anchor must be one a validator can use; a DS set's flaws are findings about the zone's parent.
    if (anchors && std::none_of(recs.begin(), recs.end(), [](const zone::AnchorRecord& r) {
          if (r.type == zone::rrtype::DNSKEY) return dnssec::parse_dnskey(r.rdata).problem == dnssec::KeyProblem::None;
          auto ds = dnssec::parse_ds(r.rdata);
          return ds && ds->digest_type != 3 && dnssec::ds_digest_length(ds->digest_type) == ds->digest.size() &&
                 !ds->digest.empty();
        })) {
      throw Error(f + ": no usable trust anchor (unknown algorithm or digest type, or malformed key or digest)");
    }
    out.insert(out.end(), std::make_move_iterator(recs.begin()), std::make_move_iterator(recs.end()));
  }
  return out;
}

/// Every --ds and -k record must be for a zone being checked: one for any other name would be silently unused.
void require_served(const std::vector<zone::AnchorRecord>& records, const std::vector<ZoneContext>& zones,
                    const char* what) {
  for (const zone::AnchorRecord& r : records) {
    bool served =
        std::any_of(zones.begin(), zones.end(), [&](const ZoneContext& z) { return z.zone->origin == r.owner; });
    if (served) continue;
    std::string checked;
    for (const ZoneContext& z : zones) checked += (checked.empty() ? "" : ", ") + z.name;
    throw Error(r.file + ":" + std::to_string(r.line) + ": " + what + " for " + core::name_to_text(r.owner) +
                " serves none of the zones checked (" + checked + ")");
  }
}

/// The checked zone that is the parent of zone `i` (its deepest checked ancestor, when that delegates to it).
void find_parent(std::vector<ZoneContext>& zones, std::size_t i) {
  const core::WireName& origin = zones[i].zone->origin;
  std::optional<std::size_t> best;
  for (std::size_t j = 0; j < zones.size(); ++j) {
    const core::WireName& o = zones[j].zone->origin;
    if (o.size() >= origin.size() || !core::name_is_subdomain(origin, o)) continue;
    if (!best || o.size() > zones[*best].zone->origin.size()) best = j;
  }
  if (!best) return;
  const zone::Zone& p = *zones[*best].zone;
  auto cut = p.find_name(origin);
  if (!cut || p.kinds[*cut] != zone::NodeKind::Delegation) return;
  zones[i].chain.parent = *best;
  zones[i].chain.parent_delegation = *cut;
}

/// Hands each zone its DS set and trust anchors and links it to its parent zone. Parents are linked first, so that a
/// zone below an insecure delegation is insecure too.
/// `all_loaded`: every zone file was loaded, so a record for none of them is known to serve nothing.
void link_chain_inputs(std::vector<ZoneContext>& zones, const std::vector<zone::AnchorRecord>& ds,
                       const std::vector<zone::AnchorRecord>& anchors, bool all_loaded) {
  if (all_loaded) {
    require_served(ds, zones, "DS");
    require_served(anchors, zones, "trust anchor");
  }
  std::vector<std::size_t> order(zones.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return core::name_label_count(zones[a].zone->origin) < core::name_label_count(zones[b].zone->origin);
  });
  for (std::size_t i : order) {
    ZoneContext& ctx = zones[i];
    ChainInput& chain = ctx.chain;
    for (const auto& r : ds) {
      if (r.owner == ctx.zone->origin) chain.parent_ds.push_back({r.rdata, r.file, r.line});
    }
    for (const auto& r : anchors) {
      if (r.owner != ctx.zone->origin) continue;
      (r.type == zone::rrtype::DS ? chain.anchor_ds : chain.anchor_dnskey).push_back({r.rdata, r.file, r.line});
    }
    find_parent(zones, i);
    if (!chain.parent_ds.empty()) {
      chain.source = ChainSource::Ds;
    } else if (!chain.anchor_ds.empty() || !chain.anchor_dnskey.empty()) {
      chain.source = ChainSource::TrustAnchor;
    } else if (chain.parent) {
      const ZoneContext& parent = zones[*chain.parent];
      const zone::Zone& p = *parent.zone;
      const zone::RRset* set = p.find(chain.parent_delegation, zone::rrtype::DS);
      // RFC 4035 §5.2: without a signed parent, or with an authenticated absence of DS, the child is insecure.
      if (!parent.analysis->signed_zone || parent.chain.source == ChainSource::InsecureDelegation || !set) {
        chain.source = ChainSource::InsecureDelegation;
      } else {
        chain.source = ChainSource::ParentZone;
        for (const zone::Record& r : p.records_of(*set)) {
          chain.parent_ds.push_back({std::string(p.rdata(r)), p.files[r.src.file], r.src.line});
        }
      }
    }
  }
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

  const std::vector<zone::AnchorRecord> ds_records = read_chain_files(job.ds_files, false, job.options.now, origin);
  const std::vector<zone::AnchorRecord> anchors = read_chain_files(job.anchor_files, true, job.options.now, origin);

  // Previous versions (--previous): parsed and their signatures attached, not verified again.
  std::vector<std::unique_ptr<zone::Zone>> previous;
  std::vector<std::unique_ptr<dnssec::ZoneAnalysis>> previous_analyses;
  for (const std::string& f : job.previous_files) {
    zone::LoadOptions lo;
    lo.origin = origin;
    lo.max_input_bytes = job.max_input_bytes;
    lo.include_root = job.include_root;
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
    lo.include_root = job.include_root;
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
  link_chain_inputs(in.zones, ds_records, anchors, all_loaded);
  // result.zones also lists the files that could not be loaded; in.zones only the loaded ones, in the same order.
  std::size_t next_loaded = 0;
  for (ZoneSummary& summary : result.zones) {
    if (!summary.error.empty() || next_loaded >= in.zones.size()) continue;
    const ZoneContext& ctx = in.zones[next_loaded++];
    if (summary.name == ctx.name) summary.chain = chain_source_name(ctx.chain.source);
  }
  if (job.progress) job.progress("checking");
  const auto checks_start = std::chrono::steady_clock::now();
  CheckTimes verified_times;
  std::set<std::string> bogus_zones;
  result.findings = run_checks(in, job.policy, &verified_times, CheckSet::Verified, &bogus_zones);
  for (ZoneSummary& summary : result.zones)
    summary.bogus = summary.error.empty() && bogus_zones.count(summary.name) > 0;
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
      h.flags = core::be16(k.dnskey_rdata, 0);
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
