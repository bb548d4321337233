// svg.cpp: the chain of trust drawn as SVG by Graphviz's dot(1) from the dot format.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "report/report.hpp"

extern char** environ;

namespace zw::report {
namespace {

/// A temporary file, removed when it goes out of scope.
class TempFile {
 public:
  explicit TempFile(const char* suffix_name) {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/zonewarden-" + suffix_name + ".XXXXXX";
    const int fd = mkstemp(path_.data());
    if (fd < 0) throw Error(std::string("-f svg: cannot create a temporary file: ") + std::strerror(errno));
    close(fd);
  }
  ~TempFile() { std::filesystem::remove(path_, ignored_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::error_code ignored_;
};

// Runs `dot -Tsvg -o OUT IN` (found on PATH), its own output and errors sent to /dev/null; returns its exit status,
// or -1 with errno set when it could not be started.
int run_dot(const std::string& in, const std::string& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::string a0 = "dot", a1 = "-Tsvg", a2 = "-o", a3 = out, a4 = in;
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "dot", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    errno = rc;
    return -1;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace

void write_svg(std::ostream& out, const Run& run, const WriteOptions& opt) {
  TempFile graph("graph");
  TempFile drawing("svg");
  {
    std::ofstream g(graph.path(), std::ios::binary | std::ios::trunc);
    write_dot(g, run, opt);
    g.close();
    if (!g) throw Error(graph.path() + ": cannot write: " + std::strerror(errno ? errno : EIO));
  }
  const int status = run_dot(graph.path(), drawing.path());
  if (status < 0 && errno == ENOENT) {
    throw Error("-f svg: Graphviz's dot is not installed (Debian package graphviz); -f dot writes the graph itself");
  }
  if (status != 0)
    throw Error("-f svg: Graphviz's dot could not draw the graph (exit status " + std::to_string(status) + ")");
  std::ifstream svg(drawing.path(), std::ios::binary);
  std::ostringstream text;
  text << svg.rdbuf();
  out << text.str();
}

}  // namespace zw::report
