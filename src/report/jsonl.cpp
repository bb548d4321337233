// jsonl.cpp: JSON Lines: one object per zone, with its findings, so that a large run can be read zone by zone, and
// written zone by zone as the job completes them.
#include "report/report.hpp"

namespace zw::report {

void JsonlStream::complete(const Run& run, std::size_t index) {
  if (index < next_ || index >= run.subjects.size()) return;
  if (index > next_) {
    waiting_.try_emplace(index, subject_json(run, run.subjects[index]));
    return;
  }
  out_ << subject_json(run, run.subjects[index]) << "\n";
  out_.flush();  // a reader at the other end of a pipe gets each zone whole, as soon as it is written
  ++next_;
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first == next_; it = waiting_.erase(it)) {
    out_ << it->second << "\n";
    out_.flush();
    ++next_;
  }
}

void JsonlStream::finish(const Run& run) {
  while (next_ < run.subjects.size()) complete(run, next_);
}

void write_jsonl(std::ostream& out, const Run& run, const WriteOptions& /*opt*/) {
  JsonlStream stream(out);
  stream.finish(run);
}

}  // namespace zw::report
