// history.cpp: (being written) see check.hpp.
#include "checks/common.hpp"

namespace zw::checks {

void check_history(const CheckInput& /*in*/, FindingSink& /*sink*/) {}

}  // namespace zw::checks
