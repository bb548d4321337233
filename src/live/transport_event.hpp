// transport_event.hpp: the transport that talks to real servers (DESIGN.md §4), on the run's libevent loop.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "live/event_loop.hpp"
#include "live/transport.hpp"

namespace zw::live {

/// A transport over UDP and TCP on `loop` (which must outlive it).
///
/// UDP: a fresh socket per attempt, connected to the server (so that ICMP errors come back as Unreachable) from a
/// kernel-chosen random port, with a random ID (OpenSSL RAND_bytes); a datagram that does not answer the question
/// (ID, question, source address and port) is ignored and the wait goes on; after `timeout_seconds` without an
/// answer the request is sent again, `retries` times, and the earlier tries keep listening: a late answer to any of
/// them ends the request (rtt_ms runs from the send it answers). TC=1 is an Answer: the caller decides whether to ask
/// over TCP.
/// TCP: a non-blocking connect, 2-byte length framing (RFC 1035 §4.2.2), and one timeout for the whole exchange, so
/// a server that trickles its answer costs one timeout per attempt; a connection closed before a whole message is
/// Unreachable (nothing arrived) or Malformed (part of one did).
/// Limits: at most `parallel` requests in flight, at most `per_address` to one address, the rest wait in order;
/// `deadline_seconds` after creation every request not yet answered ends as DeadlinePassed.
///
/// Throws zw::Error for local failures only: options out of range, an address that is not an IP literal, a name that
/// is not a domain name, no file descriptors or randomness left. `parallel` is lowered to what RLIMIT_NOFILE leaves
/// (see event_transport_parallel).
std::unique_ptr<Transport> make_event_transport(EventLoop& loop, const TransportOptions& options);

/// The number of requests a transport created now would keep in flight at most: `options.parallel`, lowered so that
/// every request in flight has a file descriptor for each of its tries within RLIMIT_NOFILE (with a reserve for the
/// rest of the process). Throws zw::Error when not even one is left.
std::size_t event_transport_parallel(const TransportOptions& options);

/// Makes room for `options.parallel` requests in flight: when the soft RLIMIT_NOFILE leaves fewer file descriptors
/// than they need (one per try of each, with the reserve event_transport_parallel keeps), the soft limit is raised
/// as far as the hard limit allows. Returns a warning when even that leaves fewer ("--parallel 64 lowered to 20: the
/// file descriptor limit (ulimit -n) is 100, hard limit 100"), else an empty string. Never throws.
std::string raise_fd_limit(const TransportOptions& options);

}  // namespace zw::live
