// history.cpp: the rollover timeline of a zone and its state file.
#include "rollover/history.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/error.hpp"
#include "rollover/state.hpp"

namespace zw::rollover {
namespace {

using nlohmann::json;

constexpr std::string_view kKind = "rollover-state";
constexpr unsigned kVersion = 1;
constexpr std::size_t kMaxStateBytes = std::size_t{64} << 20;

void see(std::map<std::string, Seen>& items, const std::string& name, core::EpochSeconds now) {
  auto [it, added] = items.try_emplace(name, Seen{now, now});
  if (added) return;
  it->second.first = std::min(it->second.first, now);
  it->second.last = std::max(it->second.last, now);
}

std::string signers_item(const SignerSet& s) {
  std::string out = "signers:";
  for (std::size_t i = 0; i < s.signers.size(); ++i) out += (i ? "," : "") + s.signers[i].id;
  return out;
}

void see_items(std::map<std::string, Seen>& items, const Snapshot& s, core::EpochSeconds now) {
  for (const SnapKey& k : s.keys) {
    see(items, "dnskey:" + k.id, now);
    if (k.signs_dnskey) see(items, "signs-dnskey:" + k.id, now);
    if (k.signs_data) see(items, "signs-data:" + k.id, now);
    if (k.revoked()) see(items, "revoked:" + k.id, now);
  }
  if (s.ds) {
    for (const SnapDs& d : s.ds->records) see(items, "ds:" + d.item(), now);
  }
  for (const std::string& c : s.cds) see(items, "cds:" + c, now);
  for (const SignerSet& set : s.signer_sets) see(items, signers_item(set), now);
}

// ---- JSON -------------------------------------------------------------------------------------------------------

json to_json(const Snapshot& s) {
  json keys = json::array();
  for (const SnapKey& k : s.keys) {
    keys.push_back({{"id", k.id},
                    {"algorithm", k.algorithm},
                    {"tag", k.tag},
                    {"flags", k.flags},
                    {"signs_dnskey", k.signs_dnskey},
                    {"signs_data", k.signs_data}});
  }
  json sets = json::array();
  for (const SignerSet& set : s.signer_sets) {
    json signers = json::array();
    for (const Signer& g : set.signers) signers.push_back({{"id", g.id}, {"algorithm", g.algorithm}, {"tag", g.tag}});
    json one = {{"signers", signers}, {"max_ttl", set.max_ttl}, {"rrsets", set.rrsets}};
    if (set.expires != 0) one["expires"] = core::format_time(set.expires);
    sets.push_back(std::move(one));
  }
  json out = {{"serial", s.serial},         {"signed", s.signed_zone}, {"keys", keys},
              {"dnskey_ttl", s.dnskey_ttl}, {"signer_sets", sets},     {"cds", s.cds}};
  if (s.ds) {
    json ds = json::array();
    for (const SnapDs& d : s.ds->records) {
      ds.push_back({{"tag", d.tag},
                    {"algorithm", d.algorithm},
                    {"digest_type", d.digest_type},
                    {"digest", d.digest},
                    {"key", d.key}});
    }
    out["ds"] = {{"records", ds}, {"ttl", s.ds->ttl}};
  }
  return out;
}

Snapshot snapshot_from(const json& j) {
  Snapshot s;
  s.serial = j.at("serial").get<std::uint32_t>();
  s.signed_zone = j.at("signed").get<bool>();
  for (const json& k : j.at("keys")) {
    s.keys.push_back({k.at("id").get<std::string>(), k.at("algorithm").get<std::uint8_t>(),
                      k.at("tag").get<std::uint16_t>(), k.at("flags").get<std::uint16_t>(),
                      k.at("signs_dnskey").get<bool>(), k.at("signs_data").get<bool>()});
  }
  s.dnskey_ttl = j.at("dnskey_ttl").get<std::uint32_t>();
  for (const json& set : j.at("signer_sets")) {
    SignerSet out;
    for (const json& g : set.at("signers")) {
      out.signers.push_back(
          {g.at("id").get<std::string>(), g.at("algorithm").get<std::uint8_t>(), g.at("tag").get<std::uint16_t>()});
    }
    out.max_ttl = set.at("max_ttl").get<std::uint32_t>();
    out.rrsets = set.at("rrsets").get<std::uint64_t>();
    if (set.contains("expires")) out.expires = core::parse_time(set.at("expires").get<std::string>(), 0);
    s.signer_sets.push_back(std::move(out));
  }
  s.cds = j.at("cds").get<std::vector<std::string>>();
  if (j.contains("ds")) {
    SnapDsSet ds;
    ds.ttl = j.at("ds").at("ttl").get<std::uint32_t>();
    for (const json& d : j.at("ds").at("records")) {
      ds.records.push_back({d.at("tag").get<std::uint16_t>(), d.at("algorithm").get<std::uint8_t>(),
                            d.at("digest_type").get<std::uint8_t>(), d.at("digest").get<std::string>(),
                            d.at("key").get<std::string>()});
    }
    s.ds = std::move(ds);
  }
  return s;
}

std::string file_name(const std::string& zone) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = zone;
  if (name.size() > 1 && name.back() == '.') name.pop_back();
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    const char lower = (u >= 'A' && u <= 'Z') ? static_cast<char>(u + 32) : c;
    const bool plain = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '-' ||
                       (lower == '.' && name != ".");
    if (plain) {
      out.push_back(lower);
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out + ".rollover";
}

}  // namespace

void History::record(const std::vector<Snapshot>& seen, core::EpochSeconds now) {
  core::EpochSeconds latest = INT64_MIN;
  for (const Epoch& e : epochs) latest = std::max(latest, e.last_seen);
  for (const Snapshot& s : seen) {
    see_items(items, s, now);
    auto same = std::find_if(epochs.begin(), epochs.end(), [&](const Epoch& e) {
      return (e.last_seen == latest || (e.first_seen <= now && now <= e.last_seen)) && e.state.same_state(s);
    });
    if (same != epochs.end()) {
      if (now >= same->last_seen) {
        same->last_seen = now;
        same->serial_last = s.serial;
        same->state = s;
      }
      if (now < same->first_seen) {
        same->first_seen = now;
        same->serial_first = s.serial;
      }
      continue;
    }
    epochs.push_back({now, now, s.serial, s.serial, s});
  }
  std::stable_sort(epochs.begin(), epochs.end(),
                   [](const Epoch& a, const Epoch& b) { return a.first_seen < b.first_seen; });
  // Drop epochs no rule can reach: ended long ago, or beyond the newest kMaxEpochs (the newest is always kept).
  std::size_t drop = 0;
  while (drop + 1 < epochs.size() &&
         (epochs.size() - drop > kMaxEpochs || epochs[drop].last_seen < now - kKeepSeconds)) {
    ++drop;
  }
  epochs.erase(epochs.begin(), epochs.begin() + static_cast<std::ptrdiff_t>(drop));
  for (auto it = items.begin(); it != items.end();) {
    it = it->second.last < now - kKeepItemSeconds ? items.erase(it) : std::next(it);
  }
  if (items.size() > kMaxItems) {
    std::vector<std::pair<core::EpochSeconds, std::string>> by_age;
    for (const auto& [name, t] : items) by_age.emplace_back(t.last, name);
    std::sort(by_age.begin(), by_age.end());
    for (std::size_t i = 0; i + kMaxItems < by_age.size(); ++i) items.erase(by_age[i].second);
  }
}

std::optional<Seen> History::item(const std::string& name) const {
  auto it = items.find(name);
  if (it == items.end()) return std::nullopt;
  return it->second;
}

std::string state_path(const std::string& dir, const std::string& zone) {
  return (std::filesystem::path(dir) / file_name(zone)).string();
}

std::string history_text(const History& h) {
  json epochs = json::array();
  for (const Epoch& e : h.epochs) {
    epochs.push_back({{"first_seen", core::format_time(e.first_seen)},
                      {"last_seen", core::format_time(e.last_seen)},
                      {"serial_first", e.serial_first},
                      {"serial_last", e.serial_last},
                      {"state", to_json(e.state)}});
  }
  json items = json::object();
  for (const auto& [name, t] : h.items) {
    items[name] = {{"first", core::format_time(t.first)}, {"last", core::format_time(t.last)}};
  }
  json root = {{"zone", h.zone}, {"epochs", epochs}, {"items", items}};
  return state_version_line(kKind, kVersion) + " (rollover timeline of one zone: --state)\n" + root.dump(1) + "\n";
}

History parse_history(const std::string& path, const std::string& text) {
  state_version(path, text, kKind, kVersion);
  const auto body = text.find('\n');
  History h;
  try {
    const json root = json::parse(body == std::string::npos ? std::string_view() : std::string_view(text).substr(body));
    h.zone = root.at("zone").get<std::string>();
    for (const json& e : root.at("epochs")) {
      h.epochs.push_back({core::parse_time(e.at("first_seen").get<std::string>(), 0),
                          core::parse_time(e.at("last_seen").get<std::string>(), 0),
                          e.at("serial_first").get<std::uint32_t>(), e.at("serial_last").get<std::uint32_t>(),
                          snapshot_from(e.at("state"))});
    }
    for (const auto& [name, t] : root.at("items").items()) {
      h.items[name] = {core::parse_time(t.at("first").get<std::string>(), 0),
                       core::parse_time(t.at("last").get<std::string>(), 0)};
    }
  } catch (const json::exception& e) {
    throw Error(path + ": not a readable rollover state: " + e.what());
  } catch (const Error& e) {
    throw Error(path + ": not a readable rollover state: " + e.what());
  }
  return h;
}

History load_history(const std::string& dir, const std::string& zone) {
  const std::string path = state_path(dir, zone);
  auto file = read_state_file(path, kKind, kVersion, kMaxStateBytes, "larger than 64 MiB: too large for a state file");
  History h;
  h.zone = zone;
  if (!file) return h;
  h = parse_history(path, file->text);
  if (h.zone != zone) throw Error(path + ": the rollover state of zone " + h.zone + ", not of " + zone);
  return h;
}

void save_observation(const std::string& dir, const std::string& zone, const std::vector<Snapshot>& seen,
                      core::EpochSeconds now) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(dir + ": cannot create the state directory: " + ec.message());
  const std::string path = state_path(dir, zone);
  StateLock lock(path);
  History h = load_history(dir, zone);
  h.record(seen, now);
  write_state_file(path, history_text(h));
}

}  // namespace zw::rollover
