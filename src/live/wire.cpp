// wire.cpp: DNS messages on the wire through ldns: queries out, untrusted answers in.
#include "live/wire.hpp"

#include <cstdlib>
#include <memory>

#include "core/error.hpp"
#include "core/handles.hpp"
#include "core/ldns.hpp"

namespace zw::live {

namespace {

using core::LdnsPktPtr;

struct MallocDeleter {
  void operator()(std::uint8_t* p) const { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc): ldns allocates
};

void lower_ascii(std::string& s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
}

// Presentation text of an ldns value (name or record); empty when ldns cannot print it.
std::string rdf_text(const ldns_rdf* rdf) {
  char* s = ldns_rdf2str(rdf);
  if (s == nullptr) return {};
  std::string out(s);
  std::free(s);  // NOLINT(cppcoreguidelines-no-malloc)
  return out;
}

std::string rr_text(const ldns_rr* rr) {
  char* s = ldns_rr2str(rr);
  if (s == nullptr) return {};
  std::string out(s);
  std::free(s);  // NOLINT(cppcoreguidelines-no-malloc)
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string error_token_of(ldns_status s) {
  switch (s) {
    case LDNS_STATUS_WIRE_INCOMPLETE_HEADER: return "short-header";
    case LDNS_STATUS_WIRE_INCOMPLETE_QUESTION:
    case LDNS_STATUS_WIRE_INCOMPLETE_ANSWER:
    case LDNS_STATUS_WIRE_INCOMPLETE_AUTHORITY:
    case LDNS_STATUS_WIRE_INCOMPLETE_ADDITIONAL:
    case LDNS_STATUS_PACKET_OVERFLOW: return "truncated";
    case LDNS_STATUS_INVALID_POINTER:
    case LDNS_STATUS_LABEL_OVERFLOW:
    case LDNS_STATUS_DOMAINNAME_OVERFLOW:
    case LDNS_STATUS_DOMAINNAME_UNDERFLOW:
    case LDNS_STATUS_EMPTY_LABEL:
    case LDNS_STATUS_DDD_OVERFLOW: return "bad-name";
    case LDNS_STATUS_WIRE_RDATA_ERR:
    case LDNS_STATUS_INVALID_RDF_TYPE: return "bad-rdata";
    default: return "malformed";
  }
}

// Moves `pos` past the owner name at `pos` (labels up to the root label or a compression pointer); false when the
// name leaves the message.
bool skip_name(std::string_view wire, std::size_t& pos) {
  while (pos < wire.size()) {
    const auto len = static_cast<std::uint8_t>(wire[pos]);
    if ((len & 0xC0) == 0xC0) {
      pos += 2;
      return pos <= wire.size();
    }
    pos += 1 + std::size_t{len};
    if (len == 0) return true;
  }
  return false;
}

// The error token of a message whose TSIG record ldns 1.8.3 (ldns_wire2pkt) mishandles, or null. RFC 8945 §5.1: a
// message has at most one TSIG, the last record. ldns keeps a second TSIG in place of the first and leaks the first,
// and leaks records when a message with a TSIG ends before its counted records do; both are refused before ldns
// reads them ("malformed": a TSIG that is not the last record; "truncated": the records after a TSIG do not fit).
const char* tsig_hazard(std::string_view wire) {
  constexpr std::size_t kHeader = 12;
  const auto count = [&](std::size_t at) {
    return static_cast<std::size_t>((static_cast<std::uint8_t>(wire[at]) << 8) |
                                    static_cast<std::uint8_t>(wire[at + 1]));
  };
  std::size_t pos = kHeader;
  for (std::size_t q = count(4); q > 0; --q) {
    if (!skip_name(wire, pos)) return nullptr;
    pos += 4;
  }
  const std::size_t records = count(6) + count(8) + count(10);
  bool tsig = false;
  for (std::size_t r = 0; r < records; ++r) {
    if (!skip_name(wire, pos) || pos + 10 > wire.size()) return tsig ? "truncated" : nullptr;
    if (tsig) return "malformed";  // a record after the TSIG
    tsig = count(pos) == LDNS_RR_TYPE_TSIG;
    pos += 10 + count(pos + 8);
    if (pos > wire.size()) return tsig ? "truncated" : nullptr;
  }
  return nullptr;
}

LdnsPktPtr parse_pkt(std::string_view wire, std::string* error_token) {
  // The header alone is checked here, so that every message shorter than one gets the same token.
  constexpr std::size_t kHeader = 12;
  if (wire.size() < kHeader) {
    if (error_token) *error_token = "short-header";
    return nullptr;
  }
  if (const char* token = tsig_hazard(wire)) {
    if (error_token) *error_token = token;
    return nullptr;
  }
  ldns_pkt* raw = nullptr;
  const ldns_status s = ldns_wire2pkt(&raw, reinterpret_cast<const std::uint8_t*>(wire.data()), wire.size());
  LdnsPktPtr pkt(raw);
  if (s != LDNS_STATUS_OK || !pkt) {
    if (error_token) *error_token = error_token_of(s == LDNS_STATUS_OK ? LDNS_STATUS_ERR : s);
    return nullptr;
  }
  return pkt;
}

/// Whether RDATA of `type` may hold names that canonical form lower-cases: the types of RFC 4034 §6.2 (with NSEC,
/// which RFC 6840 §5.1 takes out; ldns decides). The RDATA of every other type is its own canonical form.
bool names_in_rdata(std::uint16_t type) {
  switch (type) {
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 12:
    case 13:
    case 14:
    case 15:
    case 17:
    case 18:
    case 21:
    case 24:
    case 26:
    case 30:
    case 33:
    case 35:
    case 36:
    case 38:
    case 39:
    case 46:
    case 47: return true;
    default: return false;
  }
}

/// Writes the RDATA of `rr` to `buf` (cleared first) and returns it.
std::optional<std::string> rdata_wire(ldns_buffer* buf, const ldns_rr* rr) {
  ldns_buffer_clear(buf);
  if (ldns_rr_rdata2buffer_wire(buf, rr) != LDNS_STATUS_OK) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(ldns_buffer_begin(buf)), ldns_buffer_position(buf));
}

std::optional<WireRecord> wire_record(ldns_buffer* buf, const ldns_rr* rr, bool with_text) {
  WireRecord w;
  w.owner = rdf_text(ldns_rr_owner(rr));
  lower_ascii(w.owner);
  w.type = static_cast<std::uint16_t>(ldns_rr_get_type(rr));
  w.rclass = static_cast<std::uint16_t>(ldns_rr_get_class(rr));
  w.ttl = ldns_rr_ttl(rr);
  auto rdata = rdata_wire(buf, rr);
  if (!rdata) return std::nullopt;
  w.rdata = std::move(*rdata);
  w.canonical = w.rdata;
  // RFC 4034 §6.2 (RFC 6840 §5.1 keeps NSEC as is): ldns lower-cases the names of the types the RFC lists.
  if (names_in_rdata(w.type)) {
    core::LdnsRrPtr lower(ldns_rr_clone(rr));
    if (lower) {
      ldns_rr2canonical(lower.get());
      if (auto c = rdata_wire(buf, lower.get())) w.canonical = std::move(*c);
    }
  }
  if (with_text) w.text = rr_text(rr);
  return w;
}

bool section(const ldns_rr_list* list, std::vector<WireRecord>& out, bool with_text) {
  const std::size_t n = ldns_rr_list_rr_count(list);
  if (n == 0) return true;
  out.reserve(n);
  core::LdnsBufferPtr buf(ldns_buffer_new(256));  // grows as needed
  if (!buf) return false;
  for (std::size_t i = 0; i < n; ++i) {
    auto w = wire_record(buf.get(), ldns_rr_list_rr(list, i), with_text);
    if (!w) return false;
    out.push_back(std::move(*w));
  }
  return true;
}

// The question's name as a canonical string (presentation, lower-case), or empty when `qname` is not a name.
std::string canonical_name(const std::string& qname) {
  ldns_rdf* raw = nullptr;
  if (ldns_str2rdf_dname(&raw, qname.c_str()) != LDNS_STATUS_OK || raw == nullptr) return {};
  core::LdnsRdfPtr rdf(raw);
  std::string s = rdf_text(rdf.get());
  lower_ascii(s);
  return s;
}

}  // namespace

std::string make_query(const Request& r, std::uint16_t id) {
  ldns_rdf* raw_name = nullptr;
  if (ldns_str2rdf_dname(&raw_name, r.qname.c_str()) != LDNS_STATUS_OK || raw_name == nullptr) {
    throw Error("cannot build a query: '" + r.qname + "' is not a domain name");
  }
  // ldns_pkt_query_new takes ownership of the name.
  LdnsPktPtr pkt(ldns_pkt_query_new(raw_name, static_cast<ldns_rr_type>(r.qtype), LDNS_RR_CLASS_IN,
                                    r.recursion_desired ? LDNS_RD : 0));
  if (!pkt) throw Error("cannot build a query for " + r.qname);
  ldns_pkt_set_id(pkt.get(), id);
  if (r.edns) {
    ldns_pkt_set_edns_udp_size(pkt.get(), r.edns_size);
    ldns_pkt_set_edns_do(pkt.get(), r.dnssec_ok);
  }
  std::uint8_t* raw_wire = nullptr;
  std::size_t size = 0;
  if (ldns_pkt2wire(&raw_wire, pkt.get(), &size) != LDNS_STATUS_OK || raw_wire == nullptr) {
    std::free(raw_wire);  // NOLINT(cppcoreguidelines-no-malloc)
    throw Error("cannot build a query for " + r.qname);
  }
  std::unique_ptr<std::uint8_t, MallocDeleter> wire(raw_wire);
  return std::string(reinterpret_cast<const char*>(wire.get()), size);
}

namespace {

std::optional<Message> message_of(const ldns_pkt* p, std::size_t size, std::string* error_token, bool with_text) {
  Message m;
  m.id = ldns_pkt_id(p);
  m.rcode = static_cast<int>(ldns_pkt_get_rcode(p)) | (static_cast<int>(ldns_pkt_edns_extended_rcode(p)) << 4);
  m.qr = ldns_pkt_qr(p);
  m.aa = ldns_pkt_aa(p);
  m.tc = ldns_pkt_tc(p);
  m.rd = ldns_pkt_rd(p);
  m.ra = ldns_pkt_ra(p);
  m.ad = ldns_pkt_ad(p);
  m.cd = ldns_pkt_cd(p);
  if (ldns_rr_list_rr_count(ldns_pkt_question(p)) > 0) {
    const ldns_rr* q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
    m.qname = rdf_text(ldns_rr_owner(q));
    lower_ascii(m.qname);
    m.qtype = static_cast<std::uint16_t>(ldns_rr_get_type(q));
    m.qclass = static_cast<std::uint16_t>(ldns_rr_get_class(q));
  }
  m.has_opt = ldns_pkt_edns(p);
  m.opt_size = ldns_pkt_edns_udp_size(p);
  m.opt_do = ldns_pkt_edns_do(p);
  m.edns_version = ldns_pkt_edns_version(p);
  if (!section(ldns_pkt_answer(p), m.answer, with_text) || !section(ldns_pkt_authority(p), m.authority, with_text) ||
      !section(ldns_pkt_additional(p), m.additional, with_text)) {
    if (error_token) *error_token = "bad-rdata";
    return std::nullopt;
  }
  m.size = size;
  return m;
}

Outcome classify_pkt(const Request& r, std::uint16_t id, const ldns_pkt* p) {
  if (!ldns_pkt_qr(p) || ldns_pkt_id(p) != id) return Outcome::Mismatch;
  const ldns_rr_list* question = ldns_pkt_question(p);
  const std::size_t qdcount = ldns_rr_list_rr_count(question);
  // RFC 6891 §7: a responder without EDNS answers FORMERR, and some omit the question when they do; the ID and the
  // source address still tie the answer to the query, and the walker needs that FORMERR (EDNS_UNSUPPORTED).
  if (qdcount == 0) return ldns_pkt_get_rcode(p) == LDNS_RCODE_FORMERR ? Outcome::Answer : Outcome::Mismatch;
  if (qdcount != 1) return Outcome::Mismatch;
  const ldns_rr* q = ldns_rr_list_rr(question, 0);
  std::string qname = rdf_text(ldns_rr_owner(q));
  lower_ascii(qname);
  const std::string asked = canonical_name(r.qname);
  if (asked.empty() || qname != asked) return Outcome::Mismatch;
  if (static_cast<std::uint16_t>(ldns_rr_get_type(q)) != r.qtype) return Outcome::Mismatch;
  if (ldns_rr_get_class(q) != LDNS_RR_CLASS_IN) return Outcome::Mismatch;
  return Outcome::Answer;
}

}  // namespace

std::optional<Message> parse_message(std::string_view wire, std::string* error_token, bool with_text) {
  LdnsPktPtr pkt = parse_pkt(wire, error_token);
  if (!pkt) return std::nullopt;
  return message_of(pkt.get(), wire.size(), error_token, with_text);
}

Outcome classify_answer(const Request& r, std::uint16_t id, std::string_view wire,
                        std::shared_ptr<const Message>* parsed) {
  LdnsPktPtr pkt = parse_pkt(wire, nullptr);
  if (!pkt) return Outcome::Malformed;
  const Outcome o = classify_pkt(r, id, pkt.get());
  if (o == Outcome::Answer && parsed) {
    if (auto m = message_of(pkt.get(), wire.size(), nullptr, false)) *parsed = std::make_shared<const Message>(*m);
  }
  return o;
}

}  // namespace zw::live
