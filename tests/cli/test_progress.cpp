// test_progress.cpp: the progress line on standard error, and the messages and quiet mode of the command line.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>

#include "cli/cli_run.hpp"
#include "report/progress.hpp"

using namespace std::chrono_literals;
using zw::report::Progress;
using zw::test::kSrc;
using zw::test::Run;
using zw::test::run_zw;

TEST_CASE("the progress line appears after its delay, is overwritten in place and cleared at the end",
          "[cli][progress]") {
  std::ostringstream out;
  {
    Progress p(out, true, 0ms, 5ms);
    p.phase("loading a.zone");
    std::this_thread::sleep_for(60ms);
    p.phase("verifying 10 signatures of a.");
    std::this_thread::sleep_for(60ms);
  }
  const std::string s = out.str();
  CHECK(s.find("\rzonewarden: loading a.zone\033[K") != std::string::npos);
  CHECK(s.find("\rzonewarden: verifying 10 signatures of a.\033[K") != std::string::npos);
  CHECK(s.find('\n') == std::string::npos);
  REQUIRE(s.size() >= 4);
  CHECK(s.substr(s.size() - 4) == "\r\033[K");

  std::ostringstream fast;
  {
    Progress p(fast, true, 2000ms, 5ms);
    p.phase("loading a.zone");
  }
  CHECK(fast.str().empty());  // a short run shows nothing

  std::ostringstream off;
  {
    Progress p(off, false, 0ms, 5ms);
    p.phase("loading a.zone");
    std::this_thread::sleep_for(30ms);
  }
  CHECK(off.str().empty());  // not a terminal, or --quiet
}

TEST_CASE("quiet (-q) silences the warnings on standard error, never the errors", "[cli][progress]") {
  const std::string er = kSrc + "/zones/tld/ER.zone";
  const std::string keys = "--keys " + kSrc + "/test-vectors/keys ";
  Run loud = run_zw("zone --now 20241011163831 " + keys + er);
  CHECK(loud.err.find("zonewarden: warning:") != std::string::npos);
  Run quiet = run_zw("zone -q --now 20241011163831 " + keys + er);
  CHECK(quiet.status == loud.status);
  CHECK(quiet.err.empty());
  CHECK(quiet.out == loud.out);
  Run missing = run_zw("zone --quiet /nonexistent/missing.zone");
  CHECK(missing.status == 3);
  CHECK(missing.err.find("zonewarden: error:") != std::string::npos);
}

TEST_CASE("usage messages speak as zonewarden, and help COMMAND prints that command's help", "[cli][messages]") {
  Run unknown = run_zw("frobnicate");
  CHECK(unknown.status == 3);
  CHECK(unknown.err.rfind("zonewarden: error: unknown command 'frobnicate'", 0) == 0);
  Run help = run_zw("help zone");
  CHECK(help.status == 0);
  CHECK(help.out.find("--trust-anchor") != std::string::npos);
  CHECK(run_zw("help").status == 0);
  CHECK(run_zw("help nothing").status == 3);
  for (const char* args : {"", "zone", "zone --no-such-option x.zone", "zone --ds", "zone -f xml x.zone", "explain"}) {
    INFO(args);
    Run r = run_zw(args);
    CHECK(r.status == 3);
    CHECK(r.err.rfind("zonewarden: error: ", 0) == 0);
    CHECK(r.err.find("Run with --help") == std::string::npos);
  }
}

TEST_CASE("on a terminal a slow run shows the progress line, and -q hides it", "[cli][progress][tty]") {
  if (std::system("command -v script >/dev/null 2>&1") != 0) return;  // util-linux's script gives a terminal
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("zw-progress-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path seen = dir / "seen";
  for (const std::string quiet : {"", "-q "}) {
    INFO("options: " << quiet);
    // The zone arrives on standard input after 2.5 s, so the load outlasts the progress line's delay.
    const std::string run = "(sleep 2.5; cat '" + kSrc + "/zones/tld/ER.zone') | " + std::string(ZW_BINARY) + " zone " +
                            quiet + "--now 20241011163831 -o er. - >/dev/null";
    const std::string cmd = "timeout 30 script -qc \"" + run + "\" /dev/null >'" + seen.string() + "' 2>&1";
    CHECK(std::system(cmd.c_str()) == 0);
    const std::string shown = zw::test::slurp(seen);
    if (quiet.empty()) {
      CHECK(shown.find("\rzonewarden: loading -\033[K") != std::string::npos);
      CHECK(shown.find("\r\033[K") != std::string::npos);
    } else {
      CHECK(shown.find("zonewarden:") == std::string::npos);
    }
  }
  fs::remove_all(dir);
}
