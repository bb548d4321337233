// out_of_zone.cpp: records whose owner is not at or below the zone's origin (RFC 1035 §5.2), which the loader
// keeps aside (Zone::out_of_zone) instead of in the zone.
#include "checks/check.hpp"

namespace zw::checks {

void check_out_of_zone(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) {
    const zone::Zone& z = *ctx.zone;
    Reporter rep(ctx, sink);
    for (const zone::OutOfZoneRecord& r : z.out_of_zone) {
      rep.owner(catalog::Code::OUT_OF_ZONE_DATA, r.owner, r.type, r.src, {{"origin", ctx.name}});
    }
  }
}

}  // namespace zw::checks
