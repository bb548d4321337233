// anchors.cpp: DS-set and trust-anchor file reading (master format, dig +short DS, RFC 7958 XML, BIND statements).
//
// Every format is read by a single forward scan over a bounded buffer: these files come from outside (a download, a
// registrar's web page, a package) and a hostile one must cost no more than its size.
#include "zone/anchors.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string_view>

#include "core/bytes.hpp"
#include "core/codec.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/input.hpp"
#include "zone/loader.hpp"

namespace zw::zone {
namespace {

using namespace std::string_view_literals;

std::uint32_t lines_in(std::string_view text) {
  return static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n'));
}

std::string where(const std::string& path, std::uint32_t line) {
  return path + ":" + std::to_string(line);
}

std::string too_large_text(std::size_t limit) {
  return "larger than " + std::to_string(limit >> 10) + " KiB: not a DS or trust-anchor file";
}

Error too_large(const std::string& path, std::size_t limit) {
  return Error(path + ": " + too_large_text(limit));
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}
using core::is_base64_char;
using core::is_digit;
using core::is_hex_digit;
bool all_of(std::string_view s, bool (*pred)(char)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), pred);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string without_space(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (!is_space(c)) out.push_back(c);
  }
  return out;
}

/// A decimal number of at most `max`, or empty.
std::optional<unsigned> number(std::string_view s, unsigned max) {
  auto v = core::parse_decimal(s, max, 5);
  return v ? std::optional<unsigned>(static_cast<unsigned>(*v)) : std::nullopt;
}

/// Turns records loaded from master-format text into anchor records.
std::vector<AnchorRecord> records_of(const Zone& z, const AnchorReadOptions& options) {
  std::vector<AnchorRecord> out;
  for (const Record& r : z.records) {
    if (r.type != rrtype::DS && !(options.allow_dnskey && r.type == rrtype::DNSKEY)) {
      throw Error(z.where(r.src) + ": " + type_name(r.type) + " record in a " +
                  (options.allow_dnskey ? "trust-anchor file (DS or DNSKEY expected)" : "DS file (DS expected)"));
    }
    AnchorRecord a;
    a.owner = z.names[r.name];
    a.type = r.type;
    a.rdata = std::string(z.rdata(r));
    a.file = z.files[r.src.file];
    a.line = r.src.line;
    out.push_back(std::move(a));
  }
  // In the file's order (the zone holds them in canonical order), so that messages name the first line at fault.
  std::stable_sort(out.begin(), out.end(),
                   [](const AnchorRecord& x, const AnchorRecord& y) { return x.line < y.line; });
  return out;
}

std::vector<AnchorRecord> load_records(const std::string& text, const std::string& path,
                                       const AnchorReadOptions& options) {
  LoadOptions opt;
  opt.origin = std::string(1, '\0');
  opt.parallel = false;
  return records_of(load_zone_text(text, path, opt), options);
}

// ---- master format, with `dig +short DS` lines ------------------------------------------------------------------

/// True when a line (comment removed) is "TAG ALG DIGEST-TYPE HEX [HEX...]": dig +short DS output, no owner. Such a
/// line is never a master-format record (its third field would be the type).
bool is_bare_ds(std::string_view line) {
  std::size_t fields = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i == line.size()) break;
    std::size_t j = i;
    while (j < line.size() && !is_space(line[j])) ++j;
    std::string_view word = line.substr(i, j - i);
    if (!(fields < 3 ? all_of(word, is_digit) : all_of(word, is_hex_digit))) return false;
    ++fields;
    i = j;
  }
  return fields >= 4;
}

