// wire.cpp: fuzz target: DNS messages from servers, parsed as the walker parses them (with and without the records'
// text), classified against the question asked, and their names sent back out in queries as a walk does.
#include "live/wire.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "fuzz_support.hpp"

namespace {

/// Every byte of a parsed message's strings read (AddressSanitizer sees a bad copy here).
std::size_t weigh(const zw::live::Message& m) {
  std::size_t sum = m.qname.size() + m.size;
  for (const auto* section : {&m.answer, &m.authority, &m.additional}) {
    for (const zw::live::WireRecord& r : *section) {
      for (const std::string* s : {&r.owner, &r.rdata, &r.canonical, &r.text})
        for (const char c : *s) sum += static_cast<unsigned char>(c);
    }
  }
  return sum;
}

/// A query for `qname` (the walker asks the names servers give it); names that are not domain names are refused.
std::size_t query_for(const std::string& qname, std::uint16_t qtype) {
  zw::live::Request r;
  r.address = "127.0.0.1";
  r.qname = qname;
  r.qtype = qtype;
  try {
    return zw::live::make_query(r, 0x1234).size();
  } catch (const zw::Error&) {
    return 0;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view wire = zw::fuzz::as_text(data, size);
  std::size_t sum = 0;
  std::string token;
  const auto plain = zw::live::parse_message(wire, &token, false);
  const auto with_text = zw::live::parse_message(wire, nullptr, true);
  if (plain.has_value() != with_text.has_value()) std::abort();  // the text never decides whether a message parses
  if (plain) sum += weigh(*plain) + weigh(*with_text);
  // Against a fixed question (mostly a mismatch), then against the message's own ID and question (an answer).
  zw::live::Request fixed;
  fixed.address = "127.0.0.1";
  fixed.qname = "example.";
  fixed.qtype = 48;
  std::shared_ptr<const zw::live::Message> parsed;
  sum += static_cast<std::size_t>(zw::live::classify_answer(fixed, 0x1234, wire, &parsed));
  if (plain && !plain->qname.empty()) {
    zw::live::Request own = fixed;
    own.qname = plain->qname;
    own.qtype = plain->qtype;
    sum += static_cast<std::size_t>(zw::live::classify_answer(own, plain->id, wire, &parsed));
    if (parsed) sum += weigh(*parsed);
    sum += query_for(plain->qname, plain->qtype);
    std::size_t asked = 0;
    for (const zw::live::WireRecord& r : plain->authority) {
      if (++asked > 8) break;
      sum += query_for(r.owner, r.type);
    }
  }
  volatile std::size_t sink = sum + token.size();
  static_cast<void>(sink);
  return 0;
}
