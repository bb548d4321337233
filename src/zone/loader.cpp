// loader.cpp: RFC 1035 §5 master files (and dig AXFR output, gzip) into a ZoneBuilder, RDATA parsed by ldns.
#include "zone/loader.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <new>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/codec.hpp"
#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/handles.hpp"
#include "core/input.hpp"
#include "core/ldns.hpp"
#include "core/parallel.hpp"
#include "zone/rdata.hpp"
#include "zone/rdata_fast.hpp"
#include "zone/rdata_native.hpp"
#include "zone/scanner.hpp"

namespace zw::zone {
namespace {

using namespace std::string_view_literals;

// Guards the recursion even when a caller asks for an absurd max_include_depth.
constexpr int kHardIncludeLimit = 64;
constexpr std::size_t kReadChunk = std::size_t{1} << 20;
constexpr std::size_t kMaxRdataText = LDNS_MAX_PACKETLEN - 1;  // ldns silently truncates longer RDATA text
// Stands in for the origin while none is known, so that ldns's relative names can be detected afterwards.
constexpr std::string_view kUnknownOrigin = "\x16zw-unknown-origin-7f3e\0"sv;

using core::errno_text;
using core::InputError;
using core::TextBuffer;

std::string ldns_error(ldns_status status) {
  const char* s = ldns_get_errorstr_by_id(status);
  return s ? s : "ldns error " + std::to_string(static_cast<int>(status));
}

// Whether ldns reads a CERT certificate type field (its first, which ldns parses as LDNS_RDF_TYPE_CERT_ALG) as the
// number 0, which it refuses (LDNS_STATUS_CERT_BAD_ALGORITHM) but only after allocating the value, which it then leaks
// (ldns 1.8.3 ldns_str2rdf_cert_alg): numbers that are 0 modulo 65536 ("0", "65536", "-0"), and the empty text.
// Mnemonics ("PKIX") are never numbers.
bool ldns_cert_type_zero(std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const long value = std::strtol(copy.c_str(), &end, 10);
  return *end == '\0' && static_cast<std::uint16_t>(value) == 0;
}

// A token or directive argument for an error message: quoted, shortened.
std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...' (" + std::to_string(text.size()) + " characters)";
}

unsigned char ascii_lower(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + ('a' - 'A')) : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(static_cast<unsigned char>(a[i])) != ascii_lower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

using core::is_digit;

// A decimal number of 1..5 digits not above 65535.
std::optional<std::uint16_t> parse_u16(std::string_view s) {
  auto v = core::parse_decimal(s, 65535, 5);
  return v ? std::optional<std::uint16_t>(static_cast<std::uint16_t>(*v)) : std::nullopt;
}

// A TTL: seconds, or BIND units ("1h30m", "1d", "2W"); at most 2^32-1.
std::optional<std::uint32_t> parse_ttl(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t total = 0;
  std::uint64_t cur = 0;
  bool digits = false;
  for (char c : s) {
    if (is_digit(c)) {
      cur = cur * 10 + static_cast<std::uint64_t>(c - '0');
      digits = true;
      if (cur > UINT32_MAX) return std::nullopt;
      continue;
    }
    if (!digits) return std::nullopt;
    std::uint64_t unit = 0;
    switch (ascii_lower(static_cast<unsigned char>(c))) {
      case 's': unit = 1; break;
      case 'm': unit = 60; break;
      case 'h': unit = 3600; break;
      case 'd': unit = 86400; break;
      case 'w': unit = 604800; break;
      default: return std::nullopt;
    }
    total += cur * unit;
    if (total > UINT32_MAX) return std::nullopt;
    cur = 0;
    digits = false;
  }
  total += cur;
  if (total > UINT32_MAX) return std::nullopt;
  return static_cast<std::uint32_t>(total);
}

std::optional<std::uint16_t> parse_class(std::string_view s) {
  if (s.empty() || is_digit(s[0])) return std::nullopt;
  if (iequals(s, "IN")) return std::uint16_t{1};
  if (iequals(s, "CS")) return std::uint16_t{2};
  if (iequals(s, "CH") || iequals(s, "CHAOS")) return std::uint16_t{3};
  if (iequals(s, "HS") || iequals(s, "HESIOD")) return std::uint16_t{4};
  if (istarts_with(s, "CLASS")) return parse_u16(s.substr(5));
  return std::nullopt;
}

std::string class_name(std::uint16_t c) {
  switch (c) {
    case 1: return "IN";
    case 2: return "CS";
    case 3: return "CH";
    case 4: return "HS";
    default: return "CLASS" + std::to_string(c);
  }
}

std::optional<std::uint16_t> parse_type(std::string_view s) {
  if (istarts_with(s, "TYPE")) return parse_u16(s.substr(4));
  const std::uint16_t t = type_from_text(s);
  if (t == 0) return std::nullopt;
  return static_cast<std::uint16_t>(t);
}

// RFC 6895 §3.1: 0 is reserved, OPT is a pseudo-RR, 128-255 are QTYPEs and meta-TYPEs.
bool is_meta_type(std::uint16_t t) {
  return t == 0 || t == LDNS_RR_TYPE_OPT || (t >= 128 && t <= 255);
}

// RFC 4034 §6.2 item 3: domain names in the RDATA of these types are lowercased in canonical form. RFC 6840 §5.1
// takes NSEC off the list ("the next domain name field ... is not converted to lowercase").
bool has_canonical_lowercase_names(std::uint16_t type) {
  switch (type) {
    case LDNS_RR_TYPE_NS:
    case LDNS_RR_TYPE_MD:
    case LDNS_RR_TYPE_MF:
    case LDNS_RR_TYPE_CNAME:
    case LDNS_RR_TYPE_SOA:
    case LDNS_RR_TYPE_MB:
    case LDNS_RR_TYPE_MG:
    case LDNS_RR_TYPE_MR:
    case LDNS_RR_TYPE_PTR:
    case LDNS_RR_TYPE_MINFO:
    case LDNS_RR_TYPE_MX:
    case LDNS_RR_TYPE_RP:
    case LDNS_RR_TYPE_AFSDB:
    case LDNS_RR_TYPE_RT:
    case LDNS_RR_TYPE_SIG:
    case LDNS_RR_TYPE_PX:
    case LDNS_RR_TYPE_NXT:
    case LDNS_RR_TYPE_NAPTR:
    case LDNS_RR_TYPE_KX:
    case LDNS_RR_TYPE_SRV:
    case LDNS_RR_TYPE_DNAME:
    case LDNS_RR_TYPE_A6:
    case LDNS_RR_TYPE_RRSIG: return true;
    default: return false;
  }
}

// Presentation text ends in an unescaped '.' (so it does not depend on the origin).
bool is_absolute_text(std::string_view t) {
  if (t.empty() || t.back() != '.') return false;
  std::size_t backslashes = 0;
  for (std::size_t i = t.size() - 1; i > 0 && t[i - 1] == '\\'; --i) ++backslashes;
  return backslashes % 2 == 0;
}

/// What one zone may read: bytes after decompression (the zone file and its $INCLUDEs together) and $INCLUDEs.
struct Budget {
  std::uint64_t limit = 0;
  std::uint64_t used = 0;
  std::size_t includes = 0;
  std::uint64_t left() const { return used >= limit ? 0 : limit - used; }
};

std::string too_large_text(std::uint64_t limit) {
  return "input larger than " + std::to_string(limit >> 20) + " MiB (--max-input-size)";
}

// Reads a whole input (the shared bounded reader: gzip, NUL bytes) within what is left of the zone's budget.
TextBuffer read_within(const core::InputFile& in, const std::string& path, Budget& budget) {
  TextBuffer text = core::read_input(in, path, core::ReadLimits{budget.left(), too_large_text(budget.limit)});
  budget.used += text.size();
  return text;
}

/// A top-level zone file ("-": standard input): mapped (large plain files, so that parts already parsed can leave
/// memory) or read.
class InputText {
 public:
  InputText(const std::string& path, Budget& budget) {
    const bool stdin_input = path == "-";
    const core::InputFile file =
        stdin_input ? core::InputFile::standard_input() : core::InputFile(path, core::InputKinds::streams);
    char magic[2] = {0, 0};
    if (file.regular() && file.size() >= kMapAbove && !stdin_input && ::pread(file.fd(), magic, 2, 0) == 2 &&
        !core::has_gzip_magic(std::string_view(magic, 2))) {
      if (file.size() > budget.left()) throw Error(path + ": " + too_large_text(budget.limit));
      const auto len = static_cast<std::size_t>(file.size());
      void* p = ::mmap(nullptr, len, PROT_READ, MAP_PRIVATE, file.fd(), 0);
      if (p != MAP_FAILED) {
        map_ = p;
        map_len_ = len;
        view_ = std::string_view(static_cast<const char*>(p), len);
        ::madvise(map_, map_len_, MADV_SEQUENTIAL);
        // Binary data in the first block is reported before anything is scanned; the scan finds it anywhere else.
        try {
          core::check_no_nul(path, view_, 0, std::min(len, kReadChunk));
        } catch (...) {
          unmap();
          throw;
        }
        budget.used += len;
        return;
      }
    }
    owned_ = read_within(file, path, budget);
    view_ = owned_.view();
  }
  InputText(const InputText&) = delete;
  InputText& operator=(const InputText&) = delete;
  ~InputText() { unmap(); }

