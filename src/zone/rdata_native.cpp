// rdata_native.cpp: SVCB/HTTPS (RFC 9460) and CAA (RFC 8659) from their presentation forms, as BIND, Knot and
// dig print them; IPSECKEY (RFC 4025) with its public key split over lines as dnssec-signzone writes it.
#include "zone/rdata_native.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "core/bytes.hpp"
#include "core/codec.hpp"
#include "core/decimal.hpp"
#include "core/name.hpp"
#include "zone/rdata_fast.hpp"

namespace zw::zone {
namespace {

constexpr std::uint16_t kSvcb = 64;
constexpr std::uint16_t kHttps = 65;
constexpr std::uint16_t kCaa = 257;
constexpr std::uint16_t kIpseckey = 45;
constexpr std::size_t kMaxRdata = 65535;

// RFC 9460 §14.3.2 and the registrations after it (RFC 9461 dohpath, RFC 9540 ohttp,
// draft-ietf-tls-key-share-prediction tls-supported-groups).
enum SvcKey : std::uint16_t {
  kMandatory = 0,
  kAlpn = 1,
  kNoDefaultAlpn = 2,
  kPort = 3,
  kIpv4Hint = 4,
  kEch = 5,
  kIpv6Hint = 6,
  kDohPath = 7,
  kOhttp = 8,
  kTlsSupportedGroups = 9,
};

struct KeyName {
  std::string_view name;
  std::uint16_t key;
};
constexpr std::array<KeyName, 10> kKeyNames = {{{"mandatory", kMandatory},
                                                {"alpn", kAlpn},
                                                {"no-default-alpn", kNoDefaultAlpn},
                                                {"port", kPort},
                                                {"ipv4hint", kIpv4Hint},
                                                {"ech", kEch},
                                                {"ipv6hint", kIpv6Hint},
                                                {"dohpath", kDohPath},
                                                {"ohttp", kOhttp},
                                                {"tls-supported-groups", kTlsSupportedGroups}}};

/// Thrown inside this file with the reason; native_rdata turns it into its return value.
struct Bad {
  std::string why;
};

std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...'";
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

using core::all_digits;

// Plain decimal of at most `max`.
std::optional<std::uint32_t> decimal(std::string_view t, std::uint32_t max) {
  auto v = core::parse_decimal(t, max, 10);
  return v ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(*v)) : std::nullopt;
}

using core::append_be16;

// Two tokens written with nothing between them (`key=` and `"value"`): the scanner's tokens are views into one
// text.
bool adjacent(const Token& a, const Token& b) {
  return a.text.data() + a.text.size() == b.text.data();
}

// RFC 1035 §5.1 character-string decoding of a token (quoted or not).
std::string chars(const Token& tok, std::string_view what) {
  std::string out;
  if (!unescape_token(tok, out)) throw Bad{"malformed escape in " + std::string(what) + " " + shown(tok.text)};
  return out;
}

std::uint16_t number16(const Token& tok, std::string_view what) {
  auto v = tok.quoted ? std::nullopt : decimal(tok.text, 0xffff);
  if (!v) throw Bad{std::string(what) + " " + shown(tok.text) + " is not a number from 0 to 65535"};
  return static_cast<std::uint16_t>(*v);
}

// A name in the RDATA, relative to `origin`, keeping its case.
void append_name(const Token& tok, std::string_view origin, std::string_view what, std::string& out) {
  if (tok.quoted) throw Bad{std::string(what) + " cannot be a quoted string"};
  const std::string_view t = tok.text;
  bool absolute = !t.empty() && t.back() == '.';
  if (absolute) {  // an escaped final dot ("a\.") is part of the last label
    std::size_t backslashes = 0;
    for (std::size_t i = t.size() - 1; i > 0 && t[i - 1] == '\\'; --i) ++backslashes;
    absolute = backslashes % 2 == 0;
  }
  if (!absolute && origin.empty()) {
    throw Bad{"relative " + std::string(what) + " " + shown(t) +
              " but no origin: give -o/--origin, $ORIGIN or put the SOA first"};
  }
  core::WireName wire;
  std::string error;
  if (!core::parse_name(t, origin, wire, error)) throw Bad{"bad " + std::string(what) + ": " + error};
  out += wire;
}

// ---- SVCB / HTTPS ----------------------------------------------------------------------------------------------

// "mandatory", "alpn", … or "keyNNNNN" (no leading zeros, RFC 9460 §2.1); `generic` tells the second form, whose
// value is its wire form whatever the key.
std::optional<std::uint16_t> svc_key(std::string_view text, bool& generic) {
  generic = false;
  for (const KeyName& k : kKeyNames) {
    if (iequals(text, k.name)) return k.key;
  }
  if (text.size() > 3 && iequals(text.substr(0, 3), "key")) {
    const std::string_view digits = text.substr(3);
    if (digits.size() > 1 && digits[0] == '0') return std::nullopt;
    if (auto v = decimal(digits, 0xffff)) {
      generic = true;
      return static_cast<std::uint16_t>(*v);
    }
  }
  return std::nullopt;
}

std::string key_text(std::uint16_t key) {
  for (const KeyName& k : kKeyNames) {
    if (k.key == key) return std::string(k.name);
  }
  return "key" + std::to_string(key);
}

// RFC 9460 Appendix A.1: a value-list, already character-string decoded, split at the commas that no backslash
// escapes; "\X" stands for X.
std::vector<std::string> split_list(std::string_view value, std::string_view key) {
  std::vector<std::string> items(1);
  for (std::size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c == '\\') {
      if (++i == value.size()) throw Bad{"the " + std::string(key) + " list ends in a backslash"};
      items.back().push_back(value[i]);
    } else if (c == ',') {
      items.emplace_back();
    } else {
      items.back().push_back(c);
    }
  }
  for (const std::string& item : items) {
    if (item.empty()) throw Bad{"empty item in the " + std::string(key) + " list"};
  }
  return items;
}

