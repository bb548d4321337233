// rollover_options.cpp: the rollover timing options.
#include "cli/rollover_options.hpp"

#include "core/error.hpp"
#include "core/time.hpp"

namespace zw::cli {

void add_rollover_options(CLI::App* sub, RolloverArgs& a, bool gate) {
  sub->add_option("--state", a.state,
                  "Keep each zone's rollover timeline in DIR (read before the checks, this run's versions added after)")
      ->type_name("DIR");
  sub->add_option("--propagation", a.propagation,
                  "Time until every server serves a new version (RFC 7583 Dprp; default 1h)")
      ->type_name("DUR");
  sub->add_flag("--rfc5011", a.rfc5011, "The zone's KSKs are RFC 5011 trust anchors (always so for the root)");
  if (!gate) return;
  sub->add_option("--state-record", a.state_record,
                  "Add a version to the timeline only when the run passes (passed, default) or always")
      ->type_name("WHEN")
      ->check(CLI::IsMember({"passed", "always"}));
  sub->add_flag("--sampled", a.sampled,
                "The timeline's versions are samples (e.g. daily transfers): versions between them may be unseen");
  sub->add_option("--ds-ttl", a.ds_ttl, "TTL of the parent's DS RRset (default: the parent zone's, else 1d)")
      ->type_name("DUR");
  sub->add_flag("--no-ds", a.no_ds, "The parent publishes no DS for the zone (an insecure delegation)");
}

pipeline::RolloverSettings build_rollover_settings(const RolloverArgs& a, bool gate, bool ds_given) {
  pipeline::RolloverSettings s;
  s.state_dir = a.state;
  s.timing.propagation = core::parse_duration(a.propagation);
  s.timing.rfc5011 = a.rfc5011;
  s.timing.sampled = !gate || a.sampled;
  s.record_always = !gate || a.state_record == "always";
  if (!a.ds_ttl.empty()) {
    const std::int64_t ttl = core::parse_duration(a.ds_ttl);
    if (ttl < 0 || ttl > INT32_MAX) throw Error("--ds-ttl: " + a.ds_ttl + " is not a TTL");
    s.ds_ttl = static_cast<std::uint32_t>(ttl);
  }
  if (a.no_ds && ds_given) throw Error("--no-ds and --ds name the parent's DS set twice: give one");
  s.no_ds = a.no_ds;
  return s;
}

}  // namespace zw::cli
