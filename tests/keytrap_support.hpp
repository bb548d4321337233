// keytrap_support.hpp: zones of Ed25519 keys forced onto one key tag, for the tests of the work budgets and of
// key-tag collisions (KeyTrap, CVE-2023-50387).
#pragma once

#include <cstdint>
#include <string>

#include "dnssec/crypto.hpp"
#include "zone/loader.hpp"

namespace zw::test {

inline std::string base64(const std::string& in) {
  static const char* const kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    const auto v = static_cast<unsigned char>(in[i]) << 16;
    out += std::string{kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const auto v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += std::string{kAlphabet[(v >> 18) & 63], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
  }
  return out;
}

/// Reproducible bytes (a linear congruential generator; only their variety matters).
inline std::string bytes(std::uint64_t seed, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    out += static_cast<char>(seed >> 56);
  }
  return out;
}

/// An Ed25519 zone key (flags 256) on the curve whose tag is `tag`: random key bytes, the last two chosen so that
/// the checksum (RFC 4034 Appendix B) comes out at `tag`.
inline std::string colliding_key(std::uint64_t seed, std::uint16_t tag) {
  for (;; ++seed) {
    std::string pub = bytes(seed, 32);
    for (unsigned w = 0; w < 0x10000; ++w) {
      pub[30] = static_cast<char>(w >> 8);
      pub[31] = static_cast<char>(w & 0xFF);
      const std::string rdata = std::string("\x01\x00\x03\x0f", 4) + pub;
      if (dnssec::key_tag(rdata) != tag) continue;
      if (dnssec::parse_dnskey(rdata).problem == dnssec::KeyProblem::None) return pub;
      break;  // not a point on the curve: next seed
    }
  }
}

/// A KeyTrap zone: `keys` Ed25519 zone keys sharing tag 4242, and `sigs` signatures over www A that name it and
/// verify under none (random R, canonical S). With `collide` false, its control: the same numbers of keys and
/// signatures, each key with a tag of its own and each signature naming one of them.
inline zone::Zone keytrap(int keys, int sigs, int sig_tag = 4242, bool collide = true) {
  // The control (collide false): key k has its own tag, in blocks of 128 that are 128 apart so that no two differ by
  // the REVOKE bit's 128 either, and signature s names the tag of key s mod `keys`: one key to try per signature.
  const auto tag_of = [&](int k) { return collide ? 4242 : 10000 + k + 128 * (k / 128); };
  std::string text =
      "$ORIGIN example.\n"
      "@ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
      "@ 3600 IN NS ns1\n"
      "ns1 3600 IN A 192.0.2.1\n"
      "www 3600 IN A 192.0.2.2\n";
  for (int k = 0; k < keys; ++k) {
    text += "@ 3600 IN DNSKEY 256 3 15 " +
            base64(colliding_key(static_cast<std::uint64_t>(k) * 1000003, static_cast<std::uint16_t>(tag_of(k)))) +
            "\n";
  }
  for (int s = 0; s < sigs; ++s) {
    std::string sig = bytes(static_cast<std::uint64_t>(s) + 77, 64);
    sig[63] = 0;  // S < L: a canonical scalar, so verification runs in full
    text += "www 3600 IN RRSIG A 15 2 3600 20270101000000 20251201000000 " +
            std::to_string(collide ? sig_tag : tag_of(s % keys)) + " example. " + base64(sig) + "\n";
  }
  zone::LoadOptions lo;
  return zone::load_zone_text(text, "keytrap.zone", lo);
}

}  // namespace zw::test
