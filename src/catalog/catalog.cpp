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

constexpr std::array kDetails{
#define ZW_FINDING(code, area, mode, sev, ede, ref, params, tmpl, why)
#define ZW_DETAIL(code, token, text) Detail{Code::code, token, text},
#include "catalog/findings.def"
#undef ZW_DETAIL
#undef ZW_FINDING
};

constexpr std::array kConditions{
#define ZW_FINDING(code, area, mode, sev, ede, ref, params, tmpl, why)
#define ZW_SEVERITY_WHEN(code, sev, token, text) Condition{Code::code, Severity::sev, token, text},
#include "catalog/findings.def"
#undef ZW_SEVERITY_WHEN
#undef ZW_FINDING
};

// The table in the order it is written: which kind of row, of which code. Details and conditions must follow their
// code's row (details first), so that each code's are contiguous and the file reads as one entry per code.
enum class RowKind : std::uint8_t { Finding, Detail, Condition };
struct Row {
  RowKind kind;
  Code code;
};
constexpr std::array kRows{
#define ZW_FINDING(code, area, mode, sev, ede, ref, params, tmpl, why) Row{RowKind::Finding, Code::code},
#define ZW_DETAIL(code, token, text) Row{RowKind::Detail, Code::code},
#define ZW_SEVERITY_WHEN(code, sev, token, text) Row{RowKind::Condition, Code::code},
#include "catalog/findings.def"
#undef ZW_FINDING
#undef ZW_DETAIL
#undef ZW_SEVERITY_WHEN
};

using Mask = std::uint32_t;
static_assert(kMaxParams <= 32);

constexpr std::size_t index_of(Code code) {
  return static_cast<std::size_t>(code);
}

