// rdata_fast.hpp: native parsers for the RDATA of the record types that make up nearly all of a signed zone.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "zone/scanner.hpp"

namespace zw::zone {

/// Appends the canonical wire RDATA (RFC 4034 §6.2: names lower-cased for the types that list requires) of a record
/// of `type` written as `tokens` to `out`. Handles A, AAAA, NS, CNAME, DNAME, PTR, MX, SOA, DS, CDS, DNSKEY,
/// CDNSKEY, RRSIG, NSEC, NSEC3 and NSEC3PARAM in their plain presentation forms. Returns false, with `out`
/// restored to its former size, for any other type and for anything unusual (escapes, quoted tokens, mnemonics
/// where numbers are usual, out-of-range values); the caller then parses with ldns, which also words the error.
/// A record this parser accepts gets exactly the bytes ldns would produce (tests compare both on every zone
/// shipped with the project). `origin` is the wire origin for relative names; empty when none is known.
bool fast_rdata(std::uint16_t type, std::span<const Token> tokens, std::string_view origin, std::string& out);

/// Appends the wire form of a domain name written without escapes ("www", "a.example.", "@"), relative to
/// `origin` (wire; empty when unknown), keeping its case. False for anything else (the caller's full parser then
/// reports the problem).
bool fast_name(std::string_view text, std::string_view origin, std::string& out);

/// Strict RFC 4648 §7 base32hex without padding (RFC 5155 §3.3): 1 to 255 octets, case-insensitive, unused
/// trailing bits zero. Empty on any violation.
std::optional<std::string> decode_base32hex(std::string_view text);
/// The same, appended to `out`; false (and `out` unchanged) where decode_base32hex is empty.
bool append_base32hex(std::string_view text, std::string& out);

/// The type number of a mnemonic ("NS", "TYPE65280"), or 0 when unknown.
std::uint16_t type_from_text(std::string_view text);

}  // namespace zw::zone
