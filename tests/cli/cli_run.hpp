// cli_run.hpp: runs the zonewarden executable from the CLI tests and captures its exit status and output.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace zw::test {

/// What one run of the executable gave.
struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Runs the zonewarden binary with `args` (a shell-quoted string) and captures its output; `env` is prepended to the
/// command line (e.g. "NO_COLOR=1"), `stdout_to` replaces the capture of standard output (e.g. "/dev/full").
inline Run run_zw(const std::string& args, const std::string& env = "", const std::string& stdout_to = "") {
  static int counter = 0;
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("zw-cli-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path out = dir / ("out" + std::to_string(counter));
  fs::path err = dir / ("err" + std::to_string(counter++));
  std::string cmd = env + " timeout 120 " + std::string(ZW_BINARY) + " " + args + " >" +
                    (stdout_to.empty() ? out.string() : stdout_to) + " 2>" + err.string();
  int raw = std::system(cmd.c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  fs::remove(out);
  fs::remove(err);
  return r;
}

inline const std::string kSrc = ZW_SOURCE_DIR;

}  // namespace zw::test
