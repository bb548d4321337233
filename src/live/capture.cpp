// capture.cpp: captures as JSON (format "zonewarden-capture", version 1): written in canonical key order with one
// exchange per line, read strictly and within bounds, every problem named by its JSON path.
#include "live/capture.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <initializer_list>
#include <istream>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <string_view>

#include "core/codec.hpp"
#include "core/error.hpp"
#include "core/name.hpp"

namespace zw::live {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kFormat = "zonewarden-capture";
constexpr std::uint64_t kVersion = 1;
/// A capture nests four levels (document, exchanges, exchange, request); anything much deeper is hostile.
constexpr int kMaxDepth = 8;
/// A DNS message is at most 65535 octets (RFC 1035 §4.2.2: TCP's two-octet length).
constexpr std::size_t kMaxWire = 65535;
/// An RCODE with the EDNS extension is 12 bits (RFC 6891 §6.1.3).
constexpr std::uint64_t kMaxRcode = 4095;

constexpr std::array kOutcomes = {Outcome::Answer,   Outcome::Timeout,  Outcome::Unreachable,   Outcome::Malformed,
                                  Outcome::Mismatch, Outcome::TooLarge, Outcome::DeadlinePassed};
constexpr std::array<std::string_view, 4> kVerdicts = {"secure", "insecure", "bogus", "error"};

// ---- writing

std::string dump(const Json& j) {
  // Text we did not make (hints, anchors, why_bogus) may not be UTF-8: JSON cannot carry that, so it is replaced.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json request_json(const Request& r) {
  Json j = Json::object();
  j["server"] = r.server;
  j["address"] = r.address;
  j["port"] = r.port;
  j["proto"] = proto_name(r.proto);
  j["qname"] = r.qname;
  j["qtype"] = r.qtype;
  j["edns"] = r.edns;
  j["edns_size"] = r.edns_size;
  j["dnssec_ok"] = r.dnssec_ok;
  j["recursion_desired"] = r.recursion_desired;
  return j;
}

Json response_json(const Response& r) {
  Json j = Json::object();
  j["outcome"] = outcome_name(r.outcome);
  j["wire"] = core::base64_encode(r.wire);
  j["rtt_ms"] = std::isfinite(r.rtt_ms) ? r.rtt_ms : 0.0;
  j["attempts"] = r.attempts;
  return j;
}

Json verdict_json(const ResolverVerdict& v) {
  Json q = Json::object();
  q["qname"] = v.question.qname;
  q["qtype"] = v.question.qtype;
  Json j = Json::object();
  j["question"] = std::move(q);
  j["verdict"] = v.verdict;
  j["rcode"] = v.rcode;
  j["why_bogus"] = v.why_bogus;
  return j;
}

/// `"key":[` then one element a line, then `]`.
template <typename T, typename F>
void write_lines(std::ostream& out, std::string_view key, const std::vector<T>& items, F to_json) {
  out << '"' << key << "\":[";
  for (std::size_t i = 0; i < items.size(); ++i) out << (i == 0 ? "\n" : ",\n") << dump(to_json(items[i]));
  out << (items.empty() ? "]" : "\n]");
}

// ---- reading

/// A key or string from the input, fit for a message: short, printable ASCII.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 40) out += "...";
  return out;
}

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

/// Reads values by JSON path; every refusal is a zw::Error "NAME: PATH: what is wrong".
class Reader {
 public:
  explicit Reader(const std::string& name) : name_(name) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw Error(fmt::format("{}: {}: {}", name_, path, what), name_);
  }

  /// `j` at `path` must be an object with exactly `keys`.
  void object(const Json& j, const std::string& path, std::initializer_list<std::string_view> keys) const {
    if (!j.is_object()) fail(path, "not an object");
    for (const auto& [key, value] : j.items()) {
      bool known = false;
      for (auto k : keys) known = known || k == key;
      if (!known) fail(join(path, printable(key)), "unknown key");
    }
    for (auto k : keys)
      if (!j.contains(k)) fail(join(path, k), "missing");
  }

  const Json& array(const Json& j, const std::string& path) const {
    if (!j.is_array()) fail(path, "not an array");
    return j;
  }

  std::string string(const Json& j, const std::string& path) const {
    if (!j.is_string()) fail(path, "not a string");
    return j.get<std::string>();
  }

  bool boolean(const Json& j, const std::string& path) const {
    if (!j.is_boolean()) fail(path, "not true or false");
    return j.get<bool>();
  }

  std::uint64_t unsigned_up_to(const Json& j, const std::string& path, std::uint64_t max) const {
    if (!j.is_number()) fail(path, "not a number");
    if (j.is_number_float()) fail(path, "not an integer");
    if (j.is_number_integer() && !j.is_number_unsigned()) fail(path, fmt::format("out of range (0 to {})", max));
    const auto v = j.get<std::uint64_t>();
    if (v > max) fail(path, fmt::format("out of range (0 to {})", max));
    return v;
  }

  std::int64_t integer(const Json& j, const std::string& path) const {
    if (!j.is_number()) fail(path, "not a number");
    if (j.is_number_float()) fail(path, "not an integer");
    if (j.is_number_unsigned() && j.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()})
      fail(path, "out of range");
    return j.get<std::int64_t>();
  }

  std::string domain_name(const Json& j, const std::string& path, bool may_be_empty) const {
    std::string text = string(j, path);
    if (text.empty() && may_be_empty) return text;
    core::WireName wire;
    std::string error;
    if (text.empty() || text.back() != '.' || !core::parse_name(text, "", wire, error))
      fail(path, "not an absolute domain name");
    return text;
  }

  std::string address(const Json& j, const std::string& path) const {
    std::string text = string(j, path);
    unsigned char buf[16];
    if (inet_pton(AF_INET, text.c_str(), buf) != 1 && inet_pton(AF_INET6, text.c_str(), buf) != 1)
      fail(path, "not an IPv4 or IPv6 address");
    return text;
  }

  std::string base64(const Json& j, const std::string& path) const {
    const std::string text = string(j, path);
    std::string bytes;
    if (!text.empty() && !core::append_base64_decoded(text, bytes)) fail(path, "not base64");
    if (bytes.size() > kMaxWire) fail(path, fmt::format("longer than {} octets", kMaxWire));
    return bytes;
  }

 private:
  const std::string& name_;
};

