// address_options.hpp: --asn-source and --asn-max-age, shared by `zone` and `check` (the diversity checks).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "infra/address_data.hpp"

namespace zw::cli {

struct AsnArgs {
  std::vector<std::string> sources;  ///< --asn-source, in order; empty: Debian's libloc database when installed
  std::string max_age = "180d";      ///< --asn-max-age
};

/// Registers --asn-source and --asn-max-age on `sub`.
void add_asn_options(CLI::App* sub, AsnArgs& a);

/// The address data the options name: each source opened in order ("none" alone: no address data); without any,
/// Debian's libloc database when it is installed, else none. Throws zw::Error (exit 3) naming a source that cannot
/// be read.
std::shared_ptr<const infra::AddressData> build_address_data(const AsnArgs& a);

}  // namespace zw::cli
