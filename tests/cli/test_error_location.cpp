// test_error_location.cpp: the file and line of an error, for the JSON error document.
#include <catch2/catch.hpp>

#include "report/report.hpp"

using zw::report::locate_error;

TEST_CASE("an error's file and line come from zw::Error, else from how its message begins", "[cli][errors]") {
  auto at = locate_error("zones/a.zone:12: bad TTL '1x'");
  CHECK(at.file == "zones/a.zone");
  CHECK(at.line == 12U);
  at = locate_error("/nonexistent/missing.zone: cannot open: No such file or directory");
  CHECK(at.file == "/nonexistent/missing.zone");
  CHECK_FALSE(at.line.has_value());
  at = locate_error("example.ds: no DS records");
  CHECK(at.file == "example.ds");
  at = locate_error("anything at all", "given.zone", 7);
  CHECK(at.file == "given.zone");
  CHECK(at.line == 7U);
  for (const char* not_a_file : {"--ds: needs a value", "help: unknown command 'x' (zone, explain or catalog)",
                                 "invalid time \"yesterday\": use epoch", "out of memory", "no zone file given",
                                 "standard output: write error: No space left on device"}) {
    INFO(not_a_file);
    auto none = locate_error(not_a_file);
    CHECK_FALSE(none.file.has_value());
    CHECK_FALSE(none.line.has_value());
  }
}