  std::string_view view() const { return view_; }
  /// Lets the pages of [begin, end) go (they are read again from the file if needed).
  void release(std::size_t begin, std::size_t end) const {
    if (!map_) return;
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t b = (begin + page - 1) / page * page;
    const std::size_t e = std::min(end, map_len_) / page * page;
    if (e > b) ::madvise(static_cast<char*>(map_) + b, e - b, MADV_DONTNEED);
  }

 private:
  static constexpr std::uint64_t kMapAbove = std::uint64_t{1} << 20;
  void unmap() {
    if (map_) ::munmap(map_, map_len_);
    map_ = nullptr;
  }
  TextBuffer owned_;
  void* map_ = nullptr;
  std::size_t map_len_ = 0;
  std::string_view view_;
};

/// Files named in SourceRefs: the zone file and its $INCLUDEs, shared by the loaders of one zone's parts, with
/// what the zone may still read.
struct FileRegistry {
  Budget budget;
  std::string include_root;  ///< resolved (realpath); empty until the first $INCLUDE
  std::vector<std::string> files;
  std::unordered_map<std::string, std::uint32_t> index;
  std::uint32_t add(const std::string& path) {
    auto it = index.find(path);
    if (it != index.end()) return it->second;
    files.push_back(path);
    index.emplace(path, static_cast<std::uint32_t>(files.size() - 1));
    return static_cast<std::uint32_t>(files.size() - 1);
  }
};

/// What one record of a master file leaves to the next: RFC 1035 §5.1 origin, owner and TTLs, and the facts the
/// loader keeps about the zone. A part of the file loaded in parallel starts from a guess of this state.
struct State {
  core::WireName origin;  ///< of the top-level file
  core::WireName owner;   ///< of the top-level file
  std::optional<std::uint32_t> dollar_ttl;
  std::optional<std::uint32_t> last_ttl;
  std::optional<std::uint32_t> soa_minimum;
  std::optional<std::uint16_t> zone_class;
  std::string first_class_file;        ///< where zone_class was set: file …
  std::uint32_t first_class_line = 0;  ///< … and line (made absolute when a part loaded in parallel is kept)
  core::WireName first_soa_owner;
  core::WireName first_dollar_origin;
};

// Bits for State fields, to record which a part of the file used and which it set.
enum StateField : unsigned {
  kOrigin = 1,
  kOwner = 2,
  kDollarTtl = 4,
  kLastTtl = 8,
  kSoaMinimum = 16,
  kClass = 32,
  kFirstSoaOwner = 64,
  kFirstDollarOrigin = 128,
};

/// What a transfer's completeness is judged by: the records read (before duplicates are removed), the type and
/// line of the first and last, and every SOA (line, lower-case owner and canonical RDATA).
struct Tally {
  std::uint64_t records = 0;
  std::uint16_t first_type = 0;
  std::uint16_t last_type = 0;
  std::uint32_t last_line = 0;
  std::vector<std::pair<std::uint32_t, std::string>> soas;

  /// Adds the records counted by `next`, which came after ours.
  void append(Tally&& next) {
    if (next.records == 0) return;
    if (records == 0) first_type = next.first_type;
    last_type = next.last_type;
    last_line = next.last_line;
    records += next.records;
    for (auto& soa : next.soas) soas.push_back(std::move(soa));
  }
  /// Adds `offset` to the lines (a part loaded in parallel counts them from its start).
  void shift_lines(std::uint32_t offset) {
    last_line += offset;
    for (auto& soa : soas) soa.first += offset;
  }
};

// Thrown by a speculative part that meets something only a sequential load handles ($INCLUDE).
struct NeedSequential {};

class Loader {
 public:
  Loader(const LoadOptions& options, FileRegistry& files)
      : options_(options), builder_(options.origin), files_(files), wire_(ldns_buffer_new(512)) {
    if (!wire_) throw Error("out of memory");
    st_.origin = options.origin;
  }

  /// Loads the records that start in [begin, end) of the top-level file `text`; `line` is the line at `begin`.
  /// Returns where the scan stopped (see Scanner::stop) and where the first record began.
  std::pair<std::size_t, std::size_t> load(std::string_view text, const std::string& name, std::size_t begin = 0,
                                           std::size_t end = std::string_view::npos, std::uint32_t line = 1) {
    Context ctx;
    ctx.name = name;
    ctx.file = file_index(name);
    ctx.origin = st_.origin;
    ctx.owner = st_.owner;
    Scanner scanner = end == std::string_view::npos ? Scanner(text, name) : Scanner(text, name, begin, end, line);
    run(scanner, ctx);
    st_.origin = ctx.origin;
    st_.owner = ctx.owner;
    stop_line_ = scanner.line();
    first_line_ = scanner.first_line();
    return {scanner.stop(), scanner.first_start()};
  }
  /// Lines of the stop and of the first record of the last load().
  std::uint32_t stop_line() const { return stop_line_; }
  std::uint32_t first_line() const { return first_line_; }

  /// Starts from another loader's state, as a guess (speculative) or as the true state.
  void start_from(const State& state, bool speculative) {
    st_ = state;
    speculative_ = speculative;
    read_ = written_ = 0;
  }
  const State& state() const { return st_; }
  unsigned read_fields() const { return read_; }
  unsigned written_fields() const { return written_; }
  ZoneBuilder& builder() { return builder_; }
  Tally& tally() { return tally_; }

