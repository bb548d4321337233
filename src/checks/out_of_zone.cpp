// out_of_zone.cpp: records whose owner is not at or below the zone's origin (RFC 1035 §5.2), which the loader
// keeps aside (Zone::out_of_zone) instead of in the zone.
#include "checks/check.hpp"

namespace zw::checks {

void check_out_of_zone(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) {
    const zone::Zone& z = *ctx.zone;
    for (const zone::OutOfZoneRecord& r : z.out_of_zone) {
      Finding f;
      f.code = catalog::Code::OUT_OF_ZONE_DATA;
      f.severity = catalog::entry(f.code).severity;
      f.zone = ctx.name;
      f.owner = core::name_to_text(r.owner);
      f.type = zone::type_name(r.type);
      f.params = {{"origin", ctx.name}};
      if (r.src.file < z.files.size()) f.file = z.files[r.src.file];
      f.line = r.src.line;
      sink.add(std::move(f));
    }
  }
}

}  // namespace zw::checks
