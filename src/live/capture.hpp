// capture.hpp: the observations of a live run (DESIGN.md §1): every exchange with every server and every verdict of
// the validating resolver, with what is needed to redo the analysis offline (--save-capture, --capture).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "infra/address_facts.hpp"
#include "live/resolver.hpp"
#include "live/transport.hpp"

namespace zw::live {

/// One request and what became of it, in the order the walker sent them.
struct Observation {
  Request request;
  Response response;
};

/// Everything a live run observed. Re-walking a capture through a replay transport gives the same views, findings
/// and report as the live run, byte for byte.
struct Capture {
  core::EpochSeconds now = 0;        ///< the clock of the live run; --now of the replay defaults to it
  std::uint64_t seed = 0;            ///< the probe seed (random names of denial probes)
  std::vector<std::string> names;    ///< the names checked, as given
  std::string root_hints;            ///< the root hints' text (presentation format)
  std::vector<std::string> anchors;  ///< the trust anchors' records (presentation format, one per element)
  std::vector<Observation> exchanges;
  std::vector<ResolverVerdict> resolver;
  std::vector<std::string> services;  ///< the --service names asked (absolute, lower-case)
  /// The address data's sources and its answer for every address the run looked up; absent in captures made before
  /// zonewarden kept them (a replay then looks addresses up in the data it is given).
  std::optional<infra::AddressFacts> addresses;
};

/// Writes `c` as JSON (format "zonewarden-capture", version 1): one object with the keys address_facts and
/// address_sources (when `c.addresses` is set), anchors, exchanges, format, names, now, resolver, root_hints, seed,
/// services (when there are any) and version, in that (sorted) order at every level; every field of Request,
/// Response, ResolverVerdict, AddressInfo (with its address) and SourceFacts (built: null when unknown) under its own
/// name, outcomes and transports by name, wire messages in base64; one exchange, verdict, address or source a line,
/// addresses in address order. Reading and writing again gives the same bytes.
void write_capture(std::ostream& out, const Capture& c);

/// Reads a capture; throws zw::Error naming `name` and the JSON path of the first problem ("capture.json:
/// exchanges[3].response.wire: not base64"): unknown or missing keys, wrong types, out-of-range numbers, bad base64,
/// unknown outcomes or verdicts, names and addresses that do not parse (or an address not in its canonical text), an
/// address given twice, a fact whose source is not among address_sources, address_facts without address_sources or
/// the reverse. A capture of version 1 without the later keys (address facts, services) reads. Bounded: a capture
/// larger than `max_bytes` is refused, and so are nesting deeper than 8 levels, a list element of more than 64 JSON
/// values and more than 2^20 names, anchors, services, address facts or sources; time is linear in the text and memory
/// follows what the capture holds.
Capture read_capture(std::istream& in, const std::string& name, std::uint64_t max_bytes = std::uint64_t{1} << 30);

}  // namespace zw::live
