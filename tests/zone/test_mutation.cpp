// test_mutation.cpp: mutated zone files (flipped bytes, cut lines, truncation) never crash the whole pipeline:
// each run ends in findings or a zw::Error. Run under the dev preset, ASan and UBSan watch every step.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/error.hpp"
#include "pipeline/zone_job.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string mutate(std::string text, std::mt19937& rng) {
  std::uniform_int_distribution<int> kind(0, 5);
  auto pos = [&]() { return std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng); };
  switch (kind(rng)) {
    case 0: text[pos()] = static_cast<char>(std::uniform_int_distribution<int>(1, 255)(rng)); break;  // byte
    case 1: text.resize(pos()); break;                                                                // truncate
    case 2: {                                                                                         // cut a line
      std::size_t a = text.rfind('\n', pos());
      std::size_t b = text.find('\n', a == std::string::npos ? 0 : a + 1);
      if (a != std::string::npos && b != std::string::npos) text.erase(a, b - a);
      break;
    }
    case 3: {  // duplicate a line elsewhere
      std::size_t a = text.rfind('\n', pos());
      std::size_t b = text.find('\n', a == std::string::npos ? 0 : a + 1);
      if (a != std::string::npos && b != std::string::npos) text.insert(pos(), text.substr(a, b - a));
      break;
    }
    case 4: {  // swap two base64/hex characters inside signatures and keys
      std::size_t p = pos();
      if (std::isalnum(static_cast<unsigned char>(text[p]))) text[p] = text[p] == 'A' ? 'B' : 'A';
      break;
    }
    default: text.insert(pos(), std::string(1, "();\"\\$@*.\t"[std::uniform_int_distribution<int>(0, 9)(rng)])); break;
  }
  return text;
}

}  // namespace

TEST_CASE("mutated vectors end in findings or a clear input error", "[mutation][malformed]") {
  const fs::path root = fs::path(ZW_SOURCE_DIR) / "test-vectors" / "zone";
  const std::vector<std::string> seeds = {
      "clean/clean-rsasha256-nsec3.zone",         "clean/clean-ecdsap256-nsec.zone", "clean/clean-ed448-nsec.zone",
      "signature/signing-key-not-published.zone", "signature/revoked-ksk.zone",      "chain/cds-delete.zone",
      "algorithm/rsa-shared-prime.zone",          "clean/clean-zonemd.zone",
  };
  const fs::path tmp = fs::temp_directory_path() / ("zw-mutation-" + std::to_string(::getpid()) + ".zone");
  std::mt19937 rng(20261123);
  std::size_t errors = 0;
  std::size_t checked = 0;
  for (const std::string& seed : seeds) {
    const std::string original = slurp(root / seed);
    REQUIRE(original.size() > 100);
    for (int i = 0; i < 400; ++i) {
      std::string text = original;
      int rounds = std::uniform_int_distribution<int>(1, 4)(rng);
      for (int r = 0; r < rounds && !text.empty(); ++r) text = mutate(text, rng);
      {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
      }
      zw::pipeline::ZoneJob job;
      job.files = {tmp.string()};
      job.options.now = zw::core::parse_time("2026-01-01T00:00:00Z", 0);
      try {
        auto result = zw::pipeline::run_zone_job(job);
        ++checked;
        for (const auto& f : result.findings) CHECK(!f.zone.empty());
      } catch (const zw::Error& e) {
        ++errors;
        CHECK(std::string(e.what()).find(tmp.filename().string()) != std::string::npos);
      }
    }
  }
  fs::remove(tmp);
  INFO("checked " << checked << ", input errors " << errors);
  CHECK(checked > 100);
  CHECK(errors > 100);
}
