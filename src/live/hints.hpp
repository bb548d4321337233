// hints.hpp: root hints (the named.root file: the root's NS set and their addresses), where a live walk starts.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace zw::live {

/// The root servers a walk starts from.
struct Hints {
  std::set<std::string> ns;                                ///< NS names of ".", presentation, lower-case
  std::map<std::string, std::set<std::string>> addresses;  ///< their A and AAAA addresses
  std::string text;                                        ///< the hints as read (saved in captures)
};

/// Parses root hints in master-file format (`. 3600000 NS a.root-servers.net.`, A and AAAA records). Throws
/// zw::Error naming `name` and the line on a malformed line, and when no NS of "." with an address remains.
Hints parse_hints(const std::string& text, const std::string& name);

/// Largest root hints file read (IANA's named.root is 3 KiB).
inline constexpr std::uint64_t kMaxHintsBytes = std::uint64_t{1} << 20;

/// Reads (with the shared bounded reader, core/input.hpp) and parses a hints file.
Hints read_hints_file(const std::string& path);

/// Lower-case presentation name helpers shared by the live side: whether `name` is `zone` or below it, the
/// label count, and `name` cut to its last `labels` labels ("www.example." cut to 1 is "example.").
bool name_under(const std::string& name, const std::string& zone);
int label_count(const std::string& name);
std::string last_labels(const std::string& name, int labels);

}  // namespace zw::live
