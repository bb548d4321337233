// zone.hpp: the compact in-memory zone: owner names, records in canonical order, RRsets and node kinds.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/name.hpp"

namespace zw::zone {

/// Where a record came from (its provenance, DESIGN.md §1): a line of a file, Zone::files[file] at 1-based `line`, or
/// an exchange with a server, Zone::exchanges[exchange_index()], when `file` carries kExchange. Eight octets per
/// record either way: a TLD zone has millions.
struct SourceRef {
  static constexpr std::uint32_t kExchange = 0x8000'0000U;
  std::uint32_t file = 0;
  std::uint32_t line = 0;

  /// The record came from answer `index` of Zone::exchanges.
  static SourceRef exchange(std::uint32_t index) { return {index | kExchange, 0}; }
  bool is_exchange() const { return (file & kExchange) != 0; }
  std::uint32_t exchange_index() const { return file & ~kExchange; }
};

/// One question put to a server and where its answer came from: the provenance of the records it carried.
struct Exchange {
  std::string server;     ///< the server's name, presentation format ("ns1.example.")
  std::string address;    ///< the address asked ("192.0.2.1", "2001:db8::1")
  std::string transport;  ///< "udp" or "tcp"
  std::string query;      ///< "NAME TYPE", presentation format

  /// The server as findings name it: "NAME/ADDRESS" (the `--ns NAME/IP` form of dig-like tools).
  std::string server_id() const { return server + "/" + address; }
};

/// One resource record. RDATA lives in the zone's arena, in canonical form (RFC 4034 §6.2, RFC 6840 §5.1).
struct Record {
  std::uint32_t name = 0;  ///< index into Zone::names
  std::uint16_t type = 0;
  std::uint16_t rclass = 1;
  std::uint32_t ttl = 0;
  std::uint32_t rdata_off = 0;  ///< offset in Zone::arenas[arena]
  std::uint16_t rdata_len = 0;  ///< RDATA is at most 65535 octets (RFC 1035 §3.2.1)
  std::uint16_t arena = 0;
  SourceRef src;
};

/// The records sharing owner and type: records[first, first+count).
struct RRset {
  std::uint32_t name = 0;
  std::uint16_t type = 0;
  std::uint32_t first = 0;
  std::uint32_t count = 0;
};

/// What a name is in its zone (RFC 4035 §2.2 authoritative data vs delegation/glue).
enum class NodeKind : std::uint8_t {
  Apex,           ///< the zone's origin
  Authoritative,  ///< ordinary authoritative name (includes empty non-terminals that have records)
  Delegation,     ///< has NS and is not the apex: a zone cut
  Glue,           ///< below a zone cut (glue or occluded data)
  Occluded,       ///< below a DNAME
  OutOfZone,      ///< not at or below the origin (never in a finished Zone: see Zone::out_of_zone)
};

/// A record whose owner is not at or below the origin (RFC 1035 §5.2): kept aside, not part of the zone.
struct OutOfZoneRecord {
  core::WireName owner;  ///< lower case
  std::uint16_t type = 0;
  SourceRef src;
};

/// A loaded zone. Built by ZoneBuilder; immutable afterwards.
class Zone {
 public:
  core::WireName origin;                     ///< lower-case wire name of the apex
  std::vector<std::string> files;            ///< files[i] as named on the command line or in $INCLUDE
  std::vector<Exchange> exchanges;           ///< the exchanges records came from (SourceRef::exchange), if any
  std::vector<core::WireName> names;         ///< unique lower-case owner names in canonical order
  std::vector<NodeKind> kinds;               ///< kinds[i] for names[i]
  std::vector<Record> records;               ///< sorted by (name, type, canonical RDATA), duplicates removed
  std::vector<RRset> rrsets;                 ///< sorted by (name, type); RRSIGs form RRsets of type RRSIG
  std::vector<std::uint32_t> name_rrsets;    ///< rrsets of names[i] are [name_rrsets[i], name_rrsets[i+1])
  std::vector<std::string> arenas{1};        ///< RDATA bytes (one arena per part of the file loaded in parallel)
  std::vector<OutOfZoneRecord> out_of_zone;  ///< records outside the zone, in canonical order, not in the above

