// address_data.cpp: address facts from libloc and from range files.
#include "infra/address_data.hpp"

#include <arpa/inet.h>
// libloc's headers declare C functions without extern "C".
extern "C" {
#include <libloc/as.h>
#include <libloc/database.h>
#include <libloc/libloc.h>
#include <libloc/network.h>
}
#include <maxminddb.h>
#include <sys/stat.h>
#include <unbound.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>

#include "core/error.hpp"

namespace zw::infra {

namespace {

using Bytes = std::array<std::uint8_t, 16>;

// Octets a range file may hold once decompressed, and the longest line: a bound for hostile or mistaken input.
constexpr std::uint64_t kMaxRangeFileBytes = 1ULL << 30;
constexpr std::size_t kMaxLine = 4096;

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

std::string bytes_text(const Bytes& b) {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  const bool v4 =
      std::all_of(b.begin(), b.begin() + 10, [](std::uint8_t x) { return x == 0; }) && b[10] == 0xff && b[11] == 0xff;
  if (v4) {
    inet_ntop(AF_INET, b.data() + 12, buf.data(), buf.size());
  } else {
    inet_ntop(AF_INET6, b.data(), buf.data(), buf.size());
  }
  return buf.data();
}

// The prefix length when [first, last] is one CIDR block, else -1 (lengths count IPv4-mapped bits for IPv4).
int cidr_length(const Bytes& first, const Bytes& last) {
  int bit = 0;
  while (bit < 128) {
    const auto byte = static_cast<std::size_t>(bit / 8);
    const auto mask = static_cast<std::uint8_t>(0x80U >> (bit % 8));
    if ((first[byte] & mask) != (last[byte] & mask)) break;
    ++bit;
  }
  for (int b = bit; b < 128; ++b) {
    const auto byte = static_cast<std::size_t>(b / 8);
    const auto mask = static_cast<std::uint8_t>(0x80U >> (b % 8));
    if ((first[byte] & mask) != 0 || (last[byte] & mask) == 0) return -1;
  }
  return bit;
}

std::string range_text(const Bytes& first, const Bytes& last, bool v4) {
  const int len = cidr_length(first, last);
  if (len >= 0) return bytes_text(first) + "/" + std::to_string(v4 ? len - 96 : len);
  return bytes_text(first) + "-" + bytes_text(last);
}

// ---- range files ----------------------------------------------------------------------------------------------

struct Range {
  Bytes first{};
  Bytes last{};
  std::uint32_t asn = 0;
  std::uint32_t org = 0;  // index into orgs
  std::array<char, 2> country{};
};

class RangeSource final : public AddressSource {
 public:
  std::optional<AddressInfo> lookup(const Address& a) const override {
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), a.bytes,
                               [](const Bytes& b, const Range& r) { return b < r.first; });
    // The most specific range that holds the address: overlapping ranges nest, so the nearest few suffice.
    const Range* best = nullptr;
    for (int k = 0; k < 64 && it != ranges_.begin(); ++k) {
      --it;
      if (a.bytes <= it->last && (best == nullptr || it->last < best->last)) best = &*it;
    }
    if (best == nullptr) return std::nullopt;
    AddressInfo info;
    info.asn = best->asn;
    info.org = orgs_[best->org];
    info.network = range_text(best->first, best->last, a.v4);
    if (best->country[0] != 0) info.country = std::string(best->country.data(), 2);
    info.source = name;
    return info;
  }

  void read(const std::string& path);

 private:
  void add(const std::string& file, std::size_t line, std::string_view first, std::string_view last,
           std::string_view asn, std::string_view org, std::string_view country);
  void parse_line(const std::string& file, std::size_t number, std::string_view line);

  std::vector<Range> ranges_;
  std::vector<std::string> orgs_{""};
  std::unordered_map<std::string, std::uint32_t> org_index_{{"", 0}};
};

