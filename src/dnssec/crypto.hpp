// crypto.hpp: DNSSEC primitives over OpenSSL: DNSKEY parsing, key tags, RRSIG signed data, verification, DS digests.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/handles.hpp"
#include "core/name.hpp"
#include "dnssec/algorithms.hpp"

namespace zw::dnssec {

/// DNSKEY flag bits (RFC 4034 §2.1.1, RFC 5011 §3).
inline constexpr std::uint16_t kFlagZone = 0x0100, kFlagRevoke = 0x0080, kFlagSep = 0x0001;

/// Key tag of DNSKEY RDATA (RFC 4034 Appendix B; algorithm 1 uses Appendix B.1).
std::uint16_t key_tag(std::string_view dnskey_rdata);

/// Why a public key cannot be used.
enum class KeyProblem : std::uint8_t {
  None,
  Encoding,      ///< malformed field (RFC 3110 exponent length, wrong EC/EdDSA length…) → KEY_ENCODING_INVALID
  PointInvalid,  ///< EC/EdDSA key not on its curve → KEY_EC_POINT_INVALID
  SmallOrder,    ///< EdDSA key of small order (identity, order 2/4/8): verifies forgeries → KEY_EC_POINT_INVALID
  Unsupported,   ///< algorithm not implemented here (unknown, GOST, DSA…)
};

/// An RSA public key prepared for the public operation with OpenSSL's Montgomery arithmetic (crypto.cpp).
struct RsaMont;

/// A DNSKEY parsed once, with its OpenSSL key.
struct PublicKey {
  std::uint16_t flags = 0;
  std::uint8_t protocol = 0;
  std::uint8_t algorithm = 0;
  std::uint16_t tag = 0;          ///< tag as published
  std::uint16_t revoked_tag = 0;  ///< tag with the REVOKE bit toggled (RFC 5011 §7)
  std::string rdata;              ///< DNSKEY RDATA (wire)
  std::string public_key;         ///< the Public Key field
  core::EvpPkeyPtr pkey;          ///< null unless problem == None
  KeyProblem problem = KeyProblem::None;
  std::string problem_text;
  /// For KeyProblem::Encoding: the KEY_ENCODING_INVALID detail token, and the field's length and the length its
  /// algorithm requires where the token names them.
  std::string_view problem_detail;
  std::size_t problem_octets = 0;
  std::size_t problem_expected = 0;
  int bits = 0;                             ///< RSA modulus bits; EC/EdDSA field size
  std::string rsa_modulus;                  ///< big-endian, RSA only
  std::string rsa_exponent;                 ///< big-endian, RSA only
  std::shared_ptr<const RsaMont> rsa_mont;  ///< RSA with an odd modulus and a small odd exponent: the fast path
};

/// Parses DNSKEY (or CDNSKEY) RDATA. Never throws; problems are reported in the result.
PublicKey parse_dnskey(std::string_view rdata);

/// The fixed fields of an RRSIG (RFC 4034 §3.1).
struct Rrsig {
  std::uint16_t type_covered = 0;
  std::uint8_t algorithm = 0;
  std::uint8_t labels = 0;
  std::uint32_t original_ttl = 0;
  std::uint32_t expiration = 0;
  std::uint32_t inception = 0;
  std::uint16_t key_tag = 0;
  core::WireName signer;    ///< lower-case
  std::string_view header;  ///< RDATA up to and including the signer name (signed, RFC 4034 §3.1.8.1)
  std::string_view signature;
};

/// Parses RRSIG RDATA; empty when truncated or malformed. The views point into `rdata`.
std::optional<Rrsig> parse_rrsig(std::string_view rdata);

/// Builds the data an RRSIG signs (RFC 4034 §3.1.8.1, §6): header | RR(1) | RR(2) …, with the owner replaced by
/// "*.<rightmost labels>" when labels < owner labels (RFC 4035 §5.3.2), the Original TTL, and the RRs' canonical
/// RDATA sorted and deduplicated. `owner` must be lower case; `rdatas` canonical.
std::string signed_data(const Rrsig& sig, std::string_view owner, std::uint16_t type, std::uint16_t rclass,
                        const std::vector<std::string_view>& rdatas);

/// Outcome of one signature check.
enum class VerifyResult : std::uint8_t { Valid, Invalid, Malformed, Unsupported };

/// Verifies `signature` over `data` with `key` (RSA PKCS#1 v1.5, ECDSA r||s, EdDSA). Thread-safe. Ed25519 goes
/// through libsodium, which also refuses small-order keys and R values (OpenSSL 3.0 accepts those; crypto.cpp).
VerifyResult verify(const PublicKey& key, std::string_view data, std::string_view signature);

/// How verify() checks RSA signatures. Montgomery (the default) runs the public operation with OpenSSL's Montgomery
/// multiplication and compares the result with the one valid PKCS#1 v1.5 encoding (RFC 8017 §8.2.2); Evp asks
/// EVP_PKEY_verify. Both give the same answer for every signature (tests/dnssec/test_rsa_verify.cpp); the switch
/// exists for those tests and for bench/crypto-speed. It is process-wide and not meant to change during a run.
enum class RsaPath : std::uint8_t { Montgomery, Evp };
void set_rsa_path(RsaPath path);

/// DS digest of a DNSKEY (RFC 4034 §5.1.4): digest(owner | DNSKEY RDATA). Types 1, 2, 4 (3 GOST unsupported).
std::optional<std::string> ds_digest(std::uint8_t digest_type, std::string_view owner, std::string_view dnskey_rdata);
/// Expected digest length of a digest type, 0 if unknown.
std::size_t ds_digest_length(std::uint8_t digest_type);

/// Fields of a DS/CDS RDATA.
struct DsRecord {
  std::uint16_t key_tag = 0;
  std::uint8_t algorithm = 0;
  std::uint8_t digest_type = 0;
  std::string digest;
};
std::optional<DsRecord> parse_ds(std::string_view rdata);

/// Facts about an RSA public key used by the key-quality checks.
struct RsaFacts {
  int bits = 0;                   ///< modulus length in bits
  std::string exponent_decimal;   ///< public exponent in decimal
  bool exponent_invalid = false;  ///< exponent is even or 1 (unusable)
  bool exponent_unusual = false;  ///< exponent is 3 or anything other than 65537 (and not invalid)
  bool modulus_even = false;
  std::uint32_t small_factor = 0;  ///< smallest prime factor below 2^16 dividing the modulus, 0 when none
};
/// RSA facts, or empty for non-RSA keys and keys whose encoding could not be read.
std::optional<RsaFacts> rsa_facts(const PublicKey& key);

}  // namespace zw::dnssec
