// jsonl.cpp: JSON Lines: one object per zone, with its findings, so that a large run can be read zone by zone.
#include "report/report.hpp"

namespace zw::report {

void write_jsonl(std::ostream& out, const Run& run, const WriteOptions& /*opt*/) {
  for (const Subject& z : run.subjects) {
    out << subject_json(run, z) << "\n";
    out.flush();  // a reader at the other end of a pipe gets each zone whole, as soon as it is written
  }
}

}  // namespace zw::report