Request read_request(const Reader& r, const Json& j, const std::string& path) {
  r.object(
      j, path,
      {"address", "dnssec_ok", "edns", "edns_size", "port", "proto", "qname", "qtype", "recursion_desired", "server"});
  Request q;
  q.server = r.domain_name(j["server"], join(path, "server"), true);
  q.address = r.address(j["address"], join(path, "address"));
  q.port = static_cast<std::uint16_t>(r.unsigned_up_to(j["port"], join(path, "port"), 65535));
  const std::string proto = r.string(j["proto"], join(path, "proto"));
  if (proto != proto_name(Proto::Udp) && proto != proto_name(Proto::Tcp)) r.fail(join(path, "proto"), "not udp or tcp");
  q.proto = proto == proto_name(Proto::Udp) ? Proto::Udp : Proto::Tcp;
  q.qname = r.domain_name(j["qname"], join(path, "qname"), false);
  q.qtype = static_cast<std::uint16_t>(r.unsigned_up_to(j["qtype"], join(path, "qtype"), 65535));
  q.edns = r.boolean(j["edns"], join(path, "edns"));
  q.edns_size = static_cast<std::uint16_t>(r.unsigned_up_to(j["edns_size"], join(path, "edns_size"), 65535));
  q.dnssec_ok = r.boolean(j["dnssec_ok"], join(path, "dnssec_ok"));
  q.recursion_desired = r.boolean(j["recursion_desired"], join(path, "recursion_desired"));
  return q;
}

Response read_response(const Reader& r, const Json& j, const std::string& path) {
  r.object(j, path, {"attempts", "outcome", "rtt_ms", "wire"});
  Response a;
  const std::string outcome = r.string(j["outcome"], join(path, "outcome"));
  bool known = false;
  for (Outcome o : kOutcomes) {
    if (outcome == outcome_name(o)) {
      a.outcome = o;
      known = true;
    }
  }
  if (!known) r.fail(join(path, "outcome"), "not an outcome");
  a.wire = r.base64(j["wire"], join(path, "wire"));
  const Json& rtt = j["rtt_ms"];
  if (!rtt.is_number()) r.fail(join(path, "rtt_ms"), "not a number");
  a.rtt_ms = rtt.get<double>();
  if (!std::isfinite(a.rtt_ms) || a.rtt_ms < 0 || a.rtt_ms > 1e9) r.fail(join(path, "rtt_ms"), "out of range");
  a.attempts = static_cast<std::uint32_t>(
      r.unsigned_up_to(j["attempts"], join(path, "attempts"), std::numeric_limits<std::uint32_t>::max()));
  return a;
}

ResolverVerdict read_verdict(const Reader& r, const Json& j, const std::string& path) {
  r.object(j, path, {"question", "rcode", "verdict", "why_bogus"});
  ResolverVerdict v;
  const std::string qpath = join(path, "question");
  r.object(j["question"], qpath, {"qname", "qtype"});
  v.question.qname = r.domain_name(j["question"]["qname"], join(qpath, "qname"), false);
  v.question.qtype = static_cast<std::uint16_t>(r.unsigned_up_to(j["question"]["qtype"], join(qpath, "qtype"), 65535));
  v.verdict = r.string(j["verdict"], join(path, "verdict"));
  bool known = false;
  for (auto name : kVerdicts) known = known || v.verdict == name;
  if (!known) r.fail(join(path, "verdict"), "not secure, insecure, bogus or error");
  v.rcode = static_cast<int>(r.unsigned_up_to(j["rcode"], join(path, "rcode"), kMaxRcode));
  v.why_bogus = r.string(j["why_bogus"], join(path, "why_bogus"));
  return v;
}

