// algorithms.hpp: the one table of DNSSEC algorithm facts (IANA "DNS Security Algorithm Numbers"): mnemonic,
// signing status (RFC 8624 §3.1 as updated by RFC 9904 and RFC 9905), key family and fixed sizes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace zw::dnssec {

/// Whether zones should be signed with an algorithm.
enum class AlgStatus : std::uint8_t {
  Recommended,  ///< MUST or RECOMMENDED for signing
  Deprecated,   ///< NOT RECOMMENDED for signing (SHA-1: RFC 9905; RSASHA512: RFC 8624 §3.1)
  Prohibited,   ///< MUST NOT sign (RFC 8624 §3.1)
  Unknown,      ///< unassigned, reserved or private
};

/// The kind of public key an algorithm uses.
enum class KeyFamily : std::uint8_t { None, Rsa, EcdsaP256, EcdsaP384, Ed25519, Ed448 };

struct AlgorithmFacts {
  std::string_view mnemonic;  ///< empty when the number has none
  AlgStatus status = AlgStatus::Unknown;
  KeyFamily family = KeyFamily::None;
  bool verifiable = false;             ///< this build verifies its signatures
  std::uint16_t key_octets = 0;        ///< fixed public key length (RFC 6605 §4, RFC 8080 §3); 0 when variable
  std::uint16_t signature_octets = 0;  ///< fixed signature length (RFC 6605 §4, RFC 8080 §4); 0 when variable
};

namespace detail {
inline constexpr std::array<AlgorithmFacts, 256> kAlgorithms = [] {
  using S = AlgStatus;
  using F = KeyFamily;
  std::array<AlgorithmFacts, 256> t{};
  t[1] = {"RSAMD5", S::Prohibited, F::Rsa, false, 0, 0};
  t[2] = {"DH", S::Unknown, F::None, false, 0, 0};
  t[3] = {"DSA", S::Prohibited, F::None, false, 0, 0};
  t[5] = {"RSASHA1", S::Deprecated, F::Rsa, true, 0, 0};
  t[6] = {"DSA-NSEC3-SHA1", S::Prohibited, F::None, false, 0, 0};
  t[7] = {"RSASHA1-NSEC3-SHA1", S::Deprecated, F::Rsa, true, 0, 0};
  t[8] = {"RSASHA256", S::Recommended, F::Rsa, true, 0, 0};
  t[10] = {"RSASHA512", S::Deprecated, F::Rsa, true, 0, 0};
  t[12] = {"ECC-GOST", S::Prohibited, F::None, false, 0, 0};
  t[13] = {"ECDSAP256SHA256", S::Recommended, F::EcdsaP256, true, 64, 64};
  t[14] = {"ECDSAP384SHA384", S::Recommended, F::EcdsaP384, true, 96, 96};
  t[15] = {"ED25519", S::Recommended, F::Ed25519, true, 32, 64};
  t[16] = {"ED448", S::Recommended, F::Ed448, true, 57, 114};
  t[252] = {"INDIRECT", S::Unknown, F::None, false, 0, 0};
  t[253] = {"PRIVATEDNS", S::Unknown, F::None, false, 0, 0};
  t[254] = {"PRIVATEOID", S::Unknown, F::None, false, 0, 0};
  return t;
}();
}  // namespace detail

/// The facts of an algorithm number; an unlisted number has no mnemonic, Unknown status and no key family.
inline const AlgorithmFacts& algorithm_facts(std::uint8_t algorithm) {
  return detail::kAlgorithms[algorithm];
}
/// True for the RSA algorithms (1, 5, 7, 8, 10).
inline bool is_rsa_algorithm(std::uint8_t algorithm) {
  return algorithm_facts(algorithm).family == KeyFamily::Rsa;
}
/// True for algorithms this build can verify (5, 7, 8, 10, 13, 14, 15, 16).
inline bool algorithm_supported(std::uint8_t algorithm) {
  return algorithm_facts(algorithm).verifiable;
}
/// Mnemonic of an algorithm number ("RSASHA256", "ALG200").
std::string algorithm_name(std::uint8_t algorithm);

}  // namespace zw::dnssec
