// rollover_sequences.hpp: the rollover sequences of test-vectors/rollover/: each directory's step files run in name
// order against one fresh --state directory, every version recorded (they replay what was published).
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "pipeline/zone_job.hpp"
#include "vectors/vector_header.hpp"

namespace zw::test {

/// The sequence directories, sorted.
inline std::vector<std::filesystem::path> sequence_dirs() {
  std::vector<std::filesystem::path> out;
  const auto root = std::filesystem::path(ZW_SOURCE_DIR) / "test-vectors" / "rollover";
  if (!std::filesystem::exists(root)) return out;
  for (const auto& e : std::filesystem::directory_iterator(root)) {
    if (e.is_directory()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// A sequence's steps: its zone files with a zw-expect header, in name order.
inline std::vector<std::filesystem::path> sequence_steps(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".zone" && read_header(e.path()).has_expect)
      out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct StepRun {
  Vector step;
  report::Run run;
};

/// Runs a sequence's steps in order against a fresh state directory (removed afterwards).
inline std::vector<StepRun> run_sequence(const std::filesystem::path& dir) {
  static std::atomic<unsigned> counter{0};
  const auto state = std::filesystem::temp_directory_path() /
                     ("zw-sequence-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(state);
  std::vector<StepRun> out;
  for (const auto& p : sequence_steps(dir)) {
    Vector v = read_header(p);
    pipeline::ZoneJob job = job_for(v);
    job.rollover.state_dir = state.string();
    job.rollover.record_always = true;
    out.push_back({v, pipeline::run_zone_job(job)});
  }
  std::filesystem::remove_all(state);
  return out;
}

}  // namespace zw::test
