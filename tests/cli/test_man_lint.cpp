// test_man_lint.cpp: every manual page passes `mandoc -Tlint -W warning` without a word.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_run.hpp"

namespace fs = std::filesystem;

TEST_CASE("mandoc -Tlint -W warning finds nothing in the manual pages", "[cli][man][lint]") {
  REQUIRE(std::system("command -v mandoc >/dev/null 2>&1") == 0);  // scripts/setup installs it
  const fs::path out = fs::temp_directory_path() / ("zw-mandoc-" + std::to_string(::getpid()));
  std::size_t pages = 0;
  // The committed pages, and the one the build generates from the catalogue.
  std::vector<fs::directory_entry> entries;
  for (const fs::path& dir : {fs::path(zw::test::kSrc) / "man", fs::path(ZW_BINARY).parent_path() / "man"}) {
    for (const auto& e : fs::directory_iterator(dir)) entries.push_back(e);
  }
  for (const auto& e : entries) {
    const std::string ext = e.path().extension().string();
    if (ext.size() != 2 || ext[1] < '1' || ext[1] > '9') continue;
    ++pages;
    DYNAMIC_SECTION(e.path().filename().string()) {
      std::string cmd = "mandoc -Tlint -W warning '" + e.path().string() + "' >'" + out.string() + "' 2>&1";
      int raw = std::system(cmd.c_str());
      const std::string said = zw::test::slurp(out);
      INFO(said);
      CHECK(said.empty());
      CHECK(WIFEXITED(raw));
      CHECK(WEXITSTATUS(raw) == 0);
    }
  }
  fs::remove(out);
  CHECK(pages >= 3);
}