void check_params(std::string_view w);

struct SvcParam {
  std::uint16_t key = 0;
  std::string wire;
};

// The wire value of a SvcParam written by name (RFC 9460 §7, RFC 9461 §5, RFC 9540 §4). `value` is the decoded
// character-string, or empty when the key stood alone.
std::string svc_value(std::uint16_t key, const std::optional<std::string>& value, std::vector<std::uint16_t>& listed) {
  const std::string name = key_text(key);
  const bool empty = !value || value->empty();
  std::string out;
  switch (key) {
    case kNoDefaultAlpn:
    case kOhttp:
      if (!empty) throw Bad{"SvcParamKey " + name + " takes no value"};
      return out;
    case kMandatory:
    case kAlpn:
    case kPort:
    case kIpv4Hint:
    case kIpv6Hint:
    case kEch:
    case kTlsSupportedGroups:
      if (empty) throw Bad{"SvcParamKey " + name + " needs a value"};
      break;
    default: return value ? *value : out;  // dohpath: the URI template's octets
  }
  switch (key) {
    case kMandatory: {
      for (const std::string& item : split_list(*value, name)) {
        bool generic = false;
        const auto k = svc_key(item, generic);
        if (!k) throw Bad{"unknown SvcParamKey " + shown(item) + " in the mandatory list"};
        if (*k == kMandatory) throw Bad{"the mandatory list names mandatory itself (RFC 9460 §8)"};
        listed.push_back(*k);
      }
      std::sort(listed.begin(), listed.end());
      if (auto d = std::adjacent_find(listed.begin(), listed.end()); d != listed.end()) {
        throw Bad{"the mandatory list names " + key_text(*d) + " twice (RFC 9460 §8)"};
      }
      for (std::uint16_t k : listed) append_be16(out, k);
      return out;
    }
    case kAlpn:
      for (const std::string& id : split_list(*value, name)) {
        if (id.size() > 255) throw Bad{"an alpn identifier is longer than 255 octets"};
        out.push_back(static_cast<char>(id.size()));
        out += id;
      }
      return out;
    case kPort: {
      const auto port = decimal(*value, 0xffff);
      if (!port) throw Bad{"port " + shown(*value) + " is not a number from 0 to 65535"};
      append_be16(out, *port);
      return out;
    }
    case kIpv4Hint:
    case kIpv6Hint: {
      const bool v4 = key == kIpv4Hint;
      for (const std::string& addr : split_list(*value, name)) {
        unsigned char bytes[16];
        if (addr.find('\0') != std::string::npos || inet_pton(v4 ? AF_INET : AF_INET6, addr.c_str(), bytes) != 1) {
          throw Bad{shown(addr) + " in " + name + " is not an " + (v4 ? "IPv4" : "IPv6") + " address"};
        }
        out.append(reinterpret_cast<const char*>(bytes), v4 ? 4 : 16);
      }
      return out;
    }
    case kTlsSupportedGroups:  // TLS NamedGroup code points in decimal, 2 octets each, in the order given
      for (const std::string& group : split_list(*value, name)) {
        const auto v = decimal(group, 0xffff);
        if (!v) throw Bad{"tls-supported-groups item " + shown(group) + " is not a number from 0 to 65535"};
        append_be16(out, *v);
      }
      return out;
    default:  // kEch: the ECHConfigList in base64 (RFC 9460 §9)
      if (!core::append_base64_decoded(*value, out)) throw Bad{"the ech value is not base64"};
      return out;
  }
}

