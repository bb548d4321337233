// detail_cases.hpp: small zones that show the detail tokens and severity conditions no one-defect vector shows. Each
// case names the token ("CODE detail=TOKEN" or "CODE when=TOKEN"), a zone text and the check that reports it;
// test_detail_cases.cpp runs them, and the vector test counts them when it asks that every token is shown.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "checks/check.hpp"
#include "core/time.hpp"

namespace zw::test {

struct DetailCase {
  std::string token;  ///< "CODE detail=TOKEN" or "CODE when=TOKEN"
  std::string zone;   ///< master-file text, origin example.
  checks::CheckFn check;
  bool verify = false;                  ///< verify signatures (analyse with verification)
  core::EpochSeconds now = 1767225600;  ///< 2026-01-01
};

namespace detail_cases {

inline const std::string kHead =
    "$ORIGIN example.\n$TTL 3600\n"
    "@ SOA ns1.provider.net. hostmaster 1 7200 3600 1209600 3600\n"
    "@ NS ns1.provider.net.\n@ NS ns2.provider.net.\n"
    "@ DNSKEY 257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n";

/// An NSEC zone: the apex, a, b and c (A records), linked in canonical order unless `links` replaces the records.
inline std::string nsec_zone(const std::string& extra, const std::string& links = {}) {
  return kHead + "a A 192.0.2.1\nb A 192.0.2.2\nc A 192.0.2.3\n" +
         (links.empty() ? "@ NSEC a.example. NS SOA RRSIG NSEC DNSKEY\na NSEC b.example. A RRSIG NSEC\n"
                          "b NSEC c.example. A RRSIG NSEC\nc NSEC example. A RRSIG NSEC\n"
                        : links) +
         extra;
}

/// An RSA DNSKEY (algorithm 8) whose Public Key field is `key_hex`, as RFC 3597 generic RDATA.
inline std::string rsa_dnskey(const std::string& key_hex) {
  return "@ DNSKEY \\# " + std::to_string(4 + key_hex.size() / 2) + " 01000308" + key_hex + "\n";
}

/// An RSA modulus of `octets` octets, odd and without small factors in its top octet.
inline std::string modulus_hex(std::size_t octets) {
  std::string m = "C1";
  for (std::size_t i = 1; i + 1 < octets; ++i) m += "5B";
  return m + "A7";
}

/// `n` RRSIGs over the apex SOA by ZSK 55789 of the RSASHA256 vector zone whose 256-octet signatures are wrong.
inline std::string bad_soa_signatures(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out +=
        "example. 3600 IN RRSIG SOA 8 1 3600 202601" + std::to_string(10 + i) + "000000 20251225000000 55789 example. ";
    out += std::string(340, 'A') + "AA==\n";
  }
  return out;
}

/// An NSEC3 zone of 65,535 iterations with more names (the apex and n0 … n128) than the hashing budget allows.
inline std::string nsec3_budget_zone() {
  std::string text = kHead + "@ NSEC3PARAM 1 0 65535 -\n";
  for (int i = 0; i < 129; ++i) text += "n" + std::to_string(i) + " A 192.0.2.1\n";
  return text + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 65535 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A RRSIG\n";
}

/// The text of a one-defect vector (test-vectors/zone/PATH).
inline std::string vector_text(const std::string& path) {
  std::ifstream in(std::string(ZW_SOURCE_DIR) + "/test-vectors/zone/" + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace detail_cases

/// Every case.
inline std::vector<DetailCase> detail_case_list() {
  using namespace detail_cases;
  using checks::check_cds;
  using checks::check_content;
  using checks::check_denial;
  using checks::check_ds_records;
  using checks::check_keys;
  using checks::check_signatures;
  using checks::check_timing;
  using checks::check_zonemd;
  const std::string nsec3_head = kHead + "@ NSEC3PARAM 1 0 0 -\n";
  const std::string h20(40, '0');  // a 20-octet hash, hex
  const std::string zonemd48(96, 'A');
  // The RSASHA256 zone signed by KSK 20045 and ZSK 55789, valid 2025-12-25 .. 2026-01-29.
  const std::string rsa = vector_text("clean/clean-rsasha256-nsec.zone");
  return {
      // NSEC chain
      {"NSEC_CHAIN_BROKEN detail=only-rrset", nsec_zone("x NSEC example. RRSIG NSEC\n"), check_denial},
      {"NSEC_CHAIN_BROKEN detail=at-occluded",
       nsec_zone("d DNAME t.net.\ny.d NSEC example. A RRSIG NSEC\ny.d A 192.0.2.9\n"), check_denial},
      {"NSEC_CHAIN_BROKEN detail=missing-at-delegation", nsec_zone("sub NS ns1.provider.net.\n"), check_denial},
      {"NSEC_CHAIN_BROKEN detail=multiple", nsec_zone("a NSEC c.example. A RRSIG NSEC\n"), check_denial},
      {"NSEC_CHAIN_BROKEN detail=malformed-bitmap", nsec_zone("x A 192.0.2.4\nx NSEC \\# 3 000005\n"), check_denial},
      {"NSEC_CHAIN_BROKEN detail=next-not-in-zone",
       nsec_zone("",
                 "@ NSEC a.example. NS SOA RRSIG NSEC DNSKEY\na NSEC zzz.example. A RRSIG NSEC\n"
                 "b NSEC c.example. A RRSIG NSEC\nc NSEC example. A RRSIG NSEC\n"),
       check_denial},
      {"NSEC_CHAIN_BROKEN detail=points-back",
       nsec_zone("",
                 "@ NSEC a.example. NS SOA RRSIG NSEC DNSKEY\na NSEC b.example. A RRSIG NSEC\n"
                 "b NSEC a.example. A RRSIG NSEC\nc NSEC example. A RRSIG NSEC\n"),
       check_denial},
      {"NSEC_CHAIN_BROKEN detail=closes-early",
       nsec_zone("",
                 "@ NSEC a.example. NS SOA RRSIG NSEC DNSKEY\na NSEC example. A RRSIG NSEC\n"
                 "b NSEC c.example. A RRSIG NSEC\nc NSEC example. A RRSIG NSEC\n"),
       check_denial},
      {"NSEC3_PARAM_MISMATCH detail=nsec-and-nsec3param", nsec_zone("@ NSEC3PARAM 1 0 0 -\n"), check_denial},
      // NSEC3 records and parameters
      {"NSEC3_CHAIN_BROKEN detail=malformed", nsec3_head + "0000000000000000000000000000000 NSEC3 \\# 1 01\n",
       check_denial},
      {"NSEC3_CHAIN_BROKEN detail=owner-not-below-apex",
       nsec3_head + "x.0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n",
       check_denial},
      {"NSEC3_CHAIN_BROKEN detail=owner-not-hash",
       nsec3_head + "notahash NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n", check_denial},
      {"NSEC3_CHAIN_BROKEN detail=next-length",
       nsec3_head + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 00000000 A RRSIG\n", check_denial},
      {"NSEC3_CHAIN_BROKEN detail=malformed-bitmap",
       nsec3_head + "3msev9usmd4br9s97v51r2tdvmr9iqo1 NSEC3 \\# 28 0100000000 14 " + h20 + " 0005\n", check_denial},
      {"NSEC3_CHAIN_BROKEN detail=duplicate-owner",
       nsec3_head + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n"
                    "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A RRSIG\n",
       check_denial},
      {"NSEC3_CHAIN_BROKEN detail=next-not-owner",
       nsec3_head + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n",
       check_denial},
      {"NSEC3_CHAIN_BROKEN detail=last-not-first",
       nsec3_head + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n"
                    "2t7b4g4vsa5smi47k61mv5bv1a22bojr NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n",
       check_denial},
      {"NSEC3_CHAIN_BROKEN detail=unused-owner",
       nsec3_head + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A RRSIG\n",
       check_denial},
      {"VALIDATION_BUDGET_EXCEEDED detail=nsec3-hashing", nsec3_budget_zone(), check_denial},
      {"NSEC3_PARAM_MISMATCH detail=param-malformed",
       kHead +
           "@ NSEC3PARAM \\# 1 01\n0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A\n",
       check_denial},
      {"NSEC3_PARAM_MISMATCH detail=param-multiple",
       nsec3_head +
           "@ NSEC3PARAM 1 0 5 -\n0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A\n",
       check_denial},
      {"NSEC3_PARAM_MISMATCH detail=second-set",
       nsec3_head + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG\n"
                    "2t7b4g4vsa5smi47k61mv5bv1a22bojr NSEC3 1 0 5 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A RRSIG\n",
       check_denial},
      {"NSEC3_PARAM_MISMATCH detail=flags-reserved",
       nsec3_head + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 1 2 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A RRSIG\n",
       check_denial},
      {"NSEC3_PARAM_MISMATCH detail=hash-unknown",
       nsec3_head + "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom NSEC3 2 0 0 - 0p9mhaveqvm6t7vbl5lop2u3t2rp3tom A RRSIG\n",
       check_denial},
      // CDS and CDNSKEY (RFC 7344, RFC 8078)
      {"CDS_CDNSKEY_MISMATCH detail=cds-without-cdnskey", kHead + "@ CDS 12345 13 2 " + std::string(64, 'A') + "\n",
       check_cds},
      {"CDS_CDNSKEY_MISMATCH when=one-published", kHead + "@ CDS 12345 13 2 " + std::string(64, 'A') + "\n", check_cds},
      {"CDS_CDNSKEY_MISMATCH detail=cdnskey-without-cds",
       kHead + "@ CDNSKEY 257 3 13 "
               "mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==\n",
       check_cds},
      {"CDS_CDNSKEY_MISMATCH detail=cds-delete-malformed", kHead + "@ CDS 0 0 2 00\n", check_cds},
      {"CDS_CDNSKEY_MISMATCH detail=cdnskey-delete-malformed", kHead + "@ CDNSKEY 257 3 0 AA==\n", check_cds},
      {"CDS_CDNSKEY_MISMATCH detail=cds-digest-unusable", kHead + "@ CDS 12345 13 2 AABB\n", check_cds},
      {"CDS_CDNSKEY_MISMATCH detail=delete-mixed",
       kHead + "@ CDS 0 0 0 00\n@ CDS 12345 13 2 " + std::string(64, 'A') + "\n", check_cds},
      // ZONEMD (RFC 8976)
      {"ZONEMD_INVALID detail=repeated",
       kHead + "@ ZONEMD 1 1 1 " + zonemd48 + "\n@ ZONEMD 1 1 1 " + std::string(96, 'B') + "\n", check_zonemd},
      {"ZONEMD_INVALID detail=serial-differs", kHead + "@ ZONEMD 2 1 1 " + zonemd48 + "\n", check_zonemd},
      // DNSKEY public keys (RFC 3110 §2, RFC 6605 §4)
      {"KEY_ENCODING_INVALID detail=rsa-key-empty", kHead + rsa_dnskey(""), check_keys},
      {"KEY_ENCODING_INVALID detail=rsa-exponent-length-truncated", kHead + rsa_dnskey("0001"), check_keys},
      {"KEY_ENCODING_INVALID detail=rsa-exponent-truncated", kHead + rsa_dnskey("050102"), check_keys},
      {"KEY_ENCODING_INVALID detail=rsa-modulus-empty", kHead + rsa_dnskey("0103"), check_keys},
      {"KEY_ENCODING_INVALID detail=rsa-exponent-leading-zero", kHead + rsa_dnskey("020003" + modulus_hex(128)),
       check_keys},
      {"KEY_ENCODING_INVALID detail=rsa-modulus-leading-zero", kHead + rsa_dnskey("010300" + modulus_hex(128)),
       check_keys},
      {"KEY_ENCODING_INVALID detail=key-length", kHead + "@ DNSKEY 256 3 13 AAECAwQFBgcICQ==\n", check_keys},
      {"KEY_RSA_EXPONENT_WEAK when=unusable", kHead + rsa_dnskey("0102" + modulus_hex(256)), check_keys},
      {"KEY_ENCODING_INVALID detail=rdata-short", kHead + "@ DNSKEY \\# 3 010003\n", check_keys},
      // Signatures beside a valid one
      {"RRSIG_NO_MATCHING_DNSKEY when=another-valid",
       rsa + "example. 3600 IN RRSIG SOA 8 1 3600 20260129000000 20251225000000 1 example. AAAA\n", check_signatures,
       true},
      {"RRSIG_INVALID detail=malformed",
       rsa + "example. 3600 IN RRSIG SOA 8 1 3600 20260129000000 20251225000000 55789 example. AAAA\n",
       check_signatures, true},
      {"RRSIG_NOT_YET_VALID when=another-valid",
       rsa + "example. 3600 IN RRSIG SOA 8 1 3600 20260301000000 20260201000000 55789 example. AAAA\n", check_timing,
       true},
      {"VALIDATION_BUDGET_EXCEEDED detail=rrset", rsa + bad_soa_signatures(17), check_signatures, true},
      {"RRSIG_INVALID detail=covers-rrsig",
       rsa + "example. 3600 IN RRSIG RRSIG 8 1 3600 20260129000000 20251225000000 55789 example. AAAA\n",
       check_signatures, true},
      {"DS_DIGEST_INVALID detail=truncated", kHead + "sub NS ns1.provider.net.\nsub DS \\# 3 000102\n",
       check_ds_records},
      // The chain of trust, nothing given: the only DNSKEY is malformed, so no usable key can sign the DNSKEY RRset
      {"ZONE_BOGUS detail=no-key-signs-dnskey",
       "$ORIGIN example.\n$TTL 3600\n@ SOA ns1.provider.net. hostmaster 1 7200 3600 1209600 3600\n"
       "@ NS ns1.provider.net.\n" +
           rsa_dnskey("0103"),
       checks::check_chain},
      // Content and delegations
      {"CNAME_AND_OTHER_DATA detail=multiple-cname", kHead + "www CNAME a.other.net.\nwww CNAME b.other.net.\n",
       check_content},
      {"DS_DIGEST_SHA1 when=at-delegation",
       kHead + "sub NS ns1.provider.net.\nsub DS 12345 13 1 " + std::string(40, 'A') + "\n", check_ds_records},
      {"KEY_RSA_TOO_SHORT when=before-2016-10", kHead + rsa_dnskey("03010001" + modulus_hex(128)), check_keys, false,
       core::make_epoch(2015, 1, 1, 0, 0, 0)},
  };
}

}  // namespace zw::test
