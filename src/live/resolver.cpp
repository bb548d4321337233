// resolver.cpp: libunbound on the run's event loop: iterative resolution from our root hints, validation with our
// trust anchors only, and its verdict per question.
#include "live/resolver.hpp"

#include <event2/event.h>
#include <fmt/format.h>
#include <unbound-event.h>
#include <unbound.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/name.hpp"
#include "zone/anchors.hpp"
#include "zone/loader.hpp"

namespace zw::live {
namespace {

constexpr int kClassIn = 1;
constexpr int kRcodeServfail = 2;
constexpr int kRcodeNxdomain = 3;
/// libunbound's `sec` argument of ub_resolve_event callbacks.
constexpr int kSecBogus = 1;
constexpr int kSecSecure = 2;

struct UbCtxDeleter {
  void operator()(ub_ctx* c) const { ub_ctx_delete(c); }
};
using UbCtxPtr = std::unique_ptr<ub_ctx, UbCtxDeleter>;

/// libunbound logs to stderr by default; our only channels are verdicts and zw::Error. The stream is shared by every
/// context (libunbound's log destination is process-wide) and never closed.
FILE* quiet_log() {
  static FILE* const devnull = std::fopen("/dev/null", "w");
  return devnull;
}

void set_option(ub_ctx* ctx, const char* option, const std::string& value) {
  const int rc = ub_ctx_set_option(ctx, option, value.c_str());
  if (rc != 0) throw Error(fmt::format("libunbound: option {} {}: {}", option, value, ub_strerror(rc)));
}

/// Fails closed on a root hints file libunbound could not use, naming it: unbound only says "initialization failed"
/// on its first query.
void check_root_hints(const std::string& path, const ResolverOptions& options) {
  if (path.empty()) throw Error("root hints: no file given");
  zone::LoadOptions load;
  load.origin = std::string(1, '\0');
  load.parallel = false;
  const zone::Zone hints = zone::load_zone_file(path, load);
  if (hints.find(std::string_view("\0", 1), zone::rrtype::NS) == nullptr)
    throw Error(fmt::format("{}: root hints without an NS record for the root", path), path);
  for (const zone::Record& r : hints.records)
    if ((r.type == zone::rrtype::A && options.ipv4) || (r.type == zone::rrtype::AAAA && options.ipv6)) return;
  throw Error(fmt::format("{}: root hints without an address of a root server ({})", path,
                          options.ipv4 && options.ipv6 ? "A or AAAA"
                          : options.ipv4               ? "A, with IPv6 off"
                                                       : "AAAA, with IPv4 off"),
              path);
}

/// A DS or DNSKEY record in presentation format, as ub_ctx_add_ta takes it (RFC 4034 §5.3, §2.2).
std::string anchor_text(const zone::AnchorRecord& a) {
  const std::string_view rd = a.rdata;
  if (rd.size() < 5) throw Error(fmt::format("{}:{}: trust anchor record too short", a.file, a.line), a.file, a.line);
  const auto u8 = [&](std::size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(rd[i])); };
  const std::string owner = core::name_to_text(a.owner);
  if (a.type == zone::rrtype::DS)
    return fmt::format("{} IN DS {} {} {} {}", owner, u8(0) << 8 | u8(1), u8(2), u8(3),
                       core::hex_encode(rd.substr(4), core::LetterCase::Upper));
  return fmt::format("{} IN DNSKEY {} {} {} {}", owner, u8(0) << 8 | u8(1), u8(2), u8(3),
                     core::base64_encode(rd.substr(4)));
}

/// Hands every anchor record to libunbound; returns them as it got them.
std::vector<std::string> add_anchors(ub_ctx* ctx, const ResolverOptions& options) {
  if (options.anchors.empty()) throw Error("trust anchor: no file given");
  zone::AnchorReadOptions read;
  read.allow_dnskey = true;
  read.now = options.now != 0 ? options.now : static_cast<core::EpochSeconds>(std::time(nullptr));
  std::vector<std::string> added;
  for (const std::string& file : options.anchors) {
    for (const zone::AnchorRecord& a : zone::read_anchor_file(file, read)) {
      const std::string& text = added.emplace_back(anchor_text(a));
      const int rc = ub_ctx_add_ta(ctx, text.c_str());
      if (rc != 0)
        throw Error(fmt::format("{}:{}: trust anchor refused by libunbound: {}", file, a.line, ub_strerror(rc)), file,
                    a.line);
    }
  }
  return added;
}

}  // namespace

struct Resolver::Impl {
  /// One question handed to libunbound. It outlives a resolve() that stopped waiting for it (its callback may still
  /// come while the loop runs for the transport): it is then `abandoned` and removed when the callback comes.
  struct Pending {
    Impl* owner = nullptr;
    std::uint64_t id = 0;
    ResolverVerdict verdict;
    bool done = false;
    bool abandoned = false;
  };

  EventLoop& loop;
  double timeout_seconds;
  std::map<std::uint64_t, Pending> pending;  // before ctx: ub_ctx_delete may still call back into it
  UbCtxPtr ctx;
  std::uint64_t next_id = 0;
  std::size_t outstanding = 0;  // callbacks the running resolve() still waits for
  std::vector<std::string> anchor_records{};

  static void on_result(void* data, int rcode, void* packet, int packet_len, int sec, char* why_bogus,
                        int was_ratelimited);
  static void on_timeout(evutil_socket_t, short, void* flag) { *static_cast<bool*>(flag) = true; }
  void start(Pending& p);
  void wait(double seconds);
};

