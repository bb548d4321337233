// hints.cpp: root hints parsing and the presentation-name helpers of the live side.
#include "live/hints.hpp"

#include <sstream>

#include "core/error.hpp"
#include "core/input.hpp"
#include "core/name.hpp"
#include "zone/loader.hpp"
#include "zone/zone.hpp"

namespace zw::live {
namespace {

std::string lower_text(const std::string& wire) {
  return core::name_to_text(core::name_lower(wire));
}

}  // namespace

Hints parse_hints(const std::string& text, const std::string& name) {
  Hints h;
  h.text = text;
  std::istringstream in(text);
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto semi = line.find(';');
    if (semi != std::string::npos) line.resize(semi);
    std::istringstream fields(line);
    std::string owner, f;
    std::vector<std::string> rest;
    if (!(fields >> owner)) continue;
    while (fields >> f) rest.push_back(f);
    // [TTL] [IN] TYPE RDATA
    std::size_t i = 0;
    while (i < rest.size() && (rest[i] == "IN" || rest[i] == "in" ||
                               (!rest[i].empty() && std::isdigit(static_cast<unsigned char>(rest[i][0])) != 0)))
      ++i;
    const auto where = name + ":" + std::to_string(number);
    if (i + 2 != rest.size())
      throw Error(where + ": not a hints record (OWNER [TTL] [IN] NS|A|AAAA VALUE)", name, number);
    std::string type = rest[i];
    for (char& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    core::WireName owner_wire, value_wire;
    std::string err;
    if (!core::parse_name(owner, ".", owner_wire, err)) throw Error(where + ": " + err, name, number);
    const std::string o = lower_text(owner_wire);
    if (type == "NS") {
      if (o != ".") throw Error(where + ": an NS record of " + o + " (hints name the root's servers)", name, number);
      if (!core::parse_name(rest[i + 1], ".", value_wire, err)) throw Error(where + ": " + err, name, number);
      h.ns.insert(lower_text(value_wire));
    } else if (type == "A" || type == "AAAA") {
      const bool v6 = rest[i + 1].find(':') != std::string::npos;
      if (v6 != (type == "AAAA"))
        throw Error(where + ": " + rest[i + 1] + " is not an " + type + " address", name, number);
      h.addresses[o].insert(rest[i + 1]);
    } else {
      throw Error(where + ": unexpected type " + type + " in root hints", name, number);
    }
  }
  bool usable = false;
  for (const std::string& ns : h.ns) usable = usable || h.addresses.count(ns) != 0;
  if (!usable) throw Error(name + ": no root server with an address in the hints", name);
  return h;
}

Hints read_hints_file(const std::string& path) {
  core::ReadLimits limits;
  limits.max_bytes = kMaxHintsBytes;
  limits.too_large = "root hints larger than 1 MiB";
  return parse_hints(core::read_input_file(path, core::InputKinds::streams, limits), path);
}

bool name_under(const std::string& name, const std::string& zone) {
  if (zone == ".") return true;
  if (name.size() < zone.size()) return false;
  if (name.size() == zone.size()) return name == zone;
  return name.compare(name.size() - zone.size(), zone.size(), zone) == 0 &&
         name[name.size() - zone.size() - 1] == '.' &&
         (name.size() - zone.size() < 2 || name[name.size() - zone.size() - 2] != '\\');
}

int label_count(const std::string& name) {
  core::WireName w;
  std::string err;
  if (!core::parse_name(name, ".", w, err)) return 0;
  return core::name_label_count(w);
}

std::string last_labels(const std::string& name, int labels) {
  core::WireName w;
  std::string err;
  if (!core::parse_name(name, ".", w, err)) return name;
  const int n = core::name_label_count(w);
  if (labels >= n) return name;
  return core::name_to_text(core::name_strip_labels(w, n - labels));
}

}  // namespace zw::live
