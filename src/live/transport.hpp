// transport.hpp: the batch interface through which the live side talks to servers (DESIGN.md §4): requests in,
// one response per request out. The event loop never leaks out of the implementations (live/transport_*.cpp).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace zw::live {

struct Message;

enum class Proto : std::uint8_t { Udp, Tcp };

/// "udp" or "tcp".
const char* proto_name(Proto p);

/// One question for one server address.
struct Request {
  std::string server;   ///< the server's name, presentation format, for provenance only ("ns1.example.")
  std::string address;  ///< IPv4 or IPv6 literal ("192.0.2.1", "2001:db8::1")
  std::uint16_t port = 53;
  Proto proto = Proto::Udp;
  std::string qname;  ///< presentation format, absolute ("example.")
  std::uint16_t qtype = 0;
  bool edns = true;                ///< send an OPT record (RFC 6891)
  std::uint16_t edns_size = 1232;  ///< its UDP payload size
  bool dnssec_ok = true;           ///< the DO bit (RFC 3225)
  bool recursion_desired = false;
};

/// What became of a request.
enum class Outcome : std::uint8_t {
  Answer,         ///< a well-formed answer to this question (any RCODE); `wire` holds it
  Timeout,        ///< nothing usable arrived within the timeout, after every retry
  Unreachable,    ///< connection refused, ICMP port/host unreachable, no route
  Malformed,      ///< bytes arrived from the server that do not parse as a DNS message; `wire` holds them
  Mismatch,       ///< only answers with the wrong ID, question or source address arrived; `wire` holds the last
  TooLarge,       ///< the answer exceeded the size limit; `wire` holds the first `max_answer` octets
  DeadlinePassed  ///< the run's --deadline passed before the request was sent or answered
};

/// "answer", "timeout", "unreachable", "malformed", "mismatch", "too-large", "deadline".
const char* outcome_name(Outcome o);

struct Response {
  Outcome outcome = Outcome::Timeout;
  std::string wire;            ///< the raw message as received (see Outcome)
  double rtt_ms = 0;           ///< from the send answered to the answer; 0 when none
  std::uint32_t attempts = 0;  ///< sends made (1 + retries used)
  /// The answer parsed (parse_message without text) by the transport that checked it, so that nobody parses it
  /// again; null when the transport did not (replays) or the records did not convert. Not part of captures.
  std::shared_ptr<const Message> message;
};

/// Limits of a transport (documented in zonewarden-check(1), LIMITS).
struct TransportOptions {
  double timeout_seconds = 2;      ///< --timeout: per attempt
  unsigned retries = 1;            ///< --retries: further attempts after a timeout (UDP; TCP: reconnects)
  std::size_t parallel = 64;       ///< --parallel: requests in flight at once, all addresses together
  std::size_t per_address = 8;     ///< requests in flight at once to one address
  double deadline_seconds = 0;     ///< --deadline: seconds from the transport's creation; 0: none
  std::size_t max_answer = 65535;  ///< octets accepted per answer (UDP and TCP)
};

/// Sends batches of requests. Not thread-safe; one walker drives one transport.
class Transport {
 public:
  virtual ~Transport() = default;
  /// Sends every request (concurrently, within the limits) and returns their responses in the same order.
  /// Never throws for what servers do: every failure is an Outcome.
  virtual std::vector<Response> exchange(std::span<const Request> requests) = 0;
};

}  // namespace zw::live
