// algorithms.cpp: algorithm mnemonics.
#include "dnssec/algorithms.hpp"

namespace zw::dnssec {

std::string algorithm_name(std::uint8_t algorithm) {
  const std::string_view m = algorithm_facts(algorithm).mnemonic;
  return m.empty() ? "ALG" + std::to_string(algorithm) : std::string(m);
}

}  // namespace zw::dnssec
