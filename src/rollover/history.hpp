// history.hpp: a zone's rollover timeline — the versions seen and when (--state DIR), kept in one state file per
// zone (state.hpp: versioned, replaced atomically, under a lock).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "rollover/snapshot.hpp"

namespace zw::rollover {

/// A time that is not known (a version given with --previous was published at some time before now).
inline constexpr core::EpochSeconds kUnknownTime = INT64_MIN;

/// One state of the zone's keys and signers, and when it was seen: a run at first_seen saw it first, a run at
/// last_seen last. Consecutive runs that see the same state extend one epoch.
struct Epoch {
  core::EpochSeconds first_seen = 0;
  core::EpochSeconds last_seen = 0;
  std::uint32_t serial_first = 0;
  std::uint32_t serial_last = 0;
  Snapshot state;
};

/// When one item (a DNSKEY, a key's use, a DS, a CDS, a signer set) was first and last seen.
struct Seen {
  core::EpochSeconds first = 0;
  core::EpochSeconds last = 0;
};

/// A zone's timeline. Items are named "dnskey:ID", "signs-dnskey:ID", "signs-data:ID", "revoked:ID", "ds:ITEM",
/// "cds:RECORD" and "signers:ID,ID…".
struct History {
  std::string zone;           ///< presentation format
  std::vector<Epoch> epochs;  ///< by first_seen, then by state
  std::map<std::string, Seen> items;

  /// Adds what a run at `now` saw (one snapshot per distinct view) and drops what no rule can need any more: epochs
  /// that ended more than kKeepSeconds before now beyond the newest kMaxEpochs, items unseen for kKeepItemSeconds.
  void record(const std::vector<Snapshot>& seen, core::EpochSeconds now);
  /// The item's times, if it was ever seen.
  std::optional<Seen> item(const std::string& name) const;

  static constexpr std::size_t kMaxEpochs = 512;
  static constexpr std::size_t kMaxItems = 8192;
  static constexpr core::EpochSeconds kKeepSeconds = 400LL * 86400;
  static constexpr core::EpochSeconds kKeepItemSeconds = 800LL * 86400;
};

/// The state file of `zone` (presentation format) in `dir`: "DIR/<name>.rollover", the name lower-cased with every
/// octet outside [a-z0-9-.] percent-encoded; the root zone is "DIR/%2e.rollover".
std::string state_path(const std::string& dir, const std::string& zone);

/// Reads the timeline of `zone` from `dir`; an empty history when there is none yet. Throws zw::Error naming the
/// file (and the problem) when it cannot be read, is of a newer format, or is not a timeline of this zone.
History load_history(const std::string& dir, const std::string& zone);

/// Adds what a run at `now` saw to the zone's timeline under its lock (read again, changed, replaced atomically), so
/// that runs at once lose nothing. Creates `dir` when missing. Throws zw::Error naming the file.
void save_observation(const std::string& dir, const std::string& zone, const std::vector<Snapshot>& seen,
                      core::EpochSeconds now);

/// The text of a timeline (format version line, then JSON) and back; parse throws zw::Error naming `path`.
std::string history_text(const History& h);
History parse_history(const std::string& path, const std::string& text);

}  // namespace zw::rollover