// Splits a CSV line (RFC 4180 quoting) into fields.
std::vector<std::string> csv_fields(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

std::vector<std::string> tab_fields(std::string_view line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == '\t') {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

std::optional<std::uint32_t> parse_asn(std::string_view s) {
  if (s.size() > 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's')) s.remove_prefix(2);
  // pfx2as: "64496_64497" (several origins) or "64496,64497" (an AS set): the first origin stands for the prefix.
  s = s.substr(0, s.find_first_of("_,"));
  if (s.empty() || s.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 0xffffffffULL) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

void RangeSource::add(const std::string& file, std::size_t line, std::string_view first, std::string_view last,
                      std::string_view asn, std::string_view org, std::string_view country) {
  const auto where = [&] { return file + ":" + std::to_string(line) + ": "; };
  auto f = Address::parse(first);
  auto l = Address::parse(last);
  if (!f || !l || f->v4 != l->v4 || l->bytes < f->bytes) {
    throw Error(where() + "not an address range: '" + std::string(first) + "' to '" + std::string(last) + "'", file,
                line);
  }
  auto n = parse_asn(asn);
  if (!n) throw Error(where() + "not an AS number: '" + std::string(asn) + "'", file, line);
  if (*n == 0) return;  // iptoasn: "Not routed"
  Range r;
  r.first = f->bytes;
  r.last = l->bytes;
  r.asn = *n;
  auto [it, fresh] = org_index_.try_emplace(std::string(org), static_cast<std::uint32_t>(orgs_.size()));
  if (fresh) orgs_.emplace_back(org);
  r.org = it->second;
  if (country.size() == 2 && country != "--" && country != "ZZ") {
    r.country = {country[0], country[1]};
  }
  ranges_.push_back(r);
}

void RangeSource::parse_line(const std::string& file, std::size_t number, std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
  if (line.empty()) return;
  if (line[0] == '#') {
    // "# built=2026-06-17": when the data was made (the file's own time says when it was copied).
    const auto at = line.find("built=");
    if (at != std::string_view::npos) {
      std::string_view date = line.substr(at + 6);
      date = date.substr(0, date.find_first_of(" \t"));
      try {
        built = core::parse_time(date, 0);
      } catch (const Error&) {
        throw Error(file + ":" + std::to_string(number) + ": built= is no date: '" + std::string(date) + "'", file,
                    number);
      }
    }
    return;
  }
  const auto bad = [&](const char* what) {
    throw Error(file + ":" + std::to_string(number) + ": " + what, file, number);
  };
  if (kind == "csv") {
    const auto f = csv_fields(line);
    if (f.size() < 3) bad("expected first,last,asn[,organisation]");
    add(file, number, f[0], f[1], f[2], f.size() > 3 ? f[3] : "", "");
  } else if (kind == "iptoasn") {
    const auto f = tab_fields(line);
    if (f.size() < 3) bad("expected first<TAB>last<TAB>asn[<TAB>country<TAB>description]");
    add(file, number, f[0], f[1], f[2], f.size() > 4 ? f[4] : "", f.size() > 3 ? f[3] : "");
  } else {  // pfx2as: prefix<TAB>length<TAB>asn
    const auto f = tab_fields(line);
    if (f.size() < 3) bad("expected prefix<TAB>length<TAB>asn");
    auto base = Address::parse(f[0]);
    char* end = nullptr;
    errno = 0;
    const long len = std::strtol(f[1].c_str(), &end, 10);
    const int max = base && base->v4 ? 32 : 128;
    if (!base || errno != 0 || end == f[1].c_str() || *end != 0 || len < 0 || len > max) bad("not a prefix");
    Bytes first = base->bytes;
    Bytes last = base->bytes;
    const int offset = base->v4 ? 96 : 0;
    for (int b = offset + static_cast<int>(len); b < 128; ++b) {
      const auto byte = static_cast<std::size_t>(b / 8);
      const auto mask = static_cast<std::uint8_t>(0x80U >> (b % 8));
      first[byte] = static_cast<std::uint8_t>(first[byte] & ~mask);
      last[byte] = static_cast<std::uint8_t>(last[byte] | mask);
    }
    Address fa{first, base->v4};
    Address la{last, base->v4};
    add(file, number, fa.text(), la.text(), f[2], "", "");
  }
}

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

void RangeSource::read(const std::string& path) {
  std::unique_ptr<gzFile_s, GzCloser> in(gzopen(path.c_str(), "rb"));
  if (!in) throw Error(path + ": cannot open: " + std::strerror(errno), path);
  std::string buf(kMaxLine + 2, '\0');
  std::uint64_t total = 0;
  std::size_t number = 0;
  while (gzgets(in.get(), buf.data(), static_cast<int>(buf.size())) != nullptr) {
    ++number;
    const std::size_t n = std::strlen(buf.c_str());
    total += n;
    if (total > kMaxRangeFileBytes) throw Error(path + ": larger than 1 GiB once decompressed", path);
    if (n > kMaxLine) throw Error(path + ":" + std::to_string(number) + ": line longer than 4096 octets", path, number);
    parse_line(path, number, std::string_view(buf.data(), n));
  }
  int err = 0;
  const char* msg = gzerror(in.get(), &err);
  if (err != Z_OK && err != Z_STREAM_END) throw Error(path + ": cannot read: " + (msg ? msg : "zlib error"), path);
  if (ranges_.empty()) throw Error(path + ": no address range in the file", path);
  std::sort(ranges_.begin(), ranges_.end(),
            [](const Range& a, const Range& b) { return a.first != b.first ? a.first < b.first : b.last < a.last; });
  entries = ranges_.size();
  if (!built) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) built = static_cast<core::EpochSeconds>(st.st_mtime);
  }
}

