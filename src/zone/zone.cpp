// zone.cpp: ZoneBuilder (sort, deduplicate, classify) and Zone lookups.
#include "zone/zone.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include "core/ldns.hpp"
#include "core/parallel.hpp"

namespace zw::zone {
namespace {

// RFC 1035 §5.2: "a master file ... should not contain data outside the zone". Moves the records of names marked
// OutOfZone to Zone::out_of_zone and renumbers the rest; only zones that have such names pay for it.
void set_aside_out_of_zone(Zone& z) {
  const std::size_t names = z.names.size();
  std::vector<std::uint32_t> renamed(names, 0);
  std::vector<bool> out(names, false);
  std::uint32_t kept_names = 0;
  for (std::size_t n = 0; n < names; ++n) {
    out[n] = z.kinds[n] == NodeKind::OutOfZone;
    if (!out[n]) renamed[n] = kept_names++;
  }
  std::size_t kept = 0;
  for (const Record& r : z.records) {
    if (out[r.name]) {
      z.out_of_zone.push_back(OutOfZoneRecord{z.names[r.name], r.type, r.src});
      continue;
    }
    Record moved = r;
    moved.name = renamed[r.name];
    z.records[kept++] = moved;
  }
  z.records.resize(kept);
  for (std::size_t n = 0; n < names; ++n) {
    if (out[n] || renamed[n] == n) continue;
    z.names[renamed[n]] = std::move(z.names[n]);
    z.kinds[renamed[n]] = z.kinds[n];
  }
  z.names.resize(kept_names);
  z.kinds.resize(kept_names);
  z.rrsets.clear();
  for (std::uint32_t i = 0; i < z.records.size();) {
    std::uint32_t j = i;
    while (j < z.records.size() && z.records[j].name == z.records[i].name && z.records[j].type == z.records[i].type) {
      ++j;
    }
    z.rrsets.push_back(RRset{z.records[i].name, z.records[i].type, i, j - i});
    i = j;
  }
  z.name_rrsets.assign(z.names.size() + 1, static_cast<std::uint32_t>(z.rrsets.size()));
  for (std::size_t k = z.rrsets.size(); k-- > 0;) z.name_rrsets[z.rrsets[k].name] = static_cast<std::uint32_t>(k);
}

int compare_rdata(std::string_view a, std::string_view b) {
  // RFC 4034 §6.3: RRs are ordered by their canonical RDATA treated as left-justified unsigned octet sequences.
  std::size_t n = std::min(a.size(), b.size());
  int c = n ? std::memcmp(a.data(), b.data(), n) : 0;
  if (c != 0) return c;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// A byte string whose memcmp order is the canonical order of names (RFC 4034 §6.1): labels from the right,
// lower-cased, each ended by 0x00; octets 0x00 and 0x01 inside a label are escaped as 0x01 0x01 and 0x01 0x02.
void canonical_key(std::string_view wire, std::string& key) {
  key.clear();
  std::size_t offs[128];
  int n = 0;
  for (std::size_t pos = 0; pos < wire.size() && wire[pos] != '\0' && n < 128;) {
    offs[n++] = pos;
    pos += static_cast<unsigned char>(wire[pos]) + 1;
  }
  for (int i = n - 1; i >= 0; --i) {
    const std::size_t len = static_cast<unsigned char>(wire[offs[i]]);
    for (std::size_t k = 0; k < len && offs[i] + 1 + k < wire.size(); ++k) {
      auto c = static_cast<unsigned char>(wire[offs[i] + 1 + k]);
      if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + ('a' - 'A'));
      if (c <= 1) {
        key.push_back('\x01');
        key.push_back(static_cast<char>(c + 1));
      } else {
        key.push_back(static_cast<char>(c));
      }
    }
    key.push_back('\0');
  }
}

// Indices of the names [off[i], off[i+1]) of `names`, in canonical order (stable), sorted in parallel blocks
// that are then merged.
/// Owners in canonical order, and which of them equal the one before them.
struct CanonicalOrder {
  std::vector<std::uint32_t> order;
  std::vector<std::uint8_t> repeat;  ///< repeat[k]: owner order[k] equals owner order[k - 1]
};

/// Sorts owners into canonical order (RFC 4034 §6.1). Each owner gets a number made of eight octets of its
/// memcmp-comparable key (canonical_key): nearly every name of a zone lies below its origin and so shares the
/// origin's key as a prefix, and the eight octets after that prefix tell most names apart. Names whose numbers are
/// equal are compared label by label (name_compare); the keys themselves are never stored.
CanonicalOrder canonical_order(const std::vector<std::string_view>& names, std::string_view origin) {
  const auto count = static_cast<std::uint32_t>(names.size());
  std::string origin_key;
  canonical_key(origin, origin_key);
  struct Entry {
    std::uint64_t prefix;  ///< eight key octets (after the origin's key for names below the origin), big-endian
    std::uint32_t index;
    std::uint8_t group;  ///< 0: sorts before the origin's names, 1: the origin and below, 2: after them
  };
  std::vector<Entry> entries(count);
  auto name = [&](std::uint32_t i) { return names[i]; };
  core::parallel_for(
      count,
      [&](std::size_t i) {
        thread_local std::string k;
        canonical_key(name(static_cast<std::uint32_t>(i)), k);
        Entry& e = entries[i];
        e.index = static_cast<std::uint32_t>(i);
        const std::string_view kv = k;
        // Every key of a name at or below the origin begins with the origin's key (which ends in a label
        // separator); any other key sorts wholly before or after those.
        e.group = kv.substr(0, origin_key.size()) == origin_key ? 1 : (kv < std::string_view(origin_key) ? 0 : 2);
        const std::string_view rest = kv.substr(e.group == 1 ? origin_key.size() : 0);
        std::uint64_t p = 0;
        for (std::size_t j = 0; j < 8; ++j) p = (p << 8) | (j < rest.size() ? static_cast<unsigned char>(rest[j]) : 0U);
        e.prefix = p;
      },
      4096);
  auto less = [&](const Entry& a, const Entry& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return core::name_compare(name(a.index), name(b.index)) < 0;
  };
  const std::size_t blocks = std::max<std::size_t>(1, std::min<std::size_t>(core::worker_count(), count / 65536));
  std::vector<std::size_t> edge(blocks + 1);
  for (std::size_t b = 0; b <= blocks; ++b) edge[b] = count * b / blocks;
  core::parallel_for(
      blocks, [&](std::size_t b) { std::sort(entries.begin() + edge[b], entries.begin() + edge[b + 1], less); }, 1);
  for (std::size_t b = 1; b < blocks; ++b) {
    std::inplace_merge(entries.begin(), entries.begin() + edge[b], entries.begin() + edge[b + 1], less);
  }
  CanonicalOrder out;
  out.order.resize(count);
  out.repeat.assign(count, 0);
  core::parallel_for(
      count,
      [&](std::size_t k) {
        out.order[k] = entries[k].index;
        if (k > 0) {
          const Entry& a = entries[k - 1];
          const Entry& b = entries[k];
          // Owners are stored in lower case.
          out.repeat[k] = a.group == b.group && a.prefix == b.prefix && name(a.index) == name(b.index) ? 1 : 0;
        }
      },
      65536);
  return out;
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
  if (s.is_exchange()) {
    if (s.exchange_index() >= exchanges.size()) return {};
    const Exchange& e = exchanges[s.exchange_index()];
    return e.server_id() + " " + e.transport + " " + e.query;
  }
  if (s.file >= files.size()) return {};
  return files[s.file] + ":" + std::to_string(s.line);
}

std::uint32_t Zone::ttl_of(const RRset& s) const {
  std::uint32_t t = 0;
  for (const Record& r : records_of(s)) t = std::max(t, r.ttl);
  return t;
}

std::uint32_t Zone::min_ttl_of(const RRset& s) const {
  std::uint32_t t = UINT32_MAX;
  for (const Record& r : records_of(s)) t = std::min(t, r.ttl);
  return s.count == 0 ? 0 : t;
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
  if (!chunks_.empty()) flush_chunks();
  const auto count = static_cast<std::uint32_t>(owner_off_.size() - 1);
  if (count == 0 || !core::name_equal(this->owner(count - 1), owner)) {
    const std::size_t at = owners_.size();
    owners_.append(owner);
    for (std::size_t i = at; i < owners_.size(); ++i) {
      char& c = owners_[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    owner_off_.push_back(static_cast<std::uint32_t>(owners_.size()));
    if (owners_ascending_ && count > 0 && core::name_compare(this->owner(count - 1), this->owner(count)) >= 0) {
      owners_ascending_ = false;
    }
  }
  if (rdata.size() > 65535) throw std::length_error("RDATA longer than 65535 octets");
  std::string& arena = zone_.arenas.back();
  if (arena.size() + rdata.size() > UINT32_MAX) {
    zone_.arenas.emplace_back();  // a new arena every 4 GiB
    if (zone_.arenas.size() > 65535) throw std::length_error("zone larger than 2^48 octets of RDATA");
    return add(owner, type, rclass, ttl, rdata, src);
  }
  Record r;
  r.name = static_cast<std::uint32_t>(owner_off_.size() - 2);
  r.type = type;
  r.rclass = rclass;
  r.ttl = ttl;
  r.rdata_off = static_cast<std::uint32_t>(arena.size());
  r.rdata_len = static_cast<std::uint16_t>(rdata.size());
  r.arena = static_cast<std::uint16_t>(zone_.arenas.size() - 1);
  r.src = src;
  arena.append(rdata);
  pending_.push_back(r);
}

void ZoneBuilder::append(ZoneBuilder&& other) {
  other.flush_chunks();
  if (other.pending_.empty()) return;
  const std::uint32_t count = owner_count();
  std::uint32_t first = 0;  // other's first owner continues our last one
  if (count > 0 && last_owner() == other.owner(0)) first = 1;
  if (first == 0 && count > 0 && core::name_compare(last_owner(), other.owner(0)) >= 0) owners_ascending_ = false;
  owners_ascending_ = owners_ascending_ && other.owners_ascending_;
  const auto base_arena = static_cast<std::uint32_t>(zone_.arenas.size());
  if (base_arena + other.zone_.arenas.size() > 65536) throw std::length_error("zone in too many parts");
  for (std::string& a : other.zone_.arenas) zone_.arenas.push_back(std::move(a));
  chunks_.push_back(Chunk{std::move(other.pending_), std::move(other.owners_), std::move(other.owner_off_), first,
                          count - first, base_arena});
  other.pending_ = {};
  other.owners_ = {};
  other.owner_off_ = {0};
  other.zone_.arenas = {};
}

void ZoneBuilder::flush_chunks() {
  for (Chunk& c : chunks_) {
    for (std::uint32_t i = c.first; i + 1 < c.owner_off.size(); ++i) {
      owners_.append(c.owner(i));
      owner_off_.push_back(static_cast<std::uint32_t>(owners_.size()));
    }
    for (Record r : c.records) {
      r.name += c.base_owner;
      r.arena = static_cast<std::uint16_t>(r.arena + c.base_arena);
      pending_.push_back(r);
    }
  }
  chunks_.clear();
}

Zone ZoneBuilder::finish() && {
  Zone& z = zone_;
  auto rd = [&](const Record& r) { return z.rdata(r); };
  auto by_type_rdata = [&](const Record& a, const Record& b) {
    if (a.type != b.type) return a.type < b.type;
    return compare_rdata(rd(a), rd(b)) < 0;
  };
  const std::uint32_t owners = owner_count();
  // Every owner as a view: ours, then each chunk's, filled on all cores.
  std::vector<std::string_view> owner_views(owners);
  {
    const auto own = static_cast<std::uint32_t>(owner_off_.size() - 1);
    core::parallel_for(
        own, [&](std::size_t i) { owner_views[i] = owner(static_cast<std::uint32_t>(i)); }, 65536);
    core::parallel_for(
        chunks_.size(),
        [&](std::size_t k) {
          const Chunk& c = chunks_[k];
          for (std::uint32_t i = c.first; i + 1 < c.owner_off.size(); ++i) owner_views[c.base_owner + i] = c.owner(i);
        },
        1);
  }
  // The records in file order: pending_, then each appended chunk. Groups of whole chunks, about equal in records,
  // are placed on all cores.
  struct Source {
    const std::vector<Record>* records;
    std::uint32_t base_owner;
    std::uint32_t base_arena;
  };
  std::vector<Source> sources{{&pending_, 0, 0}};
  std::size_t total = pending_.size();
  for (const Chunk& c : chunks_) {
    sources.push_back({&c.records, c.base_owner, c.base_arena});
    total += c.records.size();
  }
  const std::size_t groups = std::min<std::size_t>(sources.size(), std::min(8U, core::worker_count()));
  std::vector<std::size_t> group_edge{0};  // group g is sources[group_edge[g], group_edge[g + 1])
  for (std::size_t i = 0, seen = 0; i < sources.size(); ++i) {
    seen += sources[i].records->size();
    if (group_edge.size() < groups && seen * groups >= total * group_edge.size()) group_edge.push_back(i + 1);
  }
  if (group_edge.back() != sources.size()) group_edge.push_back(sources.size());
  auto each_record = [&](std::size_t g, auto&& body) {
    for (std::size_t i = group_edge[g]; i < group_edge[g + 1]; ++i) {
      const Source& src = sources[i];
      for (Record r : *src.records) {
        r.name += src.base_owner;
        r.arena = static_cast<std::uint16_t>(r.arena + src.base_arena);
        body(r);
      }
    }
  };
  const std::size_t group_count = group_edge.size() - 1;
  std::vector<Record> placed(total);
  // Per name, on all cores: records not in type and RDATA order (rare) are sorted (stable: file order stays).
  // Names that may hold duplicate records: those whose records were not in strictly ascending order. One look at
  // each adjacent pair's RDATA tells both (it is a cache miss away in the arena, so it is read once).
  std::vector<std::uint8_t> may_repeat;
  auto sort_names = [&](const std::vector<std::uint32_t>& start) {
    may_repeat.assign(start.size() - 1, 0);
    core::parallel_for(
        start.size() - 1,
        [&](std::size_t n) {
          auto b = placed.begin() + start[n];
          auto e = placed.begin() + start[n + 1];
          bool ascending = true;
          for (auto it = b + 1; it < e && ascending; ++it) {
            const Record& x = *(it - 1);
            const Record& y = *it;
            ascending = x.type != y.type ? x.type < y.type : compare_rdata(rd(x), rd(y)) < 0;
          }
          if (ascending) return;
          if (!std::is_sorted(b, e, by_type_rdata)) std::stable_sort(b, e, by_type_rdata);
          may_repeat[n] = 1;
        },
        16384);
  };
  if (owners_ascending_) {
    // Canonical name order already (each name is one run): the records stay in file order.
    z.names.resize(owners);
    core::parallel_for(
        owners, [&](std::size_t i) { z.names[i].assign(owner_views[i]); }, 8192);
    std::vector<std::size_t> at(group_count + 1, 0);
    for (std::size_t g = 0; g < group_count; ++g) {
      at[g + 1] = at[g];
      for (std::size_t i = group_edge[g]; i < group_edge[g + 1]; ++i) at[g + 1] += sources[i].records->size();
    }
    core::parallel_for(
        group_count,
        [&](std::size_t g) {
          std::size_t w = at[g];
          each_record(g, [&](const Record& r) { placed[w++] = r; });
        },
        1);
    std::vector<std::uint32_t> start(owners + 1, static_cast<std::uint32_t>(total));
    core::parallel_for(
        total,
        [&](std::size_t i) {
          if (i == 0 || placed[i].name != placed[i - 1].name) start[placed[i].name] = static_cast<std::uint32_t>(i);
        },
        65536);
    sort_names(start);
  } else {
    // Rank the distinct owners in canonical order, then sort the records by (rank, type, RDATA).
    CanonicalOrder sorted = canonical_order(owner_views, z.origin);
    const std::vector<std::uint32_t>& order = sorted.order;
    std::vector<std::uint32_t> rank(owners);
    std::vector<std::uint32_t> distinct;  // distinct[i]: the owner that becomes names[i]
    distinct.reserve(owners);
    for (std::uint32_t k = 0; k < owners; ++k) {
      if (!sorted.repeat[k]) distinct.push_back(order[k]);
      rank[order[k]] = static_cast<std::uint32_t>(distinct.size() - 1);
    }
    sorted = {};
    const std::size_t names = distinct.size();
    z.names.resize(names);
    core::parallel_for(
        names, [&](std::size_t i) { z.names[i].assign(owner_views[distinct[i]]); }, 8192);
    distinct = {};
    // A counting sort by rank keeps file order within a name. Each group counts its records per name, and places
    // them after those of the groups before it.
    std::vector<std::vector<std::uint32_t>> next(group_count, std::vector<std::uint32_t>(names, 0));
    core::parallel_for(
        group_count, [&](std::size_t g) { each_record(g, [&](const Record& r) { ++next[g][rank[r.name]]; }); }, 1);
    std::vector<std::uint32_t> start(names + 1, 0);
    std::uint32_t running = 0;
    for (std::size_t n = 0; n < names; ++n) {
      start[n] = running;
      for (std::size_t g = 0; g < group_count; ++g) {
        const std::uint32_t c = next[g][n];
        next[g][n] = running;
        running += c;
      }
    }
    start[names] = running;
    core::parallel_for(
        group_count,
        [&](std::size_t g) {
          std::vector<std::uint32_t>& at = next[g];
          each_record(g, [&](Record r) {
            r.name = rank[r.name];
            placed[at[r.name]++] = r;
          });
        },
        1);
    next = {};
    rank = {};
    sort_names(start);
  }
  pending_ = std::move(placed);
  chunks_ = {};
  owner_views = {};
  owners_ = {};
  owner_off_ = {};
  // Blocks of whole names, worked on all cores: duplicates removed (RFC 2181 §5: duplicate RRs in an RRset are
  // suppressed; dig AXFR output repeats the SOA), then RRsets and the per-name index.
  const std::size_t blocks = std::max<std::size_t>(1, std::min<std::size_t>(4 * core::worker_count(), total / 65536));
  std::vector<std::size_t> edge(blocks + 1, total);
  edge[0] = 0;
  for (std::size_t k = 1; k < blocks; ++k) {
    std::size_t i = std::max(edge[k - 1], total * k / blocks);
    while (i > 0 && i < total && pending_[i].name == pending_[i - 1].name) ++i;
    edge[k] = i;
  }
  std::vector<std::size_t> kept(blocks, 0), sets(blocks, 0);
  core::parallel_for(
      blocks,
      [&](std::size_t k) {
        std::size_t w = edge[k];
        for (std::size_t i = edge[k]; i < edge[k + 1]; ++i) {
          const Record& r = pending_[i];
          if (w > edge[k]) {
            const Record& last = pending_[w - 1];
            if (last.name == r.name && last.type == r.type && last.rclass == r.rclass && may_repeat[r.name] &&
                rd(last) == rd(r)) {
              continue;
            }
            if (last.name != r.name || last.type != r.type) ++sets[k];
          } else {
            ++sets[k];
          }
          pending_[w++] = r;
        }
        kept[k] = w - edge[k];
      },
      1);
  std::vector<std::size_t> rec_at(blocks + 1, 0), set_at(blocks + 1, 0);
  for (std::size_t k = 0; k < blocks; ++k) {
    rec_at[k + 1] = rec_at[k] + kept[k];
    set_at[k + 1] = set_at[k] + sets[k];
    // Close the gaps left by duplicates (destinations never pass their sources).
    if (rec_at[k] != edge[k]) {
      std::copy(pending_.begin() + static_cast<std::ptrdiff_t>(edge[k]),
                pending_.begin() + static_cast<std::ptrdiff_t>(edge[k] + kept[k]),
                pending_.begin() + static_cast<std::ptrdiff_t>(rec_at[k]));
    }
  }
  pending_.resize(rec_at[blocks]);
  z.records = std::move(pending_);
  z.rrsets.resize(set_at[blocks]);
  core::parallel_for(
      blocks,
      [&](std::size_t k) {
        std::size_t out = set_at[k];
        for (auto i = static_cast<std::uint32_t>(rec_at[k]); i < rec_at[k + 1];) {
          std::uint32_t j = i;
          while (j < rec_at[k + 1] && z.records[j].name == z.records[i].name && z.records[j].type == z.records[i].type)
            ++j;
          z.rrsets[out++] = RRset{z.records[i].name, z.records[i].type, i, j - i};
          i = j;
        }
      },
      1);
  // Every name owns at least one record, so each name's first RRset marks where its RRsets begin.
  z.name_rrsets.assign(z.names.size() + 1, static_cast<std::uint32_t>(z.rrsets.size()));
  core::parallel_for(
      z.rrsets.size(),
      [&](std::size_t k) {
        if (k == 0 || z.rrsets[k - 1].name != z.rrsets[k].name) {
          z.name_rrsets[z.rrsets[k].name] = static_cast<std::uint32_t>(k);
        }
      },
      65536);

  // Node kinds. Names are in canonical order, so every ancestor cut precedes its descendants; keep a stack of
  // the cuts (delegations and DNAMEs) that the current name could be below. A name one label below the apex starts
  // with an empty stack (unless the apex owns a DNAME), so the names are cut there into blocks worked on all cores.
  z.kinds.assign(z.names.size(), NodeKind::Authoritative);
  const int child_labels = core::name_label_count(z.origin) + 1;
  auto child_of_apex = [&](std::uint32_t n) {
    return core::name_label_count(z.names[n]) == child_labels && core::name_is_subdomain(z.names[n], z.origin);
  };
  const std::uint32_t names_count = static_cast<std::uint32_t>(z.names.size());
  std::vector<std::uint32_t> name_edge{0};
  bool apex_dname = false;
  if (auto apex = z.find_name(z.origin)) apex_dname = z.find(*apex, rrtype::DNAME) != nullptr;
  if (!apex_dname) {
    const std::uint32_t parts =
        std::max<std::uint32_t>(1, std::min<std::uint32_t>(4 * core::worker_count(), names_count / 65536));
    for (std::uint32_t k = 1; k < parts; ++k) {
      std::uint32_t n = std::max(name_edge.back(), static_cast<std::uint32_t>(std::uint64_t{names_count} * k / parts));
      while (n < names_count && !child_of_apex(n)) ++n;
      if (n > name_edge.back() && n < names_count) name_edge.push_back(n);
    }
  }
  name_edge.push_back(names_count);
  core::parallel_for(
      name_edge.size() - 1,
      [&](std::size_t part) {
        std::vector<std::pair<std::uint32_t, NodeKind>> cuts;
        for (std::uint32_t n = name_edge[part]; n < name_edge[part + 1]; ++n) {
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
          // NSEC3 records live one label below the apex (RFC 5155 §7.1), even when an apex DNAME occludes others.
          if (z.find(n, rrtype::NSEC3) && core::name_label_count(name) == child_labels && !z.find(n, rrtype::NS)) {
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
      },
      1);
  if (std::find(z.kinds.begin(), z.kinds.end(), NodeKind::OutOfZone) != z.kinds.end()) set_aside_out_of_zone(z);
  return std::move(z);
}

std::string type_name(std::uint16_t type) {
  char* s = ldns_rr_type2str(static_cast<ldns_rr_type>(type));
  std::string out = s ? s : "TYPE" + std::to_string(type);
  free(s);  // NOLINT(cppcoreguidelines-no-malloc): ldns allocates with malloc
  return out;
}

}  // namespace zw::zone
