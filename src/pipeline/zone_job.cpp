// zone_job.cpp: the zone job's steps: read the inputs, load each zone file as a view, verify its signatures with
// the checks that need no signature beside, link the chains of trust, run the other checks, build the run.
#include "pipeline/zone_job.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iterator>
#include <memory>
#include <set>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/thread_pool.hpp"
#include "core/time.hpp"
#include "infra/diversity.hpp"
#include "pipeline/chain_inputs.hpp"
#include "zone/keyfiles.hpp"
#include "zone/loader.hpp"
#include "zone/rdata.hpp"

namespace zw::pipeline {
namespace {

using checks::ZoneContext;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

/// The zones and analyses a run keeps alive until its reports are written.
struct Kept {
  std::vector<std::unique_ptr<zone::Zone>> zones, previous;
  std::vector<std::unique_ptr<dnssec::ZoneAnalysis>> analyses, previous_analyses;
  std::vector<View> views;
  RolloverInputs rollover;
};

/// The job's working state, step to step.
struct State {
  State(const ZoneJob& j, core::WireName o) : job(j), origin(std::move(o)) {}
  const ZoneJob& job;
  core::WireName origin;
  std::vector<zone::AnchorRecord> ds_records;
  std::vector<zone::AnchorRecord> anchors;
  std::shared_ptr<Kept> kept = std::make_shared<Kept>();
  checks::CheckInput in;
  report::Run run;
  std::vector<std::size_t> subject_of;  ///< in.zones[i] is the view of run.subjects[subject_of[i]]
  std::vector<Finding> beside;          ///< findings of the checks run beside verification
  checks::CheckTimes beside_times, after_times;
  std::set<std::string> bogus_zones;
  std::vector<std::string> lame;  ///< zones some server answered for without their apex
};

core::WireName parse_origin(const std::string& given) {
  core::WireName origin;
  if (given.empty()) return origin;
  std::string err;
  std::string text = given;
  if (text.back() != '.') text.push_back('.');
  if (!core::parse_name(text, ".", origin, err)) throw Error("--origin " + given + ": " + err);
  return origin;
}

zone::LoadOptions load_options(const State& st) {
  zone::LoadOptions lo;
  lo.origin = st.origin;
  lo.max_input_bytes = st.job.max_input_bytes;
  lo.include_root = st.job.include_root;
  return lo;
}

/// --ds, -k, --previous (parsed, signatures attached, not verified again), --keys and --key-history.
void read_inputs(State& st) {
  const ZoneJob& job = st.job;
  st.ds_records = read_chain_files(job.ds_files, false, job.options.now, st.origin);
  st.anchors = read_chain_files(job.anchor_files, true, job.options.now, st.origin);
  st.anchors.insert(st.anchors.end(), job.anchor_records.begin(), job.anchor_records.end());
  for (const std::string& f : job.previous_files) {
    st.kept->previous.push_back(std::make_unique<zone::Zone>(zone::load_zone_file(f, load_options(st))));
    st.kept->previous_analyses.push_back(
        std::make_unique<dnssec::ZoneAnalysis>(dnssec::analyse(*st.kept->previous.back(), false)));
  }
  st.in.options = job.options;
  st.in.addresses = job.addresses.get();
  for (const std::string& dir : job.key_dirs) {
    auto keys = zone::read_key_directory(dir);
    for (const auto& k : keys) {
      if (!k.problem.empty()) st.run.warnings.push_back(k.file + ": " + k.problem);
    }
    st.in.inventory.insert(st.in.inventory.end(), keys.begin(), keys.end());
  }
  if (!job.key_history.empty()) st.in.history = zone::read_key_history(job.key_history);
}

/// Loads one zone file; with several files, one that cannot be loaded becomes a subject with its error (the run
/// still exits 3) and null is returned.
const zone::Zone* load_view(State& st, const std::string& file) {
  if (st.job.progress) st.job.progress("loading " + file);
  try {
    auto loaded = std::make_unique<zone::Zone>(zone::load_zone_file(file, load_options(st)));
    // A view without its apex cannot be checked as a zone; from a file that is an input error.
    if (!loaded->apex()) throw Error(file + ": no records at the zone origin " + core::name_to_text(loaded->origin));
    st.kept->zones.push_back(std::move(loaded));
    return st.kept->zones.back().get();
  } catch (const Error& e) {
    if (st.job.files.size() == 1) throw;
    report::Subject failed;
    failed.file = file;
    failed.verdict = report::Verdict::Error;
    failed.error = e.what();
    failed.error_file = e.file();
    failed.error_line = e.line();
    st.run.subjects.push_back(std::move(failed));
    return nullptr;
  }
}

/// Runs `side` as a job of the process's pool while `main` runs here (and uses every core inside); rethrows the
/// first failure of either once both are done. No thread is made: the pool's workers and this thread share the work.
template <typename Side, typename Main>
void run_beside(Side&& side, Main&& main) {
  core::TaskGroup group;
  group.run(std::forward<Side>(side));
  try {
    main();
  } catch (...) {
    try {
      group.wait();
    } catch (...) {  // the first failure is main's
    }
    throw;
  }
  group.wait();
}

/// What verifying one view found: the findings of the checks run beside verification, and their times.
struct Verified {
  std::vector<Finding> beside;
  checks::CheckTimes times;
};

/// Attaches and verifies the view's signatures. The checks that need no signature result (Need: no Verified) run
/// beside, so that their sequential parts fill the gaps verification leaves instead of adding to the run. Touches
/// nothing shared: the views of servers are verified at once.
Verified verify_view(const ZoneJob& job, const ZoneContext& ctx, dnssec::ZoneAnalysis& a) {
  Verified out;
  checks::CheckInput one;
  one.options = job.options;
  one.addresses = job.addresses.get();
  one.zones.push_back(ctx);
  run_beside([&] { out.beside = checks::run_checks(one, job.policy, &out.times, checks::Stage::BesideVerification); },
             [&] {
               dnssec::prepare_analysis(*ctx.zone, a);
               if (job.progress)
                 job.progress("verifying " + std::to_string(a.sigs.size()) + " signatures of " + ctx.name);
               dnssec::verify_signatures(*ctx.zone, a);
             });
  return out;
}

/// Matches --previous versions to the view by origin and compares them.
void attach_previous(State& st, ZoneContext& ctx, report::Subject& s) {
  const Kept& k = *st.kept;
  for (std::size_t p = 0; p < k.previous.size(); ++p) {
    if (k.previous[p]->origin != ctx.zone->origin) continue;
    if (ctx.previous) throw Error(st.job.previous_files[p] + ": a second --previous for zone " + ctx.name);
    ctx.previous = k.previous[p].get();
    ctx.previous_analysis = k.previous_analyses[p].get();
    s.changes = rollover::compare_versions(*ctx.previous, *ctx.previous_analysis, *ctx.zone, *ctx.analysis);
  }
}

/// The subject a view belongs to: a zone file is a subject of its own; the views of one zone from servers share one.
std::size_t subject_for(State& st, const ZoneContext& ctx, const std::string& file) {
  if (file.empty()) {
    for (std::size_t i = 0; i < st.subject_of.size(); ++i) {
      const report::Subject& s = st.run.subjects[st.subject_of[i]];
      if (s.file.empty() && s.name == ctx.name) return st.subject_of[i];
    }
  }
  st.run.subjects.emplace_back();
  return st.run.subjects.size() - 1;
}

/// A view on its way in: its context and its new analysis, before verification.
struct Pending {
  ZoneContext ctx;
  dnssec::ZoneAnalysis* analysis = nullptr;
};

Pending view_context(State& st, const zone::Zone& z, std::vector<std::string> servers, checks::Coverage coverage,
                     std::map<std::string, std::vector<std::string>> ns_addresses = {}) {
  st.kept->analyses.push_back(std::make_unique<dnssec::ZoneAnalysis>());
  dnssec::ZoneAnalysis& a = *st.kept->analyses.back();
  a.signed_zone = dnssec::zone_is_signed(z);
  ZoneContext ctx;
  ctx.name = core::name_to_text(z.origin);
  ctx.zone = &z;
  ctx.analysis = &a;
  ctx.servers = std::move(servers);
  ctx.coverage = std::move(coverage);
  ctx.ns_addresses = std::move(ns_addresses);
  ctx.chain.any_ds_given = !st.job.ds_files.empty();
  ctx.chain.any_anchor_given = !st.job.anchor_files.empty() || !st.job.anchor_records.empty();
  return {std::move(ctx), &a};
}

/// What the metrics and graph formats name of a view: its apex keys and its earliest signature expiration, merged
/// over every view of the subject.
void describe_keys_and_expiry(report::Subject& s, const dnssec::ZoneAnalysis& a, core::EpochSeconds now) {
  for (const dnssec::SigInfo& sig : a.sigs) {
    if (!sig.parsed) continue;
    const core::EpochSeconds exp = core::rrsig_time(sig.rrsig.expiration, now);
    if (!s.earliest_expiry || exp < *s.earliest_expiry) s.earliest_expiry = exp;
  }
  for (const dnssec::KeyInfo& k : a.keys) s.dnskeys.push_back({k.key.tag, k.key.algorithm, k.key.flags});
  std::sort(s.dnskeys.begin(), s.dnskeys.end());
  s.dnskeys.erase(std::unique(s.dnskeys.begin(), s.dnskeys.end()), s.dnskeys.end());
}

/// The number of origin ASes of the zone's own nameservers, when the address data covers some of them.
std::optional<std::size_t> nameserver_asns(const State& st, const ZoneContext& ctx) {
  if (!st.job.addresses || st.job.addresses->empty()) return std::nullopt;
  const zone::Zone& z = *ctx.zone;
  auto apex = z.apex();
  const zone::RRset* ns = apex ? z.find(*apex, zone::rrtype::NS) : nullptr;
  if (ns == nullptr) return std::nullopt;
  const auto by_name = infra::nameserver_addresses(z, *ns, ctx.ns_addresses);
  if (by_name.empty()) return std::nullopt;
  const infra::Spread s = infra::spread_of(by_name, *st.job.addresses);
  if (s.covered == 0) return std::nullopt;
  return s.asns.size();
}

/// Where a zone file's apex SOA record is (report::Subject::soa_file, soa_line); nothing for a view of servers.
void locate_soa(report::Subject& s, const zone::Zone& z) {
  const auto apex = z.apex();
  const zone::RRset* soa = apex ? z.find(*apex, zone::rrtype::SOA) : nullptr;
  if (soa == nullptr || soa->count == 0) return;
  const zone::Record& r = z.records_of(*soa).front();
  if (r.src.is_exchange() || r.src.line == 0 || r.src.file >= z.files.size()) return;
  s.soa_file = z.files[r.src.file];
  s.soa_line = r.src.line;
}

/// Describes a verified view (a zone file `file`, or the answers of servers) and adds it to the run, in input order.
void record_view(State& st, ZoneContext ctx, Verified verified, const std::string& file, double load_seconds,
                 double verify_seconds) {
  st.beside.insert(st.beside.end(), std::make_move_iterator(verified.beside.begin()),
                   std::make_move_iterator(verified.beside.end()));
  st.beside_times.insert(st.beside_times.end(), verified.times.begin(), verified.times.end());
  const zone::Zone& z = *ctx.zone;
  const dnssec::ZoneAnalysis& a = *ctx.analysis;
  const std::size_t at = subject_for(st, ctx, file);
  report::Subject& s = st.run.subjects[at];
  const bool first_view = s.name.empty();
  if (first_view) {
    attach_previous(st, ctx, s);
    s.name = ctx.name;
    s.file = file;
    if (!file.empty()) locate_soa(s, z);
    s.records = z.records.size();
    s.rrsets = z.rrsets.size();
    s.names = z.names.size();
    s.signatures = a.sigs.size();
    for (const auto& sig : a.sigs) s.signatures_verified += sig.status == dnssec::SigStatus::Valid ? 1 : 0;
    s.keys = a.keys.size();
    s.signed_zone = a.signed_zone;
    s.nameserver_asns = nameserver_asns(st, ctx);
    s.load_seconds = load_seconds;
    s.verify_seconds = verify_seconds;
  }
  describe_keys_and_expiry(s, a, st.job.options.now);
  st.subject_of.push_back(at);
  st.in.zones.push_back(std::move(ctx));
}

/// Verifies and describes one zone file's view.
void add_view(State& st, const zone::Zone& z, const std::string& file, double load_seconds) {
  const auto t0 = std::chrono::steady_clock::now();
  Pending p = view_context(st, z, {}, {});
  Verified verified = verify_view(st.job, p.ctx, *p.analysis);
  record_view(st, std::move(p.ctx), std::move(verified), file, load_seconds, seconds_since(t0));
}

/// A server's answers without the zone's apex: the server is lame (RFC 1034 §4.2.2), a finding about each server of
/// the view, not an input error; the view has nothing else to check. A zone no server answered for cannot be checked.
void add_lame_view(State& st, const View& v) {
  ZoneContext ctx;
  ctx.name = core::name_to_text(v.zone->origin);
  ctx.zone = v.zone.get();
  FindingSink sink;
  for (const std::string& id : v.servers) {
    ctx.servers = {id};
    checks::Reporter(ctx, sink).zone(catalog::Code::NS_LAME, {{"address", id.substr(id.find('/') + 1)}});
  }
  std::vector<Finding> found = sink.take();
  checks::apply_policy(found, st.job.policy);
  st.beside.insert(st.beside.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  st.lame.push_back(ctx.name);
}

/// Loads one zone file: a complete view of its zone, its records sourced by file and line.
void add_zone_file(State& st, const std::string& file) {
  const auto t0 = std::chrono::steady_clock::now();
  const zone::Zone* z = load_view(st, file);
  if (z) add_view(st, *z, file, seconds_since(t0));
}

/// The views of servers: many small zones (one per zone and server that answered differently), verified at once on
/// the pool, then added in input order.
void add_server_views(State& st) {
  const std::vector<View>& views = st.job.views;
  std::vector<Pending> pending(views.size());
  std::vector<Verified> verified(views.size());
  std::vector<double> seconds(views.size(), 0);
  for (std::size_t i = 0; i < views.size(); ++i) {
    if (views[i].zone->apex())
      pending[i] = view_context(st, *views[i].zone, views[i].servers, views[i].coverage, views[i].ns_addresses);
  }
  core::parallel_for(
      views.size(),
      [&](std::size_t i) {
        if (!pending[i].analysis) return;
        const auto t0 = std::chrono::steady_clock::now();
        verified[i] = verify_view(st.job, pending[i].ctx, *pending[i].analysis);
        seconds[i] = seconds_since(t0);
      },
      1);
  for (std::size_t i = 0; i < views.size(); ++i) {
    if (pending[i].analysis) {
      record_view(st, std::move(pending[i].ctx), std::move(verified[i]), {}, 0, seconds[i]);
    } else {
      add_lame_view(st, views[i]);
    }
  }
}

/// Zones whose every server was lame: subjects that could not be checked.
void add_unanswered_zones(State& st) {
  for (const std::string& name : st.lame) {
    const bool answered =
        std::any_of(st.in.zones.begin(), st.in.zones.end(), [&](const ZoneContext& z) { return z.name == name; });
    const bool listed = std::any_of(st.run.subjects.begin(), st.run.subjects.end(),
                                    [&](const report::Subject& s) { return s.name == name; });
    if (answered || listed) continue;
    report::Subject s;
    s.name = name;
    s.verdict = report::Verdict::Error;
    s.error = name + ": no server answered for the zone (every server is lame)";
    st.run.subjects.push_back(std::move(s));
  }
}

/// Every --previous file must match a zone checked.
void require_previous_used(const State& st) {
  const Kept& k = *st.kept;
  for (std::size_t p = 0; p < k.previous.size(); ++p) {
    bool used = std::any_of(st.in.zones.begin(), st.in.zones.end(),
                            [&](const ZoneContext& z) { return z.zone->origin == k.previous[p]->origin; });
    if (!used) {
      throw Error(st.job.previous_files[p] + ": zone " + core::name_to_text(k.previous[p]->origin) +
                  " is not among the zones checked");
    }
  }
}

/// The checks that need signature results, over every view; then the findings of both stages as one list.
void run_after_verification(State& st) {
  if (st.job.progress) st.job.progress("checking");
  const auto t0 = std::chrono::steady_clock::now();
  auto after =
      checks::run_checks(st.in, st.job.policy, &st.after_times, checks::Stage::AfterVerification, &st.bogus_zones);
  after.insert(after.end(), std::make_move_iterator(st.beside.begin()), std::make_move_iterator(st.beside.end()));
  st.run.findings = checks::merge_findings(std::move(after));
  st.run.metrics.checks_seconds = seconds_since(t0);
  // Each check's time, summed over the zones, in registry order.
  for (const checks::CheckEntry& c : checks::registry()) {
    double secs = 0;
    bool ran = false;
    for (const auto* times : {&st.beside_times, &st.after_times}) {
      for (const auto& [name, t] : *times) {
        if (name != c.name) continue;
        secs += t;
        ran = true;
      }
    }
    if (ran) st.run.metrics.check_times.emplace_back(c.name, secs);
  }
}

/// Metrics::delegations_by_asns over every complete view.
void count_delegation_spread(State& st) {
  if (!st.job.delegation_spread || !st.job.addresses || st.job.addresses->empty()) return;
  for (const ZoneContext& ctx : st.in.zones) {
    if (!ctx.coverage.complete) continue;
    const zone::Zone& z = *ctx.zone;
    for (const zone::RRset& set : z.rrsets) {
      if (set.type != zone::rrtype::NS || z.kinds[set.name] != zone::NodeKind::Delegation) continue;
      const auto by_name = infra::nameserver_addresses(z, set, ctx.ns_addresses);
      if (by_name.empty()) continue;
      ++st.run.metrics.delegations_by_asns[infra::spread_of(by_name, *st.job.addresses).asns.size()];
    }
  }
}

/// Chains, verdicts, counts, the chain-of-trust graph and the exit status.
void finish_run(State& st) {
  report::Run& run = st.run;
  for (std::size_t i = 0; i < st.in.zones.size(); ++i) {
    const ZoneContext& ctx = st.in.zones[i];
    report::Subject& s = run.subjects[st.subject_of[i]];
    s.chain = checks::chain_source_name(ctx.chain.source);
    const bool insecure = !s.signed_zone || ctx.chain.source == checks::ChainSource::InsecureDelegation;
    s.verdict = st.bogus_zones.count(s.name) ? report::Verdict::Bogus
                : insecure                   ? report::Verdict::Insecure
                                             : report::Verdict::Secure;
    run.graph.push_back({ctx.chain.parent ? st.in.zones[*ctx.chain.parent].name : std::string(), ctx.name, s.chain});
  }
  for (const Finding& f : run.findings) {
    for (report::Subject& s : run.subjects) {
      if (s.checked() && s.name == f.zone) ++s.counts[static_cast<std::size_t>(f.severity)];
    }
  }
  run.exit = checks::exit_status(run.findings, st.job.fail_on);
  for (const report::Subject& s : run.subjects) {
    if (!s.checked()) run.exit = kExitCannotCheck;
  }
}

/// --key-history: every public key seen in this run (published and inventory), so later runs find faults across
/// time.
void remember_keys(const State& st) {
  std::vector<zone::HistoryKey> seen;
  auto add = [&](const core::WireName& zone_name, std::uint8_t algorithm, std::uint16_t flags, std::string rdata) {
    zone::HistoryKey h;
    h.zone = zone_name;
    h.algorithm = algorithm;
    h.flags = flags;
    h.dnskey_rdata = std::move(rdata);
    h.first_seen = st.job.options.now;
    seen.push_back(std::move(h));
  };
  for (const ZoneContext& ctx : st.in.zones) {
    for (const dnssec::KeyInfo& k : ctx.analysis->keys)
      add(ctx.zone->origin, k.key.algorithm, k.key.flags, k.key.rdata);
  }
  for (const zone::InventoryKey& k : st.in.inventory) {
    if (auto head = zone::dnskey_head(k.dnskey_rdata)) add(k.zone, head->algorithm, head->flags, k.dnskey_rdata);
  }
  zone::append_key_history(st.job.key_history, st.in.history, seen);
}

}  // namespace

report::Run run_zone_job(const ZoneJob& job) {
  if (job.files.empty() && job.views.empty()) throw Error("no zone file given");
  State st(job, parse_origin(job.origin));
  st.run.now = job.options.now;
  report::Inputs& in = st.run.inputs;
  in.zone_files = job.files;
  in.origin = job.origin;
  in.ds_files = job.ds_files;
  in.trust_anchor_files = job.anchor_files;
  in.previous_files = job.previous_files;
  in.key_dirs = job.key_dirs;
  in.key_history = job.key_history;
  read_inputs(st);
  for (const std::string& file : job.files) add_zone_file(st, file);
  add_server_views(st);
  add_unanswered_zones(st);
  st.kept->views = job.views;
  const bool all_loaded = st.kept->zones.size() == job.files.size();
  if (all_loaded) require_previous_used(st);
  link_chain_inputs(st.in.zones, st.ds_records, st.anchors, all_loaded);
  if (job.rollover.no_ds) {
    for (ZoneContext& ctx : st.in.zones) {
      if (ctx.chain.source == checks::ChainSource::Assumed) ctx.chain.source = checks::ChainSource::InsecureDelegation;
    }
  }
  const auto snapshots_started = std::chrono::steady_clock::now();
  attach_rollover(job.rollover, job.options.now, st.in.zones, st.kept->rollover);
  const double snapshot_seconds = seconds_since(snapshots_started);
  run_after_verification(st);
  st.run.metrics.check_times.emplace_back("rollover-snapshots", snapshot_seconds);
  count_delegation_spread(st);
  finish_run(st);
  if (!job.key_history.empty()) remember_keys(st);
  if (job.rollover.record_always || st.run.exit == 0) save_rollover(job.rollover, job.options.now, st.kept->rollover);
  // Every zone is final now: the checks across zones have run, and nothing after this can fail the run.
  if (job.subject_done) {
    for (std::size_t i = 0; i < st.run.subjects.size(); ++i) job.subject_done(st.run, i);
  }
  st.run.retained = st.kept;
  return std::move(st.run);
}

}  // namespace zw::pipeline