void svcb(std::span<const Token> t, std::string_view origin, std::string& out) {
  const std::size_t n = t.size();
  if (n < 2) throw Bad{"SvcPriority and TargetName are missing"};
  append_be16(out, number16(t[0], "SvcPriority"));
  append_name(t[1], origin, "TargetName", out);

  std::vector<SvcParam> params;
  std::vector<std::uint16_t> mandatory;
  for (std::size_t k = 2; k < n; ++k) {
    const Token& tok = t[k];
    if (tok.quoted) throw Bad{"a SvcParam is key or key=value, not the quoted string " + shown(tok.text)};
    const std::size_t eq = tok.text.find('=');
    const std::string_view name = tok.text.substr(0, eq);
    bool generic = false;
    const auto key = svc_key(name, generic);
    if (!key) throw Bad{"unknown SvcParamKey " + shown(name)};
    std::optional<std::string> value;
    if (eq != std::string_view::npos) {
      const std::string_view rest = tok.text.substr(eq + 1);
      if (rest.empty() && k + 1 < n && t[k + 1].quoted && adjacent(tok, t[k + 1])) {
        value = chars(t[++k], "the value of " + key_text(*key));
      } else {
        value = chars(Token{rest, false}, "the value of " + key_text(*key));
      }
    }
    if (k + 1 < n && adjacent(t[k], t[k + 1])) {
      throw Bad{"text directly after the value of " + key_text(*key) + ": " + shown(t[k + 1].text)};
    }
    SvcParam p;
    p.key = *key;
    if (generic) {
      // RFC 9460 §2.1: the decoded value of keyNNNNN "SHALL be used as its wire-format encoding".
      if (value) p.wire = std::move(*value);
    } else {
      p.wire = svc_value(*key, value, mandatory);
    }
    if (p.wire.size() > kMaxRdata) throw Bad{"the value of " + key_text(*key) + " is longer than 65535 octets"};
    params.push_back(std::move(p));
  }
  // RFC 9460 §2.2: "SvcParamKeys SHALL appear in increasing numeric order" on the wire; presentation order is free.
  std::stable_sort(params.begin(), params.end(), [](const SvcParam& a, const SvcParam& b) { return a.key < b.key; });
  for (std::size_t k = 1; k < params.size(); ++k) {
    if (params[k].key == params[k - 1].key) {
      throw Bad{"SvcParamKey " + key_text(params[k].key) + " appears twice (RFC 9460 §2.1)"};
    }
  }
  auto has = [&](std::uint16_t key) {
    return std::any_of(params.begin(), params.end(), [key](const SvcParam& p) { return p.key == key; });
  };
  for (std::uint16_t k : mandatory) {
    if (!has(k))
      throw Bad{"the mandatory list names " + key_text(k) + ", which the record does not have (RFC 9460 §8)"};
  }
  if (has(kNoDefaultAlpn) && !has(kAlpn)) throw Bad{"no-default-alpn without alpn (RFC 9460 §7.1.1)"};
  const std::size_t params_at = out.size();
  for (const SvcParam& p : params) {
    append_be16(out, p.key);
    append_be16(out, static_cast<std::uint32_t>(p.wire.size()));
    out += p.wire;
  }
  check_params(std::string_view(out).substr(params_at));  // keyNNNNN values of known keys included
}

