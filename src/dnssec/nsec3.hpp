// nsec3.hpp: NSEC3 hashing (RFC 5155 §5), base32hex (RFC 4648 §7), NSEC/NSEC3/NSEC3PARAM RDATA and type bitmaps.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zw::dnssec {

/// NSEC3 hash algorithm 1, SHA-1 (RFC 5155 §11), and the length of its digest.
inline constexpr std::uint8_t kNsec3HashSha1 = 1;
inline constexpr std::size_t kNsec3HashLength = 20;
/// The Opt-Out bit of the NSEC3 Flags field (RFC 5155 §3.1.2.1).
inline constexpr std::uint8_t kNsec3FlagOptOut = 0x01;

/// Iterations up to which NSEC3 hashing is never budgeted. RFC 9276 §3.2: "Validating resolvers MAY return an
/// insecure response to their clients when processing NSEC3 records with iterations larger than 0"; Unbound and
/// BIND do so above 150, so no zone that validates anywhere is ever budgeted.
inline constexpr std::uint16_t kNsec3IterationsUnbudgeted = 150;

/// The SHA-1 operations a zone's NSEC3 checks may spend hashing names when its iterations exceed
/// kNsec3IterationsUnbudgeted: about a second and a half of one core (128 names at 65,535 iterations, 55,188 at 151).
inline constexpr std::uint64_t kNsec3HashBudget = std::uint64_t{1} << 23;

/// How many names may be hashed with `iterations` within the hashing budget: SIZE_MAX (no limit) up to
/// kNsec3IterationsUnbudgeted, else kNsec3HashBudget / (iterations + 1) (each hash costs iterations + 1 SHA-1
/// operations, RFC 5155 §5).
std::size_t nsec3_names_within_budget(std::uint16_t iterations);

/// A SHA-1 NSEC3 hash.
using Nsec3Digest = std::array<unsigned char, kNsec3HashLength>;

/// The hash of an owner name (RFC 5155 §5): IH(salt, x, 0) = SHA-1(x || salt), IH(salt, x, k) =
/// SHA-1(IH(salt, x, k-1) || salt); result IH(salt, owner, iterations). The owner must already be in canonical
/// form: uncompressed, fully qualified, lower-case wire format. Returns the 20 raw octets.
std::string nsec3_hash(std::string_view owner_wire_lowercase, std::string_view salt, std::uint16_t iterations);

/// Same as nsec3_hash, without allocating: writes the digest to `out`.
void nsec3_hash_into(std::string_view owner_wire_lowercase, std::string_view salt, std::uint16_t iterations,
                     Nsec3Digest& out);

/// Decodes a base32hex NSEC3 owner label into a SHA-1 digest; false unless it is exactly 20 octets' worth.
bool base32hex_decode_digest(std::string_view text, Nsec3Digest& out);

/// The fields of NSEC3 RDATA (RFC 5155 §3.2). Views point into the RDATA.
struct Nsec3Rdata {
  std::uint8_t algorithm = 0;
  std::uint8_t flags = 0;
  std::uint16_t iterations = 0;
  std::string_view salt;
  std::string_view next;    ///< Next Hashed Owner Name, raw octets
  std::string_view bitmap;  ///< Type Bit Maps field
};

/// Parses NSEC3 RDATA; empty when truncated (the bitmap is not validated here, see parse_type_bitmap).
std::optional<Nsec3Rdata> parse_nsec3(std::string_view rdata);

/// The fields of NSEC3PARAM RDATA (RFC 5155 §4.2).
struct Nsec3ParamRdata {
  std::uint8_t algorithm = 0;
  std::uint8_t flags = 0;
  std::uint16_t iterations = 0;
  std::string_view salt;
};

/// Parses NSEC3PARAM RDATA; empty when truncated or followed by trailing octets.
std::optional<Nsec3ParamRdata> parse_nsec3param(std::string_view rdata);

/// Decodes a Type Bit Maps field (RFC 4034 §4.1.2, shared by NSEC and NSEC3) into ascending type numbers,
/// appended to `types` (which is cleared first). False when a window is out of order, repeated, empty, longer than
/// 32 octets or truncated.
bool parse_type_bitmap(std::string_view bitmap, std::vector<std::uint16_t>& types);

}  // namespace zw::dnssec
