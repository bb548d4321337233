// vector_header.hpp: the zw-* header of a vector zone file and the zone job it asks for (shared by the one-defect
// vectors and the rollover sequences).
//
// Header lines (DESIGN.md §4):
//   ; zw-vector: description            ; zw-origin: example.          ; zw-now: 2026-01-01T00:00:00Z
//   ; zw-expect: CODE ...                (every listed code must be reported: the defect the vector shows)
//   ; zw-allow: CODE ...                 (codes that may also be reported, below warning)
//   ; zw-forbid: CODE ...                (no listed code may be reported, whatever its severity)
//   ; zw-expect-param: CODE name=value   (some finding of CODE carries the param; repeatable)
//   ; zw-args: --ds FILE -k FILE --previous FILE --keys DIR --max-shrink PCT --min-validity DUR --max-validity DUR
//              --asn-source FILE|none   --no-ds --ds-ttl DUR --propagation DUR --sampled --rfc5011
//              OTHER-ZONE-FILE ...
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/time.hpp"
#include "infra/address_data.hpp"
#include "pipeline/zone_job.hpp"

namespace zw::test {

struct Vector {
  std::filesystem::path path;
  std::string origin;
  std::string now;
  std::set<std::string> expect;
  std::set<std::string> forbid;
  std::set<std::string> allow;
  std::vector<std::pair<std::string, std::string>> expect_params;  ///< (CODE, name=value)
  std::vector<std::string> args;
  bool has_expect = false;
};

inline std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

inline Vector read_header(const std::filesystem::path& p) {
  Vector v;
  v.path = p;
  std::ifstream in(p);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(";", 0) != 0) {
      if (trim(line).empty()) continue;
      break;
    }
    auto pos = line.find("zw-");
    if (pos == std::string::npos) continue;
    auto colon = line.find(':', pos);
    if (colon == std::string::npos) continue;
    std::string key = line.substr(pos, colon - pos);
    std::string value = trim(line.substr(colon + 1));
    std::istringstream words(value);
    std::string w;
    if (key == "zw-origin") v.origin = value;
    if (key == "zw-now") v.now = value;
    if (key == "zw-expect") {
      v.has_expect = true;
      while (words >> w) v.expect.insert(w);
    }
    if (key == "zw-forbid") {
      while (words >> w) v.forbid.insert(w);
    }
    if (key == "zw-allow") {
      while (words >> w) v.allow.insert(w);
    }
    if (key == "zw-expect-param") {
      std::string code, param;
      words >> code >> param;
      v.expect_params.emplace_back(code, param);
    }
    if (key == "zw-args") {
      while (words >> w) v.args.push_back(w);
    }
  }
  return v;
}

/// The zone job a vector's header asks for; files are relative to the vector's directory.
inline pipeline::ZoneJob job_for(const Vector& v) {
  pipeline::ZoneJob job;
  job.files.push_back(v.path.string());
  job.origin = v.origin;
  job.options.now = core::parse_time(v.now.empty() ? "2026-01-01T00:00:00Z" : v.now, 0);
  std::filesystem::path dir = v.path.parent_path();
  std::shared_ptr<infra::AddressData> addresses;
  for (std::size_t i = 0; i < v.args.size(); ++i) {
    const std::string& a = v.args[i];
    auto next = [&]() -> std::string {
      REQUIRE(i + 1 < v.args.size());
      return v.args[++i];
    };
    if (a == "--ds") {
      job.ds_files.push_back((dir / next()).string());
    } else if (a == "-k" || a == "--trust-anchor") {
      job.anchor_files.push_back((dir / next()).string());
    } else if (a == "--previous") {
      job.previous_files.push_back((dir / next()).string());
    } else if (a == "--keys") {
      job.key_dirs.push_back((dir / next()).string());
    } else if (a == "--max-shrink") {
      job.options.max_shrink = std::stod(next()) / 100.0;
    } else if (a == "--min-validity") {
      job.options.min_validity = core::parse_duration(next());
    } else if (a == "--max-validity") {
      job.options.max_validity = core::parse_duration(next());
    } else if (a == "--asn-source") {
      const std::string source = next();
      if (source == "none") continue;
      if (!addresses) addresses = std::make_shared<infra::AddressData>();
      addresses->add(infra::open_source((dir / source).string()));
    } else if (a == "--no-ds") {
      job.rollover.no_ds = true;
    } else if (a == "--ds-ttl") {
      job.rollover.ds_ttl = static_cast<std::uint32_t>(core::parse_duration(next()));
    } else if (a == "--propagation") {
      job.rollover.timing.propagation = core::parse_duration(next());
    } else if (a == "--sampled") {
      job.rollover.timing.sampled = true;
    } else if (a == "--rfc5011") {
      job.rollover.timing.rfc5011 = true;
    } else {
      REQUIRE(a.rfind("-", 0) != 0);  // unknown option in a vector header
      job.files.push_back((dir / a).string());
    }
  }
  if (job.files.size() > 1) job.origin.clear();  // each zone's origin comes from its SOA
  job.addresses = addresses;
  return job;
}

}  // namespace zw::test