// RFC 9460 §2.2 and §8: SvcParams on the wire, after the TargetName. Shared by the text parser (as a last check
// of what it wrote) and by RFC 3597 generic RDATA.
void check_params(std::string_view w) {
  auto u16 = [&](std::size_t at) { return core::be16(w, at); };
  std::vector<std::uint16_t> keys, mandatory;
  std::size_t pos = 0;
  while (pos < w.size()) {
    if (w.size() - pos < 4) throw Bad{"the RDATA ends inside a SvcParam"};
    const std::uint16_t key = u16(pos), len = u16(pos + 2);
    pos += 4;
    if (w.size() - pos < len) throw Bad{"the RDATA ends inside the value of " + key_text(key)};
    if (!keys.empty() && key <= keys.back()) throw Bad{"SvcParamKeys are not in strictly increasing order"};
    keys.push_back(key);
    const std::string_view v = w.substr(pos, len);
    pos += len;
    switch (key) {
      case kMandatory:
        if (len == 0 || len % 2 != 0) throw Bad{"malformed mandatory value"};
        for (std::size_t i = 0; i < len; i += 2) {
          const std::uint16_t k = u16(pos - len + i);
          if (k == kMandatory || (!mandatory.empty() && k <= mandatory.back())) {
            throw Bad{"the mandatory keys are not in strictly increasing order or name mandatory"};
          }
          mandatory.push_back(k);
        }
        break;
      case kAlpn:
        if (len == 0) throw Bad{"empty alpn value"};
        for (std::size_t i = 0; i < len;) {
          const std::size_t id = static_cast<unsigned char>(v[i]);
          if (id == 0 || len - i - 1 < id) throw Bad{"malformed alpn value"};
          i += 1 + id;
        }
        break;
      case kNoDefaultAlpn:
      case kOhttp:
        if (len != 0) throw Bad{key_text(key) + " has a value"};
        break;
      case kPort:
        if (len != 2) throw Bad{"a port value is 2 octets"};
        break;
      case kTlsSupportedGroups:
        if (len == 0 || len % 2 != 0) throw Bad{"malformed tls-supported-groups value"};
        break;
      case kIpv4Hint:
      case kIpv6Hint: {
        const std::size_t size = key == kIpv4Hint ? 4 : 16;
        if (len == 0 || len % size != 0) throw Bad{"malformed " + key_text(key) + " value"};
        break;
      }
      case kEch:
        if (len == 0) throw Bad{"empty ech value"};
        break;
      default: break;
    }
  }
  for (std::uint16_t k : mandatory) {
    if (!std::binary_search(keys.begin(), keys.end(), k)) {
      throw Bad{"the mandatory list names " + key_text(k) + ", which the record does not have (RFC 9460 §8)"};
    }
  }
  if (std::binary_search(keys.begin(), keys.end(), std::uint16_t{kNoDefaultAlpn}) &&
      !std::binary_search(keys.begin(), keys.end(), std::uint16_t{kAlpn})) {
    throw Bad{"no-default-alpn without alpn (RFC 9460 §7.1.1)"};
  }
}

void check_svcb_wire(std::string_view w) {
  if (w.size() < 3) throw Bad{"shorter than SvcPriority and TargetName"};
  std::size_t pos = 2;
  while (true) {
    if (pos >= w.size()) throw Bad{"the RDATA ends inside the TargetName"};
    const std::size_t len = static_cast<unsigned char>(w[pos]);
    if (len > 63) throw Bad{"the TargetName is compressed or has a bad label length"};
    pos += 1 + len;
    if (pos - 2 > core::kMaxNameLength) throw Bad{"the TargetName is longer than 255 octets"};
    if (len == 0) break;
  }
  if (pos > w.size()) throw Bad{"the RDATA ends inside the TargetName"};
  check_params(w.substr(pos));
}