  /// RDATA of a record.
  std::string_view rdata(const Record& r) const { return {arenas[r.arena].data() + r.rdata_off, r.rdata_len}; }
  /// Records of an RRset.
  std::span<const Record> records_of(const RRset& s) const { return {records.data() + s.first, s.count}; }
  /// RRsets of one name.
  std::span<const RRset> rrsets_of(std::uint32_t name) const {
    return {rrsets.data() + name_rrsets[name], name_rrsets[name + 1] - name_rrsets[name]};
  }
  /// Index of a name (case-insensitive), or empty.
  std::optional<std::uint32_t> find_name(std::string_view wire) const;
  /// The RRset of (name, type), or nullptr.
  const RRset* find(std::uint32_t name, std::uint16_t type) const;
  const RRset* find(std::string_view wire, std::uint16_t type) const;
  /// Index of the apex name, or empty when the zone has no record at its origin.
  std::optional<std::uint32_t> apex() const { return find_name(origin); }
  /// "file:line" of a record.
  std::string where(SourceRef s) const;
  /// Maximum TTL of an RRset's records.
  std::uint32_t ttl_of(const RRset& s) const;
  /// The lowest TTL of the RRset's records: the one resolvers use for all of them (RFC 2181 §5.2).
  std::uint32_t min_ttl_of(const RRset& s) const;
};

/// Collects records in any order, then sorts, deduplicates and classifies them. Input that is already in canonical
/// name order (as signers write zones) is recognised and only each name's records are sorted.
class ZoneBuilder {
 public:
  explicit ZoneBuilder(core::WireName origin);
  /// Registers a file name and returns its index for SourceRef.
  std::uint32_t add_file(std::string path);
  /// Adds one record. `owner` is a wire name (any case); `rdata` must already be canonical.
  void add(std::string_view owner, std::uint16_t type, std::uint16_t rclass, std::uint32_t ttl, std::string_view rdata,
           SourceRef src);
  /// Moves every record of `other` (built for the same origin, files registered in the same order) after ours. The
  /// records are not copied here: finish() places them straight where they belong, on all cores.
  void append(ZoneBuilder&& other);
  /// Makes room for what `bytes` of master-file text usually hold (room that is never written costs no memory).
  void reserve_for_text(std::size_t bytes) {
    pending_.reserve(bytes / 48);
    zone_.arenas.back().reserve(bytes / 4 * 3);
  }
  /// Adds `offset` to the line of every record added so far (parts of a file loaded in parallel count from 1).
  void shift_lines(std::uint32_t offset) {
    for (Record& r : pending_) r.src.line += offset;
    for (Chunk& c : chunks_) {
      for (Record& r : c.records) r.src.line += offset;
    }
  }
  /// Sets the origin when it was not known at construction (e.g. taken from the SOA).
  void set_origin(core::WireName origin);
  const core::WireName& origin() const { return zone_.origin; }
  std::size_t size() const {
    std::size_t n = pending_.size();
    for (const Chunk& c : chunks_) n += c.records.size();
    return n;
  }
  /// Produces the finished zone.
  Zone finish() &&;

 private:
  /// Owner i of our own (not of a chunk).
  std::string_view owner(std::uint32_t i) const {
    return std::string_view(owners_).substr(owner_off_[i], owner_off_[i + 1] - owner_off_[i]);
  }
  Zone zone_;
  std::string owners_;                       ///< distinct consecutive owners, lower case, back to back
  std::vector<std::uint32_t> owner_off_{0};  ///< owner i is owners_[owner_off_[i], owner_off_[i+1])
  /// Records appended from another builder, with its owners, in its numbering: owner i (i ≥ first; the ones before
  /// continue the previous chunk's last owner) is owner base_owner + i of the zone, arena a is base_arena + a. The
  /// chunks follow pending_ in order; nothing is copied until finish() places everything on all cores.
  struct Chunk {
    std::vector<Record> records;
    std::string owners;
    std::vector<std::uint32_t> owner_off;
    std::uint32_t first = 0;
    std::uint32_t base_owner = 0;
    std::uint32_t base_arena = 0;
    std::string_view owner(std::uint32_t i) const {
      return std::string_view(owners).substr(owner_off[i], owner_off[i + 1] - owner_off[i]);
    }
    std::uint32_t end_owner() const { return base_owner + static_cast<std::uint32_t>(owner_off.size() - 1); }
  };
  /// Owners so far, chunks included.
  std::uint32_t owner_count() const {
    return chunks_.empty() ? static_cast<std::uint32_t>(owner_off_.size() - 1) : chunks_.back().end_owner();
  }
  /// The last owner so far (owner_count() > 0).
  std::string_view last_owner() const {
    if (chunks_.empty()) return owner(static_cast<std::uint32_t>(owner_off_.size() - 2));
    const Chunk& c = chunks_.back();
    return c.owner(static_cast<std::uint32_t>(c.owner_off.size() - 2));
  }
  /// Moves the chunks' records and owners to our own (before a record is added after an append).
  void flush_chunks();
  /// Every owner so far, chunks included, in the builder's numbering.
  std::vector<std::string_view> owner_views() const;

  std::vector<Record> pending_;   ///< Record::name indexes the owners above
  std::vector<Chunk> chunks_;     ///< appended records, after pending_
  bool owners_ascending_ = true;  ///< every owner sorts after the one before it
};

/// RR type numbers used by the checks.
namespace rrtype {
inline constexpr std::uint16_t A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, MX = 15, TXT = 16, AAAA = 28, DS = 43,
                               RRSIG = 46, NSEC = 47, DNSKEY = 48, NSEC3 = 50, NSEC3PARAM = 51, CDS = 59, CDNSKEY = 60,
                               ZONEMD = 63, DNAME = 39;
}

/// Mnemonic of a type ("A", "TYPE65280").
std::string type_name(std::uint16_t type);

}  // namespace zw::zone