  Zone finish(const std::string& name) && {
    if (options_.origin.empty()) {
      // A dump by named-compilezone starts with "$ORIGIN ." before the SOA, so the SOA owner wins over $ORIGIN.
      if (!st_.first_soa_owner.empty()) {
        builder_.set_origin(st_.first_soa_owner);
      } else if (!st_.first_dollar_origin.empty()) {
        builder_.set_origin(st_.first_dollar_origin);
      } else {
        throw Error(name + ": no origin: give -o/--origin or include the SOA");
      }
    }
    for (const std::string& f : files_.files) builder_.add_file(f);
    return std::move(builder_).finish();
  }

 private:
  struct Context {
    std::string name;        ///< the file as registered
    std::uint32_t file = 0;  ///< index for SourceRef
    core::WireName origin;   ///< current origin for relative names; empty when unknown
    core::WireName owner;    ///< previous owner, for lines starting with white space
    std::string owner_text;  ///< the text `owner` was read from under the current origin (empty: none)
    int depth = 0;           ///< $INCLUDE nesting
  };

  void uses(unsigned fields) { read_ |= fields & ~written_; }
  void sets(unsigned fields) { written_ |= fields; }

  [[noreturn]] static void fail(const Context& ctx, std::uint32_t line, const std::string& why) {
    throw Error(ctx.name + ":" + std::to_string(line) + ": " + why);
  }

  std::uint32_t file_index(const std::string& path) { return files_.add(path); }

  void run(Scanner& scanner, Context& ctx) {
    ScannedRecord rec;
    while (scanner.next(rec)) {
      const Token& first = rec.tokens.front();
      if (!first.quoted && first.text.front() == '$') {
        if (rec.blank_owner) fail(ctx, rec.line, "directive " + shown(first.text) + " must start a line");
        directive(rec, ctx);
      } else {
        record(rec, ctx);
      }
    }
  }

  core::WireName parse_domain(const Token& tok, const core::WireName& origin, const Context& ctx, std::uint32_t line,
                              const char* what) {
    if (tok.quoted) fail(ctx, line, std::string("the ") + what + " cannot be a quoted string");
    if (origin.empty() && !is_absolute_text(tok.text)) {
      fail(ctx, line,
           "relative " + std::string(what) + " " + shown(tok.text) +
               " but no origin: give -o/--origin, $ORIGIN or put the SOA first");
    }
    core::WireName out;
    std::string error;
    if (!core::parse_name(tok.text, origin, out, error)) fail(ctx, line, std::string("bad ") + what + ": " + error);
    return out;
  }

  void directive(const ScannedRecord& rec, Context& ctx) {
    const std::string_view d = rec.tokens.front().text;
    const std::size_t n = rec.tokens.size();
    uses(kOrigin);
    if (iequals(d, "$ORIGIN")) {
      if (n != 2) fail(ctx, rec.line, "$ORIGIN takes exactly one domain name");
      ctx.origin = parse_domain(rec.tokens[1], ctx.origin, ctx, rec.line, "$ORIGIN name");
      ctx.owner_text.clear();
      sets(kOrigin);
      uses(kFirstDollarOrigin);
      if (st_.first_dollar_origin.empty()) {
        st_.first_dollar_origin = ctx.origin;
        sets(kFirstDollarOrigin);
      }
    } else if (iequals(d, "$TTL")) {
      if (n != 2) fail(ctx, rec.line, "$TTL takes exactly one value");
      auto v = rec.tokens[1].quoted ? std::nullopt : parse_ttl(rec.tokens[1].text);
      if (!v) fail(ctx, rec.line, "bad $TTL value " + shown(rec.tokens[1].text));
      st_.dollar_ttl = *v;
      sets(kDollarTtl);
    } else if (iequals(d, "$INCLUDE")) {
      if (n != 2 && n != 3) fail(ctx, rec.line, "$INCLUDE takes a file name and an optional origin");
      include(rec, ctx);
    } else if (iequals(d, "$GENERATE")) {
      fail(ctx, rec.line, "$GENERATE is not supported; expand it first (e.g. with named-compilezone)");
    } else {
      fail(ctx, rec.line, "unknown directive " + shown(d));
    }
  }

  // RFC 1035 §5.1: "a $INCLUDE entry never changes the relative origin of the parent file, regardless of changes
  // to the relative origin made within the included file." $TTL and the last TTL carry across, as in BIND.
  void include(const ScannedRecord& rec, const Context& ctx) {
    if (speculative_) throw NeedSequential{};
    std::string file;
    if (!unescape_token(rec.tokens[1], file) || file.empty() || file.find('\0') != std::string::npos) {
      fail(ctx, rec.line, "bad $INCLUDE file name " + shown(rec.tokens[1].text));
    }
    std::filesystem::path p(file);
    const std::string resolved = p.is_absolute() ? file : (std::filesystem::path(ctx.name).parent_path() / p).string();
    const int limit = std::clamp(options_.max_include_depth, 0, kHardIncludeLimit);
    if (ctx.depth + 1 > limit) fail(ctx, rec.line, "include nesting deeper than " + std::to_string(limit) + " (loop?)");
    if (++files_.budget.includes > options_.max_includes) {
      fail(ctx, rec.line, "more than " + std::to_string(options_.max_includes) + " $INCLUDE files for one zone");
    }
    Context child;
    child.name = resolved;
    child.depth = ctx.depth + 1;
    child.origin =
        rec.tokens.size() == 3 ? parse_domain(rec.tokens[2], ctx.origin, ctx, rec.line, "$INCLUDE origin") : ctx.origin;
    TextBuffer text;
    try {
      text = read_include(resolved, ctx, rec.line);
    } catch (const InputError& e) {
      fail(ctx, rec.line, "cannot open $INCLUDE file '" + resolved + "': " + e.reason);
    }
    child.file = file_index(resolved);
    Scanner scanner(text.view(), child.name);
    run(scanner, child);
  }

  // The directory $INCLUDE files must stay in: --include-root, else the directory of the zone file (the current
  // one for standard input), resolved so that '..' and symbolic links cannot lead out of it.
  const std::string& include_root() {
    if (!files_.include_root.empty()) return files_.include_root;
    std::string root = options_.include_root;
    if (root.empty()) {
      const std::string top = files_.files.empty() ? std::string() : files_.files.front();
      root = top == "-" ? "." : std::filesystem::path(top).parent_path().string();
      if (root.empty()) root = ".";
    }
    std::unique_ptr<char, decltype(&std::free)> real(::realpath(root.c_str(), nullptr), &std::free);
    if (!real) throw Error("cannot resolve the include root '" + root + "' (--include-root): " + errno_text(errno));
    files_.include_root = real.get();
    return files_.include_root;
  }

  // Opens an included file if it resolves below the include root and is a regular file (the shared reader opens
  // without blocking, so that a FIFO cannot hang the load), and reads it within the zone's budget. Refusals name the
  // file, never its content.
  TextBuffer read_include(const std::string& path, const Context& ctx, std::uint32_t line) {
    const std::string& root = include_root();
    std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
    if (!real) throw InputError{errno_text(errno)};
    const std::string_view r(real.get());
    const bool inside = root == "/" || r == root ||
                        (r.size() > root.size() && r.substr(0, root.size()) == root && r[root.size()] == '/');
    if (!inside) {
      fail(ctx, line, "$INCLUDE file '" + path + "' is outside the include root '" + root + "' (see --include-root)");
    }
    return read_within(core::InputFile(real.get(), core::InputKinds::regular), path, files_.budget);
  }

