// cmd_address.cpp: `zonewarden address`: what the address data says of addresses (AS, network, country, anycast),
// the facts the diversity checks use.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/address_options.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace zw::cli {
namespace {

struct AddressArgs {
  std::vector<std::string> addresses;
  AsnArgs asn;
  std::string format = "text";
};

int run(const AddressArgs& a) {
  const auto data = build_address_data(a.asn);
  if (data->empty()) throw Error("no address data: give --asn-source (Debian's libloc database is not installed)");
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const std::string& text : a.addresses) {
    const auto addr = infra::Address::parse(text);
    if (!addr) throw Error("'" + text + "' is not an IPv4 or IPv6 address");
    const infra::AddressInfo info = data->lookup(*addr);
    if (a.format == "json") {
      nlohmann::ordered_json j{{"address", addr->text()}, {"prefix", addr->prefix()}};
      j["asn"] = info.asn == 0 ? nlohmann::ordered_json() : nlohmann::ordered_json(info.asn);
      j["org"] = info.org;
      j["network"] = info.network;
      j["country"] = info.country;
      j["anycast"] = info.anycast;
      j["source"] = info.source;
      out.push_back(std::move(j));
      continue;
    }
    if (info.asn == 0 && info.country.empty()) {
      std::cout << fmt::format("{}  not covered{}\n", addr->text(),
                               addr->special() ? " (special-purpose address)" : "");
      continue;
    }
    std::cout << fmt::format("{}  AS{} {}  {}  {}  {}  ({})\n", addr->text(), info.asn,
                             info.org.empty() ? "-" : info.org, info.network.empty() ? "-" : info.network,
                             info.country.empty() ? "--" : info.country, info.anycast ? "anycast" : "unicast",
                             info.source);
  }
  if (a.format == "json") {
    nlohmann::ordered_json doc{{"sources", nlohmann::ordered_json::array()}, {"addresses", out}};
    for (const auto& s : data->sources()) {
      doc["sources"].push_back(
          {{"name", s->name},
           {"kind", s->kind},
           {"built", s->built ? nlohmann::ordered_json(core::format_time(*s->built)) : nlohmann::ordered_json()}});
    }
    std::cout << doc.dump(2) << "\n";
  }
  return 0;
}

}  // namespace

Action add_address_command(CLI::App& app) {
  auto args = std::make_shared<AddressArgs>();
  CLI::App* sub = app.add_subcommand(
      "address", "Show what the address data says of addresses: origin AS, network, country, anycast");
  sub->add_option("ADDRESS", args->addresses, "IPv4 or IPv6 addresses")->required();
  add_asn_options(sub, args->asn);
  sub->add_option("-f,--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  return [args]() { return run(*args); };
}

}  // namespace zw::cli
