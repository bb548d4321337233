// rr_file.hpp: test helper that reads presentation-format RRs (one per line) with ldns into wire-format pieces.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zw::dnssec::test {

/// One RR in canonical form (RFC 4034 §6.2): owner and the listed RDATA names lower-cased, RDATA in wire format.
struct TestRr {
  std::string owner;  ///< wire format, lower case
  std::uint16_t type = 0;
  std::uint16_t rclass = 0;
  std::uint32_t ttl = 0;
  std::string rdata;  ///< wire format, no RDLENGTH
};

/// Parses one RR line ("owner ttl class type rdata"); throws std::runtime_error on a parse error.
TestRr parse_rr_line(const std::string& line);

/// Reads every RR of a file, skipping empty lines and lines starting with ';'.
std::vector<TestRr> read_rr_file(const std::string& path);

}  // namespace zw::dnssec::test
