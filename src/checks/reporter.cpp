// reporter.cpp: turns check decisions into findings with zone, owner, type and source filled in. A finding whose
// parameter names differ from its catalogue row's, whose detail token or severity condition the catalogue does not
// declare, is a bug in a check: the reporter throws std::logic_error.
#include <algorithm>

#include "checks/check.hpp"

namespace zw::checks {

Finding Reporter::make(catalog::Code code, std::string owner, std::string type, Params params,
                       catalog::When when) const {
  catalog::require_params(code, params);
  Finding f;
  f.code = code;
  f.severity = when.severity_for(code);
  if (when.condition()) f.condition = when.condition()->token;
  f.zone = ctx_.name;
  f.owner = std::move(owner);
  f.type = std::move(type);
  f.params = std::move(params);
  return f;
}

void Reporter::emit(catalog::Code code, std::string owner, std::string type, zone::SourceRef src, bool has_src,
                    Params params, catalog::When when) {
  Finding f = make(code, std::move(owner), std::move(type), std::move(params), when);
  locate(f, src, has_src);
  sink_.add(std::move(f));
}

// The one place a record's provenance becomes a finding's `source` (a file and line) or `servers` (DESIGN.md §1).
void Reporter::locate(Finding& f, zone::SourceRef src, bool has_src) const {
  if (!has_src || !ctx_.zone) {
    f.servers = ctx_.servers;  // about the view as a whole: every server that showed it
    return;
  }
  const zone::Zone& z = *ctx_.zone;
  if (src.is_exchange()) {
    // Every server of the view sent this record (identical answers share a view); a lone exchange names its own.
    if (!ctx_.servers.empty()) {
      f.servers = ctx_.servers;
    } else if (src.exchange_index() < z.exchanges.size()) {
      f.servers = {z.exchanges[src.exchange_index()].server_id()};
    }
    return;
  }
  if (src.file < z.files.size()) f.file = z.files[src.file];
  f.line = src.line;
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
  Finding f = make(code, ctx_.name, std::move(type), std::move(params), when);
  if (!rec.servers.empty()) {
    f.servers = rec.servers;  // the parent's servers that served it
  } else {
    f.file = rec.file;  // a --ds or -k file: always a file and line, whatever the view
    f.line = rec.line;
  }
  sink_.add(std::move(f));
}

void Reporter::zone(catalog::Code code, Params params, catalog::When when) {
  emit(code, ctx_.name, {}, {}, false, std::move(params), when);
}

void Reporter::owner(catalog::Code code, const core::WireName& owner, std::uint16_t type, zone::SourceRef src,
                     Params params) {
  emit(code, core::name_to_text(owner), zone::type_name(type), src, true, std::move(params), {});
}

bool Coverage::covers(const core::WireName& owner, std::uint16_t type) const {
  return complete || std::binary_search(asked.begin(), asked.end(), std::make_pair(owner, type));
}

}  // namespace zw::checks