bool alnum_tag(std::string_view tag) {
  return !tag.empty() && std::all_of(tag.begin(), tag.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

// ---- CAA -------------------------------------------------------------------------------------------------------

void caa(std::span<const Token> t, std::string& out) {
  if (t.size() != 3) throw Bad{"CAA is flags, tag and one value (RFC 8659 §4.1.1)"};
  const auto flags = t[0].quoted ? std::nullopt : decimal(t[0].text, 0xff);
  if (!flags) throw Bad{"flags " + shown(t[0].text) + " is not a number from 0 to 255"};
  out.push_back(static_cast<char>(*flags));
  const std::string_view tag = t[1].text;
  if (t[1].quoted || tag.size() > 255 || !alnum_tag(tag)) {
    throw Bad{"tag " + shown(tag) + " is not 1 to 255 ASCII letters and digits (RFC 8659 §4.1)"};
  }
  out.push_back(static_cast<char>(tag.size()));
  out += tag;
  out += chars(t[2], "the value");
}

// ---- IPSECKEY ---------------------------------------------------------------------------------------------------

// RFC 4025 §3.1: precedence, gateway type, algorithm, gateway ("." for type 0, IPv4, IPv6 or a domain name) and the
// base64 public key, in which whitespace is allowed (ldns reads only an unbroken key). The key may be absent. The
// gateway name keeps its case: IPSECKEY is not in RFC 4034 §6.2's list.
void ipseckey(std::span<const Token> t, std::string_view origin, std::string& out) {
  if (t.size() < 4)
    throw Bad{"IPSECKEY is precedence, gateway type, algorithm, gateway and public key (RFC 4025 §3.1)"};
  const char* fields[] = {"precedence", "gateway type", "algorithm"};
  for (std::size_t i = 0; i < 3; ++i) {
    const auto v = t[i].quoted ? std::nullopt : decimal(t[i].text, 0xff);
    if (!v) throw Bad{std::string(fields[i]) + " " + shown(t[i].text) + " is not a number from 0 to 255"};
    out.push_back(static_cast<char>(*v));
  }
  const std::uint8_t type = static_cast<std::uint8_t>(out[out.size() - 2]);
  const Token& gw = t[3];
  const std::string gateway(gw.text);
  if (type == 0) {
    if (gw.quoted || gateway != ".")
      throw Bad{"gateway type 0 (no gateway) needs \".\" as gateway, not " + shown(gateway)};
  } else if (type == 1 || type == 2) {
    unsigned char addr[16];
    if (gw.quoted || inet_pton(type == 1 ? AF_INET : AF_INET6, gateway.c_str(), addr) != 1) {
      throw Bad{"gateway " + shown(gateway) + " is not an " + (type == 1 ? "IPv4" : "IPv6") + " address"};
    }
    out.append(reinterpret_cast<const char*>(addr), type == 1 ? 4 : 16);
  } else if (type == 3) {
    append_name(gw, origin, "gateway", out);
  } else {
    throw Bad{"gateway type " + std::to_string(type) + " is not 0, 1, 2 or 3 (RFC 4025 §2.3)"};
  }
  std::string key;
  for (const Token& tok : t.subspan(4)) {
    if (tok.quoted) throw Bad{"the public key cannot be a quoted string"};
    key += tok.text;
  }
  if (!key.empty() && !core::append_base64_decoded(key, out)) throw Bad{"the public key is not base64 (RFC 4025 §2.6)"};
}

void check_ipseckey_wire(std::string_view w) {
  if (w.size() < 3) throw Bad{"shorter than precedence, gateway type and algorithm"};
  const auto type = static_cast<unsigned char>(w[1]);
  std::size_t pos = 3;
  if (type == 1 || type == 2) {
    pos += type == 1 ? 4 : 16;
    if (pos > w.size()) throw Bad{"the RDATA ends inside the gateway address"};
  } else if (type == 3) {
    while (true) {
      if (pos >= w.size()) throw Bad{"the RDATA ends inside the gateway name"};
      const std::size_t len = static_cast<unsigned char>(w[pos]);
      if (len > 63) throw Bad{"the gateway name is compressed or has a bad label length"};
      pos += 1 + len;
      if (pos - 3 > core::kMaxNameLength) throw Bad{"the gateway name is longer than 255 octets"};
      if (len == 0) break;
    }
    if (pos > w.size()) throw Bad{"the RDATA ends inside the gateway name"};
  } else if (type != 0) {
    throw Bad{"gateway type " + std::to_string(type) + " is not 0, 1, 2 or 3 (RFC 4025 §2.3)"};
  }
}

}  // namespace

bool has_native_parser(std::uint16_t type) {
  return type == kSvcb || type == kHttps || type == kCaa || type == kIpseckey;
}

std::string check_native_wire(std::uint16_t type, std::string_view wire) {
  try {
    if (type == kIpseckey) {
      check_ipseckey_wire(wire);
    } else if (type == kCaa) {
      if (wire.size() < 2) throw Bad{"shorter than flags and tag length"};
      const std::size_t len = static_cast<unsigned char>(wire[1]);
      if (wire.size() - 2 < len || !alnum_tag(wire.substr(2, len))) {
        throw Bad{"the tag is not 1 to 255 ASCII letters and digits (RFC 8659 §4.1)"};
      }
    } else {
      check_svcb_wire(wire);
    }
    return {};
  } catch (const Bad& bad) {
    return bad.why;
  }
}

std::string native_rdata(std::uint16_t type, std::span<const Token> tokens, std::string_view origin, std::string& out) {
  const std::size_t size = out.size();
  try {
    if (type == kIpseckey) {
      ipseckey(tokens, origin, out);
    } else if (type == kCaa) {
      caa(tokens, out);
    } else {
      svcb(tokens, origin, out);
    }
    if (out.size() - size > kMaxRdata) throw Bad{"RDATA longer than 65535 octets"};
    return {};
  } catch (const Bad& bad) {
    out.resize(size);
    return bad.why;
  }
}

}  // namespace zw::zone