  const ldns_rdf* origin_rdf(std::string_view origin) {
    if (!rdf_origin_ || rdf_origin_wire_ != origin) {
      rdf_origin_.reset(ldns_rdf_new_frm_data(LDNS_RDF_TYPE_DNAME, origin.size(), origin.data()));
      if (!rdf_origin_) throw Error("out of memory");
      rdf_origin_wire_.assign(origin);
    }
    return rdf_origin_.get();
  }

  // RFC 3597 §5: "\# <length> <hex>". Checked here because ldns accepts bad hex and ignores surplus octets.
  void decode_generic(const ScannedRecord& rec, std::size_t first, const Context& ctx) {
    const auto& t = rec.tokens;
    auto len = first + 1 < t.size() && !t[first + 1].quoted ? parse_u16(t[first + 1].text) : std::nullopt;
    if (!len) fail(ctx, rec.line, "RFC 3597 RDATA: a length of 0..65535 must follow \\#");
    generic_.clear();
    int high = -1;
    for (std::size_t i = first + 2; i < t.size(); ++i) {
      for (char c : t[i].text) {
        int v = t[i].quoted ? -1 : core::hex_value(c);
        if (v < 0) fail(ctx, rec.line, "RFC 3597 RDATA: " + shown(t[i].text) + " is not hexadecimal");
        if (high < 0) {
          high = v;
        } else {
          generic_.push_back(static_cast<char>(high * 16 + v));
          high = -1;
        }
      }
    }
    if (high >= 0) fail(ctx, rec.line, "RFC 3597 RDATA: odd number of hex digits");
    if (generic_.size() != *len) {
      fail(ctx, rec.line,
           "RFC 3597 RDATA: " + std::to_string(generic_.size()) + " octets given, " + std::to_string(*len) +
               " declared");
    }
  }

  std::string_view serialise(const ldns_rr* rr, const Context& ctx, std::uint32_t line) {
    ldns_buffer_clear(wire_.get());
    ldns_status st = ldns_rr_rdata2buffer_wire(wire_.get(), rr);
    if (st != LDNS_STATUS_OK) fail(ctx, line, "cannot encode RDATA: " + ldns_error(st));
    std::size_t len = ldns_buffer_position(wire_.get());
    if (len > 65535) fail(ctx, line, "RDATA longer than 65535 octets");
    return {reinterpret_cast<const char*>(ldns_buffer_begin(wire_.get())), len};
  }

  /// What precedes the RDATA of a record: RFC 1035 §5.1 "<domain-name> [<TTL>] [<class>] <type> <RDATA>".
  struct Head {
    std::optional<std::uint32_t> ttl;  ///< as written
    std::uint16_t rclass = 0;          ///< as written, else the zone's
    std::uint16_t type = 0;
    std::size_t rdata = 0;  ///< index of the first RDATA token
    bool generic = false;   ///< RFC 3597 "\# <length> <hex>" RDATA (decoded into generic_)
  };

  void record(const ScannedRecord& rec, Context& ctx) {
    Head h;
    h.rdata = read_owner(rec, ctx);
    std::optional<std::uint16_t> cls;
    h.type = read_ttl_class_type(rec, ctx, h.rdata, h.ttl, cls);
    h.rclass = zone_class(rec, ctx, cls);
    if (h.type == LDNS_RR_TYPE_SOA) soa_owner(ctx);
    bool from_this_soa = false;
    const std::uint32_t rttl = record_ttl(h, from_this_soa);
    const auto& t = rec.tokens;
    h.generic = h.rdata < t.size() && !t[h.rdata].quoted && t[h.rdata].text == "\\#";
    if (h.generic) decode_generic(rec, h.rdata, ctx);
    if (has_native_parser(h.type)) {
      add_native(rec, ctx, h, rttl);
      return;
    }
    if (!h.generic && options_.fast_rdata && add_fast(rec, ctx, h, rttl, from_this_soa)) return;
    add_through_ldns(rec, ctx, h, rttl, from_this_soa);
  }

  // The owner: the previous one for a line that starts with white space; returns the index of the next token.
  std::size_t read_owner(const ScannedRecord& rec, Context& ctx) {
    const Token& first = rec.tokens.front();
    uses(kOrigin | kClass);
    if (rec.blank_owner) {
      uses(kOwner);
      if (ctx.owner.empty()) fail(ctx, rec.line, "the line starts with white space but there is no previous owner");
      return 0;
    }
    if (!first.quoted && !ctx.owner_text.empty() && first.text == ctx.owner_text) {
      // Most files repeat the owner on every line of a name: read once.
      sets(kOwner);
      return 1;
    }
    ctx.owner.clear();
    ctx.owner_text.clear();
    if (first.quoted || !fast_name(first.text, ctx.origin, ctx.owner)) {
      ctx.owner = parse_domain(first, ctx.origin, ctx, rec.line, "owner name");
    } else {
      ctx.owner_text.assign(first.text);
    }
    sets(kOwner);
    return 1;
  }

  // RFC 1035 §5.1: "<domain-name> [<TTL>] [<class>] <type> <RDATA>" or "[<class>] [<TTL>]". Reads from token `i`
  // on and leaves `i` at the first RDATA token; returns the type.
  std::uint16_t read_ttl_class_type(const ScannedRecord& rec, const Context& ctx, std::size_t& i,
                                    std::optional<std::uint32_t>& ttl, std::optional<std::uint16_t>& cls) {
    const auto& t = rec.tokens;
    const std::size_t n = t.size();
    for (; i < n && !t[i].quoted; ++i) {
      if (auto c = parse_class(t[i].text)) {
        if (cls) fail(ctx, rec.line, "two classes in one record");
        cls = c;
      } else if (is_digit(t[i].text.front())) {
        if (ttl) fail(ctx, rec.line, "two TTLs in one record");
        ttl = parse_ttl(t[i].text);
        if (!ttl) fail(ctx, rec.line, "bad TTL " + shown(t[i].text));
      } else {
        break;
      }
    }
    if (i >= n) fail(ctx, rec.line, "missing RR type");
    const auto type = t[i].quoted ? std::nullopt : parse_type(t[i].text);
    if (!type) fail(ctx, rec.line, "unknown RR type " + shown(t[i].text));
    if (is_meta_type(*type)) fail(ctx, rec.line, "type " + shown(t[i].text) + " cannot appear in a zone file");
    ++i;
    return *type;
  }

  // The record's class: as written, else the zone's (IN until one is set). One zone has one class; the first
  // record sets it.
  std::uint16_t zone_class(const ScannedRecord& rec, const Context& ctx, std::optional<std::uint16_t> cls) {
    const std::uint16_t rclass = cls.value_or(st_.zone_class.value_or(LDNS_RR_CLASS_IN));
    if (rclass == 0 || rclass == LDNS_RR_CLASS_NONE || rclass == LDNS_RR_CLASS_ANY) {
      fail(ctx, rec.line, "class " + class_name(rclass) + " cannot appear in a zone file");
    }
    if (st_.zone_class && *st_.zone_class != rclass) {
      fail(ctx, rec.line,
           "class " + class_name(rclass) + " differs from class " + class_name(*st_.zone_class) + " at " +
               st_.first_class_file + ":" + std::to_string(st_.first_class_line) + "; one zone has one class");
    }
    if (!st_.zone_class) {
      sets(kClass);
      st_.zone_class = rclass;
      st_.first_class_file = ctx.name;
      st_.first_class_line = rec.line;
    }
    return rclass;
  }

