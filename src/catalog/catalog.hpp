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

/// One value of a code's closed `detail` set (a ZW_DETAIL row).
struct Detail {
  Code code;
  std::string_view token;  ///< kebab-case, what a finding's `detail` param carries
  std::string_view text;   ///< what "{detail}" renders to; may use "{param}" placeholders of the code's row
};

/// A condition under which a finding of a code takes another severity than the row's (a ZW_SEVERITY_WHEN row).
struct Condition {
  Code code;
  Severity severity;
  std::string_view token;  ///< kebab-case, unique per code
  std::string_view text;   ///< the condition, e.g. "both keys make valid signatures"
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

/// The detail tokens of a code, in table order (empty unless the row declares a `detail` param).
std::span<const Detail> details(Code code);
/// A code's detail of that token, or null when the catalogue declares none.
const Detail* find_detail(Code code, std::string_view token);
/// The params a detail's text uses, in the row's order. Params used only by detail texts are carried exactly by the
/// findings whose token's text uses them; every other param of the row by every finding.
std::vector<std::string_view> detail_params(const Detail& d);
/// The severity conditions of a code, in table order.
std::span<const Condition> conditions(Code code);

/// A catalogue condition as a check names it: default-constructed, the row's severity; otherwise a ZW_SEVERITY_WHEN
/// row of the code. Checks never pass a severity of their own (DESIGN.md §2).
class When {
 public:
  /// The row's default severity.
  constexpr When() = default;
  /// The condition `token` of `code`; throws std::logic_error unless findings.def declares it.
  When(Code code, std::string_view token);

  /// The condition's row, or null for the row's default.
  const Condition* condition() const { return cond_; }
  /// The severity a finding of `code` takes under this condition; throws std::logic_error when the condition belongs
  /// to another code.
  Severity severity_for(Code code) const;

 private:
  const Condition* cond_ = nullptr;
};

/// Throws std::logic_error unless the parameter names of a finding of `code` are exactly its row's, in any order
/// (none missing, extra, misspelt or repeated). Compares against lists split at compile time: cheap per finding.
/// For a code with detail tokens, the `detail` value must be one of them, and the params only detail texts use must
/// be exactly those of that token's text.
void require_params(Code code, std::span<const std::pair<std::string, std::string>> params);

}  // namespace zw::catalog