/// Gives each bare DS line (outside parentheses) the owner from -o, keeping line numbers.
std::string with_owners(const std::string& text, const std::string& path, const AnchorReadOptions& options) {
  std::string out;
  std::uint32_t line_no = 0;
  int depth = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    ++line_no;
    // The line without its comment, and the parentheses it opens or closes (quoted text aside).
    std::size_t content_end = line.size();
    bool quoted = false;
    const int depth_before = depth;
    for (std::size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          quoted = false;
        }
        continue;
      }
      if (c == '"') quoted = true;
      if (c == ';') {
        content_end = i;
        break;
      }
      if (c == '(') ++depth;
      if (c == ')' && depth > 0) --depth;
    }
    if (depth_before == 0 && is_bare_ds(line.substr(0, content_end))) {
      if (options.origin.empty()) {
        throw Error(where(path, line_no) +
                    ": DS record without an owner name (dig +short output?): give -o/--origin with the zone");
      }
      out += core::name_to_text(options.origin);
      out += " IN DS ";
    }
    out.append(line);
    if (end < text.size()) out.push_back('\n');
    pos = end + 1;
  }
  return out;
}

// ---- IANA root-anchors XML (RFC 7958) ---------------------------------------------------------------------------

struct KeyDigest {
  std::uint32_t line = 0;
  std::string valid_from, valid_until;
  std::string tag, algorithm, digest_type, digest;
};

/// The value of attribute `name` in a start tag's attribute text, or "".
std::string attribute(std::string_view attrs, std::string_view name) {
  std::size_t i = 0;
  while (i < attrs.size()) {
    while (i < attrs.size() && is_space(attrs[i])) ++i;
    std::size_t n0 = i;
    while (i < attrs.size() && attrs[i] != '=' && !is_space(attrs[i])) ++i;
    std::string_view key = attrs.substr(n0, i - n0);
    while (i < attrs.size() && is_space(attrs[i])) ++i;
    if (i >= attrs.size() || attrs[i] != '=') return {};
    ++i;
    while (i < attrs.size() && is_space(attrs[i])) ++i;
    if (i >= attrs.size() || (attrs[i] != '"' && attrs[i] != '\'')) return {};
    char q = attrs[i++];
    std::size_t v0 = i;
    std::size_t close = attrs.find(q, i);
    if (close == std::string_view::npos) return {};
    if (key == name) return std::string(attrs.substr(v0, close - v0));
    i = close + 1;
  }
  return {};
}

/// What the XML says: the <Zone> and every <KeyDigest>.
struct XmlAnchor {
  std::string zone_text;
  std::uint32_t zone_line = 0;
  std::vector<KeyDigest> digests;
};

/// Reads the elements of a TrustAnchor document, keeping the zone and the key digests (RFC 7958 §2.1).
class XmlAnchorReader {
 public:
  XmlAnchorReader(const std::string& text, const std::string& path) : text_(text), path_(path) {}

  XmlAnchor read() && {
    while (true) {
      const std::size_t lt = text_.find('<', pos_);
      if (lt == std::string::npos) break;
      advance(lt);
      const std::string_view rest = std::string_view(text_).substr(lt);
      const std::string_view close_mark = rest.starts_with("<!--"sv) ? "-->"sv
                                          : rest.starts_with("<?"sv) ? "?>"sv
                                                                     : ">"sv;
      const std::size_t gt = text_.find(close_mark, lt + 1);
      if (gt == std::string::npos) throw fail("truncated XML: a tag is never closed");
      const std::string_view tag(text_.data() + lt + 1, gt - lt - 1);
      const std::size_t after = gt + close_mark.size();
      if (tag.starts_with('?') || tag.starts_with('!')) {
        advance(after);
        continue;
      }
      if (root_closed_) throw fail("XML continues after </TrustAnchor>");
      if (tag.starts_with('/')) {
        end_tag(tag, lt);
      } else {
        start_tag(tag, after);
      }
      advance(after);
    }
    advance(text_.size());
    if (!open_.empty()) throw fail("truncated XML: <" + open_.back() + "> is never closed");
    if (!root_closed_) throw fail("no <TrustAnchor> element");
    return std::move(anchor_);
  }

 private:
  void advance(std::size_t to) {
    line_ += lines_in(std::string_view(text_).substr(pos_, to - pos_));
    pos_ = to;
  }
  Error fail(const std::string& why) const { return Error(where(path_, line_) + ": " + why); }