// ---- libloc ---------------------------------------------------------------------------------------------------

class LiblocSource final : public AddressSource {
 public:
  explicit LiblocSource(const std::string& path) {
    loc_ctx* ctx = nullptr;
    if (loc_new(&ctx) != 0 || ctx == nullptr) throw Error(path + ": libloc: cannot start", path);
    ctx_.reset(ctx);
    loc_set_log_priority(ctx, 0);  // its messages would go to stderr; failures are reported here
    file_.reset(std::fopen(path.c_str(), "r"));
    if (!file_) throw Error(path + ": cannot open: " + std::strerror(errno), path);
    loc_database* db = nullptr;
    if (loc_database_new(ctx, &db, file_.get()) != 0 || db == nullptr) {
      throw Error(path + ": not a libloc database (location.db)", path);
    }
    db_.reset(db);
    built = static_cast<core::EpochSeconds>(loc_database_created_at(db));
  }

  std::optional<AddressInfo> lookup(const Address& a) const override {
    in6_addr in{};
    std::memcpy(&in, a.bytes.data(), 16);
    // libloc keeps reference counts in its context without atomics: one lookup at a time.
    const std::lock_guard<std::mutex> lock(mutex_);
    loc_network* net = nullptr;
    if (loc_database_lookup(db_.get(), &in, &net) != 0 || net == nullptr) return std::nullopt;
    AddressInfo info;
    info.asn = loc_network_get_asn(net);
    if (const char* s = loc_network_str(net)) info.network = s;
    if (const char* cc = loc_network_get_country_code(net); cc && std::strlen(cc) == 2) info.country = cc;
    info.anycast = loc_network_has_flag(net, LOC_NETWORK_FLAG_ANYCAST) != 0;
    loc_network_unref(net);
    if (info.asn != 0) {
      loc_as* as = nullptr;
      if (loc_database_get_as(db_.get(), &as, info.asn) == 0 && as != nullptr) {
        if (const char* n = loc_as_get_name(as)) info.org = n;
        loc_as_unref(as);
      }
    }
    info.source = name;
    if (info.asn == 0 && info.country.empty()) return std::nullopt;
    return info;
  }