constexpr bool is_kebab(std::string_view token) {
  if (token.empty() || token.front() == '-' || token.back() == '-') return false;
  for (char c : token) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// The params a text's "{name}" / "{name:noun}" placeholders use, as a mask over the row's params. A placeholder that
// names no param of the row does not compile.
constexpr Mask placeholder_mask(std::string_view text, const ParamList& params) {
  Mask m = 0;
  for (auto open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
    auto close = text.find('}', open);
    if (close == std::string_view::npos) throw std::logic_error("findings.def: a '{' without '}'");
    std::string_view key = text.substr(open + 1, close - open - 1);
    key = key.substr(0, key.find(':'));
    std::size_t i = 0;
    while (i < params.count && params.names[i] != key) ++i;
    if (i == params.count) throw std::logic_error("findings.def: a placeholder names an undeclared param");
    m |= Mask{1} << i;
  }
  return m;
}

constexpr std::size_t param_index(const ParamList& params, std::string_view name) {
  for (std::size_t i = 0; i < params.count; ++i) {
    if (params.names[i] == name) return i;
  }
  return kMaxParams;
}

// Per code: where its details and conditions lie in kDetails and kConditions, which params its message template
// uses, and which params only its detail texts use.
struct CodeFacts {
  std::size_t detail_begin = 0, detail_end = 0;
  std::size_t condition_begin = 0, condition_end = 0;
  std::size_t detail_param = kMaxParams;  ///< index of `detail` in the row's params, kMaxParams when none
  Mask all = 0;                           ///< every param of the row
  Mask detail_only = 0;                   ///< params only detail texts use
};

constexpr std::array<CodeFacts, kEntries.size()> code_facts() {
  std::array<CodeFacts, kEntries.size()> out{};
  std::size_t d = 0;
  std::size_t c = 0;
  std::size_t current = kEntries.size();
  bool seen_condition = false;
  for (const Row& row : kRows) {
    const std::size_t i = index_of(row.code);
    if (row.kind == RowKind::Finding) {
      current = i;
      seen_condition = false;
      out[i].detail_begin = out[i].detail_end = d;
      out[i].condition_begin = out[i].condition_end = c;
      continue;
    }
    if (i != current) throw std::logic_error("findings.def: a ZW_DETAIL or ZW_SEVERITY_WHEN not right after its code");
    if (row.kind == RowKind::Detail) {
      if (seen_condition) throw std::logic_error("findings.def: a code's ZW_DETAIL rows come before its conditions");
      out[i].detail_end = ++d;
    } else {
      seen_condition = true;
      out[i].condition_end = ++c;
    }
  }
  for (std::size_t i = 0; i < kEntries.size(); ++i) {
    const ParamList& params = kParams[i];
    CodeFacts& f = out[i];
    f.all = params.count == 32 ? ~Mask{0} : (Mask{1} << params.count) - 1;
    f.detail_param = param_index(params, "detail");
    const bool has_details = f.detail_end > f.detail_begin;
    if (has_details != (f.detail_param != kMaxParams)) {
      throw std::logic_error("findings.def: a code has ZW_DETAIL rows exactly when it declares a detail param");
    }
    const Mask in_template = placeholder_mask(kEntries[i].message, params);
    Mask in_details = 0;
    for (std::size_t k = f.detail_begin; k < f.detail_end; ++k) {
      const Detail& det = kDetails[k];
      if (!is_kebab(det.token)) throw std::logic_error("findings.def: a detail token that is not kebab-case");
      for (std::size_t j = f.detail_begin; j < k; ++j) {
        if (kDetails[j].token == det.token) throw std::logic_error("findings.def: a detail token declared twice");
      }
      if (det.text.empty()) throw std::logic_error("findings.def: a detail without text");
      in_details |= placeholder_mask(det.text, params);
    }
    if (in_details & (Mask{1} << f.detail_param)) throw std::logic_error("findings.def: a detail text uses {detail}");
    f.detail_only = in_details & ~in_template;
    for (std::size_t k = f.condition_begin; k < f.condition_end; ++k) {
      const Condition& cond = kConditions[k];
      if (!is_kebab(cond.token)) throw std::logic_error("findings.def: a condition token that is not kebab-case");
      if (cond.severity == kEntries[i].severity) {
        throw std::logic_error("findings.def: a condition with the row's own severity");
      }
      for (std::size_t j = f.condition_begin; j < k; ++j) {
        if (kConditions[j].token == cond.token) throw std::logic_error("findings.def: a condition declared twice");
      }
    }
  }
  return out;
}

constexpr std::array kFacts = code_facts();

// The params each detail's text uses.
constexpr std::array<Mask, kDetails.size()> detail_masks() {
  std::array<Mask, kDetails.size()> out{};
  for (std::size_t k = 0; k < kDetails.size(); ++k) {
    out[k] = placeholder_mask(kDetails[k].text, kParams[index_of(kDetails[k].code)]);
  }
  return out;
}
constexpr std::array kDetailMasks = detail_masks();

[[noreturn]] void params_rejected(Code code, std::span<const std::pair<std::string, std::string>> params,
                                  std::string_view why = "differ from the row's") {
  std::string given;
  for (const auto& p : params)
    given += (given.empty() ? "" : " ") + p.first + (p.first == "detail" ? "=" + p.second : "");
  const Entry& e = entry(code);
  throw std::logic_error(std::string(e.name) + ": finding params \"" + given + "\" " + std::string(why) + " \"" +
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

std::span<const Detail> details(Code code) {
  const CodeFacts& f = kFacts[index_of(code)];
  return std::span<const Detail>(kDetails).subspan(f.detail_begin, f.detail_end - f.detail_begin);
}

const Detail* find_detail(Code code, std::string_view token) {
  for (const Detail& d : details(code)) {
    if (d.token == token) return &d;
  }
  return nullptr;
}

std::vector<std::string_view> detail_params(const Detail& d) {
  const Mask m = kDetailMasks[static_cast<std::size_t>(&d - kDetails.data())];
  const ParamList& list = kParams[index_of(d.code)];
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < list.count; ++i) {
    if (m & (Mask{1} << i)) out.push_back(list.names[i]);
  }
  return out;
}

std::span<const Condition> conditions(Code code) {
  const CodeFacts& f = kFacts[index_of(code)];
  return std::span<const Condition>(kConditions).subspan(f.condition_begin, f.condition_end - f.condition_begin);
}

When::When(Code code, std::string_view token) {
  for (const Condition& c : conditions(code)) {
    if (c.token == token) cond_ = &c;
  }
  if (!cond_) {
    throw std::logic_error(std::string(name(code)) + ": no severity condition \"" + std::string(token) +
                           "\" in the catalogue");
  }
}

Severity When::severity_for(Code code) const {
  if (!cond_) return entry(code).severity;
  if (cond_->code != code) {
    throw std::logic_error(std::string(name(code)) + ": severity condition \"" + std::string(cond_->token) +
                           "\" belongs to " + std::string(name(cond_->code)));
  }
  return cond_->severity;
}

void require_params(Code code, std::span<const std::pair<std::string, std::string>> params) {
  const ParamList& want = kParams[index_of(code)];
  const CodeFacts& facts = kFacts[index_of(code)];
  if (params.size() > want.count) params_rejected(code, params);
  Mask seen = 0;
  const std::string* detail = nullptr;
  for (const auto& p : params) {
    const std::size_t i = param_index(want, p.first);
    if (i == kMaxParams || (seen >> i & 1U) != 0) params_rejected(code, params);
    seen |= Mask{1} << i;
    if (i == facts.detail_param) detail = &p.second;
  }
  Mask expected = facts.all;
  if (facts.detail_param != kMaxParams) {
    if (!detail) params_rejected(code, params);
    const Detail* d = find_detail(code, *detail);
    if (!d) params_rejected(code, params, "carry a detail token the catalogue does not declare; the row's params are");
    expected = (facts.all & ~facts.detail_only) | kDetailMasks[static_cast<std::size_t>(d - kDetails.data())];
  }
  if (seen != expected) params_rejected(code, params);
}

}  // namespace zw::catalog