  // "</name>" at `lt`: the content since the last start tag belongs to the element it closes.
  void end_tag(std::string_view tag, std::size_t lt) {
    const std::string_view name = trim(tag.substr(1));
    if (open_.empty() || open_.back() != name) throw fail("</" + std::string(name) + "> closes no open element");
    const std::string_view content = trim(std::string_view(text_).substr(content_start_, lt - content_start_));
    if (open_.size() == 2 && name == "Zone") {
      anchor_.zone_text = std::string(content);
      anchor_.zone_line = line_;
    } else if (open_.size() == 3 && open_[1] == "KeyDigest") {
      KeyDigest& d = anchor_.digests.back();
      if (name == "KeyTag") d.tag = content;
      if (name == "Algorithm") d.algorithm = content;
      if (name == "DigestType") d.digest_type = content;
      if (name == "Digest") d.digest = without_space(content);
    }
    open_.pop_back();
    if (open_.empty()) root_closed_ = true;
  }

  // "<name attrs>" or "<name attrs/>", ending just before `after`.
  void start_tag(std::string_view tag, std::size_t after) {
    const bool empty_element = tag.ends_with('/');
    if (empty_element) tag.remove_suffix(1);
    std::size_t name_end = 0;
    while (name_end < tag.size() && !is_space(tag[name_end])) ++name_end;
    const std::string_view name = tag.substr(0, name_end);
    const std::string_view attrs = tag.substr(name_end);
    if (open_.empty() && name != "TrustAnchor") {
      throw fail("<TrustAnchor> expected, found <" + std::string(name) + ">");
    }
    if (open_.size() >= 8) throw fail("XML nested too deeply");
    if (open_.size() == 1 && name == "KeyDigest") {
      KeyDigest d;
      d.line = line_;
      d.valid_from = attribute(attrs, "validFrom");
      d.valid_until = attribute(attrs, "validUntil");
      anchor_.digests.push_back(std::move(d));
    }
    if (!empty_element) {
      open_.emplace_back(name);
      content_start_ = after;
    }
  }

  const std::string& text_;
  const std::string& path_;
  XmlAnchor anchor_;
  std::vector<std::string> open_;  // element names from the root down
  bool root_closed_ = false;
  std::size_t content_start_ = 0;  // just after the last start tag
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
};

// The DS record of one <KeyDigest>.
AnchorRecord digest_record(const KeyDigest& d, const core::WireName& owner, const std::string& path) {
  auto tag = number(d.tag, 65535);
  auto alg = number(d.algorithm, 255);
  auto type = number(d.digest_type, 255);
  if (!tag || !alg || !type || d.digest.empty()) {
    throw Error(where(path, d.line) + ": <KeyDigest> without a valid KeyTag, Algorithm, DigestType and Digest");
  }
  AnchorRecord r;
  r.owner = owner;
  r.type = rrtype::DS;
  r.file = path;
  r.line = d.line;
  core::append_be16(r.rdata, *tag);
  r.rdata.push_back(static_cast<char>(*alg));
  r.rdata.push_back(static_cast<char>(*type));
  if (!core::append_hex_decoded(d.digest, r.rdata)) throw Error(where(path, d.line) + ": <Digest> is not hex");
  return r;
}

std::vector<AnchorRecord> read_xml(const std::string& text, const std::string& path, const AnchorReadOptions& options) {
  const XmlAnchor anchor = XmlAnchorReader(text, path).read();
  core::WireName owner;
  std::string err;
  if (anchor.zone_text.empty() || anchor.zone_text.size() > 1024 ||
      !core::parse_name(anchor.zone_text, ".", owner, err)) {
    throw Error(path + (anchor.zone_line ? ":" + std::to_string(anchor.zone_line) : std::string()) +
                ": trust-anchor XML without a valid <Zone> element");
  }
  core::name_to_lower(owner);
  // RFC 7958 §2.2: a key digest is valid from validFrom and until validUntil, when given.
  std::vector<AnchorRecord> out;
  std::size_t outside = 0;
  for (const KeyDigest& d : anchor.digests) {
    auto at = [&](const std::string& t) {
      try {
        return core::parse_time(t, options.now);
      } catch (const Error& e) {
        throw Error(where(path, d.line) + ": " + e.what());
      }
    };
    if ((!d.valid_from.empty() && at(d.valid_from) > options.now) ||
        (!d.valid_until.empty() && at(d.valid_until) < options.now)) {
      ++outside;
      continue;
    }
    out.push_back(digest_record(d, owner, path));
  }
  if (out.empty()) {
    throw Error(path + ": no <KeyDigest> valid at " + core::format_time(options.now) +
                (outside ? " (" + std::to_string(outside) + " outside their validity)" : std::string()));
  }
  return out;
}

