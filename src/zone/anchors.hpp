// anchors.hpp: reads DS sets (--ds) and trust anchors (-k): master-file records, `dig +short DS` lines, IANA
// root-anchors XML (RFC 7958) and BIND trust-anchors / managed-keys / trusted-keys statements.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/name.hpp"
#include "core/time.hpp"

namespace zw::zone {

/// A DS or DNSKEY record read from an input file.
struct AnchorRecord {
  core::WireName owner;  ///< lower case
  std::uint16_t type = 0;
  std::string rdata;
  std::string file;
  std::uint32_t line = 0;
};

/// Largest DS or trust-anchor file read (IANA's root-anchors.xml is under 1 KiB, a DS set a few hundred bytes).
inline constexpr std::size_t kMaxAnchorFileBytes = std::size_t{1} << 20;

/// How to read a DS or trust-anchor file.
struct AnchorReadOptions {
  bool allow_dnskey = false;   ///< -k: DS or DNSKEY records; --ds: DS only
  core::EpochSeconds now = 0;  ///< XML KeyDigests are kept only when valid at this time
  core::WireName origin;       ///< -o/--origin: the owner of `dig +short DS` lines; empty: such lines are an error
  std::size_t max_bytes = kMaxAnchorFileBytes;
};

/// Reads DS (and, when `allow_dnskey`, DNSKEY) records from a file in any of the formats above. The file is read
/// once by the shared bounded reader (core/input.hpp), up to `max_bytes` (after gzip decompression), and must not
/// contain NUL bytes; regular files, pipes, FIFOs with a writer and character devices are accepted. Throws zw::Error
/// (naming the file, and the line where there is one) on unreadable, oversized, binary or malformed input, on
/// records of other types, and when the file yields no record (an XML whose KeyDigests are all outside their
/// validity at `now` included).
std::vector<AnchorRecord> read_anchor_file(const std::string& path, const AnchorReadOptions& options);

/// The same over text already read; `path` names it in messages.
std::vector<AnchorRecord> read_anchor_text(const std::string& text, const std::string& path,
                                           const AnchorReadOptions& options);

}  // namespace zw::zone
