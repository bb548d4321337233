// resolver.hpp: an independent validator's verdict (libunbound on the run's event loop, with the run's root hints and
// trust anchor), to compare with our own chain analysis (RESOLVER_VERDICT_BOGUS, VALIDATOR_DISAGREEMENT).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "live/event_loop.hpp"

namespace zw::live {

struct Question {
  std::string qname;  ///< presentation format, absolute
  std::uint16_t qtype = 0;
};

/// What libunbound concluded for one question.
struct ResolverVerdict {
  Question question;
  std::string verdict;    ///< "secure", "insecure", "bogus", or "error" (it could not resolve: SERVFAIL, timeout)
  int rcode = 0;          ///< the answer's RCODE
  std::string why_bogus;  ///< libunbound's why_bogus text when bogus (else empty)
};

struct ResolverOptions {
  std::string root_hints;            ///< root hints file (--root-hints)
  std::vector<std::string> anchors;  ///< trust-anchor files (-k): DS or DNSKEY records, presentation format
  bool ipv4 = true;                  ///< -4/-6
  bool ipv6 = true;
  double timeout_seconds = 10;  ///< the whole batch
  /// The run's clock: RFC 7958 XML anchors are used when valid at it; 0: the system clock.
  core::EpochSeconds now = 0;
};

/// libunbound on `loop`: iterative resolution from the hints, validation with the anchors. Loopback servers are
/// allowed (the test lab serves on 127.0.0.0/8).
class Resolver {
 public:
  /// Throws zw::Error when the hints or an anchor cannot be used (naming the file; none given is an error too:
  /// fail closed). `loop` must outlive the resolver.
  Resolver(EventLoop& loop, const ResolverOptions& options);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  /// Resolves every question concurrently on the loop; verdicts in the same order. A question still unanswered
  /// after `timeout_seconds` is "error" (rcode SERVFAIL). Throws zw::Error when libunbound cannot start.
  std::vector<ResolverVerdict> resolve(std::span<const Question> questions);
  /// The same within `timeout_seconds` (what the run's --deadline leaves may be less than the options' timeout).
  std::vector<ResolverVerdict> resolve(std::span<const Question> questions, double timeout_seconds);

  /// Questions handed to libunbound whose answer has not come yet: those of batches that timed out. Their answers,
  /// when they come while the loop runs for something else, are dropped.
  std::size_t in_flight() const;

  /// The trust-anchor records in use, presentation format, one DS or DNSKEY record each, in file order (what
  /// Capture::anchors keeps).
  const std::vector<std::string>& anchor_records() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace zw::live
