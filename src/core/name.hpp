// name.hpp: domain names in uncompressed wire format: parsing, printing, canonical order (RFC 4034 §6.1).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zw::core {

/// A domain name as uncompressed wire-format bytes ("\3www\7example\0"); the root is "\0".
using WireName = std::string;

/// Maximum wire length of a name (RFC 1035 §2.3.4).
inline constexpr std::size_t kMaxNameLength = 255;

/// Parses presentation format (absolute or relative to `origin`, "@" = origin, \DDD and \X escapes).
/// Returns false and sets `error` on malformed input. The result keeps the input's case.
bool parse_name(std::string_view text, std::string_view origin, WireName& out, std::string& error);

/// Presentation format of a wire name, with a trailing dot; special characters escaped.
std::string name_to_text(std::string_view wire);

/// ASCII-lowercases a wire name in place (RFC 4034 §6.2).
void name_to_lower(WireName& wire);
WireName name_lower(std::string_view wire);

/// Number of labels, not counting the root label (RFC 4034 §3.1.3 counts "*" too).
int name_label_count(std::string_view wire);

/// True when the first label is "*".
bool name_is_wildcard(std::string_view wire);

/// True when `name` equals `ancestor` or lies below it (case-insensitive).
bool name_is_subdomain(std::string_view name, std::string_view ancestor);

/// Case-insensitive equality.
bool name_equal(std::string_view a, std::string_view b);

/// Removes the first `n` labels.
std::string_view name_strip_labels(std::string_view wire, int n);

/// Canonical DNS name order (RFC 4034 §6.1): <0, 0, >0. Case-insensitive.
int name_compare(std::string_view a, std::string_view b);

/// Offsets of each label's length byte, left to right (the root label excluded).
std::vector<std::size_t> name_label_offsets(std::string_view wire);

/// Validates a wire name read from RDATA at `pos`; advances `pos` past it. False if truncated/compressed/too long.
bool read_wire_name(std::string_view data, std::size_t& pos, WireName& out);

}  // namespace zw::core
