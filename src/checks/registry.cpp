// registry.cpp: the explicit list of checks (static self-registration would be dropped by the linker).
#include "checks/check.hpp"

namespace zw::checks {

const std::vector<CheckEntry>& registry() {
  static const std::vector<CheckEntry> checks = {
      {"signatures", &check_signatures},
      {"timing", &check_timing},
      {"keys", &check_keys},
      {"key-sharing", &check_key_sharing},
      {"chain", &check_chain},
      {"ds-records", &check_ds_records, true},
      {"cds", &check_cds},
      {"zonemd", &check_zonemd},
      {"out-of-zone", &check_out_of_zone, true},
      {"denial", &check_denial, true},
      {"inventory", &check_inventory},
      {"history", &check_history},
      {"delegations", &check_delegations, true},
      {"content", &check_content, true},
  };
  return checks;
}

}  // namespace zw::checks
