// nsec3.cpp: NSEC3 hashing over OpenSSL SHA-1, base32hex, and NSEC3/NSEC3PARAM/type-bitmap parsing.
#include "dnssec/nsec3.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>

#include "core/bytes.hpp"
#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/handles.hpp"
#include "core/name.hpp"

namespace zw::dnssec {
namespace {

/// SHA-1 fetched once: OpenSSL 3's one-shot SHA1() looks the algorithm up (under a lock) on every call.
const EVP_MD* sha1() {
  static const core::EvpMdPtr md(EVP_MD_fetch(nullptr, "SHA1", nullptr));
  if (!md) throw Error("OpenSSL provides no SHA-1 implementation (needed for NSEC3 hashes)");
  return md.get();
}

/// SHA-1(a || b) into out, with one digest context per thread.
void sha1_concat(const unsigned char* a, std::size_t alen, std::string_view b, unsigned char* out) {
  thread_local const core::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), sha1(), nullptr) != 1 || EVP_DigestUpdate(ctx.get(), a, alen) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 || EVP_DigestFinal_ex(ctx.get(), out, nullptr) != 1) {
    throw Error("OpenSSL SHA-1 failed");
  }
}

}  // namespace

void nsec3_hash_into(std::string_view owner, std::string_view salt, std::uint16_t iterations, Nsec3Digest& out) {
  // RFC 5155 §5: "IH(salt, x, 0) = H(x || salt), and IH(salt, x, k) = H(IH(salt, x, k-1) || salt), if k > 0".
  unsigned char prev[kNsec3HashLength];
  sha1_concat(reinterpret_cast<const unsigned char*>(owner.data()), owner.size(), salt, out.data());
  for (std::uint16_t k = 0; k < iterations; ++k) {
    std::memcpy(prev, out.data(), sizeof prev);
    sha1_concat(prev, sizeof prev, salt, out.data());
  }
}

std::size_t nsec3_names_within_budget(std::uint16_t iterations) {
  if (iterations <= kNsec3IterationsUnbudgeted) return SIZE_MAX;
  return static_cast<std::size_t>(kNsec3HashBudget / (std::uint64_t{iterations} + 1));
}

std::string nsec3_hash(std::string_view owner_wire_lowercase, std::string_view salt, std::uint16_t iterations) {
  Nsec3Digest d;
  nsec3_hash_into(owner_wire_lowercase, salt, iterations, d);
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

bool base32hex_decode_digest(std::string_view text, Nsec3Digest& out) {
  // 20 octets are exactly 32 base32hex characters.
  return core::base32hex_decode_to(text, out.data(), out.size());
}

namespace {

/// The fields NSEC3 and NSEC3PARAM begin with (RFC 5155 §3.2, §4.2): Hash Alg (1) | Flags (1) | Iterations (2) |
/// Salt Length (1) | Salt. Returns the offset after the salt, 0 when the RDATA is shorter.
std::size_t parse_params(std::string_view rd, Nsec3ParamRdata& r) {
  if (rd.size() < 5) return 0;
  r.algorithm = static_cast<std::uint8_t>(rd[0]);
  r.flags = static_cast<std::uint8_t>(rd[1]);
  r.iterations = core::be16(rd, 2);
  const std::size_t slen = static_cast<unsigned char>(rd[4]);
  if (5 + slen > rd.size()) return 0;
  r.salt = rd.substr(5, slen);
  return 5 + slen;
}

}  // namespace

std::optional<Nsec3Rdata> parse_nsec3(std::string_view rd) {
  // RFC 5155 §3.2: the parameters, then Hash Length (1) | Next Hashed Owner Name | Type Bit Maps.
  Nsec3ParamRdata p;
  std::size_t pos = parse_params(rd, p);
  if (pos == 0 || pos + 1 > rd.size()) return std::nullopt;
  Nsec3Rdata r;
  r.algorithm = p.algorithm;
  r.flags = p.flags;
  r.iterations = p.iterations;
  r.salt = p.salt;
  std::size_t hlen = static_cast<unsigned char>(rd[pos++]);
  if (hlen == 0 || pos + hlen > rd.size()) return std::nullopt;
  r.next = rd.substr(pos, hlen);
  pos += hlen;
  r.bitmap = rd.substr(pos);
  return r;
}

std::optional<Nsec3ParamRdata> parse_nsec3param(std::string_view rd) {
  Nsec3ParamRdata r;
  if (parse_params(rd, r) != rd.size() || rd.empty()) return std::nullopt;
  return r;
}

bool parse_type_bitmap(std::string_view bm, std::vector<std::uint16_t>& types) {
  types.clear();
  std::size_t pos = 0;
  int last_window = -1;
  while (pos < bm.size()) {
    // RFC 4034 §4.1.2: "Blocks are present in the NSEC RR RDATA in increasing numerical order", each with a
    // window number, a length of 1 to 32 octets, and the bitmap.
    if (pos + 2 > bm.size()) return false;
    int window = static_cast<unsigned char>(bm[pos]);
    std::size_t len = static_cast<unsigned char>(bm[pos + 1]);
    pos += 2;
    if (window <= last_window || len == 0 || len > 32 || pos + len > bm.size()) return false;
    last_window = window;
    for (std::size_t i = 0; i < len; ++i) {
      auto octet = static_cast<unsigned char>(bm[pos + i]);
      for (int bit = 0; bit < 8; ++bit) {
        if (octet & (0x80 >> bit)) {
          types.push_back(static_cast<std::uint16_t>(window * 256 + static_cast<int>(i) * 8 + bit));
        }
      }
    }
    pos += len;
  }
  return true;
}

}  // namespace zw::dnssec
