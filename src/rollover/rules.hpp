// rules.hpp: rollover stage and timing from a zone's timeline (RFC 6781 §4.1, RFC 7583, RFC 5011). Pure: the
// timeline, the version under check and the clock in; verdicts out.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "core/time.hpp"
#include "rollover/history.hpp"
#include "rollover/snapshot.hpp"

namespace zw::rollover {

/// What the timing rules assume.
struct TimingOptions {
  std::int64_t propagation = 3600;  ///< Dprp: until every server serves a new version (--propagation)
  /// The timeline's versions are samples (live runs, or snapshots fed with --sampled): versions between them may have
  /// been published unseen, so a version is assumed served only until it was last seen. Otherwise every version
  /// passed through zonewarden (the gate): each was served until the next one was first seen.
  bool sampled = false;
  /// The zone's KSKs are trust anchors managed by RFC 5011 (the root, or --rfc5011).
  bool rfc5011 = false;
  std::int64_t add_holddown = 30LL * 86400;     ///< RFC 5011 §2.4.1
  std::int64_t remove_holddown = 30LL * 86400;  ///< RFC 5011 §2.4.2 and §6.1
};

/// A verdict of the timing rules: a code of the catalogue's rollover area, its params in the row's order, and the
/// condition it is reported under (empty: the row's severity).
struct TimingVerdict {
  catalog::Code code;
  std::vector<std::pair<std::string, std::string>> params;
  std::string condition;
  /// For UNSIGN_BEFORE_DS_REMOVED with detail ds-published: the DS records still published (the reporter places the
  /// finding at them).
  bool at_parent_ds = false;
};

/// One rollover the version is in the middle of (ROLLOVER_IN_PROGRESS).
struct Stage {
  std::string kind;    ///< ZSK, KSK, CSK, algorithm
  std::string stage;   ///< new-key-published, new-key-active, double-signature, old-key-revoked, ...
  std::string method;  ///< pre-publish, double-signature, double-KSK, double-DS, RFC 5011, conservative, liberal
  std::string old_keys, new_keys;  ///< tags (algorithm rollovers: algorithm numbers), space-separated, or "-"
};

/// The timeline as the rules read it: `prior` (what earlier runs recorded, and a --previous version as an epoch
/// last seen now) before the version under check at `now`.
struct Timeline {
  const History* prior = nullptr;
  core::EpochSeconds now = 0;
  TimingOptions options;
};

/// What the rollover check reads about one view: the version under check and the timeline before it.
struct ViewRollover {
  Snapshot current;
  History prior;      ///< the zone's timeline from --state, with a --previous version as an epoch last seen now
  Timeline timeline;  ///< timeline.prior points at prior
};

/// The timing verdicts for `current` against what caches may still hold from earlier epochs.
std::vector<TimingVerdict> judge_timing(const Timeline& t, const Snapshot& current);

/// The rollovers `current` is in the middle of (or has just completed), in a canonical order.
std::vector<Stage> rollover_stages(const Timeline& t, const Snapshot& current);

}  // namespace zw::rollover