 private:
  struct CtxUnref {
    void operator()(loc_ctx* c) const { loc_unref(c); }
  };
  struct FileClose {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  struct DbUnref {
    void operator()(loc_database* d) const { loc_database_unref(d); }
  };
  // Declared in the order of making: the database goes first, then its file, then the context.
  std::unique_ptr<loc_ctx, CtxUnref> ctx_;
  std::unique_ptr<std::FILE, FileClose> file_;
  std::unique_ptr<loc_database, DbUnref> db_;
  mutable std::mutex mutex_;
};

// ---- MaxMind DB ------------------------------------------------------------------------------------------------

/// A MaxMind-format database (libmaxminddb): the GeoLite2-ASN schema (autonomous_system_number,
/// autonomous_system_organization) and the Country/City schemas (country.iso_code, traits.is_anycast), or both.
class MmdbSource final : public AddressSource {
 public:
  explicit MmdbSource(const std::string& path) {
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db_);
    if (status != MMDB_SUCCESS) {
      throw Error(path + ": not a MaxMind DB file: " + MMDB_strerror(status) +
                      (status == MMDB_IO_ERROR ? std::string(": ") + std::strerror(errno) : std::string()),
                  path);
    }
    open_ = true;
    built = static_cast<core::EpochSeconds>(db_.metadata.build_epoch);
    v6_tree_ = db_.metadata.ip_version == 6;
  }
  ~MmdbSource() override {
    if (open_) MMDB_close(&db_);
  }
  MmdbSource(const MmdbSource&) = delete;
  MmdbSource& operator=(const MmdbSource&) = delete;

  std::optional<AddressInfo> lookup(const Address& a) const override {
    sockaddr_storage ss{};
    if (a.v4) {
      auto& in = reinterpret_cast<sockaddr_in&>(ss);
      in.sin_family = AF_INET;
      std::memcpy(&in.sin_addr, a.bytes.data() + 12, 4);
    } else {
      auto& in6 = reinterpret_cast<sockaddr_in6&>(ss);
      in6.sin6_family = AF_INET6;
      std::memcpy(&in6.sin6_addr, a.bytes.data(), 16);
    }
    int err = 0;
    // MMDB_lookup_sockaddr reads the database only (mmap mode): safe from several threads.
    MMDB_lookup_result_s r =
        MMDB_lookup_sockaddr(const_cast<MMDB_s*>(&db_), reinterpret_cast<const sockaddr*>(&ss), &err);
    if (err != MMDB_SUCCESS || !r.found_entry) return std::nullopt;
    AddressInfo info;
    MMDB_entry_data_s d{};
    if (MMDB_get_value(&r.entry, &d, "autonomous_system_number", nullptr) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_UINT32) {
      info.asn = d.uint32;
    }
    if (MMDB_get_value(&r.entry, &d, "autonomous_system_organization", nullptr) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_UTF8_STRING) {
      info.org.assign(d.utf8_string, d.data_size);
    }
    if (MMDB_get_value(&r.entry, &d, "country", "iso_code", nullptr) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_UTF8_STRING && d.data_size == 2) {
      info.country.assign(d.utf8_string, 2);
    }
    if (MMDB_get_value(&r.entry, &d, "traits", "is_anycast", nullptr) == MMDB_SUCCESS && d.has_data &&
        d.type == MMDB_DATA_TYPE_BOOLEAN) {
      info.anycast = d.boolean;
    }
    // The netmask counts the bits of the tree: an IPv4 address in an IPv6 tree sits 96 bits down.
    const int bits = a.v4 && v6_tree_ ? r.netmask - 96 : r.netmask;
    if (bits >= 0) {
      Bytes net = a.bytes;
      const int total = a.v4 ? 96 + bits : bits;
      for (int b = total; b < 128; ++b) {
        const auto byte = static_cast<std::size_t>(b / 8);
        net[byte] = static_cast<std::uint8_t>(net[byte] & ~(0x80U >> (b % 8)));
      }
      info.network = bytes_text(net) + "/" + std::to_string(bits);
    }
    info.source = name;
    if (info.asn == 0 && info.country.empty()) return std::nullopt;
    return info;
  }

