// standalone_runner.cpp: runs a fuzz target without libFuzzer on every file given (directories recursively), so that
// the regression and seed corpora replay in every build, with or without sanitizers.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

/// Whether a file is left out: hidden files (".gitkeep") and the README.md that explains a directory.
bool skipped(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.starts_with('.') || name == "README.md";
}

/// The files under `arg` (itself when it is a file), in name order; false when it does not exist.
bool collect(const fs::path& arg, std::vector<fs::path>& out) {
  std::error_code ec;
  if (fs::is_regular_file(arg, ec)) {
    out.push_back(arg);
    return true;
  }
  if (!fs::is_directory(arg, ec)) return false;
  std::vector<fs::path> found;
  for (fs::recursive_directory_iterator it(arg, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && !skipped(it->path())) found.push_back(it->path());
  }
  if (ec) return false;
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  return true;
}

bool read_whole(const fs::path& p, std::vector<std::uint8_t>& data) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
    return 2;
  }
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (!collect(argv[i], files)) {
      std::fprintf(stderr, "%s: cannot read\n", argv[i]);
      return 2;
    }
  }
  std::vector<std::uint8_t> data;
  for (const fs::path& p : files) {
    if (!read_whole(p, data)) {
      std::fprintf(stderr, "%s: cannot read\n", p.c_str());
      return 2;
    }
    std::printf("Running: %s (%zu bytes)\n", p.c_str(), data.size());
    std::fflush(stdout);  // the name is out before a crash in the target
    // An empty vector's data() may be null; a target always gets a valid pointer, as under libFuzzer.
    const std::uint8_t empty = 0;
    LLVMFuzzerTestOneInput(data.empty() ? &empty : data.data(), data.size());
  }
  std::printf("Replayed %zu files\n", files.size());
  return 0;
}
