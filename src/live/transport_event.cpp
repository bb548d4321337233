// transport_event.cpp: UDP and TCP exchanges with real servers on libevent, within concurrency caps and a deadline.
#include "live/transport_event.hpp"

#include <event2/event.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/rand.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <system_error>
#include <vector>

#include "core/error.hpp"
#include "core/handles.hpp"
#include "live/wire.hpp"

namespace zw::live {

namespace {

using Clock = std::chrono::steady_clock;

// File descriptors kept free for the rest of the process (libunbound's sockets, reports, capture files).
constexpr std::size_t kFdReserve = 32;
constexpr std::size_t kMaxDatagram = 65535;
constexpr std::size_t kTcpChunk = 16384;
// Datagrams read per wake-up: a server flooding the socket cannot keep the loop from its timers.
constexpr int kDatagramsPerWake = 64;

struct Address {
  sockaddr_storage sa{};
  socklen_t len = 0;
  std::string key;  // the address in canonical text: one per-address cap for every spelling
};

Address parse_address(const Request& r) {
  addrinfo hints{};
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  hints.ai_socktype = r.proto == Proto::Udp ? SOCK_DGRAM : SOCK_STREAM;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(r.port);
  if (getaddrinfo(r.address.c_str(), port.c_str(), &hints, &res) != 0 || res == nullptr) {
    throw Error("server " + r.server + ": '" + r.address + "' is not an IPv4 or IPv6 address");
  }
  Address a;
  std::memcpy(&a.sa, res->ai_addr, res->ai_addrlen);
  a.len = res->ai_addrlen;
  freeaddrinfo(res);
  std::array<char, NI_MAXHOST> host{};
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&a.sa), a.len, host.data(), host.size(), nullptr, 0,
                  NI_NUMERICHOST) != 0) {
    throw Error("server " + r.server + ": '" + r.address + "' is not an IPv4 or IPv6 address");
  }
  a.key = host.data();
  return a;
}

bool same_peer(const Address& a, const sockaddr_storage& from, socklen_t from_len) {
  if (from.ss_family != a.sa.ss_family) return false;
  if (from.ss_family == AF_INET) {
    const auto& x = reinterpret_cast<const sockaddr_in&>(a.sa);
    const auto& y = reinterpret_cast<const sockaddr_in&>(from);
    return from_len >= sizeof(sockaddr_in) && x.sin_port == y.sin_port && x.sin_addr.s_addr == y.sin_addr.s_addr;
  }
  const auto& x = reinterpret_cast<const sockaddr_in6&>(a.sa);
  const auto& y = reinterpret_cast<const sockaddr_in6&>(from);
  return from_len >= sizeof(sockaddr_in6) && x.sin6_port == y.sin6_port &&
         std::memcmp(&x.sin6_addr, &y.sin6_addr, sizeof x.sin6_addr) == 0;
}

// Errors that say this process ran out of something: the run cannot go on. Every other error of a socket says
// that the server cannot be reached (refused, reset, ICMP unreachable, no route, no IPv6 here).
bool local_errno(int e) {
  return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
}

timeval to_timeval(double seconds) {
  seconds = std::max(seconds, 0.0);
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(seconds);
  tv.tv_usec = static_cast<suseconds_t>(std::lround((seconds - static_cast<double>(tv.tv_sec)) * 1e6));
  if (tv.tv_usec >= 1000000) {
    ++tv.tv_sec;
    tv.tv_usec -= 1000000;
  }
  return tv;
}

std::size_t open_fds() {
  std::error_code ec;
  std::size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
  return ec ? 64 : n;
}

class Batch;
struct Query;