  // An SOA: the first one's owner is the zone's origin unless -o gives one; without an origin so far, it becomes
  // the origin for relative names.
  void soa_owner(Context& ctx) {
    uses(kFirstSoaOwner);
    if (st_.first_soa_owner.empty()) {
      st_.first_soa_owner = ctx.owner;
      sets(kFirstSoaOwner);
    }
    if (ctx.origin.empty()) {
      ctx.origin = ctx.owner;  // as ldns-read-zone does
      ctx.owner_text.clear();
      sets(kOrigin);
    }
  }

  // RFC 1035 §5.1 and RFC 2308 §4: an omitted TTL is the $TTL, else the last explicit one, else (BIND) the SOA
  // MINIMUM. `from_this_soa`: an SOA with none of those, which takes its own MINIMUM (soa_minimum).
  std::uint32_t record_ttl(const Head& h, bool& from_this_soa) {
    if (!h.ttl) {
      // Only the fields the fallback chain below reaches.
      uses(kDollarTtl);
      if (!st_.dollar_ttl) uses(kLastTtl);
      if (!st_.dollar_ttl && !st_.last_ttl) uses(kSoaMinimum);
    }
    if (h.ttl) {
      st_.last_ttl = *h.ttl;
      sets(kLastTtl);
      return *h.ttl;
    }
    if (st_.dollar_ttl) return *st_.dollar_ttl;
    if (st_.last_ttl) return *st_.last_ttl;
    if (st_.soa_minimum) return *st_.soa_minimum;
    from_this_soa = h.type == LDNS_RR_TYPE_SOA;
    return options_.default_ttl;
  }

  // The first SOA's MINIMUM is the TTL of later records that have no other; an SOA without one takes its own.
  void soa_minimum(std::uint32_t minimum, bool from_this_soa, std::uint32_t& rttl) {
    uses(kSoaMinimum);
    if (!st_.soa_minimum) {
      st_.soa_minimum = minimum;
      sets(kSoaMinimum);
    }
    if (from_this_soa) rttl = minimum;
  }

  // Types parsed natively only (src/zone/rdata_native.hpp), from text or from RFC 3597 RDATA.
  void add_native(const ScannedRecord& rec, const Context& ctx, const Head& h, std::uint32_t rttl) {
    fast_.clear();
    if (h.generic) {
      const std::string why = check_native_wire(h.type, generic_);
      if (!why.empty()) fail(ctx, rec.line, "RFC 3597 RDATA is not valid " + type_name(h.type) + " RDATA: " + why);
      fast_ = generic_;
    } else {
      const std::string why =
          native_rdata(h.type, std::span<const Token>(rec.tokens).subspan(h.rdata), ctx.origin, fast_);
      if (!why.empty()) fail(ctx, rec.line, "cannot parse " + type_name(h.type) + " RDATA: " + why);
    }
    builder_.add(ctx.owner, h.type, h.rclass, rttl, fast_, SourceRef{ctx.file, rec.line});
    count(h.type, ctx.owner, fast_, rec.line);
  }

  // The common types in their common forms (src/zone/rdata_fast.hpp); false leaves the record to ldns.
  bool add_fast(const ScannedRecord& rec, const Context& ctx, const Head& h, std::uint32_t rttl, bool from_this_soa) {
    fast_.clear();
    if (!fast_rdata(h.type, std::span<const Token>(rec.tokens).subspan(h.rdata), ctx.origin, fast_)) return false;
    if (h.type == LDNS_RR_TYPE_SOA) {
      soa_minimum(soa_fields(fast_).value().minimum, from_this_soa, rttl);  // fast_rdata wrote a whole SOA
    }
    builder_.add(ctx.owner, h.type, h.rclass, rttl, fast_, SourceRef{ctx.file, rec.line});
    count(h.type, ctx.owner, fast_, rec.line);
    return true;
  }

  // Every other record: parsed by ldns from a single line of text, its names checked and lower-cased as RFC 4034
  // §6.2 asks.
  void add_through_ldns(const ScannedRecord& rec, const Context& ctx, const Head& h, std::uint32_t rttl,
                        bool from_this_soa) {
    ldns_text(rec, ctx, h, rttl);
    core::LdnsRrPtr rr = ldns_parse(rec, ctx, h, rttl);
    check_rdata_names(rr.get(), rec, ctx);
    if (h.generic && serialise(rr.get(), ctx, rec.line) != generic_) {
      fail(ctx, rec.line, "RFC 3597 RDATA is not valid " + type_name(h.type) + " RDATA");
    }
    if (has_canonical_lowercase_names(h.type)) {
      for (std::size_t k = 0; k < ldns_rr_rd_count(rr.get()); ++k) {
        ldns_rdf* rdf = ldns_rr_rdf(rr.get(), k);
        if (rdf && ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_DNAME) ldns_dname2canonical(rdf);
      }
    }
    if (h.type == LDNS_RR_TYPE_SOA && ldns_rr_rd_count(rr.get()) == 7) {
      soa_minimum(ldns_rdf2native_int32(ldns_rr_rdf(rr.get(), 6)), from_this_soa, rttl);
    }
    const std::string_view rdata = serialise(rr.get(), ctx, rec.line);
    builder_.add(ctx.owner, h.type, h.rclass, rttl, rdata, SourceRef{ctx.file, rec.line});
    count(h.type, ctx.owner, rdata, rec.line);
  }

  // The single-line text for ldns, in line_. The owner is ours; ldns only reads 255 characters of it, so an escaped
  // long owner is replaced by the root (ldns's owner is never used).
  void ldns_text(const ScannedRecord& rec, const Context& ctx, const Head& h, std::uint32_t rttl) {
    const auto& t = rec.tokens;
    const std::string owner_text = core::name_to_text(ctx.owner);
    line_.clear();
    line_ += owner_text.size() <= LDNS_MAX_DOMAINLEN ? std::string_view(owner_text) : "."sv;
    line_ += ' ';
    line_ += std::to_string(rttl);
    line_ += ' ';
    line_ += class_name(h.rclass);
    line_ += " TYPE";
    line_ += std::to_string(h.type);
    const std::size_t rdata_start = line_.size();
    for (std::size_t k = h.rdata; k < t.size(); ++k) {
      line_ += ' ';
      if (h.type == LDNS_RR_TYPE_NSEC3 && !h.generic && k == h.rdata + 4) {
        // RFC 5155 §3.3: the Next Hashed Owner Name is "an unpadded sequence of case-insensitive base32 digits".
        // ldns mis-decodes hashes that are not whole 8-digit groups, so decode it here and give ldns a stand-in.
        next_hash_ = decode_base32hex(t[k].text);
        if (!next_hash_) {
          fail(ctx, rec.line,
               "NSEC3 next hashed owner name is not unpadded base32hex of 1 to 255 octets (RFC 5155 §3.3)");
        }
        line_ += "00000000";
        continue;
      }
      if (h.type == LDNS_RR_TYPE_CERT && !h.generic && k == h.rdata && ldns_cert_type_zero(t[k].text)) {
        fail(ctx, rec.line, "cannot parse CERT RDATA: " + ldns_error(LDNS_STATUS_CERT_BAD_ALGORITHM));
      }
      line_ += t[k].text;
    }
    if (line_.size() - rdata_start > kMaxRdataText) {
      fail(ctx, rec.line, "RDATA text longer than " + std::to_string(kMaxRdataText) + " characters");
    }
  }

