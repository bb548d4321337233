// registry.cpp: the explicit list of checks and their needs (static self-registration would be dropped by the
// linker). The needs decide where a check runs: see Need in check.hpp.
#include "checks/check.hpp"

namespace zw::checks {

const std::vector<CheckEntry>& registry() {
  static const std::vector<CheckEntry> checks = {
      {"signatures", &check_signatures, Verified},
      {"timing", &check_timing, Verified},
      {"keys", &check_keys, Verified},
      {"key-sharing", &check_key_sharing, Verified},
      {"chain", &check_chain, Verified},
      {"ds-records", &check_ds_records, kNeedsNothing},
      {"cds", &check_cds, Verified},
      {"zonemd", &check_zonemd, CompleteZone | Verified},
      {"out-of-zone", &check_out_of_zone, kNeedsNothing},
      {"denial", &check_denial, CompleteZone},
      {"inventory", &check_inventory, Verified},
      {"history", &check_history, CompleteZone | Verified},
      {"rollover", &check_rollover, Verified},
      {"delegations", &check_delegations, CompleteZone},
      {"apex-ns", &check_apex_ns, kNeedsNothing},
      {"ns-diversity", &check_ns_diversity, kNeedsNothing},
      {"content", &check_content, kNeedsNothing},
      {"view-consistency", &check_view_consistency, AllViews},
  };
  return checks;
}

}  // namespace zw::checks
