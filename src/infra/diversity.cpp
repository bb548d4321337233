// diversity.cpp: the spread of an NS set's addresses over ASes, prefixes and countries.
#include "infra/diversity.hpp"

#include <algorithm>
#include <cctype>

#include "core/name.hpp"

namespace zw::infra {

std::map<std::string, std::vector<Address>> nameserver_addresses(
    const zone::Zone& z, const zone::RRset& set, const std::map<std::string, std::vector<std::string>>& known) {
  std::map<std::string, std::vector<Address>> out;
  for (const zone::Record& r : z.records_of(set)) {
    const core::WireName target = core::name_lower(z.rdata(r));
    const std::string text = core::name_to_text(target);
    std::vector<Address>& addresses = out[text];
    if (auto n = z.find_name(target)) {
      for (std::uint16_t type : {zone::rrtype::A, zone::rrtype::AAAA}) {
        const zone::RRset* a = z.find(*n, type);
        if (a == nullptr) continue;
        for (const zone::Record& x : z.records_of(*a)) {
          if (auto addr = Address::from_rdata(z.rdata(x))) addresses.push_back(*addr);
        }
      }
    }
    if (addresses.empty()) {
      auto it = known.find(text);
      if (it != known.end()) {
        for (const std::string& t : it->second) {
          if (auto addr = Address::parse(t)) addresses.push_back(*addr);
        }
      }
    }
    if (addresses.empty()) return {};
  }
  return out;
}

Spread spread_of(const std::map<std::string, std::vector<Address>>& by_nameserver, const AddressData& data) {
  Spread s;
  for (const auto& [name, addresses] : by_nameserver) {
    std::vector<Address> sorted = addresses;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    for (const Address& a : sorted) {
      NsAddress x{name, a, data.lookup(a)};
      s.prefixes.insert(a.prefix());
      if (x.info.asn != 0) {
        ++s.covered;
        s.asns.emplace(x.info.asn, x.info.org);
        if (!x.info.country.empty()) {
          ++s.with_country;
          s.countries.insert(x.info.country);
        }
      } else if (!a.special()) {
        s.uncovered.push_back(a.text());
      }
      s.addresses.push_back(std::move(x));
    }
  }
  std::sort(s.uncovered.begin(), s.uncovered.end());
  s.uncovered.erase(std::unique(s.uncovered.begin(), s.uncovered.end()), s.uncovered.end());
  return s;
}

bool single_asn(const Spread& s) {
  return s.covered >= 2 && s.asns.size() == 1;
}

std::string single_operator(const Spread& s) {
  if (s.covered < 2 || s.asns.size() < 2) return {};
  // Organisation names compared without case, spaces or punctuation ("Vercara, LLC" and "VERCARA LLC").
  auto key = [](const std::string& org) {
    std::string out;
    for (char c : org) {
      if (std::isalnum(static_cast<unsigned char>(c)))
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
  };
  const std::string first = key(s.asns.begin()->second);
  if (first.empty()) return {};
  for (const auto& [asn, org] : s.asns) {
    if (key(org) != first) return {};
  }
  return s.asns.begin()->second;
}

bool single_country(const Spread& s) {
  return s.covered >= 2 && s.with_country == s.covered && s.countries.size() == 1;
}

}  // namespace zw::infra