 private:
  MMDB_s db_{};
  bool open_ = false;
  bool v6_tree_ = false;
};

// ---- Team Cymru's DNS interface ---------------------------------------------------------------------------------

/// Team Cymru's IP-to-ASN service over DNS: "<reversed address>.origin.asn.cymru.com TXT" answers
/// "ASN | prefix | CC | registry | date" (IPv6 under origin6), and "AS<asn>.asn.cymru.com TXT" answers
/// "ASN | CC | registry | date | organisation". Asked through libunbound: the system's resolver, or `forwarder`
/// (address[@port]). Answers are cached; a name that does not resolve is an address the source does not cover.
class CymruSource final : public AddressSource {
 public:
  CymruSource(const std::string& base, const std::string& forwarder) : ctx_(ub_ctx_create()) {
    if (!ctx_) throw Error("cymru: libunbound cannot start");
    base4_ = base.empty() ? "origin.asn.cymru.com" : base;
    // origin.asn.cymru.com → origin6.asn.cymru.com and asn.cymru.com.
    const bool origin = base4_.rfind("origin.", 0) == 0;
    base6_ = origin ? "origin6." + base4_.substr(7) : base4_;
    as_base_ = origin ? base4_.substr(7) : base4_;
    // A resolver given may be on this host (127.0.0.1, a local cache): libunbound would not ask it by default.
    if (!forwarder.empty()) ub_ctx_set_option(ctx_.get(), "do-not-query-localhost:", "no");
    const int rc =
        forwarder.empty() ? ub_ctx_resolvconf(ctx_.get(), nullptr) : ub_ctx_set_fwd(ctx_.get(), forwarder.c_str());
    if (rc != 0)
      throw Error("cymru: resolver " + (forwarder.empty() ? "/etc/resolv.conf" : forwarder) + ": " + ub_strerror(rc));
  }

  std::optional<AddressInfo> lookup(const Address& a) const override {
    const std::lock_guard<std::mutex> lock(mutex_);
    auto hit = cache_.find(a.bytes);
    if (hit != cache_.end()) return hit->second;
    std::optional<AddressInfo> info = ask(a);
    cache_.emplace(a.bytes, info);
    return info;
  }

 private:
  struct UbDelete {
    void operator()(ub_ctx* c) const { ub_ctx_delete(c); }
  };

  static std::vector<std::string> fields(const std::string& txt) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= txt.size()) {
      const std::size_t bar = txt.find('|', start);
      std::string f = txt.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      const auto b = f.find_first_not_of(' ');
      const auto e = f.find_last_not_of(' ');
      out.push_back(b == std::string::npos ? std::string() : f.substr(b, e - b + 1));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    return out;
  }

  // The first TXT string of `qname`, or nullopt.
  std::optional<std::string> txt(const std::string& qname) const {
    ub_result* raw = nullptr;
    if (ub_resolve(ctx_.get(), qname.c_str(), 16, 1, &raw) != 0 || raw == nullptr) return std::nullopt;
    std::unique_ptr<ub_result, void (*)(ub_result*)> r(raw, ub_resolve_free);
    if (!r->havedata || r->data[0] == nullptr || r->len[0] < 1) return std::nullopt;
    std::string out;
    for (int at = 0; at < r->len[0];) {  // character-strings, concatenated (RFC 1035 §3.3.14)
      const int n = static_cast<unsigned char>(r->data[0][at]);
      if (at + 1 + n > r->len[0]) break;
      out.append(r->data[0] + at + 1, static_cast<std::size_t>(n));
      at += 1 + n;
    }
    return out;
  }

  std::optional<AddressInfo> ask(const Address& a) const {
    std::string qname;
    if (a.v4) {
      for (int i = 15; i >= 12; --i) qname += std::to_string(a.bytes[static_cast<std::size_t>(i)]) + ".";
      qname += base4_;
    } else {
      static const char* hex = "0123456789abcdef";
      for (int i = 15; i >= 0; --i) {
        const std::uint8_t b = a.bytes[static_cast<std::size_t>(i)];
        qname += std::string(1, hex[b & 0xf]) + "." + std::string(1, hex[b >> 4]) + ".";
      }
      qname += base6_;
    }
    const auto origin = txt(qname);
    if (!origin) return std::nullopt;
    const auto f = fields(*origin);  // ASN | prefix | CC | registry | date
    if (f.empty()) return std::nullopt;
    std::uint32_t asn = 0;
    for (char c : f[0].substr(0, f[0].find(' '))) {
      if (c < '0' || c > '9' || asn > 429496729U) return std::nullopt;
      asn = asn * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (asn == 0) return std::nullopt;
    AddressInfo info;
    info.asn = asn;
    if (f.size() > 1) info.network = f[1];
    if (f.size() > 2 && f[2].size() == 2) info.country = f[2];
    if (auto as = txt("AS" + std::to_string(asn) + "." + as_base_)) {
      const auto g = fields(*as);  // ASN | CC | registry | date | organisation
      if (g.size() > 4) info.org = g[4];
    }
    info.source = name;
    return info;
  }

 private:
  std::unique_ptr<ub_ctx, UbDelete> ctx_;
  std::string base4_, base6_, as_base_;
  mutable std::mutex mutex_;
  mutable std::map<Bytes, std::optional<AddressInfo>> cache_;
};

}  // namespace

