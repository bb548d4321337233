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

Reporter::Params keytag_collision_params(std::uint16_t shared, std::vector<CollisionMember> members) {
  constexpr std::size_t kListed = 8;
  std::sort(members.begin(), members.end(),
            [](const CollisionMember& x, const CollisionMember& y) { return x.key->rdata < y.key->rdata; });
  // Whole groups of 3 octets (4 base64 characters), at least 6 octets, up to the first octet where a key differs
  // from the one closest to it: the longest common prefix is between neighbours in public-key order.
  std::vector<std::string_view> by_key;
  by_key.reserve(members.size());
  for (const CollisionMember& m : members) by_key.push_back(m.key->public_key);
  std::sort(by_key.begin(), by_key.end());
  std::size_t differ = 0;
  for (std::size_t i = 1; i < by_key.size(); ++i) {
    const std::string_view x = by_key[i - 1], y = by_key[i];
    std::size_t common = 0;
    while (common < x.size() && common < y.size() && x[common] == y[common]) ++common;
    differ = std::max(differ, common);
  }
  const std::size_t octets = std::max<std::size_t>(6, (differ / 3 + 1) * 3);
  std::string keys;
  for (std::size_t i = 0; i < members.size() && i < kListed; ++i) {
    const dnssec::PublicKey& k = *members[i].key;
    const std::string_view pub = k.public_key;
    keys += (keys.empty() ? "key " : "; key ") + std::to_string(k.tag) + " (flags " + std::to_string(k.flags) + ", " +
            core::base64_encode(pub.substr(0, std::min(octets, pub.size()))) + "..., " + members[i].source + ")";
  }
  if (members.size() > kListed) keys += "; and " + std::to_string(members.size() - kListed) + " more";
  return {{"keytag", std::to_string(shared)},
          {"algorithm", alg_text(members.front().key->algorithm)},
          {"count", std::to_string(members.size())},
          {"keys", std::move(keys)}};
}

Reporter::Params keytag_collision_params(std::uint16_t shared, const dnssec::PublicKey& a, std::string source_a,
                                         const dnssec::PublicKey& b, std::string source_b) {
  return keytag_collision_params(shared, {{&a, std::move(source_a)}, {&b, std::move(source_b)}});
}

}  // namespace zw::checks
