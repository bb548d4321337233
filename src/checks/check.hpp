// check.hpp: what every check reads (CheckInput) and the helpers checks use to report findings.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/finding.hpp"
#include "core/time.hpp"
#include "dnssec/analysis.hpp"
#include "zone/keyfiles.hpp"
#include "zone/zone.hpp"

namespace zw::infra {
class AddressData;
}
namespace zw::rollover {
struct ViewRollover;
}

namespace zw::checks {

/// Options that change what the checks decide.
struct Options {
  core::EpochSeconds now = 0;               ///< the clock (--now)
  std::int64_t min_validity = 3 * 86400;    ///< RRSIG_EXPIRES_SOON horizon (--min-validity)
  std::int64_t max_validity = 180 * 86400;  ///< RRSIG_VALIDITY_TOO_LONG limit (--max-validity)
  std::int64_t asn_max_age = 180 * 86400;   ///< address data older than this is stale (--asn-max-age)
  double max_shrink = 0.05;                 ///< ZONE_SHRINK limit: share of names or delegations lost (--max-shrink)
};

/// A DS or DNSKEY record read from a --ds or -k file, or the parent zone's DS (its file, or the servers that gave it).
struct ExternalRecord {
  std::string rdata;
  std::string file;
  std::uint32_t line = 0;
  std::vector<std::string> servers;  ///< from the parent's servers (a live view), instead of a file
};

/// Where a zone's chain of trust starts (the summary's "chain" field).
enum class ChainSource : std::uint8_t {
  Assumed,             ///< nothing given: the zone's own KSKs (CHAIN_ANCHOR_ASSUMED)
  Ds,                  ///< --ds
  TrustAnchor,         ///< -k
  ParentZone,          ///< the DS RRset at the delegation in the parent's zone file, checked in the same run
  InsecureDelegation,  ///< the parent's zone file is checked too and proves no chain: unsigned, or no DS
};

/// "assumed", "ds", "trust-anchor", "parent-zone", "insecure-delegation".
const char* chain_source_name(ChainSource s);

/// The chain-of-trust inputs that apply to one zone.
struct ChainInput {
  std::vector<ExternalRecord> parent_ds;      ///< the parent's DS set: from --ds, else from the parent's zone file
  std::vector<ExternalRecord> anchor_ds;      ///< DS from -k trust-anchor files for this zone
  std::vector<ExternalRecord> anchor_dnskey;  ///< DNSKEY from -k trust-anchor files for this zone
  bool any_ds_given = false;                  ///< --ds was given for some zone in this run
  bool any_anchor_given = false;              ///< -k was given
  ChainSource source = ChainSource::Assumed;
  /// The parent zone when its file is checked in the same run: its index in CheckInput::zones, and the index of
  /// this zone's origin (the delegation) among its names.
  std::optional<std::size_t> parent;
  std::uint32_t parent_delegation = 0;
};

/// What a view's sources were asked (DESIGN.md §1, Views), so that "absent" and "not asked" are never confused.
struct Coverage {
  bool complete = true;  ///< the whole zone: a zone file or a transfer
  /// When not complete: the (lower-case owner, type) pairs asked, sorted; a record of another pair is unknown.
  std::vector<std::pair<core::WireName, std::uint16_t>> asked;

  /// Whether the view can tell that `type` at `owner` is absent.
  bool covers(const core::WireName& owner, std::uint16_t type) const;
};

/// One view of a zone under check: a zone file, or the answers of one or more servers whose answers were identical.
/// Several views of one zone share its name.
struct ZoneContext {
  std::string name;  ///< presentation format
  const zone::Zone* zone = nullptr;
  std::vector<std::string> servers;  ///< the servers that showed this view ("NAME/ADDRESS"); empty for a zone file
  Coverage coverage;
  const dnssec::ZoneAnalysis* analysis = nullptr;
  ChainInput chain;
  /// Live views: each nameserver name (presentation, lower-case) with the addresses the walk found for it (glue or
  /// resolved), for the names whose addresses the view itself does not hold.
  std::map<std::string, std::vector<std::string>> ns_addresses;
  const zone::Zone* previous = nullptr;  ///< --previous: the last published version of this zone, or null
  const dnssec::ZoneAnalysis* previous_analysis = nullptr;
  /// The view's rollover input: its snapshot and the zone's timeline (--state, --previous); null for a view that
  /// is not judged (a lame server's).
  const rollover::ViewRollover* rollover = nullptr;
};

/// Everything a check may read. Checks never do I/O and never read the system clock.
struct CheckInput {
  std::vector<ZoneContext> zones;
  Options options;
  std::vector<zone::InventoryKey> inventory;      ///< --keys DIR: the signer's keys
  std::vector<zone::HistoryKey> history;          ///< --key-history FILE: public keys seen in earlier runs
  const infra::AddressData* addresses = nullptr;  ///< --asn-source: AS, country; null or empty: none
};

/// A check: a pure function from input to findings.
using CheckFn = void (*)(const CheckInput&, FindingSink&);

/// Builds findings about one zone with its name and source positions filled in.
class Reporter {
 public:
  Reporter(const ZoneContext& ctx, FindingSink& sink) : ctx_(ctx), sink_(sink) {}