// TCP: one connection to an address, shared by its requests of a batch (RFC 7766 §6.2.1: reuse and pipelining).
// Queries are written back to back as they come; answers are matched by ID, in any order (§6.2.1.1).
struct Conn {
  Batch* batch = nullptr;
  std::size_t slot = 0;
  core::UniqueFd fd;  // declared before the events: they go before their descriptor
  EventPtr read_ev, write_ev;
  bool connected = false;
  bool retired = false;  // a request on it timed out: later requests open another connection
  bool closed = false;
  std::string out;                   // framed queries not written yet
  std::string in;                    // what has arrived and is no whole message yet
  std::size_t skip = 0;              // octets still to drop of an answer over the size limit
  std::size_t answered = 0;          // requests ended by a message on this connection
  std::vector<Query*> pending;       // in order of sending
  std::vector<std::uint16_t> stale;  // IDs of requests that left without an answer (timed out, ended)
};

// One request on its way: its socket, its events and what has arrived so far.
struct Query {
  enum class State : std::uint8_t { Queued, Running, Done };
  Batch* batch = nullptr;
  const Request* request = nullptr;
  Response* response = nullptr;
  Address address;
  std::size_t slot = 0;  // the address's counter of requests in flight
  State state = State::Queued;
  EventPtr timer;     // the attempt's timeout; lives as long as the query runs
  core::UniqueFd fd;  // declared before `io`: the event goes before its descriptor
  EventPtr io;
  std::uint16_t id = 0;
  Clock::time_point sent;  // the last send
  Conn* conn = nullptr;    // TCP: the connection carrying the query
  bool mismatched = false;
  std::string last_mismatch;
  // UDP: the earlier tries, still listening: a slow server's answer to one counts (its socket, event, ID, send).
  struct Earlier {
    core::UniqueFd fd;
    EventPtr io;
    std::uint16_t id = 0;
    Clock::time_point sent;
  };
  std::vector<Earlier> earlier;
};

// The message of a local failure while talking to q's server: "cannot open a socket for ns1.example. (192.0.2.1
// over udp): Too many open files".
std::string local_failure(const char* what, const Query& q, int err) {
  return std::string(what) + " " + q.request->server + " (" + q.request->address + " over " +
         proto_name(q.request->proto) + "): " + std::strerror(err);
}

// TCP: the length prefix of the message arriving; 0 until both its octets have.
std::size_t announced_length(const std::string& in) {
  if (in.size() < 2) return 0;
  return (static_cast<std::size_t>(static_cast<unsigned char>(in[0])) << 8) | static_cast<unsigned char>(in[1]);
}

std::uint16_t message_id(std::string_view wire) {
  return static_cast<std::uint16_t>((static_cast<unsigned char>(wire[0]) << 8) | static_cast<unsigned char>(wire[1]));
}

class Batch {
 public:
  // `deadline_fired` outlives the batch: once the deadline timer fired, later batches send nothing either.
  Batch(event_base* base, const TransportOptions& options, std::size_t parallel, Clock::time_point deadline,
        bool has_deadline, bool& deadline_fired)
      : base_(base),
        options_(options),
        parallel_(parallel),
        deadline_(deadline),
        has_deadline_(has_deadline),
        deadline_fired_(deadline_fired) {}
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  std::vector<Response> run(std::span<const Request> requests);

  static void on_timer(evutil_socket_t, short, void* arg) {
    guarded(arg, [](Query& q) { q.batch->timed_out(q); });
  }
  static void on_io(evutil_socket_t fd, short, void* arg) {
    guarded(arg, [fd](Query& q) { q.batch->udp_io(q, fd); });
  }
  static void on_conn(evutil_socket_t, short what, void* arg) {
    auto& c = *static_cast<Conn*>(arg);
    try {
      c.batch->conn_io(c, what);
    } catch (const std::exception& e) {
      c.batch->fail_locally(e.what());
    }
  }
  static void on_deadline(evutil_socket_t, short, void* arg) {
    auto* b = static_cast<Batch*>(arg);
    // libevent's coarse monotonic clock may fire the timer a few milliseconds before the steady clock agrees.
    b->deadline_fired_ = true;
    for (Query& q : b->queries_) {
      if (q.state != Query::State::Done) b->finish(q, Outcome::DeadlinePassed);
    }
  }

