// name.cpp: wire-format domain name helpers.
#include "core/name.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace zw::core {
namespace {

unsigned char lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

}  // namespace

bool parse_name(std::string_view text, std::string_view origin, WireName& out, std::string& error) {
  out.clear();
  if (text == "@") {
    if (origin.empty()) {
      error = "\"@\" used without an origin";
      return false;
    }
    out.assign(origin);
    return true;
  }
  if (text.empty()) {
    error = "empty name";
    return false;
  }
  if (text == ".") {
    out.push_back('\0');
    return true;
  }
  std::string label;
  bool absolute = false;
  std::size_t i = 0;
  auto flush = [&]() -> bool {
    if (label.empty()) {
      error = "empty label in \"" + std::string(text) + "\"";
      return false;
    }
    if (label.size() > 63) {
      error = "label longer than 63 octets in \"" + std::string(text.substr(0, 80)) + "\"";
      return false;
    }
    out.push_back(static_cast<char>(label.size()));
    out += label;
    label.clear();
    if (out.size() > kMaxNameLength) {
      error = "name longer than 255 octets";
      return false;
    }
    return true;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 >= text.size()) {
        error = "dangling backslash in name";
        return false;
      }
      if (std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
        if (i + 3 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 2])) ||
            !std::isdigit(static_cast<unsigned char>(text[i + 3]))) {
          error = "bad \\DDD escape in name";
          return false;
        }
        int v = (text[i + 1] - '0') * 100 + (text[i + 2] - '0') * 10 + (text[i + 3] - '0');
        if (v > 255) {
          error = "\\DDD escape above 255 in name";
          return false;
        }
        label.push_back(static_cast<char>(v));
        i += 4;
      } else {
        label.push_back(text[i + 1]);
        i += 2;
      }
      if (label.size() > 63) return flush();
      continue;
    }
    if (c == '.') {
      if (!flush()) return false;
      ++i;
      if (i == text.size()) absolute = true;
      continue;
    }
    label.push_back(c);
    if (label.size() > 63) return flush();
    ++i;
  }
  if (!absolute) {
    if (!label.empty() && !flush()) return false;
    if (origin.empty()) {
      error = "relative name \"" + std::string(text.substr(0, 80)) + "\" without an origin";
      return false;
    }
    out.append(origin);
  } else {
    out.push_back('\0');
  }
  if (out.size() > kMaxNameLength) {
    error = "name longer than 255 octets";
    return false;
  }
  return true;
}

std::string name_to_text(std::string_view wire) {
  std::string out;
  std::size_t pos = 0;
  if (wire.empty() || wire[0] == '\0') return ".";
  while (pos < wire.size()) {
    auto len = static_cast<unsigned char>(wire[pos]);
    if (len == 0) break;
    ++pos;
    for (std::size_t j = 0; j < len && pos + j < wire.size(); ++j) {
      auto c = static_cast<unsigned char>(wire[pos + j]);
      if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')' || c == '$' || c == '@') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c <= 0x20 || c >= 0x7f) {
        char buf[5];
        buf[0] = '\\';
        buf[1] = static_cast<char>('0' + c / 100);
        buf[2] = static_cast<char>('0' + (c / 10) % 10);
        buf[3] = static_cast<char>('0' + c % 10);
        buf[4] = 0;
        out += buf;
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    out.push_back('.');
    pos += len;
  }
  return out;
}

void name_to_lower(WireName& wire) {
  std::size_t pos = 0;
  while (pos < wire.size()) {
    auto len = static_cast<unsigned char>(wire[pos]);
    if (len == 0) break;
    for (std::size_t j = 1; j <= len && pos + j < wire.size(); ++j) {
      wire[pos + j] = static_cast<char>(lower(static_cast<unsigned char>(wire[pos + j])));
    }
    pos += len + 1;
  }
}

WireName name_lower(std::string_view wire) {
  WireName w(wire);
  name_to_lower(w);
  return w;
}

