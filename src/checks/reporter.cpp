// reporter.cpp: turns check decisions into findings with zone, owner, type and source filled in. A finding whose
// parameter names differ from its catalogue row's, whose detail token or severity condition the catalogue does not
// declare, is a bug in a check: the reporter throws std::logic_error.
#include "checks/check.hpp"

namespace zw::checks {

void Reporter::emit(catalog::Code code, std::string owner, std::string type, zone::SourceRef src, bool has_src,
                    Params params, catalog::When when) {
  catalog::require_params(code, params);
  Finding f;
  f.code = code;
  f.severity = when.severity_for(code);
  if (when.condition()) f.condition = when.condition()->token;
  f.zone = ctx_.name;
  f.owner = std::move(owner);
  f.type = std::move(type);
  f.params = std::move(params);
  if (has_src && ctx_.zone) {
    if (src.file < ctx_.zone->files.size()) f.file = ctx_.zone->files[src.file];
    f.line = src.line;
  }
  sink_.add(std::move(f));
}

void Reporter::rrset(catalog::Code code, const zone::RRset& set, Params params, catalog::When when) {
  const zone::Zone& z = *ctx_.zone;
  emit(code, core::name_to_text(z.names[set.name]), zone::type_name(set.type), z.records[set.first].src, true,
       std::move(params), when);
}

void Reporter::record(catalog::Code code, const zone::Record& rec, Params params, catalog::When when) {
  const zone::Zone& z = *ctx_.zone;
  emit(code, core::name_to_text(z.names[rec.name]), zone::type_name(rec.type), rec.src, true, std::move(params), when);
}

void Reporter::name(catalog::Code code, std::uint32_t name, std::uint16_t type, zone::SourceRef src, Params params,
                    catalog::When when) {
  const zone::Zone& z = *ctx_.zone;
  emit(code, core::name_to_text(z.names[name]), type ? zone::type_name(type) : std::string(), src, src.line != 0,
       std::move(params), when);
}

void Reporter::external(catalog::Code code, const ExternalRecord& rec, std::string type, Params params,
                        catalog::When when) {
  catalog::require_params(code, params);
  Finding f;
  f.code = code;
  f.severity = when.severity_for(code);
  if (when.condition()) f.condition = when.condition()->token;
  f.zone = ctx_.name;
  f.owner = ctx_.name;
  f.type = std::move(type);
  f.params = std::move(params);
  f.file = rec.file;
  f.line = rec.line;
  sink_.add(std::move(f));
}

void Reporter::zone(catalog::Code code, Params params, catalog::When when) {
  emit(code, ctx_.name, {}, {}, false, std::move(params), when);
}

}  // namespace zw::checks
