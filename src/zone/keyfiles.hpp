// keyfiles.hpp: the signer's key inventory (--keys DIR) and the key history file (--key-history FILE).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/name.hpp"
#include "core/time.hpp"

namespace zw::zone {

/// One key found in a key directory: a public half (DNSKEY RDATA), a private half, or both.
struct InventoryKey {
  std::string file;          ///< the file the key came from (for a BIND pair: the .key file, else the .private)
  std::string private_file;  ///< the file holding the private half, empty when none was found
  core::WireName zone;       ///< lower-case owner of the DNSKEY (from the .key file or the K<zone>+... name)
  std::string
      dnskey_rdata;  ///< DNSKEY RDATA of the public half (from the .key file, else derived from the private key)
  bool has_public_file = false;  ///< a .key (DNSKEY) file was present
  bool has_private = false;      ///< a private key was read
  bool private_matches =
      true;             ///< the private key's public half equals dnskey_rdata (false: KEY_PRIVATE_PUBLIC_MISMATCH)
  std::string problem;  ///< why the private key could not be read or compared (empty when fine)
  std::string private_rdata;   ///< DNSKEY RDATA of the private key's public half (flags of dnskey_rdata, the private
                               ///< key's algorithm); empty when has_private is false
  std::int32_t name_tag = -1;  ///< the key tag a K<zone>+<alg>+<tag> file name states; -1 when the name states none
};

/// Reads every key in a directory: BIND `K<zone>+<alg>+<tag>.key/.private` pairs, ldns-keygen output (the same
/// names), and PKCS#8 PEM private keys (`*.pem`, with the zone and algorithm taken from a BIND-style name or a
/// `<zone>.<alg>.pem` convention documented in the man page). Only regular files are key files; each is read by the
/// shared bounded reader (core/input.hpp): at most 1 MiB, no NUL byte, not decompressed. Throws zw::Error when the
/// directory or a key file cannot be read or a file is malformed (message "file:line: reason").
std::vector<InventoryKey> read_key_directory(const std::string& dir);

/// One public key seen in an earlier run (the --key-history file). The file is text, one key per line:
///   <zone> <first seen, RFC 3339 UTC> <flags> <protocol> <algorithm> <public key, base64>
/// e.g. "example. 2026-01-01T00:00:00Z 257 3 13 IizmHDe4…lJA==" (a DNSKEY line with the time in place of class and
/// type). Blank lines and lines starting with '#' are ignored; the base64 may be split by spaces.
struct HistoryKey {
  core::WireName zone;
  std::uint8_t algorithm = 0;
  std::uint16_t flags = 0;
  std::string dnskey_rdata;
  core::EpochSeconds first_seen = 0;
  std::string source;  ///< "file:line" in the history file
};

/// Reads a key history file (one DNSKEY per line with the time it was first seen); a missing file is empty history.
/// The file must be a regular file of at most 256 MiB without NUL bytes (core/input.hpp) and of format version 1 or
/// older (files without a version line are version 0, read the same way); else zw::Error naming the file.
std::vector<HistoryKey> read_key_history(const std::string& path);

/// Appends the keys not yet in the history file: under its lock, the file is read again and replaced atomically
/// (rollover/state.hpp), in format version 1 (a first line "# zonewarden key-history version 1"). A file of a newer
/// format version is refused (zw::Error naming it), never rewritten.
void append_key_history(const std::string& path, const std::vector<HistoryKey>& existing,
                        const std::vector<HistoryKey>& seen);

}  // namespace zw::zone