void Resolver::Impl::on_result(void* data, int rcode, void* packet, int packet_len, int sec, char* why_bogus,
                               int /*was_ratelimited*/) {
  auto* p = static_cast<Pending*>(data);
  if (p->abandoned) {
    p->owner->pending.erase(p->id);
    return;
  }
  // The answer's own RCODE when there is one; libunbound passes SERVFAIL without a packet when it gave up.
  int answer_rcode = rcode;
  if (rcode == 0 && packet != nullptr && packet_len >= 4)
    answer_rcode = static_cast<unsigned char>(static_cast<const char*>(packet)[3]) & 0x0f;
  ResolverVerdict& v = p->verdict;
  v.rcode = answer_rcode;
  // RFC 4035 §4.3: "Bogus: An RRset for which the resolver believes that it ought to be able to establish a chain of
  // trust but for which it is unable to do so". libunbound says secure, bogus or neither; neither with an answer is
  // insecure, neither without one (SERVFAIL and the like) is an error.
  if (sec == kSecSecure) {
    v.verdict = "secure";
  } else if (sec == kSecBogus) {
    v.verdict = "bogus";
    v.why_bogus = why_bogus != nullptr ? why_bogus : "";
  } else if (answer_rcode == 0 || answer_rcode == kRcodeNxdomain) {
    v.verdict = "insecure";
  } else {
    v.verdict = "error";
  }
  p->done = true;
  --p->owner->outstanding;
}

void Resolver::Impl::start(Pending& p) {
  // libunbound says "out of memory" for a name it cannot parse: such a question is answered here.
  core::WireName wire;
  std::string error;
  int rc = core::parse_name(p.verdict.question.qname, "", wire, error) ? 0 : UB_SYNTAX;
  if (rc == 0)
    rc = ub_resolve_event(ctx.get(), p.verdict.question.qname.c_str(), p.verdict.question.qtype, kClassIn, &p,
                          &Impl::on_result, nullptr);
  if (rc == UB_INITFAIL || rc == UB_NOMEM || rc == UB_AFTERFINAL)
    throw Error(fmt::format("libunbound: cannot start resolving: {}", ub_strerror(rc)));
  if (rc != 0 && !p.done) {  // no callback will come
    p.verdict.verdict = "error";
    p.verdict.rcode = kRcodeServfail;
    p.done = true;
    --outstanding;
  }
}

void Resolver::Impl::wait(double seconds) {
  bool timed_out = false;
  const EventPtr timer(evtimer_new(loop.base(), &Impl::on_timeout, &timed_out));
  if (!timer) throw Error("libevent: cannot create a timer");
  if (!(seconds > 0)) seconds = 0;   // NaN too
  seconds = std::min(seconds, 1e9);  // a timeval holds it
  const double whole = std::floor(seconds);
  timeval tv{static_cast<time_t>(whole), static_cast<suseconds_t>((seconds - whole) * 1e6)};
  evtimer_add(timer.get(), &tv);
  while (outstanding > 0 && !timed_out)
    if (event_base_loop(loop.base(), EVLOOP_ONCE) < 0) throw Error("libevent: the event loop failed");
}

Resolver::Resolver(EventLoop& loop, const ResolverOptions& options)
    : impl_(new Impl{loop, options.timeout_seconds, {}, UbCtxPtr(ub_ctx_create_event(loop.base()))}) {
  std::unique_ptr<Impl> guard(impl_);
  ub_ctx* ctx = impl_->ctx.get();
  if (ctx == nullptr) throw Error("libunbound: cannot create a context on the event loop");
  ub_ctx_debugout(ctx, quiet_log());
  ub_ctx_debuglevel(ctx, 0);
  check_root_hints(options.root_hints, options);
  set_option(ctx, "root-hints:", options.root_hints);
  set_option(ctx, "do-not-query-localhost:", "no");  // the test lab serves on 127.0.0.0/8
  set_option(ctx, "do-ip4:", options.ipv4 ? "yes" : "no");
  set_option(ctx, "do-ip6:", options.ipv6 ? "yes" : "no");
  // RFC 8145 key-tag signalling would add queries to the root of our own making.
  set_option(ctx, "trust-anchor-signaling:", "no");
  impl_->anchor_records = add_anchors(ctx, options);
  static_cast<void>(guard.release());
}

Resolver::~Resolver() {
  delete impl_;
}

std::vector<ResolverVerdict> Resolver::resolve(std::span<const Question> questions) {
  return resolve(questions, impl_->timeout_seconds);
}

const std::vector<std::string>& Resolver::anchor_records() const {
  return impl_->anchor_records;
}

std::size_t Resolver::in_flight() const {
  return impl_->pending.size();
}

std::vector<ResolverVerdict> Resolver::resolve(std::span<const Question> questions, double timeout_seconds) {
  using Pending = Impl::Pending;
  std::vector<Pending*> batch;
  // Whatever happens, questions still in flight are left to remove themselves and the answered ones are removed.
  struct Settle {
    Impl& impl;
    std::vector<Impl::Pending*>& batch;
    ~Settle() {
      for (Pending* p : batch) {
        if (p->done)
          impl.pending.erase(p->id);
        else
          p->abandoned = true;
      }
      impl.outstanding = 0;
    }
  } settle{*impl_, batch};
  for (const Question& q : questions) {
    const std::uint64_t id = impl_->next_id++;
    Pending& p = impl_->pending[id];
    p.owner = impl_;
    p.id = id;
    p.verdict.question = q;
    batch.push_back(&p);
    ++impl_->outstanding;
    impl_->start(p);
  }
  impl_->wait(timeout_seconds);
  std::vector<ResolverVerdict> out;
  out.reserve(batch.size());
  for (const Pending* p : batch) {
    out.push_back(p->verdict);
    if (!p->done) {  // the batch's time ran out: what a resolver answers when it cannot resolve
      out.back().verdict = "error";
      out.back().rcode = kRcodeServfail;
    }
  }
  return out;
}

}  // namespace zw::live