 private:
  // No exception crosses libevent's C frames: a local failure stops the loop and is thrown by run().
  template <typename F>
  static void guarded(void* arg, F f) {
    auto& q = *static_cast<Query*>(arg);
    try {
      f(q);
    } catch (const std::exception& e) {
      q.batch->fail_locally(e.what());
    }
  }

  void fail_locally(const std::string& what) {
    if (local_error_.empty()) local_error_ = what;
    event_base_loopbreak(base_);
  }
  // The receive buffer of every socket of the batch (one callback runs at a time): made once, not per datagram.
  std::string& buffer() {
    if (buffer_.empty()) buffer_.resize(std::max(kMaxDatagram + 1, kTcpChunk));
    return buffer_;
  }
  bool deadline_passed() const { return deadline_fired_ || (has_deadline_ && Clock::now() >= deadline_); }
  void pump();
  void start(Query& q);
  void attempt(Query& q);
  bool open_socket(Query& q);
  void udp_io(Query& q, int fd);
  void udp_datagram(Query& q, const std::string& wire, std::size_t length, std::uint16_t id, Clock::time_point sent);
  void tcp_attach(Query& q);
  Conn* tcp_connection(Query& q);
  void conn_io(Conn& c, short what);
  void conn_write(Conn& c);
  void conn_read(Conn& c);
  void conn_messages(Conn& c);
  void conn_message(Conn& c, std::string wire);
  void conn_closed(Conn& c);
  void conn_shut(Conn& c);
  void detach(Query& q, bool timed_out);
  void timed_out(Query& q);
  void watch(Query& q, short what);
  void finish(Query& q, Outcome outcome, std::string wire = {}, bool received = false);

  event_base* base_;
  const TransportOptions& options_;
  std::size_t parallel_;
  Clock::time_point deadline_;
  bool has_deadline_;
  bool& deadline_fired_;
  std::vector<Query> queries_;
  std::deque<Conn> conns_;                // every connection of the batch (closed ones too), stable in memory
  std::vector<Conn*> current_;            // by Query::slot: the connection new requests to the address join
  std::vector<std::size_t> waiting_;      // indices into queries_, in request order
  std::vector<std::size_t> per_address_;  // requests in flight, by Query::slot
  std::size_t in_flight_ = 0;
  std::size_t done_ = 0;
  std::string local_error_;
  std::string buffer_;
};

std::vector<Response> Batch::run(std::span<const Request> requests) {
  std::vector<Response> responses(requests.size());
  queries_.resize(requests.size());
  std::map<std::string, std::size_t> slots;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    Query& q = queries_[i];
    q.batch = this;
    q.request = &requests[i];
    q.response = &responses[i];
    q.address = parse_address(requests[i]);
    q.slot = slots.emplace(q.address.key, slots.size()).first->second;
    (void)make_query(requests[i], 0);  // refuses a name that is not a domain name before anything is sent
    waiting_.push_back(i);
  }
  per_address_.assign(slots.size(), 0);
  current_.assign(slots.size(), nullptr);
  EventPtr deadline;
  if (has_deadline_) {
    deadline.reset(evtimer_new(base_, &Batch::on_deadline, this));
    if (!deadline) throw Error("libevent: cannot create a timer");
    const timeval tv = to_timeval(std::chrono::duration<double>(deadline_ - Clock::now()).count());
    evtimer_add(deadline.get(), &tv);
  }
  while (done_ < queries_.size() && local_error_.empty()) {
    pump();
    if (done_ == queries_.size() || !local_error_.empty()) break;
    if (event_base_loop(base_, EVLOOP_ONCE) != 0)
      fail_locally("libevent: the event loop stopped with requests pending");
  }
  if (!local_error_.empty()) throw Error(local_error_);
  return responses;
}

