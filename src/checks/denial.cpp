// denial.cpp: (being written) see check.hpp.
#include "checks/common.hpp"

namespace zw::checks {

void check_denial(const CheckInput& /*in*/, FindingSink& /*sink*/) {}

}  // namespace zw::checks
