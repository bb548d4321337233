// catalog.cpp: the catalogue table built from findings.def, and lookups over it.
#include "catalog/catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

namespace zw {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Info: return "info";
    case Severity::Notice: return "notice";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
    case Severity::Critical: return "critical";
  }
  return "unknown";
}

std::optional<Severity> parse_severity(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (Severity s : {Severity::Info, Severity::Notice, Severity::Warning, Severity::Error, Severity::Critical}) {
    if (severity_name(s) == lower) return s;
  }
  if (lower == "warn") return Severity::Warning;
  return std::nullopt;
}

}  // namespace zw

namespace zw::catalog {
namespace {

// The areas in the order of the manual's sections, each with its section title.
constexpr std::array kAreas{
    Area{"outcome", "OUTCOME"},
    Area{"timing", "SIGNATURE TIMING"},
    Area{"signature", "SIGNATURES AND KEYS"},
    Area{"chain", "CHAIN OF TRUST, DS, CDS"},
    Area{"algorithm", "ALGORITHMS AND KEY MATERIAL"},
    Area{"denial", "AUTHENTICATED DENIAL"},
    Area{"rollover", "ROLLOVERS AND TIMING"},
    Area{"delegation", "DELEGATION AND INFRASTRUCTURE"},
    Area{"keys", "KEY FILES AND INVENTORIES"},
    Area{"input", "INPUT"},
};

// Evaluated while the table is built at compile time: a row whose area has no section, or whose mode is not one of
// zone, live, both, does not compile.
constexpr std::string_view known_area(std::string_view area) {
  for (const Area& a : kAreas) {
    if (a.name == area) return area;
  }
  throw std::logic_error("findings.def: an area without a section in kAreas");
}

constexpr Mode mode_of(std::string_view mode) {
  if (mode == "zone") return Mode::Zone;
  if (mode == "live") return Mode::Live;
  if (mode == "both") return Mode::Both;
  throw std::logic_error("findings.def: mode must be zone, live or both");
}

constexpr std::array kEntries{
#define ZW_FINDING(code, area, mode, sev, ede, ref, params, tmpl, why) \
  Entry{Code::code, #code, known_area(#area), mode_of(#mode), Severity::sev, ede, ref, params, tmpl, why},
#include "catalog/findings.def"
#undef ZW_FINDING
};

// Each row's parameter names, split at compile time, for the per-finding check of require_params().
constexpr std::size_t kMaxParams = 16;

struct ParamList {
  std::array<std::string_view, kMaxParams> names{};
  std::size_t count = 0;
};

constexpr ParamList split_params(std::string_view rest) {
  ParamList out;
  while (!rest.empty()) {
    auto sp = rest.find(' ');
    auto word = rest.substr(0, sp);
    if (!word.empty()) {
      if (out.count == kMaxParams) throw std::logic_error("findings.def: more than kMaxParams params");
      for (std::size_t i = 0; i < out.count; ++i) {
        if (out.names[i] == word) throw std::logic_error("findings.def: a param declared twice");
      }
      out.names[out.count++] = word;
    }
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  return out;
}

constexpr std::array kParams{
#define ZW_FINDING(code, area, mode, sev, ede, ref, params, tmpl, why) split_params(params),
#include "catalog/findings.def"
#undef ZW_FINDING
};

[[noreturn]] void params_rejected(Code code, std::span<const std::pair<std::string, std::string>> params) {
  std::string given;
  for (const auto& p : params) given += (given.empty() ? "" : " ") + p.first;
  const Entry& e = entry(code);
  throw std::logic_error(std::string(e.name) + ": finding params \"" + given + "\" differ from the row's \"" +
                         std::string(e.params) + "\"");
}

}  // namespace

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::Zone: return "zone";
    case Mode::Live: return "live";
    case Mode::Both: return "both";
  }
  return "unknown";
}

std::span<const Area> areas() {
  return kAreas;
}

std::span<const Entry> all() {
  return kEntries;
}

const Entry& entry(Code code) {
  return kEntries[static_cast<std::size_t>(code)];
}

std::string_view name(Code code) {
  return entry(code).name;
}

std::optional<Code> find(std::string_view text) {
  std::string upper(text);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  for (const Entry& e : kEntries) {
    if (e.name == upper) return e.code;
  }
  return std::nullopt;
}

std::vector<std::string_view> param_names(const Entry& e) {
  const ParamList& list = kParams[static_cast<std::size_t>(e.code)];
  return {list.names.begin(), list.names.begin() + static_cast<std::ptrdiff_t>(list.count)};
}

void require_params(Code code, std::span<const std::pair<std::string, std::string>> params) {
  const ParamList& want = kParams[static_cast<std::size_t>(code)];
  if (params.size() != want.count) params_rejected(code, params);
  unsigned seen = 0;
  for (const auto& p : params) {
    std::size_t i = 0;
    while (i < want.count && want.names[i] != p.first) ++i;
    if (i == want.count || (seen >> i & 1U) != 0) params_rejected(code, params);
    seen |= 1U << i;
  }
}

}  // namespace zw::catalog
