// capture.cpp: captures as JSON (format "zonewarden-capture", version 1): written in canonical key order with one
// exchange (verdict, address fact) per line, read strictly and within bounds, every problem named by its JSON path.
#include "live/capture.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <istream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
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

Json fact_json(const infra::Address& a, const infra::AddressInfo& i) {
  Json j = Json::object();
  j["address"] = a.text();
  j["asn"] = i.asn;
  j["org"] = i.org;
  j["network"] = i.network;
  j["country"] = i.country;
  j["anycast"] = i.anycast;
  j["source"] = i.source;
  return j;
}

Json source_json(const infra::SourceFacts& s) {
  Json j = Json::object();
  j["name"] = s.name;
  j["kind"] = s.kind;
  j["built"] = s.built ? Json(*s.built) : Json(nullptr);
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

  /// `j` at `path` must be an object with exactly `keys`, and perhaps some of `optional`.
  void object(const Json& j, const std::string& path, std::initializer_list<std::string_view> keys,
              std::initializer_list<std::string_view> optional = {}) const {
    if (!j.is_object()) fail(path, "not an object");
    for (const auto& [key, value] : j.items()) {
      bool known = false;
      for (auto k : keys) known = known || k == key;
      for (auto k : optional) known = known || k == key;
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

  /// An address in its canonical text (RFC 5952 for IPv6, dotted quad for IPv4 and IPv4-mapped).
  infra::Address canonical_address(const Json& j, const std::string& path) const {
    const std::string text = string(j, path);
    const auto a = infra::Address::parse(text);
    if (!a) fail(path, "not an IPv4 or IPv6 address");
    if (a->text() != text) fail(path, "not in canonical form (" + a->text() + ")");
    return *a;
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

/// A country as the sources give it: ISO 3166-1 alpha-2 (or a source's own two-letter code), or none.
bool country_code(const std::string& c) {
  return c.empty() || (c.size() == 2 && std::all_of(c.begin(), c.end(), [](char x) {
                         return (x >= 'A' && x <= 'Z') || (x >= '0' && x <= '9');
                       }));
}

std::pair<infra::Address, infra::AddressInfo> read_fact(const Reader& r, const Json& j, const std::string& path) {
  r.object(j, path, {"address", "anycast", "asn", "country", "network", "org", "source"});
  const infra::Address a = r.canonical_address(j["address"], join(path, "address"));
  infra::AddressInfo i;
  i.asn = static_cast<std::uint32_t>(
      r.unsigned_up_to(j["asn"], join(path, "asn"), std::numeric_limits<std::uint32_t>::max()));
  i.org = r.string(j["org"], join(path, "org"));
  i.network = r.string(j["network"], join(path, "network"));
  i.country = r.string(j["country"], join(path, "country"));
  if (!country_code(i.country)) r.fail(join(path, "country"), "not a two-letter country code");
  i.anycast = r.boolean(j["anycast"], join(path, "anycast"));
  i.source = r.string(j["source"], join(path, "source"));
  return {a, i};
}

infra::SourceFacts read_source(const Reader& r, const Json& j, const std::string& path) {
  r.object(j, path, {"built", "kind", "name"});
  infra::SourceFacts s;
  s.name = r.string(j["name"], join(path, "name"));
  if (s.name.empty()) r.fail(join(path, "name"), "empty");
  s.kind = r.string(j["kind"], join(path, "kind"));
  if (s.kind.empty()) r.fail(join(path, "kind"), "empty");
  if (!j["built"].is_null()) s.built = r.integer(j["built"], join(path, "built"));
  return s;
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

/// The top-level keys whose arrays are read element by element.
bool is_list_key(std::string_view key) {
  return key == "exchanges" || key == "resolver" || key == "names" || key == "anchors" || key == "services" ||
         key == "address_facts" || key == "address_sources";
}

/// Reads a capture as the parser goes (nlohmann SAX events). Each element of the top-level arrays is built alone,
/// converted and dropped, so that memory follows what the capture holds and not the JSON tree, which takes some 30
/// times the text for many small values (nlohmann's parser with a callback also takes quadratic time over many
/// objects in one array). Refuses nesting deeper than kMaxDepth, objects that repeat a key and elements of more than
/// kMaxElementValues values at once; the first problem of the content is kept until the end, to be reported after
/// the format and version (which a file that is no capture gets wrong first).
class CaptureReader {
 public:
  CaptureReader(const std::string& text, const std::string& name) : text_(text), name_(name), r_(name) {}

  bool null() { return scalar(Json(nullptr)); }
  bool boolean(bool v) { return scalar(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return scalar(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return scalar(Json(v)); }
  bool number_float(Json::number_float_t v, const std::string&) { return scalar(Json(v)); }
  bool string(Json::string_t& v) { return scalar(Json(std::move(v))); }
  bool binary(Json::binary_t&) { return scalar(Json(nullptr)); }  // JSON text has none
  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(true); }
  bool end_array() { return close(false); }
  bool key(Json::string_t& k) {
    if (depth_ == 1) {
      top_key_ = k;
      if (!known_top_key(k)) {
        defer(Error(fmt::format("{}: {}: unknown key", name_, printable(k)), name_));
        top_key_.clear();
      } else if (!keys_.back().insert(k).second) {
        repeated(k);
      }
      return true;
    }
    if (!in_element() || skipping_) return true;
    if (!keys_.back().insert(k).second) repeated(k);
    return builder_->key(k);
  }
  template <typename Exception>
  bool parse_error(std::size_t position, const std::string& /*token*/, const Exception& /*error*/) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < position && i < text_.size(); ++i) {
      column = text_[i] == '\n' ? 1 : column + 1;
      line += text_[i] == '\n' ? 1 : 0;
    }
    throw Error(fmt::format("{}: line {}, column {}: not valid JSON", name_, line, column), name_, line);
  }

  Capture finish();

 private:
  static bool known_top_key(std::string_view k) {
    return is_list_key(k) || k == "format" || k == "version" || k == "now" || k == "seed" || k == "root_hints";
  }
  bool in_element() const { return depth_ >= 2 && streaming_; }
  [[noreturn]] void repeated(const std::string& k) const {
    throw Error(fmt::format("{}: an object repeats the key \"{}\"", name_, printable(k)), name_);
  }
  void defer(Error e) {
    if (!deferred_) deferred_ = std::move(e);
  }
  std::string element_path() const { return fmt::format("{}[{}]", top_key_, index_); }
  /// Counts a value of the current element; past the bound, the rest of it is skipped.
  bool count_value() {
    if (++element_values_ <= kMaxElementValues) return true;
    if (!skipping_) defer(Error(fmt::format("{}: {}: too large", name_, element_path()), name_));
    skipping_ = true;
    return false;
  }
  bool open(bool object);
  bool close(bool object);
  bool scalar(Json v);
  void element_done();
  void list_element(const Json& j, const std::string& path);
  void check_fact_sources() const;

  static constexpr int kMaxElementValues = 64;         // an exchange has 17
  static constexpr std::size_t kMaxListed = 1U << 20;  // names, anchors, services, address facts and sources

  const std::string& text_;
  const std::string& name_;
  const Reader r_;
  int depth_ = 0;
  std::vector<std::set<std::string>> keys_;  // of the open objects (the top level: known keys only)
  std::string top_key_;                      // the current top-level key; empty when unknown
  Json top_ = Json::object();                // the top-level values but the elements of the lists
  bool streaming_ = false;                   // inside a list's array
  bool skipping_ = false;                    // inside a value that is not kept
  std::size_t index_ = 0;                    // of the list element being read
  int element_values_ = 0;
  std::optional<Json> element_;
  std::optional<nlohmann::detail::json_sax_dom_parser<Json>> builder_;
  std::optional<Error> deferred_;
  Capture capture_;
  infra::AddressFacts facts_;                               // address_facts and address_sources as read
  std::vector<std::pair<std::size_t, std::string>> cited_;  // each address fact's index and source, when it names one
};

bool CaptureReader::open(bool object) {
  if (++depth_ > kMaxDepth) throw Error(fmt::format("{}: nested deeper than {} levels", name_, kMaxDepth), name_);
  keys_.emplace_back();
  if (depth_ == 1) {
    if (!object) throw Error(fmt::format("{}: not a JSON object", name_), name_);
    return true;
  }
  if (depth_ == 2) {  // the value of a top-level key
    streaming_ = !object && is_list_key(top_key_);
    skipping_ = !streaming_;
    index_ = 0;
    if (!top_key_.empty()) top_[top_key_] = object ? Json::object() : Json::array();
    return true;
  }
  if (!streaming_) return true;
  if (depth_ == 3) {  // an element of a list
    element_values_ = 0;
    skipping_ = false;
    element_.emplace();
    builder_.emplace(*element_, true);
  }
  if (skipping_ || !count_value()) return true;
  return object ? builder_->start_object(0) : builder_->start_array(0);
}

bool CaptureReader::close(bool object) {
  keys_.pop_back();
  if (streaming_ && depth_ >= 3 && !skipping_) {
    if (object)
      builder_->end_object();
    else
      builder_->end_array();
  }
  if (streaming_ && depth_ == 3) element_done();
  if (depth_ == 2) streaming_ = skipping_ = false;
  --depth_;
  return true;
}

bool CaptureReader::scalar(Json v) {
  if (depth_ == 0) throw Error(fmt::format("{}: not a JSON object", name_), name_);
  if (depth_ == 1) {
    if (!top_key_.empty()) top_[top_key_] = std::move(v);
    return true;
  }
  if (!streaming_ || skipping_) return true;
  if (depth_ == 2) {  // a list element that is a scalar
    element_.emplace(std::move(v));
    element_done();
    return true;
  }
  if (!count_value()) return true;
  switch (v.type()) {
    case Json::value_t::boolean: return builder_->boolean(v.get<bool>());
    case Json::value_t::number_integer: return builder_->number_integer(v.get<Json::number_integer_t>());
    case Json::value_t::number_unsigned: return builder_->number_unsigned(v.get<Json::number_unsigned_t>());
    case Json::value_t::number_float: return builder_->number_float(v.get<double>(), {});
    case Json::value_t::string: return builder_->string(v.get_ref<std::string&>());
    default: return builder_->null();
  }
}

void CaptureReader::element_done() {
  const std::string path = element_path();
  ++index_;
  if (deferred_ || skipping_) return;
  const Json& j = *element_;
  try {
    if (top_key_ == "exchanges") {
      r_.object(j, path, {"request", "response"});
      capture_.exchanges.push_back({read_request(r_, j["request"], join(path, "request")),
                                    read_response(r_, j["response"], join(path, "response"))});
    } else if (top_key_ == "resolver") {
      capture_.resolver.push_back(read_verdict(r_, j, path));
    } else {
      list_element(j, path);
    }
  } catch (Error& e) {
    defer(std::move(e));
  }
  element_.reset();
  builder_.reset();
}

void CaptureReader::list_element(const Json& j, const std::string& path) {
  // A name or anchor takes 12 times its shortest text in memory, a fact 4 times: their number is bounded instead.
  const std::size_t count = top_key_ == "names"             ? capture_.names.size()
                            : top_key_ == "anchors"         ? capture_.anchors.size()
                            : top_key_ == "services"        ? capture_.services.size()
                            : top_key_ == "address_sources" ? facts_.sources.size()
                                                            : facts_.facts.size();
  if (count == kMaxListed) r_.fail(path, fmt::format("more than {} entries", kMaxListed));
  if (top_key_ == "address_facts") {
    auto [address, info] = read_fact(r_, j, path);
    if (!info.source.empty()) cited_.emplace_back(index_ - 1, info.source);
    if (!facts_.facts.emplace(address, std::move(info)).second) r_.fail(join(path, "address"), "given twice");
  } else if (top_key_ == "address_sources") {
    facts_.sources.push_back(read_source(r_, j, path));
  } else if (top_key_ == "services") {
    capture_.services.push_back(r_.domain_name(j, path, false));
  } else {
    (top_key_ == "names" ? capture_.names : capture_.anchors).push_back(r_.string(j, path));
  }
}

void CaptureReader::check_fact_sources() const {
  for (const auto& [index, source] : cited_) {
    bool known = false;
    for (const infra::SourceFacts& s : facts_.sources) known = known || s.name == source;
    if (!known) r_.fail(fmt::format("address_facts[{}].source", index), "not one of address_sources");
  }
}

Capture CaptureReader::finish() {
  const Json& doc = top_;
  if (!doc.contains("format") || !doc["format"].is_string() || doc["format"].get_ref<const std::string&>() != kFormat)
    r_.fail("format", fmt::format("not \"{}\"", kFormat));
  if (!doc.contains("version") || !doc["version"].is_number_unsigned() ||
      doc["version"].get<std::uint64_t>() != kVersion)
    r_.fail("version", fmt::format("unsupported (this zonewarden reads version {})", kVersion));
  if (deferred_) throw *deferred_;
  // Keys a capture of version 1 may lack: the address data's facts (both or neither) and the services.
  r_.object(doc, "", {"anchors", "exchanges", "format", "names", "now", "resolver", "root_hints", "seed", "version"},
            {"address_facts", "address_sources", "services"});
  for (const char* list : {"anchors", "exchanges", "names", "resolver"}) r_.array(doc[list], list);
  for (const char* list : {"address_facts", "address_sources", "services"}) {
    if (doc.contains(list)) r_.array(doc[list], list);
  }
  if (doc.contains("address_facts") != doc.contains("address_sources"))
    r_.fail(doc.contains("address_facts") ? "address_sources" : "address_facts", "missing");
  if (doc.contains("address_facts")) {
    check_fact_sources();
    capture_.addresses = std::move(facts_);
  }
  capture_.now = r_.integer(doc["now"], "now");
  capture_.seed = r_.unsigned_up_to(doc["seed"], "seed", std::numeric_limits<std::uint64_t>::max());
  capture_.root_hints = r_.string(doc["root_hints"], "root_hints");
  return std::move(capture_);
}

}  // namespace

void write_capture(std::ostream& out, const Capture& c) {
  out << '{';
  if (c.addresses) {
    const std::vector<std::pair<infra::Address, infra::AddressInfo>> facts(c.addresses->facts.begin(),
                                                                           c.addresses->facts.end());
    write_lines(out, "address_facts", facts, [](const auto& f) { return fact_json(f.first, f.second); });
    out << ',';
    write_lines(out, "address_sources", c.addresses->sources, source_json);
    out << ',';
  }
  out << "\"anchors\":" << dump(Json(c.anchors)) << ',';
  write_lines(out, "exchanges", c.exchanges, [](const Observation& o) {
    Json j = Json::object();
    j["request"] = request_json(o.request);
    j["response"] = response_json(o.response);
    return j;
  });
  out << ",\"format\":" << dump(Json(std::string(kFormat))) << ",\"names\":" << dump(Json(c.names))
      << ",\"now\":" << c.now << ',';
  write_lines(out, "resolver", c.resolver, verdict_json);
  out << ",\"root_hints\":" << dump(Json(c.root_hints)) << ",\"seed\":" << c.seed;
  if (!c.services.empty()) out << ",\"services\":" << dump(Json(c.services));
  out << ",\"version\":" << kVersion << "}\n";
}

Capture read_capture(std::istream& in, const std::string& name, std::uint64_t max_bytes) {
  const std::string text = read_bounded(in, name, max_bytes);
  CaptureReader reader(text, name);
  Json::sax_parse(text, &reader);
  return reader.finish();
}

}  // namespace zw::live