std::optional<Address> Address::parse(std::string_view text) {
  const std::string s(text);
  Address a;
  std::array<std::uint8_t, 4> v4{};
  if (inet_pton(AF_INET, s.c_str(), v4.data()) == 1) {
    a.bytes[10] = 0xff;
    a.bytes[11] = 0xff;
    std::copy(v4.begin(), v4.end(), a.bytes.begin() + 12);
    a.v4 = true;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) return a;
  return std::nullopt;
}

std::optional<Address> Address::from_rdata(std::string_view rdata) {
  Address a;
  if (rdata.size() == 4) {
    a.bytes[10] = 0xff;
    a.bytes[11] = 0xff;
    std::memcpy(a.bytes.data() + 12, rdata.data(), 4);
    a.v4 = true;
    return a;
  }
  if (rdata.size() == 16) {
    std::memcpy(a.bytes.data(), rdata.data(), 16);
    return a;
  }
  return std::nullopt;
}

std::string Address::text() const {
  return bytes_text(bytes);
}

bool Address::special() const {
  struct Block {
    Bytes base;
    int length;  // over the 128 bits (IPv4-mapped for IPv4)
  };
  const auto v4block = [](std::uint8_t a, std::uint8_t b, std::uint8_t c, int len) {
    Bytes x{};
    x[10] = 0xff;
    x[11] = 0xff;
    x[12] = a;
    x[13] = b;
    x[14] = c;
    return Block{x, 96 + len};
  };
  const auto v6block = [](std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d, int len) {
    Bytes x{};
    x[0] = a;
    x[1] = b;
    x[2] = c;
    x[3] = d;
    return Block{x, len};
  };
  static const std::vector<Block> blocks = {v4block(0, 0, 0, 8),
                                            v4block(10, 0, 0, 8),
                                            v4block(100, 64, 0, 10),
                                            v4block(127, 0, 0, 8),
                                            v4block(169, 254, 0, 16),
                                            v4block(172, 16, 0, 12),
                                            v4block(192, 0, 0, 24),
                                            v4block(192, 0, 2, 24),
                                            v4block(192, 168, 0, 16),
                                            v4block(198, 18, 0, 15),
                                            v4block(198, 51, 100, 24),
                                            v4block(203, 0, 113, 24),
                                            v4block(240, 0, 0, 4),
                                            v6block(0, 0, 0, 0, 96),
                                            v6block(0xfc, 0, 0, 0, 7),
                                            v6block(0xfe, 0x80, 0, 0, 10),
                                            v6block(0x20, 0x01, 0x0d, 0xb8, 32)};
  for (const Block& b : blocks) {
    bool in = true;
    for (int bit = 0; bit < b.length && in; ++bit) {
      const auto byte = static_cast<std::size_t>(bit / 8);
      const auto mask = static_cast<std::uint8_t>(0x80U >> (bit % 8));
      in = (bytes[byte] & mask) == (b.base[byte] & mask);
    }
    if (in) return true;
  }
  return false;
}

