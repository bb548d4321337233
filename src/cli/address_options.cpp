// address_options.cpp: the address data of the diversity checks, from the command line.
#include "cli/address_options.hpp"

#include <filesystem>

#include "core/error.hpp"

namespace zw::cli {

void add_asn_options(CLI::App* sub, AsnArgs& a) {
  sub->add_option("--asn-source", a.sources,
                  "Address data for the AS and country checks, tried in order: libloc[:FILE], mmdb:FILE, csv:FILE, "
                  "iptoasn:FILE, pfx2as:FILE (gzip accepted), cymru[:BASE][,RESOLVER] (Team Cymru over DNS), or none "
                  "(default: Debian's libloc database); repeatable")
      ->type_name("SOURCE")
      ->allow_extra_args(false);
  sub->add_option("--asn-max-age", a.max_age, "Address data older than DUR before --now is a notice (default 180d)")
      ->type_name("DUR");
}

std::shared_ptr<const infra::AddressData> build_address_data(const AsnArgs& a) {
  auto data = std::make_shared<infra::AddressData>();
  if (a.sources.size() == 1 && a.sources[0] == "none") return data;
  for (const std::string& spec : a.sources) {
    if (spec == "none") throw Error("--asn-source none excludes every other source");
    data->add(infra::open_source(spec));
  }
  std::error_code ec;
  if (a.sources.empty() && std::filesystem::exists(infra::kDefaultLibloc, ec)) {
    data->add(infra::open_source("libloc"));
  }
  return data;
}

}  // namespace zw::cli
