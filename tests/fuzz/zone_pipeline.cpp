// zone_pipeline.cpp: fuzz target: the whole `zone` job (load, verify, every check) on one small zone file, at a
// fixed --now, and every report format but svg (which runs Graphviz) written from its run.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "core/error.hpp"
#include "core/thread_pool.hpp"
#include "fuzz_support.hpp"
#include "pipeline/zone_job.hpp"
#include "report/report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool once = [] {
    zw::core::set_worker_count(1);  // one thread: runs compare, and the fuzzer measures this input alone
    return true;
  }();
  static_cast<void>(once);
  const auto file = zw::fuzz::scratch().path() / "fuzz.zone";
  zw::fuzz::write_file(file, zw::fuzz::as_text(data, size));
  zw::pipeline::ZoneJob job;
  job.files = {file.string()};
  job.options.now = zw::fuzz::kNow;
  job.max_input_bytes = std::uint64_t{1} << 20;
  try {
    const zw::report::Run run = zw::pipeline::run_zone_job(job);
    for (const zw::report::Format& format : zw::report::formats()) {
      if (std::string(format.name) == "svg") continue;
      std::ostringstream out;
      format.write(out, run, zw::report::WriteOptions{});
      if (format.exit_status != nullptr) static_cast<void>(format.exit_status(run, zw::report::WriteOptions{}));
    }
  } catch (const zw::Error&) {
  }
  return 0;
}
