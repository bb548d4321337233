// zonemd.cpp: zone digest verification (RFC 8976): SIMPLE scheme with SHA-384 and SHA-512.
#include <openssl/evp.h>

#include <map>

#include "checks/common.hpp"
#include "core/handles.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
namespace rrtype = zone::rrtype;

void put16(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xffff);
}

std::uint32_t get32(std::string_view s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3]));
}

/// RFC 8976 §3.3.1: the digest of every RR in canonical order, except the apex ZONEMD RRset and the apex RRSIGs
/// that cover ZONEMD; out-of-zone data is excluded, occluded data included.
std::string simple_digest(const zone::Zone& z, const EVP_MD* md) {
  core::EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return {};
  auto apex = z.apex();
  std::string buf;
  for (const zone::Record& r : z.records) {
    if (z.kinds[r.name] == zone::NodeKind::OutOfZone) continue;
    std::string_view rd = z.rdata(r);
    if (apex && r.name == *apex) {
      if (r.type == rrtype::ZONEMD) continue;
      if (r.type == rrtype::RRSIG && rd.size() >= 2 &&
          ((static_cast<unsigned char>(rd[0]) << 8) | static_cast<unsigned char>(rd[1])) == rrtype::ZONEMD) {
        continue;
      }
    }
    buf.clear();
    buf += z.names[r.name];
    put16(buf, r.type);
    put16(buf, r.rclass);
    put32(buf, r.ttl);
    put16(buf, static_cast<std::uint32_t>(rd.size()));
    buf.append(rd);
    EVP_DigestUpdate(ctx.get(), buf.data(), buf.size());
  }
  std::string out(static_cast<std::size_t>(EVP_MD_get_size(md)), '\0');
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len);
  out.resize(len);
  return out;
}

void check_zone(const ZoneContext& ctx, FindingSink& sink) {
  const zone::Zone& z = *ctx.zone;
  auto apex = z.apex();
  if (!apex) return;
  const zone::RRset* zonemd = z.find(*apex, rrtype::ZONEMD);
  const zone::RRset* soa = z.find(*apex, rrtype::SOA);
  if (!zonemd || !soa) return;
  Reporter rep(ctx, sink);
  std::string_view soa_rd = z.rdata(z.records[soa->first]);
  std::size_t pos = 0;
  core::WireName skip;
  if (!core::read_wire_name(soa_rd, pos, skip) || !core::read_wire_name(soa_rd, pos, skip) || pos + 4 > soa_rd.size()) {
    return;
  }
  const std::uint32_t soa_serial = get32(soa_rd, pos);

  std::map<std::pair<int, int>, int> seen;
  for (const zone::Record& r : z.records_of(*zonemd)) {
    std::string_view rd = z.rdata(r);
    if (rd.size() >= 6) ++seen[{static_cast<unsigned char>(rd[4]), static_cast<unsigned char>(rd[5])}];
  }
  std::map<int, std::string> digests;  // hash algorithm -> digest of the zone, computed once
  for (const zone::Record& r : z.records_of(*zonemd)) {
    std::string_view rd = z.rdata(r);
    if (rd.size() < 6) {
      rep.record(Code::ZONEMD_INVALID, r, {{"scheme", "?"}, {"hash_algorithm", "?"}, {"reason", "truncated RDATA"}});
      continue;
    }
    const int scheme = static_cast<unsigned char>(rd[4]);
    const int hash = static_cast<unsigned char>(rd[5]);
    Reporter::Params p{{"scheme", std::to_string(scheme)}, {"hash_algorithm", std::to_string(hash)}};
    auto fail = [&](const std::string& reason) {
      Reporter::Params q = p;
      q.emplace_back("reason", reason);
      rep.record(Code::ZONEMD_INVALID, r, q);
    };
    if (seen[{scheme, hash}] > 1) {
      fail("the RRset repeats this scheme and hash algorithm (RFC 8976 §2.4)");
      continue;
    }
    if (scheme != 1 || (hash != 1 && hash != 2)) continue;  // unknown scheme or algorithm: cannot be verified here
    if (get32(rd, 0) != soa_serial) {
      fail("its serial " + std::to_string(get32(rd, 0)) + " differs from the SOA serial " + std::to_string(soa_serial));
      continue;
    }
    if (!digests.count(hash)) digests[hash] = simple_digest(z, hash == 1 ? EVP_sha384() : EVP_sha512());
    if (rd.substr(6) != digests[hash]) fail("the digest does not match the zone's content");
  }
}

}  // namespace

void check_zonemd(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone(ctx, sink);
}

}  // namespace zw::checks