// Starts waiting requests, in order, as far as the caps allow. Cheap when the global cap is reached: a walk may queue
// thousands of requests behind it.
void Batch::pump() {
  const bool late = deadline_passed();
  if (!late && in_flight_ >= parallel_) return;
  std::size_t kept = 0;
  std::size_t k = 0;
  for (; k < waiting_.size(); ++k) {
    Query& q = queries_[waiting_[k]];
    if (q.state == Query::State::Done) continue;  // ended by the deadline
    if (late) {
      finish(q, Outcome::DeadlinePassed);
    } else if (!local_error_.empty() || in_flight_ >= parallel_) {
      break;
    } else if (per_address_[q.slot] < options_.per_address) {
      start(q);
    } else {
      waiting_[kept++] = waiting_[k];
    }
  }
  for (; k < waiting_.size(); ++k) waiting_[kept++] = waiting_[k];
  waiting_.resize(kept);
}

void Batch::start(Query& q) {
  q.state = Query::State::Running;
  ++in_flight_;
  ++per_address_[q.slot];
  q.timer.reset(evtimer_new(base_, &Batch::on_timer, &q));
  if (!q.timer) return fail_locally("libevent: cannot create a timer");
  attempt(q);
}

// One attempt: a new ID and the timer set; over UDP a new socket and the query sent, over TCP the query queued on
// the address's connection (opened when there is none that may take it).
void Batch::attempt(Query& q) {
  if (q.request->proto == Proto::Udp && q.fd) {
    q.earlier.push_back({std::move(q.fd), std::move(q.io), q.id, q.sent});
  }
  q.io.reset();
  q.fd.reset();
  ++q.response->attempts;
  const timeval tv = to_timeval(options_.timeout_seconds);
  evtimer_add(q.timer.get(), &tv);
  if (q.request->proto == Proto::Tcp) return tcp_attach(q);
  // RFC 5452 §10: "Use an unpredictable source port for outgoing queries" (a new socket, the kernel's random port)
  // and "Use an unpredictable query ID for outgoing queries, utilizing the full range available (0-65535)".
  std::array<unsigned char, 2> id{};
  if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) return fail_locally("OpenSSL: no random bytes");
  q.id = static_cast<std::uint16_t>((id[0] << 8) | id[1]);
  const std::string query = make_query(*q.request, q.id);
  if (!open_socket(q)) return;
  q.sent = Clock::now();
  if (::send(q.fd.get(), query.data(), query.size(), 0) < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
    if (local_errno(errno)) return fail_locally(local_failure("cannot send a query to", q, errno));
    return finish(q, Outcome::Unreachable);
  }
  watch(q, EV_READ | EV_PERSIST);
}

// A non-blocking UDP socket connected to the server; false when the attempt already ended.
bool Batch::open_socket(Query& q) {
  q.fd.reset(::socket(q.address.sa.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!q.fd) {
    if (local_errno(errno)) {
      fail_locally(local_failure("cannot open a socket for", q, errno));
    } else {
      finish(q, Outcome::Unreachable);  // e.g. no IPv6 on this host
    }
    return false;
  }
  if (::connect(q.fd.get(), reinterpret_cast<const sockaddr*>(&q.address.sa), q.address.len) == 0) return true;
  if (local_errno(errno)) {
    fail_locally(local_failure("cannot connect a socket to", q, errno));
  } else {
    finish(q, Outcome::Unreachable);
  }
  return false;
}

void Batch::watch(Query& q, short what) {
  q.io.reset(event_new(base_, q.fd.get(), what, &Batch::on_io, &q));
  if (!q.io || event_add(q.io.get(), nullptr) != 0) fail_locally("libevent: cannot watch a socket");
}

void Batch::udp_io(Query& q, int fd) {
  std::uint16_t id = q.id;
  Clock::time_point sent = q.sent;
  if (fd != q.fd.get()) {
    const auto it = std::find_if(q.earlier.begin(), q.earlier.end(), [fd](const auto& e) { return e.fd.get() == fd; });
    if (it == q.earlier.end()) return;
    id = it->id;
    sent = it->sent;
  }
  std::string& buf = buffer();
  for (int k = 0; k < kDatagramsPerWake; ++k) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    // MSG_TRUNC: the datagram's real length, even when it is longer than the buffer.
    const ssize_t n = ::recvfrom(fd, buf.data(), buf.size(), MSG_TRUNC, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      if (local_errno(errno)) return fail_locally(local_failure("cannot receive from", q, errno));
      return finish(q, Outcome::Unreachable);  // ICMP port or host unreachable on the connected socket
    }
    const auto length = static_cast<std::size_t>(n);
    if (!same_peer(q.address, from, from_len)) {
      q.mismatched = true;
      q.last_mismatch = buf.substr(0, std::min(length, options_.max_answer));
      continue;
    }
    udp_datagram(q, buf, length, id, sent);
    if (q.state != Query::State::Running) return;
  }
}

