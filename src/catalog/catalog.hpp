// catalog.hpp: finding codes, severities and their catalogue entries, generated from findings.def.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zw {

/// Severity levels, ordered from least to most severe (Zonemaster's meanings).
enum class Severity : std::uint8_t { Info, Notice, Warning, Error, Critical };

/// Lower-case name of a severity ("info" … "critical").
std::string_view severity_name(Severity s);
/// Parses a severity name; empty when unknown.
std::optional<Severity> parse_severity(std::string_view text);

}  // namespace zw

namespace zw::catalog {

/// Every finding code; one enumerator per row of findings.def.
enum class Code : std::uint16_t {
#define ZW_FINDING(code, area, mode, sev, ede, ref, params, tmpl, why) code,
#include "catalog/findings.def"
#undef ZW_FINDING
};

/// Where a code can be reported: from a zone file (offline), only from servers' answers, or both.
enum class Mode : std::uint8_t { Zone, Live, Both };

/// "zone", "live" or "both".
std::string_view mode_name(Mode m);

/// An area of the catalogue: a section of zonewarden-checks(7), with its title.
struct Area {
  std::string_view name;   ///< as written in findings.def, e.g. "timing"
  std::string_view title;  ///< section title, e.g. "SIGNATURE TIMING"
};

/// Every area a row may name, in the order of the manual's sections. A row naming another area does not compile.
std::span<const Area> areas();

/// One catalogue row.
struct Entry {
  Code code;
  std::string_view name;
  std::string_view area;
  Mode mode;
  Severity severity;
  int ede;  ///< RFC 8914 Extended DNS Error code, -1 when none
  std::string_view reference;
  std::string_view params;  ///< space-separated parameter names
  std::string_view message;
  std::string_view rationale;
};

/// All rows in table order.
std::span<const Entry> all();
/// The row of a code.
const Entry& entry(Code code);
/// The code's name, e.g. "RRSIG_EXPIRED".
std::string_view name(Code code);
/// Looks a code up by name (case-insensitive); empty when unknown.
std::optional<Code> find(std::string_view name);
/// Parameter names of a code's row.
std::vector<std::string_view> param_names(const Entry& e);

/// Throws std::logic_error unless the parameter names of a finding of `code` are exactly its row's, in any order
/// (none missing, extra, misspelt or repeated). Compares against lists split at compile time: cheap per finding.
void require_params(Code code, std::span<const std::pair<std::string, std::string>> params);

}  // namespace zw::catalog