// ---- BIND trust-anchors / managed-keys / trusted-keys ------------------------------------------------------------

struct Token {
  enum Kind { Word, String, Punct } kind = Word;
  std::string text;
  std::uint32_t line = 0;
};

std::vector<Token> bind_tokens(const std::string& text, const std::string& path) {
  std::vector<Token> out;
  std::uint32_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (is_space(c)) {
      ++i;
    } else if (c == '#' || (c == '/' && i + 1 < n && text[i + 1] == '/')) {
      while (i < n && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      std::size_t end = text.find("*/", i + 2);
      if (end == std::string::npos) throw Error(where(path, line) + ": unterminated /* comment");
      line += lines_in(std::string_view(text).substr(i, end - i));
      i = end + 2;
    } else if (c == '"') {
      Token t{Token::String, {}, line};
      ++i;
      while (i < n && text[i] != '"') {
        if (text[i] == '\n') ++line;
        if (text[i] == '\\' && i + 1 < n) ++i;
        t.text.push_back(text[i++]);
      }
      if (i == n) throw Error(where(path, t.line) + ": unterminated quoted string");
      ++i;
      out.push_back(std::move(t));
    } else if (c == '{' || c == '}' || c == ';') {
      out.push_back({Token::Punct, std::string(1, c), line});
      ++i;
    } else {
      Token t{Token::Word, {}, line};
      while (i < n && !is_space(text[i]) && text[i] != '{' && text[i] != '}' && text[i] != ';' && text[i] != '"') {
        t.text.push_back(text[i++]);
      }
      out.push_back(std::move(t));
    }
  }
  return out;
}

constexpr std::string_view kBindStatements[] = {"trust-anchors", "managed-keys", "trusted-keys"};

bool is_bind_statement(std::string_view word) {
  return std::find(std::begin(kBindStatements), std::end(kBindStatements), word) != std::end(kBindStatements);
}

/// The first word of the file after whitespace and comments of either syntax.
std::string_view first_word(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (is_space(text[i])) {
      ++i;
    } else if (text[i] == '#' || text[i] == ';' || text.compare(i, 2, "//") == 0) {
      std::size_t e = text.find('\n', i);
      i = e == std::string::npos ? text.size() : e + 1;
    } else if (text.compare(i, 2, "/*") == 0) {
      std::size_t e = text.find("*/", i + 2);
      i = e == std::string::npos ? text.size() : e + 2;
    } else {
      break;
    }
  }
  std::size_t j = i;
  while (j < text.size() && !is_space(text[j]) && text[j] != '{') ++j;
  return std::string_view(text).substr(i, j - i);
}

