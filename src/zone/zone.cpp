// zone.cpp: ZoneBuilder (sort, deduplicate, classify) and Zone lookups.
#include "zone/zone.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <stdexcept>

#include "core/ldns.hpp"
#include "core/parallel.hpp"
#include "zone/blocks.hpp"

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

namespace {

/// Records of one builder (ours or an appended chunk's), with what turns its numbering into the zone's.
struct RecordSource {
  const std::vector<Record>* records;
  std::uint32_t base_owner;
  std::uint32_t base_arena;
};

/// The records in file order: the builder's own, then each appended chunk's, in groups of whole sources about equal
/// in records, one group per core.
class RecordSources {
 public:
  explicit RecordSources(std::vector<RecordSource> list) : list_(std::move(list)) {
    for (const RecordSource& s : list_) total_ += s.records->size();
    const std::size_t groups = std::min<std::size_t>(list_.size(), std::min(8U, core::worker_count()));
    for (std::size_t i = 0, seen = 0; i < list_.size(); ++i) {
      seen += list_[i].records->size();
      if (edge_.size() < groups && seen * groups >= total_ * edge_.size()) edge_.push_back(i + 1);
    }
    if (edge_.back() != list_.size()) edge_.push_back(list_.size());
  }
  std::size_t total() const { return total_; }
  std::size_t groups() const { return edge_.size() - 1; }
  /// Records in group g.
  std::size_t size_of(std::size_t g) const {
    std::size_t n = 0;
    for (std::size_t i = edge_[g]; i < edge_[g + 1]; ++i) n += list_[i].records->size();
    return n;
  }
  /// Calls body(record) for every record of group g in file order, numbered as in the zone.
  template <typename Body>
  void each_record(std::size_t g, Body&& body) const {
    for (std::size_t i = edge_[g]; i < edge_[g + 1]; ++i) {
      const RecordSource& src = list_[i];
      for (Record r : *src.records) {
        r.name += src.base_owner;
        r.arena = static_cast<std::uint16_t>(r.arena + src.base_arena);
        body(r);
      }
    }
  }

