// anchors.cpp: DS-set and trust-anchor file reading (master format and RFC 7958 XML).
#include "zone/anchors.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/error.hpp"
#include "zone/loader.hpp"

namespace zw::zone {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string tag_value(const std::string& block, const std::string& tag) {
  std::regex re("<" + tag + ">\\s*([^<]*?)\\s*</" + tag + ">");
  std::smatch m;
  if (std::regex_search(block, m, re)) return m[1].str();
  return {};
}

std::string attr_value(const std::string& open_tag, const std::string& attr) {
  std::regex re(attr + "\\s*=\\s*\"([^\"]*)\"");
  std::smatch m;
  if (std::regex_search(open_tag, m, re)) return m[1].str();
  return {};
}

std::uint32_t line_of(const std::string& text, std::size_t offset) {
  return static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n') +
                                    1);
}

std::vector<AnchorRecord> read_xml(const std::string& path, const std::string& text, core::EpochSeconds now) {
  std::vector<AnchorRecord> out;
  std::string zone_text = tag_value(text, "Zone");
  core::WireName owner;
  std::string err;
  if (zone_text.empty() || !core::parse_name(zone_text, ".", owner, err)) {
    throw Error(path + ": trust-anchor XML without a valid <Zone> element");
  }
  core::name_to_lower(owner);
  std::regex kd("<KeyDigest([^>]*)>([\\s\\S]*?)</KeyDigest>");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kd); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    std::string attrs = m[1].str();
    std::string body = m[2].str();
    std::uint32_t line = line_of(text, static_cast<std::size_t>(m.position(0)));
    std::string from = attr_value(attrs, "validFrom");
    std::string until = attr_value(attrs, "validUntil");
    if (!from.empty() && core::parse_time(from, now) > now) continue;
    if (!until.empty() && core::parse_time(until, now) < now) continue;
    std::string tag = tag_value(body, "KeyTag");
    std::string alg = tag_value(body, "Algorithm");
    std::string dt = tag_value(body, "DigestType");
    std::string digest = tag_value(body, "Digest");
    if (tag.empty() || alg.empty() || dt.empty() || digest.empty() || digest.size() % 2) {
      throw Error(path + ":" + std::to_string(line) + ": incomplete <KeyDigest>");
    }
    AnchorRecord r;
    r.owner = owner;
    r.type = 43;
    r.file = path;
    r.line = line;
    unsigned long t = 0;
    unsigned long a = 0;
    unsigned long d = 0;
    try {
      t = std::stoul(tag);
      a = std::stoul(alg);
      d = std::stoul(dt);
    } catch (const std::exception&) {
      throw Error(path + ":" + std::to_string(line) + ": malformed <KeyDigest> number");
    }
    if (t > 65535 || a > 255 || d > 255)
      throw Error(path + ":" + std::to_string(line) + ": <KeyDigest> value out of range");
    r.rdata.push_back(static_cast<char>(t >> 8));
    r.rdata.push_back(static_cast<char>(t & 0xff));
    r.rdata.push_back(static_cast<char>(a));
    r.rdata.push_back(static_cast<char>(d));
    for (std::size_t i = 0; i < digest.size(); i += 2) {
      int v = 0;
      for (std::size_t j = 0; j < 2; ++j) {
        char c = digest[i + j];
        int nib = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                              : -1;
        if (nib < 0) throw Error(path + ":" + std::to_string(line) + ": <Digest> is not hex");
        v = v * 16 + nib;
      }
      r.rdata.push_back(static_cast<char>(v));
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::vector<AnchorRecord> read_anchor_file(const std::string& path, bool allow_dnskey, core::EpochSeconds now) {
  std::string text = read_all(path);
  if (text.find("<TrustAnchor") != std::string::npos) return read_xml(path, text, now);
  LoadOptions opt;
  opt.origin = std::string(1, '\0');
  Zone z = load_zone_file(path, opt);
  std::vector<AnchorRecord> out;
  for (const Record& r : z.records) {
    if (r.type != 43 && !(allow_dnskey && r.type == 48)) {
      throw Error(z.where(r.src) + ": " + type_name(r.type) + " record in a " +
                  (allow_dnskey ? "trust-anchor file (DS or DNSKEY expected)" : "DS file (DS expected)"));
    }
    AnchorRecord a;
    a.owner = z.names[r.name];
    a.type = r.type;
    a.rdata = std::string(z.rdata(r));
    a.file = z.files[r.src.file];
    a.line = r.src.line;
    out.push_back(std::move(a));
  }
  if (out.empty()) throw Error(path + ": no " + std::string(allow_dnskey ? "DS or DNSKEY" : "DS") + " records");
  return out;
}

}  // namespace zw::zone