// A datagram from the server's address and port: it ends the request unless it answers another question.
void Batch::udp_datagram(Query& q, const std::string& buf, std::size_t length, std::uint16_t id,
                         Clock::time_point sent) {
  const bool our_id =
      length >= 2 && ((static_cast<unsigned char>(buf[0]) << 8) | static_cast<unsigned char>(buf[1])) == id;
  const auto end = [&](Outcome o, std::string wire) {
    q.sent = sent;  // the rtt runs from the send answered
    finish(q, o, std::move(wire), true);
  };
  if (length > options_.max_answer) {
    if (our_id) return end(Outcome::TooLarge, buf.substr(0, options_.max_answer));
    q.mismatched = true;
    q.last_mismatch = buf.substr(0, options_.max_answer);
    return;
  }
  std::string wire = buf.substr(0, length);
  std::shared_ptr<const Message> parsed;
  const Outcome o = classify_answer(*q.request, id, wire, &parsed);
  // Bytes that do not parse end the request only when they carry its ID (or are too short to carry one): anything
  // else may be a stray or forged datagram and is ignored like a mismatch.
  if (o == Outcome::Answer || (o == Outcome::Malformed && (our_id || length < 2))) {
    q.response->message = std::move(parsed);
    return end(o, std::move(wire));
  }
  q.mismatched = true;
  q.last_mismatch = std::move(wire);
}