 private:
  std::vector<RecordSource> list_;
  std::vector<std::size_t> edge_{0};  ///< group g is list_[edge_[g], edge_[g + 1])
  std::size_t total_ = 0;
};

// Owners already in canonical name order (each name is one run): the names are the owners and the records stay in
// file order. Returns where each name's records start.
std::vector<std::uint32_t> place_in_file_order(const RecordSources& sources,
                                               const std::vector<std::string_view>& owners, std::vector<Record>& placed,
                                               Zone& z) {
  z.names.resize(owners.size());
  core::parallel_for(
      owners.size(), [&](std::size_t i) { z.names[i].assign(owners[i]); }, 8192);
  std::vector<std::size_t> at(sources.groups() + 1, 0);
  for (std::size_t g = 0; g < sources.groups(); ++g) at[g + 1] = at[g] + sources.size_of(g);
  core::parallel_for(
      sources.groups(),
      [&](std::size_t g) {
        std::size_t w = at[g];
        sources.each_record(g, [&](const Record& r) { placed[w++] = r; });
      },
      1);
  const std::size_t total = sources.total();
  std::vector<std::uint32_t> start(owners.size() + 1, static_cast<std::uint32_t>(total));
  core::parallel_for(
      total,
      [&](std::size_t i) {
        if (i == 0 || placed[i].name != placed[i - 1].name) start[placed[i].name] = static_cast<std::uint32_t>(i);
      },
      65536);
  return start;
}

// The distinct owners in canonical order become the names; returns each owner's rank (its name's index).
std::vector<std::uint32_t> rank_owners(const std::vector<std::string_view>& owners, Zone& z) {
  CanonicalOrder sorted = canonical_order(owners, z.origin);
  const std::vector<std::uint32_t>& order = sorted.order;
  std::vector<std::uint32_t> rank(owners.size());
  std::vector<std::uint32_t> distinct;  // distinct[i]: the owner that becomes names[i]
  distinct.reserve(owners.size());
  for (std::size_t k = 0; k < owners.size(); ++k) {
    if (!sorted.repeat[k]) distinct.push_back(order[k]);
    rank[order[k]] = static_cast<std::uint32_t>(distinct.size() - 1);
  }
  sorted = {};
  z.names.resize(distinct.size());
  core::parallel_for(
      distinct.size(), [&](std::size_t i) { z.names[i].assign(owners[distinct[i]]); }, 8192);
  return rank;
}

// Owners in any order: rank the distinct owners in canonical order, then place the records by rank with a
// counting sort, which keeps file order within a name. Each group counts its records per name, and places them
// after those of the groups before it. Returns where each name's records start.
std::vector<std::uint32_t> place_by_name(const RecordSources& sources, const std::vector<std::string_view>& owners,
                                         std::vector<Record>& placed, Zone& z) {
  const std::vector<std::uint32_t> rank = rank_owners(owners, z);
  const std::size_t names = z.names.size();
  const std::size_t groups = sources.groups();
  std::vector<std::vector<std::uint32_t>> next(groups, std::vector<std::uint32_t>(names, 0));
  core::parallel_for(
      groups, [&](std::size_t g) { sources.each_record(g, [&](const Record& r) { ++next[g][rank[r.name]]; }); }, 1);
  std::vector<std::uint32_t> start(names + 1, 0);
  std::uint32_t running = 0;
  for (std::size_t n = 0; n < names; ++n) {
    start[n] = running;
    for (std::size_t g = 0; g < groups; ++g) {
      const std::uint32_t c = next[g][n];
      next[g][n] = running;
      running += c;
    }
  }
  start[names] = running;
  core::parallel_for(
      groups,
      [&](std::size_t g) {
        std::vector<std::uint32_t>& at = next[g];
        sources.each_record(g, [&](Record r) {
          r.name = rank[r.name];
          placed[at[r.name]++] = r;
        });
      },
      1);
  return start;
}

// Per name, on all cores: records not in type and RDATA order (rare) are sorted (stable: file order stays).
// Returns the names that may hold duplicate records: those whose records were not in strictly ascending order. One
// look at each adjacent pair's RDATA tells both (it is a cache miss away in the arena, so it is read once).
std::vector<std::uint8_t> sort_names(std::vector<Record>& placed, const std::vector<std::uint32_t>& start,
                                     const Zone& z) {
  auto by_type_rdata = [&](const Record& a, const Record& b) {
    if (a.type != b.type) return a.type < b.type;
    return compare_rdata(z.rdata(a), z.rdata(b)) < 0;
  };
  std::vector<std::uint8_t> may_repeat(start.size() - 1, 0);
  core::parallel_for(
      start.size() - 1,
      [&](std::size_t n) {
        auto b = placed.begin() + start[n];
        auto e = placed.begin() + start[n + 1];
        bool ascending = true;
        for (auto it = b + 1; it < e && ascending; ++it) {
          const Record& x = *(it - 1);
          const Record& y = *it;
          ascending = x.type != y.type ? x.type < y.type : compare_rdata(z.rdata(x), z.rdata(y)) < 0;
        }
        if (ascending) return;
        if (!std::is_sorted(b, e, by_type_rdata)) std::stable_sort(b, e, by_type_rdata);
        may_repeat[n] = 1;
      },
      16384);
  return may_repeat;
}

/// Blocks of whole names of the sorted records, one per part of the work on all cores, with what each keeps.
struct RecordBlocks {
  std::vector<std::size_t> edge;  ///< block k is records [edge[k], edge[k + 1])
  std::vector<std::size_t> kept;  ///< records kept in block k, moved to its start
  std::vector<std::size_t> sets;  ///< RRsets in block k
};

RecordBlocks record_blocks(const std::vector<Record>& records) {
  const std::size_t total = records.size();
  const std::size_t blocks = std::max<std::size_t>(1, std::min<std::size_t>(4 * core::worker_count(), total / 65536));
  RecordBlocks b;
  b.edge.assign(blocks + 1, total);
  b.edge[0] = 0;
  for (std::size_t k = 1; k < blocks; ++k) {
    std::size_t i = std::max(b.edge[k - 1], total * k / blocks);
    while (i > 0 && i < total && records[i].name == records[i - 1].name) ++i;
    b.edge[k] = i;
  }
  b.kept.assign(blocks, 0);
  b.sets.assign(blocks, 0);
  return b;
}

// RFC 2181 §5: duplicate RRs in an RRset are suppressed (dig AXFR output repeats the SOA). Each block keeps its
// first records, counting its RRsets; the blocks are then moved together (destinations never pass their sources).
// Returns where each block's records and RRsets begin in the result.
std::pair<std::vector<std::size_t>, std::vector<std::size_t>> drop_duplicates(
    std::vector<Record>& records, const std::vector<std::uint8_t>& may_repeat, const Zone& z, RecordBlocks& b) {
  const std::size_t blocks = b.kept.size();
  core::parallel_for(
      blocks,
      [&](std::size_t k) {
        std::size_t w = b.edge[k];
        for (std::size_t i = b.edge[k]; i < b.edge[k + 1]; ++i) {
          const Record& r = records[i];
          if (w > b.edge[k]) {
            const Record& last = records[w - 1];
            if (last.name == r.name && last.type == r.type && last.rclass == r.rclass && may_repeat[r.name] &&
                z.rdata(last) == z.rdata(r)) {
              continue;
            }
            if (last.name != r.name || last.type != r.type) ++b.sets[k];
          } else {
            ++b.sets[k];
          }
          records[w++] = r;
        }
        b.kept[k] = w - b.edge[k];
      },
      1);
  std::vector<std::size_t> rec_at(blocks + 1, 0), set_at(blocks + 1, 0);
  for (std::size_t k = 0; k < blocks; ++k) {
    rec_at[k + 1] = rec_at[k] + b.kept[k];
    set_at[k + 1] = set_at[k] + b.sets[k];
    if (rec_at[k] != b.edge[k]) {
      std::copy(records.begin() + static_cast<std::ptrdiff_t>(b.edge[k]),
                records.begin() + static_cast<std::ptrdiff_t>(b.edge[k] + b.kept[k]),
                records.begin() + static_cast<std::ptrdiff_t>(rec_at[k]));
    }
  }
  records.resize(rec_at[blocks]);
  return {std::move(rec_at), std::move(set_at)};
}

// The records without duplicates, their RRsets and the per-name index, worked in blocks of whole names on all
// cores.
void index_records(Zone& z, std::vector<Record>&& records, const std::vector<std::uint8_t>& may_repeat) {
  RecordBlocks b = record_blocks(records);
  // Named references, not a structured binding: the lambda below uses them (clang 14 cannot capture bindings).
  const auto offsets = drop_duplicates(records, may_repeat, z, b);
  const std::vector<std::size_t>& rec_at = offsets.first;
  const std::vector<std::size_t>& set_at = offsets.second;
  const std::size_t blocks = b.kept.size();
  z.records = std::move(records);
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
}

// Where the names may be cut into blocks classified on their own: at names one label below the apex, which start
// with no cut above them (unless the apex owns a DNAME: then one block).
std::vector<std::uint32_t> name_blocks(const Zone& z) {
  const int child_labels = core::name_label_count(z.origin) + 1;
  auto child_of_apex = [&](std::uint32_t n) {
    return core::name_label_count(z.names[n]) == child_labels && core::name_is_subdomain(z.names[n], z.origin);
  };
  const auto names_count = static_cast<std::uint32_t>(z.names.size());
  bool apex_dname = false;
  if (auto apex = z.find_name(z.origin)) apex_dname = z.find(*apex, rrtype::DNAME) != nullptr;
  const std::uint32_t parts =
      apex_dname ? 1
                 : std::max<std::uint32_t>(1, std::min<std::uint32_t>(4 * core::worker_count(), names_count / 65536));
  return block_edges(names_count, parts, child_of_apex);
}

// Node kinds of the names [begin, end), a block that starts with no cut above it. Names are in canonical order, so
// every ancestor cut precedes its descendants; a stack keeps the cuts (delegations and DNAMEs) that the current
// name could be below.
void classify_block(Zone& z, std::uint32_t begin, std::uint32_t end) {
  const int child_labels = core::name_label_count(z.origin) + 1;
  std::vector<std::pair<std::uint32_t, NodeKind>> cuts;
  for (std::uint32_t n = begin; n < end; ++n) {
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
}

// Node kinds (RFC 4035 §2.2: authoritative data, delegations, glue), in blocks on all cores.
void classify_names(Zone& z) {
  z.kinds.assign(z.names.size(), NodeKind::Authoritative);
  const std::vector<std::uint32_t> edge = name_blocks(z);
  core::parallel_for(
      edge.size() - 1, [&](std::size_t part) { classify_block(z, edge[part], edge[part + 1]); }, 1);
}

}  // namespace

std::vector<std::string_view> ZoneBuilder::owner_views() const {
  // Every owner as a view: ours, then each chunk's, filled on all cores.
  std::vector<std::string_view> views(owner_count());
  const auto own = static_cast<std::uint32_t>(owner_off_.size() - 1);
  core::parallel_for(
      own, [&](std::size_t i) { views[i] = owner(static_cast<std::uint32_t>(i)); }, 65536);
  core::parallel_for(
      chunks_.size(),
      [&](std::size_t k) {
        const Chunk& c = chunks_[k];
        for (std::uint32_t i = c.first; i + 1 < c.owner_off.size(); ++i) views[c.base_owner + i] = c.owner(i);
      },
      1);
  return views;
}

Zone ZoneBuilder::finish() && {
  Zone& z = zone_;
  std::vector<std::string_view> views = owner_views();
  std::vector<RecordSource> list{{&pending_, 0, 0}};
  for (const Chunk& c : chunks_) list.push_back({&c.records, c.base_owner, c.base_arena});
  const RecordSources sources(std::move(list));
  std::vector<Record> placed(sources.total());
  const std::vector<std::uint32_t> start =
      owners_ascending_ ? place_in_file_order(sources, views, placed, z) : place_by_name(sources, views, placed, z);
  const std::vector<std::uint8_t> may_repeat = sort_names(placed, start, z);
  chunks_ = {};
  views = {};
  owners_ = {};
  owner_off_ = {};
  pending_ = {};
  index_records(z, std::move(placed), may_repeat);
  classify_names(z);
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
