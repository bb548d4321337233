// rdata_native.hpp: RDATA parsers for the types whose presentation form ldns reads wrongly or not at all.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "zone/scanner.hpp"

namespace zw::zone {

/// True for the types read by native_rdata instead of ldns: SVCB (64), HTTPS (65), CAA (257) and IPSECKEY (45).
bool has_native_parser(std::uint16_t type);

/// Appends the canonical wire RDATA of a record of `type` (one for which has_native_parser is true) written as
/// `tokens` (after the type) to `out`. `origin` is the wire origin for relative names, empty when none is known.
/// Returns an empty string on success; otherwise the reason the text is not valid RDATA (without file and line),
/// with `out` restored to its former size.
///
/// SVCB and HTTPS follow RFC 9460 §2.1 and Appendix A: SvcParams as `key`, `key=value` or `key="value"` in any
/// order, written in increasing key order (§2.2); values are character-strings (RFC 1035 §5.1 escapes), and the
/// lists of alpn, mandatory, ipv4hint and ipv6hint are split at commas not escaped after that decoding. Repeated
/// keys, values a key does not allow and mandatory lists naming absent keys are errors (Appendix D.3). The
/// TargetName keeps its case (RFC 9460 does not add SVCB to the RFC 4034 §6.2 list).
///
/// CAA follows RFC 8659 §4.1.1: flags 0..255, a tag of ASCII letters and digits, and a value that is one
/// character-string, quoted or not.
///
/// IPSECKEY follows RFC 4025 §3.1: precedence, gateway type (0 with gateway ".", 1 IPv4, 2 IPv6, 3 a name kept in
/// its case), algorithm, and a base64 public key that may be split by whitespace or absent.
std::string native_rdata(std::uint16_t type, std::span<const Token> tokens, std::string_view origin, std::string& out);

/// Checks RDATA given in RFC 3597 generic form (`\\# len hex`) for a type for which has_native_parser is true:
/// RFC 3597 §5 requires it to be valid for the type. SVCB/HTTPS: an uncompressed TargetName and SvcParams in
/// strictly increasing key order that fill the RDATA, each value in its key's format (RFC 9460 §2.2, §7, §8);
/// CAA: flags, a tag of 1 or more ASCII letters and digits, the value (RFC 8659 §4.1); IPSECKEY: a gateway of
/// type 0 to 3 that fits its type, an uncompressed name for type 3 (RFC 4025 §2). Returns an empty string when
/// valid, otherwise the reason.
std::string check_native_wire(std::uint16_t type, std::string_view wire);

}  // namespace zw::zone