std::vector<std::string> read_strings(const Reader& r, const Json& j, const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < r.array(j, path).size(); ++i)
    out.push_back(r.string(j[i], fmt::format("{}[{}]", path, i)));
  return out;
}

std::string read_bounded(std::istream& in, const std::string& name, std::uint64_t max_bytes) {
  std::string text;
  std::array<char, 1 << 16> buf{};
  while (in) {
    in.read(buf.data(), buf.size());
    const auto n = static_cast<std::size_t>(in.gcount());
    if (text.size() + n > max_bytes) throw Error(fmt::format("{}: larger than {} bytes", name, max_bytes), name);
    text.append(buf.data(), n);
  }
  if (in.bad()) throw Error(fmt::format("{}: read error", name), name);
  return text;
}

/// Parses JSON refusing nesting deeper than kMaxDepth and objects that repeat a key (which value counts would be a
/// guess).
Json parse_strict(const std::string& text, const std::string& name) {
  std::vector<std::set<std::string>> open_objects;
  auto check = [&](int depth, Json::parse_event_t event, Json& parsed) {
    if (depth > kMaxDepth) throw Error(fmt::format("{}: nested deeper than {} levels", name, kMaxDepth), name);
    if (event == Json::parse_event_t::object_start) open_objects.emplace_back();
    if (event == Json::parse_event_t::object_end && !open_objects.empty()) open_objects.pop_back();
    if (event == Json::parse_event_t::key && !open_objects.empty()) {
      const auto& key = parsed.get_ref<const std::string&>();
      if (!open_objects.back().insert(key).second)
        throw Error(fmt::format("{}: an object repeats the key \"{}\"", name, printable(key)), name);
    }
    return true;
  };
  try {
    return Json::parse(text, check);
  } catch (const Json::parse_error& e) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      column = text[i] == '\n' ? 1 : column + 1;
      line += text[i] == '\n' ? 1 : 0;
    }
    throw Error(fmt::format("{}: line {}, column {}: not valid JSON", name, line, column), name, line);
  }
}

}  // namespace

void write_capture(std::ostream& out, const Capture& c) {
  out << "{\"anchors\":" << dump(Json(c.anchors)) << ',';
  write_lines(out, "exchanges", c.exchanges, [](const Observation& o) {
    Json j = Json::object();
    j["request"] = request_json(o.request);
    j["response"] = response_json(o.response);
    return j;
  });
  out << ",\"format\":" << dump(Json(std::string(kFormat))) << ",\"names\":" << dump(Json(c.names))
      << ",\"now\":" << c.now << ',';
  write_lines(out, "resolver", c.resolver, verdict_json);
  out << ",\"root_hints\":" << dump(Json(c.root_hints)) << ",\"seed\":" << c.seed << ",\"version\":" << kVersion
      << "}\n";
}

Capture read_capture(std::istream& in, const std::string& name, std::uint64_t max_bytes) {
  const Json doc = parse_strict(read_bounded(in, name, max_bytes), name);
  const Reader r(name);
  if (!doc.is_object()) throw Error(fmt::format("{}: not a JSON object", name), name);
  if (!doc.contains("format") || !doc["format"].is_string() || doc["format"].get_ref<const std::string&>() != kFormat)
    r.fail("format", fmt::format("not \"{}\"", kFormat));
  if (!doc.contains("version") || !doc["version"].is_number_unsigned() ||
      doc["version"].get<std::uint64_t>() != kVersion)
    r.fail("version", fmt::format("unsupported (this zonewarden reads version {})", kVersion));
  r.object(doc, "", {"anchors", "exchanges", "format", "names", "now", "resolver", "root_hints", "seed", "version"});
  Capture c;
  c.now = r.integer(doc["now"], "now");
  c.seed = r.unsigned_up_to(doc["seed"], "seed", std::numeric_limits<std::uint64_t>::max());
  c.names = read_strings(r, doc["names"], "names");
  c.root_hints = r.string(doc["root_hints"], "root_hints");
  c.anchors = read_strings(r, doc["anchors"], "anchors");
  const Json& exchanges = r.array(doc["exchanges"], "exchanges");
  c.exchanges.reserve(exchanges.size());
  for (std::size_t i = 0; i < exchanges.size(); ++i) {
    const std::string path = fmt::format("exchanges[{}]", i);
    r.object(exchanges[i], path, {"request", "response"});
    c.exchanges.push_back({read_request(r, exchanges[i]["request"], join(path, "request")),
                           read_response(r, exchanges[i]["response"], join(path, "response"))});
  }
  const Json& resolver = r.array(doc["resolver"], "resolver");
  for (std::size_t i = 0; i < resolver.size(); ++i)
    c.resolver.push_back(read_verdict(r, resolver[i], fmt::format("resolver[{}]", i)));
  return c;
}

}  // namespace zw::live