std::string Address::prefix() const {
  Bytes b = bytes;
  const std::size_t keep = v4 ? 15 : 6;  // /24 of the IPv4-mapped address, /48
  std::fill(b.begin() + static_cast<std::ptrdiff_t>(keep), b.end(), std::uint8_t{0});
  return bytes_text(b) + (v4 ? "/24" : "/48");
}

std::unique_ptr<AddressSource> open_source(const std::string& spec) {
  std::string kind;
  std::string path = spec;
  for (const char* k : {"libloc", "csv", "iptoasn", "pfx2as", "mmdb", "cymru"}) {
    const std::string prefix = std::string(k) + ":";
    if (spec == k || spec.rfind(prefix, 0) == 0) {
      kind = k;
      path = spec == k ? std::string() : spec.substr(prefix.size());
    }
  }
  if (kind.empty()) {
    if (ends_with(spec, ".db")) {
      kind = "libloc";
    } else if (ends_with(spec, ".mmdb")) {
      kind = "mmdb";
    } else if (ends_with(spec, ".csv") || ends_with(spec, ".csv.gz")) {
      kind = "csv";
    } else if (ends_with(spec, ".tsv") || ends_with(spec, ".tsv.gz")) {
      kind = "iptoasn";
    } else if (spec.find("pfx2as") != std::string::npos) {
      kind = "pfx2as";
    } else {
      throw Error("--asn-source " + spec +
                  ": say what it is (libloc:FILE, mmdb:FILE, csv:FILE, iptoasn:FILE or pfx2as:FILE), or name it *.db, "
                  "*.mmdb, *.csv, *.tsv or *pfx2as*");
    }
  }
  if (kind == "cymru") {
    // cymru[:BASE][,RESOLVER]: the DNS zone of the service, and a resolver address[@port] to ask instead of the
    // system's.
    const auto comma = path.find(',');
    auto c = std::make_unique<CymruSource>(path.substr(0, comma),
                                           comma == std::string::npos ? std::string() : path.substr(comma + 1));
    c->kind = "cymru";
    c->name = "cymru:" + (path.empty() ? std::string("origin.asn.cymru.com") : path);
    return c;
  }
  if (kind == "libloc" && path.empty()) path = kDefaultLibloc;
  if (path.empty()) throw Error("--asn-source " + spec + ": no file given");
  std::unique_ptr<AddressSource> s;
  if (kind == "libloc") {
    s = std::make_unique<LiblocSource>(path);
  } else if (kind == "mmdb") {
    s = std::make_unique<MmdbSource>(path);
  } else {
    auto r = std::make_unique<RangeSource>();
    r->kind = kind;
    r->read(path);
    s = std::move(r);
  }
  s->kind = kind;
  s->name = kind + ":" + path;
  return s;
}

AddressInfo AddressData::lookup(const Address& a) const {
  AddressInfo out;
  for (const auto& s : sources_) {
    auto info = s->lookup(a);
    if (!info) continue;
    if (out.asn == 0 && info->asn != 0) {
      const std::string country = out.country;
      const bool anycast = out.anycast;
      out = *info;
      if (out.country.empty()) out.country = country;
      out.anycast = out.anycast || anycast;
    } else {
      if (out.country.empty()) out.country = info->country;
      out.anycast = out.anycast || info->anycast;
    }
    if (out.asn != 0 && !out.country.empty()) break;
  }
  return out;
}

}  // namespace zw::infra