/// Rewrites BIND statements as master-format records on the lines they came from, then loads those.
std::vector<AnchorRecord> read_bind(const std::string& text, const std::string& path,
                                    const AnchorReadOptions& options) {
  std::vector<Token> tokens = bind_tokens(text, path);
  std::size_t k = 0;
  std::uint32_t last_line = 1;
  auto next = [&](const char* what) -> const Token& {
    if (k == tokens.size()) throw Error(where(path, last_line) + ": unexpected end of file, " + what + " expected");
    last_line = tokens[k].line;
    return tokens[k++];
  };
  auto expect = [&](const char* punct) {
    const Token& t = next(punct);
    if (t.kind != Token::Punct || t.text != punct) {
      throw Error(where(path, t.line) + ": '" + punct + "' expected, found '" + t.text + "'");
    }
  };
  std::string master;
  std::uint32_t master_lines = 1;  // the line the next record is written on
  while (k < tokens.size()) {
    const Token& stmt = next("a statement");
    if (stmt.kind != Token::Word || !is_bind_statement(stmt.text)) {
      throw Error(where(path, stmt.line) + ": unsupported statement '" + stmt.text +
                  "' (trust-anchors, managed-keys or trusted-keys expected)");
    }
    const bool trusted_keys = stmt.text == "trusted-keys";
    expect("{");
    while (true) {
      const Token& name = next("a name or '}'");
      if (name.kind == Token::Punct && name.text == "}") break;
      std::string owner = name.text;
      if (name.kind == Token::Punct || owner.empty() || !std::all_of(owner.begin(), owner.end(), [](char c) {
            return is_hex_digit(c) || std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' ||
                   c == '*' || c == '\\';
          })) {
        throw Error(where(path, name.line) + ": bad trust-anchor name '" + owner + "'");
      }
      if (owner.back() != '.') owner.push_back('.');
      std::string kind = "static-key";
      if (!trusted_keys) {
        const Token& kw = next("initial-key, static-key, initial-ds or static-ds");
        kind = kw.text;
        if (kw.kind != Token::Word ||
            (kind != "initial-key" && kind != "static-key" && kind != "initial-ds" && kind != "static-ds")) {
          throw Error(where(path, kw.line) + ": '" + kw.text +
                      "' is not initial-key, static-key, initial-ds or static-ds");
        }
      }
      const bool ds = kind.ends_with("-ds");
      std::string fields;
      for (int f = 0; f < 3; ++f) {
        const Token& t = next("a number");
        if (t.kind != Token::Word || !number(t.text, 65535)) {
          throw Error(where(path, t.line) + ": number expected, found '" + t.text + "'");
        }
        fields += t.text + " ";
      }
      const Token& data = next(ds ? "a digest" : "a public key");
      std::string value = without_space(data.text);
      if (data.kind == Token::Punct || !all_of(value, ds ? is_hex_digit : is_base64_char)) {
        throw Error(where(path, data.line) + ": " + (ds ? "digest is not hex" : "public key is not base64"));
      }
      expect(";");
      // One record per line, on its own line where it can be (two on one line move the second down).
      while (master_lines < name.line) {
        master.push_back('\n');
        ++master_lines;
      }
      master += owner + " IN " + (ds ? "DS " : "DNSKEY ") + fields + value + "\n";
      ++master_lines;
    }
    expect(";");
  }
  if (master.empty()) return {};
  return load_records(master, path, options);
}

}  // namespace

std::vector<AnchorRecord> read_anchor_text(const std::string& text, const std::string& path,
                                           const AnchorReadOptions& options) {
  if (text.size() > options.max_bytes) throw too_large(path, options.max_bytes);
  if (const void* nul = std::memchr(text.data(), '\0', text.size())) {
    auto line =
        lines_in(std::string_view(text.data(), static_cast<std::size_t>(static_cast<const char*>(nul) - text.data()))) +
        1;
    throw Error(where(path, line) + ": NUL byte in the text (binary data?)");
  }
  std::vector<AnchorRecord> out;
  std::string_view first = first_word(text);
  if (first.starts_with('<')) {
    out = read_xml(text, path, options);
  } else if (is_bind_statement(first)) {
    out = read_bind(text, path, options);
  } else {
    out = load_records(with_owners(text, path, options), path, options);
  }
  if (out.empty()) {
    throw Error(path + ": no " + std::string(options.allow_dnskey ? "DS or DNSKEY" : "DS") + " records");
  }
  return out;
}

std::vector<AnchorRecord> read_anchor_file(const std::string& path, const AnchorReadOptions& options) {
  const core::ReadLimits limits{options.max_bytes, too_large_text(options.max_bytes)};
  return read_anchor_text(core::read_input_file(path, core::InputKinds::streams, limits), path, options);
}

}  // namespace zw::zone
