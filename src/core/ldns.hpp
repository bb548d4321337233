// ldns.hpp: the one way to include ldns from C++: ldns/common.h defines bool/true/false as macros unless
// <stdbool.h> came first, and those macros break later standard headers (<optional>, <compare>).
#pragma once

// clang-format off
#include <stdbool.h>  // NOLINT(modernize-deprecated-headers): must precede ldns (see above)
#include <ldns/ldns.h>
// clang-format on