  // ldns's record for line_, of the type read, with the NSEC3 next hashed owner decoded by ldns_text put back.
  core::LdnsRrPtr ldns_parse(const ScannedRecord& rec, const Context& ctx, const Head& h, std::uint32_t rttl) {
    const std::string_view origin = ctx.origin.empty() ? kUnknownOrigin : std::string_view(ctx.origin);
    ldns_rr* raw = nullptr;
    ldns_status st = ldns_rr_new_frm_str(&raw, line_.c_str(), rttl, origin_rdf(origin), nullptr);
    core::LdnsRrPtr rr(raw);
    if (st != LDNS_STATUS_OK || !rr) {
      fail(ctx, rec.line,
           "cannot parse " + type_name(h.type) + " RDATA: " + (st != LDNS_STATUS_OK ? ldns_error(st) : "no record"));
    }
    if (ldns_rr_get_type(rr.get()) != h.type) {
      fail(ctx, rec.line, "ldns read the type as " + type_name(static_cast<std::uint16_t>(ldns_rr_get_type(rr.get()))));
    }
    if (h.type == LDNS_RR_TYPE_NSEC3 && !h.generic && next_hash_ && ldns_rr_rd_count(rr.get()) > 4) {
      std::string field(1, static_cast<char>(next_hash_->size()));
      field += *next_hash_;
      ldns_rdf* rdf = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_NSEC3_NEXT_OWNER, field.size(), field.data());
      if (!rdf) throw Error("out of memory");
      ldns_rdf_deep_free(ldns_rr_set_rdf(rr.get(), rdf, 4));
    }
    return rr;
  }

  // Names in ldns's RDATA: at most 255 octets, and not relative when no origin was known.
  void check_rdata_names(const ldns_rr* rr, const ScannedRecord& rec, const Context& ctx) {
    for (std::size_t k = 0; k < ldns_rr_rd_count(rr); ++k) {
      const ldns_rdf* rdf = ldns_rr_rdf(rr, k);
      if (!rdf || ldns_rdf_get_type(rdf) != LDNS_RDF_TYPE_DNAME) continue;
      std::string_view w(reinterpret_cast<const char*>(ldns_rdf_data(rdf)), ldns_rdf_size(rdf));
      std::size_t pos = 0;
      if (!core::read_wire_name(w, pos, scratch_) || pos != w.size()) {
        fail(ctx, rec.line, "domain name in the RDATA is longer than 255 octets or malformed");
      }
      if (ctx.origin.empty() && core::name_is_subdomain(w, kUnknownOrigin)) {
        fail(ctx, rec.line, "relative name in the RDATA but no origin: give -o/--origin, $ORIGIN or put the SOA first");
      }
    }
  }

  void count(std::uint16_t type, std::string_view owner, std::string_view rdata, std::uint32_t line) {
    if (tally_.records++ == 0) tally_.first_type = type;
    tally_.last_type = type;
    tally_.last_line = line;
    if (type != LDNS_RR_TYPE_SOA) return;
    std::string key;
    for (char c : owner) key.push_back(static_cast<char>(ascii_lower(static_cast<unsigned char>(c))));
    key += rdata;
    tally_.soas.emplace_back(line, std::move(key));
  }

  std::optional<std::string> next_hash_;  ///< the NSEC3 next hashed owner of the record being read
  Tally tally_;                           ///< of the records of the last load()
  LoadOptions options_;
  ZoneBuilder builder_;
  FileRegistry& files_;
  State st_;
  unsigned read_ = 0;     ///< State fields used before this part of the text set them
  unsigned written_ = 0;  ///< State fields this part of the text set
  bool speculative_ = false;
  std::uint32_t stop_line_ = 0;
  std::uint32_t first_line_ = 0;
  core::WireName rdf_origin_wire_;
  core::LdnsRdfPtr rdf_origin_;
  core::LdnsBufferPtr wire_;
  core::WireName scratch_;
  std::string line_;
  std::string generic_;
  std::string fast_;
};

// Parallel loading. The text is cut into parts at lines that look like the start of a record; every part is
// loaded on its own, starting from the state the first 64 KiB leave (origin, $TTL, class…). A part is kept when
// the part before it ended exactly where it began (no record spans the cut) and the state it assumed matches, for
// every field it used before setting it, the state the part before it really left; otherwise it is loaded again
// in order from the true state. Signed zones as signers write them keep every part.
constexpr std::size_t kPrefixBytes = std::size_t{64} << 10;

bool same_fields(const State& a, const State& b, unsigned fields) {
  if ((fields & kOrigin) && a.origin != b.origin) return false;
  if ((fields & kOwner) && a.owner != b.owner) return false;
  if ((fields & kDollarTtl) && a.dollar_ttl != b.dollar_ttl) return false;
  if ((fields & kLastTtl) && a.last_ttl != b.last_ttl) return false;
  if ((fields & kSoaMinimum) && a.soa_minimum != b.soa_minimum) return false;
  if ((fields & kClass) && (a.zone_class != b.zone_class || a.first_class_file != b.first_class_file ||
                            a.first_class_line != b.first_class_line)) {
    return false;
  }
  if ((fields & kFirstSoaOwner) && a.first_soa_owner != b.first_soa_owner) return false;
  if ((fields & kFirstDollarOrigin) && a.first_dollar_origin != b.first_dollar_origin) return false;
  return true;
}

// The state after a part that set `written` fields, given the state before it.
State after_part(const State& before, const State& part, unsigned written) {
  State s = before;
  if (written & kOrigin) s.origin = part.origin;
  if (written & kOwner) s.owner = part.owner;
  if (written & kDollarTtl) s.dollar_ttl = part.dollar_ttl;
  if (written & kLastTtl) s.last_ttl = part.last_ttl;
  if (written & kSoaMinimum) s.soa_minimum = part.soa_minimum;
  if (written & kClass) {
    s.zone_class = part.zone_class;
    s.first_class_file = part.first_class_file;
    s.first_class_line = part.first_class_line;
  }
  if (written & kFirstSoaOwner) s.first_soa_owner = part.first_soa_owner;
  if (written & kFirstDollarOrigin) s.first_dollar_origin = part.first_dollar_origin;
  return s;
}

// The start of the first line at or after `pos` that begins with something other than blanks, comments or
// parentheses; `end` when there is none before it.
std::size_t next_cut(std::string_view text, std::size_t pos, std::size_t end) {
  while (pos < end) {
    const void* nl = std::memchr(text.data() + pos, '\n', end - pos);
    if (!nl) return end;
    pos = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
    if (pos >= end) return end;
    const char c = text[pos];
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ';' && c != '(' && c != ')') return pos;
  }
  return end;
}

