// lab_support.hpp: the test lab (tests/lab/) for the [live] tests: made and started once per run of the tests (they
// run inside the private network namespace of tests/lab/netns-run), stopped at exit.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "input_support.hpp"
#include "pipeline/check_job.hpp"

namespace zw::test {

/// The [live] tests send packets: only inside the network namespace of tests/lab/netns-run.
inline bool in_netns() {
  const char* v = std::getenv("ZW_IN_NETNS");
  return v != nullptr && std::string(v) == "1";
}

struct Lab {
  ScratchDir dir;
  nlohmann::json manifest;
  bool up = false;

  Lab() {
    const std::string lab = std::string(ZW_SOURCE_DIR) + "/tests/lab/";
    const std::string out = dir.path.string();
    const std::string log = " >" + out + "/lab.log 2>&1";
    // 13 extra zones: 20 clean zones to check at once; every fault scenario.
    up =
        std::system((lab + "make-lab " + out + " --extra 13 --more-faults" + log + " && " + lab + "lab up " + out + log)
                        .c_str()) == 0;
    if (up) manifest = nlohmann::json::parse(std::ifstream(dir.path / "lab.json"));
  }
  ~Lab() {
    if (!up) return;
    const std::string down = std::string(ZW_SOURCE_DIR) + "/tests/lab/lab down " + dir.path.string();
    const int rc = std::system((down + " >/dev/null 2>&1").c_str());
    static_cast<void>(rc);  // the namespace ends the daemons anyway
  }
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  std::string file(const char* key) const { return (dir.path / manifest[key].get<std::string>()).string(); }

  /// The zones of the manifest that are clean (or not).
  std::vector<nlohmann::json> zones(bool clean) const {
    std::vector<nlohmann::json> out;
    for (const auto& z : manifest["zones"]) {
      if (z["clean"].get<bool>() == clean) out.push_back(z);
    }
    return out;
  }

  /// The scenario of every zone, by name.
  std::map<std::string, std::string> scenarios() const {
    std::map<std::string, std::string> out;
    for (const auto& z : manifest["zones"]) out[z["name"].get<std::string>()] = z["scenario"].get<std::string>();
    return out;
  }
};

/// The lab of this run of the tests (one per process: every [live] test shares it).
inline const Lab& lab() {
  static const Lab instance;
  REQUIRE(instance.up);
  return instance;
}

/// A check of NAMES against the lab: its root hints and trust anchor, IPv4, a 1 s timeout, a fixed seed.
inline pipeline::CheckJob lab_job(const Lab& l, std::vector<std::string> names) {
  pipeline::CheckJob job;
  job.names = std::move(names);
  job.root_hints = l.file("root_hints");
  job.anchor_files = {l.file("trust_anchor")};
  job.ipv6 = false;
  job.timeout_seconds = 1;
  job.seed = 2026;
  return job;
}

}  // namespace zw::test
