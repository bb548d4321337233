// zonemd.cpp: zone digest verification (RFC 8976): SIMPLE scheme with SHA-384 and SHA-512.
#include <openssl/evp.h>

#include <map>

#include "checks/common.hpp"
#include "core/bytes.hpp"
#include "core/handles.hpp"
#include "zone/rdata.hpp"

namespace zw::checks {
namespace {

using catalog::Code;
namespace rrtype = zone::rrtype;

using core::append_be16;
using core::append_be32;

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
      if (r.type == rrtype::RRSIG && zone::rrsig_type_covered(rd) == rrtype::ZONEMD) continue;
    }
    buf.clear();
    buf += z.names[r.name];
    append_be16(buf, r.type);
    append_be16(buf, r.rclass);
    append_be32(buf, r.ttl);
    append_be16(buf, rd.size());
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
  const auto soa_rd = zone::soa_fields(z.rdata(z.records[soa->first]));
  if (!soa_rd) return;
  const std::uint32_t soa_serial = soa_rd->serial;

  std::map<std::pair<int, int>, int> seen;
  for (const zone::Record& r : z.records_of(*zonemd)) {
    if (auto f = zone::zonemd_fields(z.rdata(r))) ++seen[{f->scheme, f->hash_algorithm}];
  }
  std::map<int, std::string> digests;  // hash algorithm -> digest of the zone, computed once
  for (const zone::Record& r : z.records_of(*zonemd)) {
    const auto f = zone::zonemd_fields(z.rdata(r));
    if (!f) {
      rep.record(Code::ZONEMD_INVALID, r, {{"scheme", "?"}, {"hash_algorithm", "?"}, {"detail", "truncated"}});
      continue;
    }
    const int scheme = f->scheme;
    const int hash = f->hash_algorithm;
    Reporter::Params p{{"scheme", std::to_string(scheme)}, {"hash_algorithm", std::to_string(hash)}};
    auto fail = [&](const char* detail, Reporter::Params extra = {}) {
      Reporter::Params q = p;
      q.emplace_back("detail", detail);
      q.insert(q.end(), extra.begin(), extra.end());
      rep.record(Code::ZONEMD_INVALID, r, q);
    };
    if (seen[{scheme, hash}] > 1) {
      fail("repeated");
      continue;
    }
    if (scheme != 1 || (hash != 1 && hash != 2)) continue;  // unknown scheme or algorithm: cannot be verified here
    if (f->serial != soa_serial) {
      fail("serial-differs", {{"serial", std::to_string(f->serial)}, {"soa_serial", std::to_string(soa_serial)}});
      continue;
    }
    if (!digests.count(hash)) digests[hash] = simple_digest(z, hash == 1 ? EVP_sha384() : EVP_sha512());
    if (f->digest != digests[hash]) fail("digest-mismatch");
  }
}

}  // namespace

void check_zonemd(const CheckInput& in, FindingSink& sink) {
  for (const ZoneContext& ctx : in.zones) check_zone(ctx, sink);
}

}  // namespace zw::checks
