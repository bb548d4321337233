// catalog.cpp: the catalogue table built from findings.def, and lookups over it.
#include "catalog/catalog.hpp"

#include <algorithm>
#include <array>
#include <cctype>

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

constexpr std::array kEntries{
#define ZW_FINDING(code, area, sev, ede, ref, params, tmpl, why) \
  Entry{Code::code, #code, #area, Severity::sev, ede, ref, params, tmpl, why},
#include "catalog/findings.def"
#undef ZW_FINDING
};

}  // namespace

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
  std::vector<std::string_view> out;
  std::string_view rest = e.params;
  while (!rest.empty()) {
    auto sp = rest.find(' ');
    auto word = rest.substr(0, sp);
    if (!word.empty()) out.push_back(word);
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  return out;
}

}  // namespace zw::catalog
