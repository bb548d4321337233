// common.cpp: text helpers for the checks.
#include "checks/common.hpp"

#include <algorithm>

#include "core/codec.hpp"

namespace zw::checks {

std::string alg_text(std::uint8_t alg) {
  return std::to_string(alg) + " (" + dnssec::algorithm_name(alg) + ")";
}

bool tags_collide(const dnssec::PublicKey& x, const dnssec::PublicKey& y, std::uint16_t& shared) {
  if (x.tag == y.tag) {
    shared = x.tag;
    return true;
  }
  if (x.revoked_tag == y.tag || x.tag == y.revoked_tag) {
    shared = x.revoked_tag == y.tag ? y.tag : x.tag;
    return true;
  }
  return false;
}

Reporter::Params keytag_collision_params(std::uint16_t shared, const dnssec::PublicKey& a, std::string source_a,
                                         const dnssec::PublicKey& b, std::string source_b) {
  // Whole groups of 3 octets (4 base64 characters), at least 6 octets, up to the first octet where the keys differ.
  const std::string_view ka = a.public_key, kb = b.public_key;
  std::size_t differ = 0;
  while (differ < ka.size() && differ < kb.size() && ka[differ] == kb[differ]) ++differ;
  const std::size_t octets = std::max<std::size_t>(6, (differ / 3 + 1) * 3);
  return {{"keytag", std::to_string(shared)},
          {"algorithm", alg_text(a.algorithm)},
          {"tag_a", std::to_string(a.tag)},
          {"flags_a", std::to_string(a.flags)},
          {"key_a", core::base64_encode(ka.substr(0, std::min(octets, ka.size())))},
          {"source_a", std::move(source_a)},
          {"tag_b", std::to_string(b.tag)},
          {"flags_b", std::to_string(b.flags)},
          {"key_b", core::base64_encode(kb.substr(0, std::min(octets, kb.size())))},
          {"source_b", std::move(source_b)}};
}

}  // namespace zw::checks
