// test_output.cpp: --output FILE: the report written atomically in every format, an existing file replaced whole,
// and a failed run leaving no partial file.
#include <catch2/catch.hpp>
#include <filesystem>

#include "report/report.hpp"
#include "report/report_support.hpp"

using namespace zw::test;
namespace fs = std::filesystem;

namespace {

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

}  // namespace

TEST_CASE("the output option writes exactly what standard output would get in every format", "[report][output]") {
  Scratch dir("output");
  for (const zw::report::Format& f : zw::report::formats()) {
    INFO(f.name);
    const std::string file = dir.path(std::string("report.") + f.name).string();
    const std::string args = std::string("zone -f ") + f.name + " " + kExpired + " " + kEr;
    Run to_file = run_zw(args + " --output " + file);
    Run to_stdout = run_zw(args);
    CHECK(to_file.status == to_stdout.status);
    CHECK(to_file.out.empty());
    CHECK(slurp(file) == to_stdout.out);
    CHECK(!to_stdout.out.empty());
  }
  CHECK(files_in(dir.path("")) == zw::report::formats().size());  // no temporary file left behind
}

TEST_CASE("the output option replaces an existing file whole and a failed run leaves it as it was",
          "[report][output]") {
  Scratch dir("output-replace");
  const std::string file = dir.put("status.prom", std::string(100000, 'x') + "\n");
  Run ok = run_zw("zone -f prometheus " + kExpired + " " + kEr + " --output " + file);
  CHECK(ok.status == 2);
  const std::string written = slurp(file);
  CHECK(written.rfind("# HELP ", 0) == 0);
  CHECK(written.find('x' + std::string("xxxx")) == std::string::npos);  // nothing of the old file remains
  CHECK((fs::status(file).permissions() & fs::perms::others_read) != fs::perms::none);

  // Failures before the report: a malformed option, a missing trust anchor. The file stays as it was.
  Run usage = run_zw("zone -f prometheus --now yesterday " + kEr + " --output " + file);
  CHECK(usage.status == 3);
  Run anchor = run_zw("zone -f prometheus -k /nonexistent/anchor " + kEr + " --output " + file);
  CHECK(anchor.status == 3);
  CHECK(slurp(file) == written);
  // A directory that cannot take the file: exit 3, nothing created.
  Run nowhere = run_zw("zone -f json " + kEr + " --output /nonexistent/dir/report.json");
  CHECK(nowhere.status == 3);
  CHECK(nowhere.err.find("/nonexistent/dir/report.json") != std::string::npos);
  // The svg writer fails without Graphviz (PATH without dot): the old file survives, no temporary file remains.
  Run svg = shell("PATH=/nonexistent " + std::string(ZW_BINARY) + " zone -f svg " + kEr + " --output " + file);
  CHECK(svg.status == 3);
  CHECK(slurp(file) == written);
  CHECK(files_in(dir.path("")) == 1);
}

TEST_CASE("every format is documented in the FORMATS section of both manual pages and in the README", "[report][man]") {
  const std::string readme = slurp(fs::path(kSrc) / "README.md");
  for (const char* page : {"zonewarden-zone.1", "zonewarden-check.1"}) {
    const std::string text = slurp(fs::path(kSrc) / "man" / page);
    const auto begin = text.find(".SH FORMATS");
    REQUIRE(begin != std::string::npos);
    const std::string section = text.substr(begin, text.find(".SH ", begin + 1) - begin);
    for (const zw::report::Format& f : zw::report::formats()) {
      INFO(page << " FORMATS does not describe " << f.name);
      CHECK(section.find(std::string(".TP\n.B ") + f.name + "\n") != std::string::npos);
      CHECK(readme.find(std::string("`") + f.name + "`") != std::string::npos);
    }
  }
}