  using Params = std::vector<std::pair<std::string, std::string>>;

  /// Reports `code` about an RRset (owner, type and the first record's source). `when` names the catalogue condition
  /// under which the finding takes another severity than the row's (default: the row's).
  void rrset(catalog::Code code, const zone::RRset& set, Params params = {}, catalog::When when = {});
  /// Reports `code` about one record.
  void record(catalog::Code code, const zone::Record& rec, Params params = {}, catalog::When when = {});
  /// Reports `code` about a name (index into Zone::names) with an optional type and source.
  void name(catalog::Code code, std::uint32_t name, std::uint16_t type, zone::SourceRef src, Params params = {},
            catalog::When when = {});
  /// Reports `code` about a record read from a --ds or -k file.
  void external(catalog::Code code, const ExternalRecord& rec, std::string type, Params params = {},
                catalog::When when = {});
  /// Reports `code` about the zone as a whole (owner = apex), as shown by every server of the view.
  void zone(catalog::Code code, Params params = {}, catalog::When when = {});
  /// Reports `code` about an owner name that is not among the zone's names (out-of-zone data).
  void owner(catalog::Code code, const core::WireName& owner, std::uint16_t type, zone::SourceRef src,
             Params params = {});

  const ZoneContext& context() const { return ctx_; }

 private:
  void emit(catalog::Code code, std::string owner, std::string type, zone::SourceRef src, bool has_src, Params params,
            catalog::When when);
  Finding make(catalog::Code code, std::string owner, std::string type, Params params, catalog::When when) const;
  void locate(Finding& f, zone::SourceRef src, bool has_src) const;
  const ZoneContext& ctx_;
  FindingSink& sink_;
};

/// The checks of each area (one function per area file).
void check_signatures(const CheckInput& in, FindingSink& sink);
void check_timing(const CheckInput& in, FindingSink& sink);
void check_keys(const CheckInput& in, FindingSink& sink);
void check_key_sharing(const CheckInput& in, FindingSink& sink);
void check_chain(const CheckInput& in, FindingSink& sink);
void check_ds_records(const CheckInput& in, FindingSink& sink);
void check_cds(const CheckInput& in, FindingSink& sink);
void check_delegations(const CheckInput& in, FindingSink& sink);
void check_apex_ns(const CheckInput& in, FindingSink& sink);
void check_zonemd(const CheckInput& in, FindingSink& sink);
void check_denial(const CheckInput& in, FindingSink& sink);     // denial.cpp: NSEC, NSEC3, RFC 9276
void check_inventory(const CheckInput& in, FindingSink& sink);  // inventory.cpp: --keys, key tags before signing
void check_history(const CheckInput& in, FindingSink& sink);    // history.cpp: --previous
void check_content(const CheckInput& in, FindingSink& sink);    // content.cpp: CNAME, DNAME (RFC 2181, RFC 6672)
void check_rollover(const CheckInput& in, FindingSink& sink);   // rollover.cpp: stages and timing (--state)

/// out_of_zone.cpp: records outside the zone (Zone::out_of_zone).
void check_out_of_zone(const CheckInput& in, FindingSink& sink);

/// views.cpp: the views of one zone compared (SOA serials of the servers).
void check_view_consistency(const CheckInput& in, FindingSink& sink);
void check_ns_diversity(const CheckInput& in, FindingSink& sink);

/// What a check needs (DESIGN.md §1, Checks). The runner runs a check only where its needs are met, and they alone
/// decide what may run beside signature verification.
enum Need : std::uint8_t {
  kNeedsNothing = 0,
  /// A whole zone (a zone file or a transfer): the check concludes from what is absent (chain completeness, the
  /// glue scan, ZONEMD, ZONE_SHRINK). Views that answered only some queries are left out.
  CompleteZone = 1U << 0,
  /// Signature results (SigStatus, KeyInfo use counts): runs only after verification. A check without it reads
  /// the zone and ZoneAnalysis::signed_zone only, and runs beside verification of its own zone.
  Verified = 1U << 1,
  /// Every view of a zone at once (cross-server comparison): runs after every view is verified, and only when some
  /// zone has two views or more.
  AllViews = 1U << 2,
};

/// A registered check and its needs (a set of Need bits).
struct CheckEntry {
  const char* name;
  CheckFn fn;
  std::uint8_t needs = kNeedsNothing;

  bool needs_any(std::uint8_t n) const { return (needs & n) != 0; }
};

/// Every registered check, in order.
const std::vector<CheckEntry>& registry();

}  // namespace zw::checks