// The connection a TCP request joins: the address's current one, or a new one (connecting); null when the request
// already ended (the server cannot be reached, or the run failed locally).
Conn* Batch::tcp_connection(Query& q) {
  Conn* c = current_[q.slot];
  if (c && !c->retired && !c->closed) return c;
  Conn& fresh = conns_.emplace_back();
  fresh.batch = this;
  fresh.slot = q.slot;
  current_[q.slot] = &fresh;
  fresh.fd.reset(::socket(q.address.sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  const bool opened =
      fresh.fd && (::connect(fresh.fd.get(), reinterpret_cast<const sockaddr*>(&q.address.sa), q.address.len) == 0 ||
                   errno == EINPROGRESS);
  if (!opened) {
    const int err = errno;
    const char* what = fresh.fd ? "cannot connect a socket to" : "cannot open a socket for";
    fresh.closed = true;
    fresh.fd.reset();
    if (local_errno(err)) {
      fail_locally(local_failure(what, q, err));
    } else {
      finish(q, Outcome::Unreachable);  // e.g. no IPv6 on this host, or refused at once
    }
    return nullptr;
  }
  // Queries follow each other on the connection: without TCP_NODELAY, Nagle's algorithm holds each one back until
  // the server acknowledges the previous (which it may delay, RFC 1122 §4.2.3.2). RFC 7766 §6.2.1: pipelining.
  const int one = 1;
  (void)::setsockopt(fresh.fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  (void)::setsockopt(fresh.fd.get(), IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
  fresh.read_ev.reset(event_new(base_, fresh.fd.get(), EV_READ | EV_PERSIST, &Batch::on_conn, &fresh));
  fresh.write_ev.reset(event_new(base_, fresh.fd.get(), EV_WRITE | EV_PERSIST, &Batch::on_conn, &fresh));
  // The connection is writable once connected (or failed): the write event sees the outcome of connect.
  if (!fresh.read_ev || !fresh.write_ev || event_add(fresh.write_ev.get(), nullptr) != 0) {
    fail_locally("libevent: cannot watch a socket");
    return nullptr;
  }
  return &fresh;
}

// Queues a TCP request on its connection with an ID no other request on it has.
void Batch::tcp_attach(Query& q) {
  Conn* c = tcp_connection(q);
  if (c == nullptr) return;
  const auto taken = [c](std::uint16_t id) {
    return std::any_of(c->pending.begin(), c->pending.end(), [id](const Query* p) { return p->id == id; }) ||
           std::find(c->stale.begin(), c->stale.end(), id) != c->stale.end();
  };
  do {
    std::array<unsigned char, 2> id{};
    if (RAND_bytes(id.data(), static_cast<int>(id.size())) != 1) return fail_locally("OpenSSL: no random bytes");
    q.id = static_cast<std::uint16_t>((id[0] << 8) | id[1]);
  } while (taken(q.id));
  const std::string query = make_query(*q.request, q.id);
  // RFC 1035 §4.2.2: "The message is prefixed with a two byte length field which gives the message length,
  // excluding the two byte length field."
  c->out.push_back(static_cast<char>(query.size() >> 8));
  c->out.push_back(static_cast<char>(query.size() & 0xff));
  c->out += query;
  c->pending.push_back(&q);
  q.conn = c;
  q.sent = Clock::now();
  if (c->connected) {
    conn_write(*c);  // at once: the socket takes it unless the server reads slowly (then the write event waits)
    if (!c->closed && !c->out.empty() && event_add(c->write_ev.get(), nullptr) != 0)
      fail_locally("libevent: cannot watch a socket");
  }
}

void Batch::conn_io(Conn& c, short what) {
  if (c.closed) return;
  if (!c.connected && (what & EV_WRITE) != 0) {
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(c.fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
    if (err != 0) {
      if (local_errno(err) && !c.pending.empty())
        return fail_locally(local_failure("cannot connect to", *c.pending.front(), err));
      return conn_closed(c);
    }
    c.connected = true;
    const auto now = Clock::now();
    for (Query* q : c.pending) q->sent = now;  // the round trip runs from the connection's first chance to send
    if (event_add(c.read_ev.get(), nullptr) != 0) return fail_locally("libevent: cannot watch a socket");
  }
  if ((what & EV_WRITE) != 0) conn_write(c);
  if (!c.closed && (what & EV_READ) != 0) conn_read(c);
}

// Writes what the socket takes; a connection that cannot be written to is closed.
void Batch::conn_write(Conn& c) {
  while (!c.out.empty()) {
    const ssize_t n = ::send(c.fd.get(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      return conn_closed(c);
    }
    c.out.erase(0, static_cast<std::size_t>(n));
  }
  event_del(c.write_ev.get());
}

void Batch::conn_read(Conn& c) {
  std::string& chunk = buffer();
  while (!c.closed) {
    const ssize_t n = ::recv(c.fd.get(), chunk.data(), kTcpChunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) return conn_closed(c);  // closed or reset
    // A server's answers to pipelined queries meet Nagle's algorithm on its side: the next one waits for the ACK
    // of the last, which Linux delays by up to 40 ms unless asked for quick ACKs (a mode the kernel leaves again).
    const int quick = 1;
    (void)::setsockopt(c.fd.get(), IPPROTO_TCP, TCP_QUICKACK, &quick, sizeof quick);
    std::string_view got(chunk.data(), static_cast<std::size_t>(n));
    const std::size_t dropped = std::min(c.skip, got.size());
    c.skip -= dropped;
    c.in.append(got.substr(dropped));
    conn_messages(c);
  }
}

// Takes every whole message off the connection's input (and the first `max_answer` octets of one over the limit).
void Batch::conn_messages(Conn& c) {
  while (!c.closed && c.skip == 0 && c.in.size() >= 2) {
    const std::size_t length = announced_length(c.in);
    if (length > options_.max_answer) {
      if (c.in.size() - 2 < options_.max_answer) return;
      std::string part = c.in.substr(2, options_.max_answer);
      const std::size_t have = std::min(c.in.size(), 2 + length);
      c.skip = 2 + length - have;
      c.in.erase(0, have);
      Query* q = nullptr;
      for (Query* p : c.pending) {
        if (p->id == message_id(part)) q = p;
      }
      if (q == nullptr && !c.pending.empty()) q = c.pending.front();
      if (q != nullptr) {
        ++c.answered;
        finish(*q, Outcome::TooLarge, std::move(part), true);
      }
      continue;
    }
    if (c.in.size() - 2 < length) return;
    std::string wire = c.in.substr(2, length);
    c.in.erase(0, 2 + length);
    conn_message(c, std::move(wire));
  }
}

// A whole message: it ends the request with its ID. A message with an ID no request on the connection has (and no
// request that left it) ends the oldest one, as a Mismatch (or Malformed when it does not parse).
void Batch::conn_message(Conn& c, std::string wire) {
  Query* q = nullptr;
  if (wire.size() >= 2) {
    const std::uint16_t id = message_id(wire);
    for (Query* p : c.pending) {
      if (p->id == id) q = p;
    }
    if (q == nullptr && std::find(c.stale.begin(), c.stale.end(), id) != c.stale.end()) return;  // a late answer
  }
  if (q == nullptr) {
    if (c.pending.empty()) return;
    q = c.pending.front();
  }
  std::shared_ptr<const Message> parsed;
  const Outcome o = classify_answer(*q->request, q->id, wire, &parsed);
  q->response->message = std::move(parsed);
  ++c.answered;
  finish(*q, o, std::move(wire), true);
}

// The server closed (or reset) the connection, or it failed. Part of a message ends its request as Malformed (or
// TooLarge); the others are asked again on a new connection when this one answered some (servers may close after
// any number of answers, RFC 7766 §6.2.3), else they are Unreachable.
void Batch::conn_closed(Conn& c) {
  const bool answered = c.answered > 0;
  std::string part = c.skip == 0 ? std::move(c.in) : std::string();
  const std::size_t length = announced_length(part);
  conn_shut(c);
  std::vector<Query*> left = std::move(c.pending);
  c.pending.clear();
  if (!part.empty() && !left.empty()) {
    auto it = left.begin();
    if (part.size() >= 4) {
      const std::uint16_t id = message_id(std::string_view(part).substr(2));
      const auto found = std::find_if(left.begin(), left.end(), [id](const Query* p) { return p->id == id; });
      if (found != left.end()) it = found;
    }
    Query* q = *it;
    left.erase(it);
    q->conn = nullptr;
    finish(*q, length > options_.max_answer ? Outcome::TooLarge : Outcome::Malformed,
           part.size() > 2 ? part.substr(2) : part, true);
  }
  for (Query* q : left) {
    q->conn = nullptr;
    if (q->state != Query::State::Running) continue;
    if (answered) {
      tcp_attach(*q);
    } else {
      finish(*q, Outcome::Unreachable);
    }
  }
}

// Stops watching and closes the socket; the Conn stays (its events may be running).
void Batch::conn_shut(Conn& c) {
  if (c.closed) return;
  c.closed = true;
  if (c.read_ev) event_del(c.read_ev.get());
  if (c.write_ev) event_del(c.write_ev.get());
  c.fd.reset();
  c.out.clear();
  c.in.clear();
}

// Takes a TCP request off its connection. A timeout retires the connection (a server that stalls one answer may
// stall the rest): it closes once its last request has left.
void Batch::detach(Query& q, bool timed_out) {
  Conn* c = q.conn;
  if (c == nullptr) return;
  q.conn = nullptr;
  c->pending.erase(std::remove(c->pending.begin(), c->pending.end(), &q), c->pending.end());
  c->stale.push_back(q.id);
  if (timed_out) c->retired = true;
  if (c->retired && c->pending.empty()) conn_shut(*c);
}

void Batch::timed_out(Query& q) {
  detach(q, true);
  if (q.response->attempts < 1 + options_.retries) return attempt(q);
  if (q.mismatched) return finish(q, Outcome::Mismatch, std::move(q.last_mismatch));
  finish(q, Outcome::Timeout);
}

void Batch::finish(Query& q, Outcome outcome, std::string wire, bool received) {
  if (q.state == Query::State::Done) return;
  if (q.state == Query::State::Running) {
    --in_flight_;
    --per_address_[q.slot];
  }
  q.state = Query::State::Done;
  ++done_;
  q.response->outcome = outcome;
  q.response->wire = std::move(wire);
  q.response->rtt_ms = received ? std::chrono::duration<double, std::milli>(Clock::now() - q.sent).count() : 0;
  q.io.reset();
  q.fd.reset();
  q.earlier.clear();
  detach(q, false);
  if (q.timer) event_del(q.timer.get());
}

class EventTransport final : public Transport {
 public:
  EventTransport(EventLoop& loop, const TransportOptions& options)
      : loop_(loop), options_(options), parallel_(event_transport_parallel(options)), created_(Clock::now()) {}

  std::vector<Response> exchange(std::span<const Request> requests) override {
    const bool has_deadline = options_.deadline_seconds > 0;
    const auto deadline = created_ + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(options_.deadline_seconds));
    Batch batch(loop_.base(), options_, parallel_, deadline, has_deadline, deadline_fired_);
    return batch.run(requests);
  }

 private:
  EventLoop& loop_;
  TransportOptions options_;
  std::size_t parallel_;
  Clock::time_point created_;
  bool deadline_fired_ = false;
};

void check_options(const TransportOptions& o) {
  if (!(o.timeout_seconds > 0) || o.timeout_seconds > 3600) throw Error("--timeout must be between 0 and 3600 seconds");
  if (o.parallel == 0) throw Error("--parallel must be at least 1");
  if (o.per_address == 0) throw Error("--per-address must be at least 1");
  if (!(o.deadline_seconds >= 0) || o.deadline_seconds > 1e6)
    throw Error("--deadline must be 0 or a number of seconds");
  if (o.max_answer < 12 || o.max_answer > kMaxDatagram) throw Error("the answer size limit must be 12 to 65535 octets");
}

}  // namespace

std::size_t event_transport_parallel(const TransportOptions& options) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return options.parallel;
  const std::size_t limit = rl.rlim_cur;
  const std::size_t used = open_fds() + kFdReserve;
  // A UDP request keeps the socket of every try open until it ends.
  const std::size_t per_request = 1 + std::min<std::size_t>(options.retries, limit);
  if (limit <= used || (limit - used) / per_request == 0) {
    throw Error("no file descriptors left for queries: the limit (ulimit -n) is " + std::to_string(limit) + " and " +
                std::to_string(open_fds()) + " are open");
  }
  return std::min(options.parallel, (limit - used) / per_request);
}

std::string raise_fd_limit(const TransportOptions& options) {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return {};
  const std::size_t per_request = 1 + std::min<std::size_t>(options.retries, 64);
  const std::size_t need = open_fds() + kFdReserve + std::min<std::size_t>(options.parallel, 1 << 20) * per_request;
  if (rl.rlim_cur < need) {
    rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max == RLIM_INFINITY ? need : std::min<rlim_t>(need, rl.rlim_max);
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  std::size_t parallel = 0;
  try {
    parallel = event_transport_parallel(options);
  } catch (const Error&) {
    return {};  // the transport says so when it is made
  }
  if (parallel >= options.parallel) return {};
  const std::string hard = rl.rlim_max == RLIM_INFINITY ? "unlimited" : std::to_string(rl.rlim_max);
  return "--parallel " + std::to_string(options.parallel) + " lowered to " + std::to_string(parallel) +
         ": the file descriptor limit (ulimit -n) is " + std::to_string(rl.rlim_cur) + ", hard limit " + hard;
}

std::unique_ptr<Transport> make_event_transport(EventLoop& loop, const TransportOptions& options) {
  check_options(options);
  return std::make_unique<EventTransport>(loop, options);
}

}  // namespace zw::live