/// Cuts for guesses that never go back (one per part), each byte read at most once. A search from `from_` that
/// found `found_` found no line that may start a record in between, so every later guess before `found_` cuts there
/// too; a search that found nothing up to the end leaves every later part empty.
class CutSearch {
 public:
  explicit CutSearch(std::string_view text) : text_(text) {}
  std::size_t next(std::size_t guess) {
    if (guess >= from_ && guess < found_) return found_;
    from_ = guess;
    found_ = next_cut(text_, guess, text_.size());
    scanned_ += found_ - guess;
    return found_;
  }
  std::uint64_t scanned() const { return scanned_; }

 private:
  std::string_view text_;
  std::size_t from_ = 0, found_ = 0;
  std::uint64_t scanned_ = 0;
};

struct Part {
  std::size_t begin = 0, end = 0;  ///< records starting in [begin, end)
  std::unique_ptr<Loader> loader;
  std::size_t stop = 0, first = 0;              ///< Scanner::stop and first_start
  std::uint32_t stop_line = 0, first_line = 0;  ///< their lines, relative to the part (line 1 = begin)
  bool failed = false;                          ///< an input error or $INCLUDE: load again in order
  bool nul = false;                             ///< a NUL byte: not a master file
  bool loaded = false;                          ///< loaded already: the prefix that gave the guess
};

Zone load_sequential(std::string_view text, const std::string& path, const LoadOptions& options, const Budget& budget,
                     Tally* tally = nullptr) {
  FileRegistry files;
  files.budget = budget;
  Loader loader(options, files);
  loader.load(text, path);
  if (tally) *tally = std::move(loader.tally());
  return std::move(loader).finish(path);
}

// The records of the first 64 KiB, up to a cut: the state they leave is the guess every part but the first starts
// from. False when they hold an error or a $INCLUDE (the file is then loaded in order, where those are reported).
bool load_prefix(Part& prefix, std::string_view text, const std::string& path, const LoadOptions& options,
                 FileRegistry& files, std::uint64_t& scanned) {
  prefix.loader = std::make_unique<Loader>(options, files);
  try {
    prefix.loader->start_from(prefix.loader->state(), true);
    const std::size_t prefix_end = std::min(kPrefixBytes, options.parallel_part_bytes);
    prefix.end = next_cut(text, prefix_end, text.size());
    scanned += prefix.end - prefix_end;
    std::tie(prefix.stop, prefix.first) = prefix.loader->load(text, path, 0, prefix.end, 1);
    prefix.stop_line = prefix.loader->stop_line();
    prefix.first_line = prefix.loader->first_line();
  } catch (...) {
    return false;
  }
  return true;
}

// The parts: about `count` of them, each ending at a cut (see CutSearch); parts left empty are dropped.
std::vector<Part> cut_parts(std::string_view text, std::size_t count, CutSearch& cuts) {
  std::vector<Part> parts;
  for (std::size_t k = 0, begin = 0; k < count && begin < text.size(); ++k) {
    const std::size_t end = k + 1 == count ? text.size() : cuts.next(text.size() / count * (k + 1));
    if (end <= begin && k + 1 != count) continue;
    Part p;
    p.begin = begin;
    p.end = std::max(end, begin);
    parts.push_back(std::move(p));
    begin = end;
  }
  return parts;
}

// Loads every part on all cores, the first from the initial state and the others from the guess. A part that
// fails is marked (it is loaded again in order); one holding a NUL byte is not loaded at all.
void load_parts(std::vector<Part>& parts, const InputText& input, const std::string& path, const LoadOptions& options,
                FileRegistry& files, const State& initial, const State& guess) {
  const std::string_view text = input.view();
  core::parallel_for(
      parts.size(),
      [&](std::size_t k) {
        Part& p = parts[k];
        // Binary data is reported by the sequential load below (the scanner names the line of the NUL).
        if (std::memchr(text.data() + p.begin, '\0', p.end - p.begin) != nullptr) {
          p.nul = true;
          return;
        }
        if (p.loaded) {
          input.release(p.begin, p.end);
          return;
        }
        p.loader = std::make_unique<Loader>(options, files);
        p.loader->builder().reserve_for_text(p.end - p.begin);
        p.loader->start_from(k == 0 ? initial : guess, true);
        try {
          std::tie(p.stop, p.first) = p.loader->load(text, path, p.begin, p.end, 1);
          p.stop_line = p.loader->stop_line();
          p.first_line = p.loader->first_line();
        } catch (const Error&) {
          p.failed = true;
        } catch (const NeedSequential&) {
          p.failed = true;
        }
        input.release(p.begin, p.end);
      },
      1);
}

// Keeps or reloads the parts in order, carrying the true state and the line offset; returns the state after the
// last. A part is kept when it began where the one before it stopped and the state it assumed matches the true one
// in every field it used before setting it.
State settle_parts(std::vector<Part>& parts, std::string_view text, const std::string& path, const LoadOptions& options,
                   FileRegistry& files, const State& initial, const State& guess) {
  State state = initial;
  std::size_t prev_stop = 0;
  std::uint32_t prev_stop_line = 1;  // absolute line of prev_stop
  for (std::size_t k = 0; k < parts.size(); ++k) {
    Part& p = parts[k];
    const State& assumed = k == 0 ? initial : guess;
    const bool keep =
        !p.failed && p.first == (k == 0 ? p.first : prev_stop) && same_fields(assumed, state, p.loader->read_fields());
    if (keep) {
      // Lines: the part counted from 1 at its begin; its first record is where the previous part stopped.
      const std::uint32_t offset = k == 0 ? 0 : prev_stop_line - p.first_line;  // absolute = relative + offset
      p.loader->builder().shift_lines(offset);
      p.loader->tally().shift_lines(offset);
      state = after_part(state, p.loader->state(), p.loader->written_fields());
      // A class set in this part was set at a line counted from the part's start ($INCLUDE never gets here).
      if (p.loader->written_fields() & kClass) state.first_class_line += offset;
      prev_stop_line = p.stop_line + offset;
      prev_stop = p.stop;
      continue;
    }
    // Load this part again, in order, from where the previous one stopped.
    if (options.stats) {
      ++options.stats->reloaded;
      options.stats->loaded_bytes += std::max(p.end, prev_stop) - prev_stop;
    }
    p.loader = std::make_unique<Loader>(options, files);
    p.loader->start_from(state, false);
    std::tie(p.stop, p.first) = p.loader->load(text, path, prev_stop, std::max(p.end, prev_stop), prev_stop_line);
    state = p.loader->state();
    prev_stop_line = p.loader->stop_line();
    prev_stop = p.stop;
  }
  return state;
}

// The zone: every part's records appended to the first part's, in order.
Zone join_parts(std::vector<Part>& parts, const State& state, const std::string& path, Tally* tally) {
  Loader& first = *parts.front().loader;
  first.start_from(state, false);
  if (tally) {
    *tally = Tally{};
    for (Part& p : parts) tally->append(std::move(p.loader->tally()));
  }
  for (std::size_t k = 1; k < parts.size(); ++k) {
    first.builder().append(std::move(parts[k].loader->builder()));
    parts[k].loader.reset();
  }
  return std::move(first).finish(path);
}

