// wire.hpp: DNS messages on the wire (ldns underneath): building queries, parsing answers without trusting them,
// and deciding whether an answer answers the question that was asked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "live/transport.hpp"

namespace zw::live {

/// One resource record of a parsed message.
struct WireRecord {
  std::string owner;  ///< presentation format, lower-case, absolute ("www.example.")
  std::uint16_t type = 0;
  std::uint16_t rclass = 0;
  std::uint32_t ttl = 0;
  std::string rdata;  ///< the RDATA, uncompressed wire format (names as the server spelled them)
  /// The RDATA in canonical form (RFC 4034 §6.2: names lower-cased in the types that list names), as zones store it.
  std::string canonical;
  std::string text;  ///< the whole record as one presentation line, without a newline (see parse_message)
};

/// A parsed DNS message. The OPT pseudo-record is not in `additional`: it is described by the opt_* fields.
struct Message {
  std::uint16_t id = 0;
  int rcode = 0;  ///< with the extended bits of the OPT record (RFC 6891 §6.1.3): BADVERS is 16
  bool qr = false;
  bool aa = false;
  bool tc = false;
  bool rd = false;
  bool ra = false;
  bool ad = false;
  bool cd = false;
  std::string qname;  ///< the question's name, presentation format, lower-case; empty without a question
  std::uint16_t qtype = 0;
  std::uint16_t qclass = 0;
  bool has_opt = false;
  std::uint16_t opt_size = 0;  ///< the OPT record's UDP payload size
  bool opt_do = false;
  std::uint8_t edns_version = 0;
  std::vector<WireRecord> answer, authority, additional;
  std::size_t size = 0;  ///< octets on the wire
};

/// The wire form of `r`'s question with message ID `id`: one question (class IN), RD as `r.recursion_desired`, and
/// when `r.edns` an OPT record (RFC 6891) with UDP payload size `r.edns_size` and the DO bit as `r.dnssec_ok`
/// (RFC 3225). Throws zw::Error when `r.qname` is not a domain name.
std::string make_query(const Request& r, std::uint16_t id);

/// Parses a message from a server. Never throws and never reads outside `wire`, whatever it holds: a message that
/// does not parse gives nullopt and, when `error_token` is given, one token of a closed set saying why:
/// "short-header" (fewer than 12 octets), "truncated" (the counts promise more records than the octets hold),
/// "bad-name" (a label or compression pointer that leaves the message, loops or overflows 255 octets),
/// "bad-rdata" (RDATA that does not fit its type), "malformed" (anything else). Without `with_text`, the records'
/// `text` stays empty (printing every record costs more than parsing it).
std::optional<Message> parse_message(std::string_view wire, std::string* error_token = nullptr, bool with_text = true);

/// What `wire`, received for `r` sent with ID `id`, is: Answer (a response, QR=1, to this ID and this question),
/// Mismatch (QR=0, another ID, or another question name (compared case-insensitively), type or class), or
/// Malformed (it does not parse). For an Answer, when `parsed` is given, the message parsed from the same bytes
/// (parse_message without text) is stored there, unless its records do not convert (then it stays as it was).
Outcome classify_answer(const Request& r, std::uint16_t id, std::string_view wire,
                        std::shared_ptr<const Message>* parsed = nullptr);

}  // namespace zw::live
