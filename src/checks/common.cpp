// common.cpp: algorithm policy table (RFC 8624, RFC 9904, RFC 9905) and text helpers for the checks.
#include "checks/common.hpp"

namespace zw::checks {

AlgClass algorithm_class(std::uint8_t alg) {
  switch (alg) {
    case 8:
    case 13:
    case 14:
    case 15:
    case 16: return AlgClass::Recommended;
    case 5:
    case 7:
    case 10: return AlgClass::Deprecated;  // RFC 9905 (SHA-1), RFC 8624 §3.1 (RSASHA512 NOT RECOMMENDED)
    case 1:
    case 3:
    case 6:
    case 12: return AlgClass::Prohibited;  // RFC 8624 §3.1: MUST NOT sign
    default: return AlgClass::Unknown;
  }
}

std::string alg_text(std::uint8_t alg) {
  return std::to_string(alg) + " (" + dnssec::algorithm_name(alg) + ")";
}

}  // namespace zw::checks
