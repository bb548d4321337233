// support.hpp: small helpers shared by the test files (run one check over one zone, a seeded GMP random state).
#pragma once

#include <gmp.h>

#include <vector>

#include "checks/check.hpp"

namespace zw::test {

/// Runs one check over one zone (already analysed) and returns its findings, in the order the check made them.
inline std::vector<Finding> run_check(checks::CheckFn check, const zone::Zone& z, const dnssec::ZoneAnalysis& a,
                                      const checks::Options& options = {}) {
  checks::CheckInput in;
  in.options = options;
  checks::ZoneContext ctx;
  ctx.name = core::name_to_text(z.origin);
  ctx.zone = &z;
  ctx.analysis = &a;
  in.zones.push_back(ctx);
  FindingSink sink;
  check(in, sink);
  return sink.take();
}

/// RAII owner of a GMP random state with a fixed seed.
class GmpRandom {
 public:
  explicit GmpRandom(unsigned long seed) {
    gmp_randinit_default(state_);
    gmp_randseed_ui(state_, seed);
  }
  GmpRandom(const GmpRandom&) = delete;
  GmpRandom& operator=(const GmpRandom&) = delete;
  ~GmpRandom() { gmp_randclear(state_); }
  __gmp_randstate_struct* get() { return state_; }

 private:
  gmp_randstate_t state_;
};

}  // namespace zw::test
