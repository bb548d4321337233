// zone.cpp: ZoneBuilder (sort, deduplicate, classify) and Zone lookups.
#include "zone/zone.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/ldns.hpp"

namespace zw::zone {
namespace {

int compare_rdata(std::string_view a, std::string_view b) {
  // RFC 4034 §6.3: RRs are ordered by their canonical RDATA treated as left-justified unsigned octet sequences.
  std::size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return c;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace

std::optional<std::uint32_t> Zone::find_name(std::string_view wire) const {
  auto it = std::lower_bound(names.begin(), names.end(), wire,
                             [](const core::WireName& a, std::string_view b) { return core::name_compare(a, b) < 0; });
  if (it == names.end() || core::name_compare(*it, wire) != 0) return std::nullopt;
  return static_cast<std::uint32_t>(it - names.begin());
}

const RRset* Zone::find(std::uint32_t name, std::uint16_t type) const {
  for (const RRset& s : rrsets_of(name)) {
    if (s.type == type) return &s;
  }
  return nullptr;
}

const RRset* Zone::find(std::string_view wire, std::uint16_t type) const {
  auto n = find_name(wire);
  return n ? find(*n, type) : nullptr;
}

std::string Zone::where(SourceRef s) const {
  if (s.file >= files.size()) return {};
  return files[s.file] + ":" + std::to_string(s.line);
}

std::uint32_t Zone::ttl_of(const RRset& s) const {
  std::uint32_t t = 0;
  for (const Record& r : records_of(s)) t = std::max(t, r.ttl);
  return t;
}

ZoneBuilder::ZoneBuilder(core::WireName origin) {
  set_origin(std::move(origin));
}

void ZoneBuilder::set_origin(core::WireName origin) {
  core::name_to_lower(origin);
  zone_.origin = std::move(origin);
}

std::uint32_t ZoneBuilder::add_file(std::string path) {
  zone_.files.push_back(std::move(path));
  return static_cast<std::uint32_t>(zone_.files.size() - 1);
}

void ZoneBuilder::add(std::string_view owner, std::uint16_t type, std::uint16_t rclass, std::uint32_t ttl,
                      std::string_view rdata, SourceRef src) {
  Pending p;
  p.owner = core::name_lower(owner);
  p.rec.type = type;
  p.rec.rclass = rclass;
  p.rec.ttl = ttl;
  p.rec.rdata_off = static_cast<std::uint32_t>(zone_.arena.size());
  p.rec.rdata_len = static_cast<std::uint32_t>(rdata.size());
  p.rec.src = src;
  zone_.arena.append(rdata);
  pending_.push_back(std::move(p));
}

Zone ZoneBuilder::finish() && {
  Zone& z = zone_;
  // Canonical order: name, then type, then RDATA.
  std::vector<std::uint32_t> order(pending_.size());
  std::iota(order.begin(), order.end(), 0U);
  auto rd = [&](const Record& r) { return std::string_view(z.arena).substr(r.rdata_off, r.rdata_len); };
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    const Pending& a = pending_[x];
    const Pending& b = pending_[y];
    int c = core::name_compare(a.owner, b.owner);
    if (c != 0) return c < 0;
    if (a.rec.type != b.rec.type) return a.rec.type < b.rec.type;
    return compare_rdata(rd(a.rec), rd(b.rec)) < 0;
  });
  z.records.reserve(order.size());
  for (std::uint32_t idx : order) {
    Pending& p = pending_[idx];
    if (z.names.empty() || z.names.back() != p.owner) {
      z.names.push_back(std::move(p.owner));
    } else if (!z.records.empty()) {
      const Record& last = z.records.back();
      // RFC 2181 §5: duplicate RRs in an RRset are suppressed (dig AXFR output repeats the SOA).
      if (last.type == p.rec.type && last.rclass == p.rec.rclass && rd(last) == rd(p.rec)) continue;
    }
    p.rec.name = static_cast<std::uint32_t>(z.names.size() - 1);
    z.records.push_back(p.rec);
  }
  pending_.clear();
  pending_.shrink_to_fit();

  // RRsets and the per-name index.
  z.name_rrsets.assign(z.names.size() + 1, 0);
  for (std::uint32_t i = 0; i < z.records.size();) {
    std::uint32_t j = i;
    while (j < z.records.size() && z.records[j].name == z.records[i].name && z.records[j].type == z.records[i].type)
      ++j;
    z.rrsets.push_back(RRset{z.records[i].name, z.records[i].type, i, j - i});
    i = j;
  }
  {
    std::size_t k = 0;
    for (std::uint32_t n = 0; n < z.names.size(); ++n) {
      z.name_rrsets[n] = static_cast<std::uint32_t>(k);
      while (k < z.rrsets.size() && z.rrsets[k].name == n) ++k;
    }
    z.name_rrsets[z.names.size()] = static_cast<std::uint32_t>(k);
  }

  // Node kinds. Names are in canonical order, so every ancestor cut precedes its descendants; keep a stack of
  // the cuts (delegations and DNAMEs) that the current name could be below.
  z.kinds.assign(z.names.size(), NodeKind::Authoritative);
  std::vector<std::pair<std::uint32_t, NodeKind>> cuts;
  for (std::uint32_t n = 0; n < z.names.size(); ++n) {
    const auto& name = z.names[n];
    if (!core::name_is_subdomain(name, z.origin)) {
      z.kinds[n] = NodeKind::OutOfZone;
      continue;
    }
    if (name == z.origin) {
      z.kinds[n] = NodeKind::Apex;
      if (z.find(n, rrtype::DNAME)) cuts.emplace_back(n, NodeKind::Occluded);
      continue;
    }
    while (!cuts.empty() && !core::name_is_subdomain(name, z.names[cuts.back().first])) cuts.pop_back();
    // NSEC3 records live one label below the apex (RFC 5155 §7.1), even when an apex DNAME occludes other names.
    if (z.find(n, rrtype::NSEC3) && core::name_label_count(name) == core::name_label_count(z.origin) + 1 &&
        !z.find(n, rrtype::NS)) {
      continue;
    }
    if (!cuts.empty()) {
      z.kinds[n] = cuts.back().second;
      continue;
    }
    if (z.find(n, rrtype::NS)) {
      z.kinds[n] = NodeKind::Delegation;
      cuts.emplace_back(n, NodeKind::Glue);
    } else if (z.find(n, rrtype::DNAME)) {
      cuts.emplace_back(n, NodeKind::Occluded);
    }
  }
  return std::move(z);
}

std::string type_name(std::uint16_t type) {
  char* s = ldns_rr_type2str(static_cast<ldns_rr_type>(type));
  std::string out = s ? s : "TYPE" + std::to_string(type);
  free(s);  // NOLINT(cppcoreguidelines-no-malloc): ldns allocates with malloc
  return out;
}

}  // namespace zw::zone