Zone load_parallel(const InputText& input, const std::string& path, const LoadOptions& options, const Budget& budget,
                   Tally* tally) {
  const std::string_view text = input.view();
  FileRegistry files;
  files.budget = budget;
  files.add(path);

  std::uint64_t scanned = 0;  // bytes the cut search read
  Part prefix;
  if (!load_prefix(prefix, text, path, options, files, scanned)) {
    return load_sequential(text, path, options, budget, tally);  // errors and $INCLUDE are reported in order
  }
  const State guess = prefix.loader->state();
  std::uint64_t loaded = prefix.end;  // bytes loaded, twice when loaded twice

  CutSearch cuts(text);
  const std::size_t count =
      std::clamp<std::size_t>(text.size() / options.parallel_part_bytes, 2 * core::worker_count(), 4096);
  std::vector<Part> parts = cut_parts(text, count, cuts);
  // A first part that ends where the prefix ends is the prefix (a file with no cut between): not loaded again.
  if (parts.front().end == prefix.end) {
    parts.front() = std::move(prefix);
    parts.front().loaded = true;
  }
  prefix = Part{};
  for (const Part& p : parts) loaded += p.loaded ? 0 : p.end - p.begin;
  if (options.stats) *options.stats = LoadStats{parts.size(), 0, scanned + cuts.scanned(), loaded};
  const State initial = Loader(options, files).state();
  load_parts(parts, input, path, options, files, initial, guess);
  for (const Part& p : parts) {
    if (p.nul) return load_sequential(text, path, options, budget, tally);
  }
  const State state = settle_parts(parts, text, path, options, files, initial, guess);
  return join_parts(parts, state, path, tally);
}

// dig AXFR output: its first line is dig's banner for an AXFR query ("; <<>> DiG 9.18.28 <<>> example. axfr").
bool is_dig_axfr(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  const std::size_t start = text.find_first_not_of("\r\n");
  if (start == std::string_view::npos || text.substr(start, 10) != "; <<>> DiG") return false;
  std::string_view banner = text.substr(start, text.find('\n', start) - start);
  for (std::size_t i = 0; i + 4 <= banner.size(); ++i) {
    if (iequals(banner.substr(i, 4), "axfr")) return true;
  }
  return false;
}

/// The comment and empty lines after the last record of dig's output, last first, with their offsets.
std::vector<std::pair<std::string_view, std::size_t>> trailer_lines(std::string_view text) {
  std::vector<std::pair<std::string_view, std::size_t>> out;
  std::size_t end = text.size();
  while (end > 0) {
    const std::size_t nl = end >= 2 ? text.rfind('\n', end - 2) : std::string_view::npos;
    const std::size_t begin = nl == std::string_view::npos ? 0 : nl + 1;
    std::string_view line = text.substr(begin, end - begin);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty() && line.front() != ';') break;
    out.emplace_back(line, begin);
    if (begin == 0) break;
    end = begin;
  }
  return out;
}

std::uint32_t line_of(std::string_view text, std::size_t offset) {
  return static_cast<std::uint32_t>(1 +
                                    std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

// dig's own words for a transfer that stopped: reported before anything is loaded.
void check_transfer_trailer(std::string_view text, const std::string& path) {
  for (const auto& [line, at] : trailer_lines(text)) {
    for (std::string_view failure : {"Transfer failed", "communications error", "connection timed out",
                                     "no servers could be reached", "connection refused"}) {
      if (line.find(failure) != std::string_view::npos) {
        throw Error(path + ":" + std::to_string(line_of(text, at)) + ": incomplete transfer: dig reports " +
                    shown(line));
      }
    }
  }
}

// RFC 5936 §2.2: a transfer begins and ends with the zone's SOA; dig's ";; XFR size: N records" counts both. Records
// after dig's closing comments (added by hand, as RFC 8976 Appendix A.4 adds a ZONEMD) are not part of the transfer.
void check_transfer(std::string_view text, const std::string& path, const Tally& tally) {
  const std::string why = path + ": incomplete transfer: ";
  if (tally.records == 0 || tally.first_type != LDNS_RR_TYPE_SOA) {
    throw Error(why + "dig AXFR output that does not start with an SOA record");
  }
  // dig's closing comments: ";; Query time: …" … ";; XFR size: N records …", looked for near the end.
  const std::size_t tail = text.size() > kPrefixBytes ? text.size() - kPrefixBytes : 0;
  const std::string_view end = text.substr(tail);
  std::uint32_t trailer_line = 0;  // 0: none
  std::optional<std::uint64_t> size;
  std::size_t size_at = 0;
  for (std::string_view mark : {"\n;; XFR size: "sv, "\n;; Query time: "sv}) {
    const std::size_t at = end.rfind(mark);
    if (at == std::string_view::npos) continue;
    trailer_line = line_of(text, tail + at + 1);
    if (mark == "\n;; XFR size: "sv) {
      std::uint64_t n = 0;
      std::size_t i = at + mark.size();
      for (; i < end.size() && is_digit(end[i]) && n < (std::uint64_t{1} << 40); ++i) {
        n = n * 10 + static_cast<std::uint64_t>(end[i] - '0');
      }
      if (i > at + mark.size()) size = n;
      size_at = tail + at + 1;
    }
  }
  const bool records_after = trailer_line != 0 && tally.last_line > trailer_line;
  std::vector<const std::pair<std::uint32_t, std::string>*> soas;
  for (const auto& soa : tally.soas) {
    if (trailer_line == 0 || soa.first < trailer_line) soas.push_back(&soa);
  }
  if (soas.size() < 2 || (!records_after && tally.last_type != LDNS_RR_TYPE_SOA)) {
    throw Error(why + "the last record is not the closing SOA (the transfer was cut short)");
  }
  if (soas.back()->second != soas.front()->second) {
    throw Error(why + "the closing SOA differs from the first (the zone changed during the transfer?)");
  }
  if (size && !records_after && *size != tally.records) {
    throw Error(path + ":" + std::to_string(line_of(text, size_at)) + ": incomplete transfer: dig counted " +
                std::to_string(*size) + " records, the file holds " + std::to_string(tally.records));
  }
}

}  // namespace

Zone load_zone_file(const std::string& path, const LoadOptions& options) {
  try {
    std::unique_ptr<InputText> input;
    Budget budget;
    budget.limit = options.max_input_bytes;
    try {
      input = std::make_unique<InputText>(path, budget);
    } catch (const InputError& e) {
      throw Error(path + ": cannot open: " + e.reason);
    }
    const std::string_view text = input->view();
    const bool transfer = is_dig_axfr(text);
    if (transfer) check_transfer_trailer(text, path);
    Tally tally;
    Zone zone = options.parallel && text.size() >= 2 * options.parallel_part_bytes && core::worker_count() > 1
                    ? load_parallel(*input, path, options, budget, &tally)
                    : load_sequential(text, path, options, budget, &tally);
    if (transfer) check_transfer(text, path, tally);
    return zone;
  } catch (const std::bad_alloc&) {
    throw Error(path + ": out of memory while loading");
  }
}

Zone load_zone_text(const std::string& text, const std::string& name, const LoadOptions& options) {
  try {
    Budget budget;
    budget.limit = options.max_input_bytes;
    budget.used = text.size();
    return load_sequential(text, name, options, budget);
  } catch (const std::bad_alloc&) {
    throw Error(name + ": out of memory while loading");
  }
}

}  // namespace zw::zone