int name_label_count(std::string_view wire) {
  int n = 0;
  std::size_t pos = 0;
  while (pos < wire.size() && wire[pos] != '\0') {
    pos += static_cast<unsigned char>(wire[pos]) + 1;
    ++n;
  }
  return n;
}

bool name_is_wildcard(std::string_view wire) {
  return wire.size() >= 2 && wire[0] == 1 && wire[1] == '*';
}

std::vector<std::size_t> name_label_offsets(std::string_view wire) {
  std::vector<std::size_t> offs;
  std::size_t pos = 0;
  while (pos < wire.size() && wire[pos] != '\0') {
    offs.push_back(pos);
    pos += static_cast<unsigned char>(wire[pos]) + 1;
  }
  return offs;
}

std::string_view name_strip_labels(std::string_view wire, int n) {
  std::size_t pos = 0;
  for (int i = 0; i < n && pos < wire.size() && wire[pos] != '\0'; ++i)
    pos += static_cast<unsigned char>(wire[pos]) + 1;
  return wire.substr(std::min(pos, wire.size()));
}

bool name_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(static_cast<unsigned char>(a[i])) != lower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool name_is_subdomain(std::string_view name, std::string_view ancestor) {
  // The ancestor's wire form must end the name's (length octets are below 'A', so folding case leaves them be),
  // starting at one of the name's labels. The octet comparison first: most names tested are not below.
  if (name.size() < ancestor.size()) return false;
  const std::size_t at = name.size() - ancestor.size();
  if (!name_equal(name.substr(at), ancestor)) return false;
  std::size_t pos = 0;
  while (pos < at && name[pos] != '\0') pos += static_cast<unsigned char>(name[pos]) + 1;
  return pos == at;
}

int name_compare(std::string_view a, std::string_view b) {
  // Compare label by label from the right (RFC 4034 §6.1).
  std::size_t offs_a[128];
  std::size_t offs_b[128];
  int na = 0;
  int nb = 0;
  for (std::size_t pos = 0; pos < a.size() && a[pos] != '\0' && na < 128;) {
    offs_a[na++] = pos;
    pos += static_cast<unsigned char>(a[pos]) + 1;
  }
  for (std::size_t pos = 0; pos < b.size() && b[pos] != '\0' && nb < 128;) {
    offs_b[nb++] = pos;
    pos += static_cast<unsigned char>(b[pos]) + 1;
  }
  int ia = na - 1;
  int ib = nb - 1;
  while (ia >= 0 && ib >= 0) {
    std::size_t la = static_cast<unsigned char>(a[offs_a[ia]]);
    std::size_t lb = static_cast<unsigned char>(b[offs_b[ib]]);
    const char* pa = a.data() + offs_a[ia] + 1;
    const char* pb = b.data() + offs_b[ib] + 1;
    std::size_t m = std::min(la, lb);
    for (std::size_t k = 0; k < m; ++k) {
      unsigned ca = lower(static_cast<unsigned char>(pa[k]));
      unsigned cb = lower(static_cast<unsigned char>(pb[k]));
      if (ca != cb) return ca < cb ? -1 : 1;
    }
    if (la != lb) return la < lb ? -1 : 1;
    --ia;
    --ib;
  }
  if (ia < 0 && ib < 0) return 0;
  return ia < 0 ? -1 : 1;
}

bool read_wire_name(std::string_view data, std::size_t& pos, WireName& out) {
  out.clear();
  while (true) {
    if (pos >= data.size()) return false;
    auto len = static_cast<unsigned char>(data[pos]);
    if (len > 63) return false;  // compression pointers are not allowed in canonical RDATA
    if (pos + 1 + len > data.size()) return false;
    out.append(data.substr(pos, len + 1));
    pos += len + 1;
    if (out.size() > kMaxNameLength) return false;
    if (len == 0) return true;
  }
}

}  // namespace zw::core
