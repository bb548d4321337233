// finding.hpp: a finding (code, severity, subject, parameters, source) and the sink checks write to.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"

namespace zw {

/// One fact about a zone or server, as data (DESIGN.md §1).
struct Finding {
  catalog::Code code{};
  Severity severity = Severity::Info;
  std::string zone;   ///< zone name, presentation format
  std::string owner;  ///< owner name, presentation format (may be empty)
  std::string type;   ///< RR type mnemonic (may be empty)
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> servers;
  std::string file;
  std::uint32_t line = 0;
  std::string_view condition;  ///< the catalogue condition that set the severity (a ZW_SEVERITY_WHEN token), or empty

  /// Value of a parameter, or empty.
  const std::string& param(const std::string& key) const;
};

/// Canonical order: zone, severity (worst first), code, owner (canonical DNS order), type, params, source.
bool finding_less(const Finding& a, const Finding& b);

/// Sorts findings into the order of finding_less, parsing each finding's zone and owner name once (not once per
/// comparison).
void sort_findings(std::vector<Finding>& findings);

/// Collects findings from checks; safe to use from several threads.
class FindingSink {
 public:
  void add(Finding f);
  std::vector<Finding> take();

 private:
  std::mutex mutex_;
  std::vector<Finding> findings_;
};

/// Expands a catalogue message template ({param} placeholders) with a finding's parameters; "{detail}" becomes the
/// text of the finding's detail token, itself expanded (the token as is when the catalogue does not declare it).
std::string render_message(const Finding& f);

/// "1 key", "2 keys", "0 keys": a count and its noun, plural unless the count is one (the noun's plural is the noun
/// plus "s"). Message templates write it as "{param:noun}".
std::string count_noun(std::string_view count, std::string_view noun);
std::string count_noun(std::size_t count, std::string_view noun);

}  // namespace zw
