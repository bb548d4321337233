// chain_inputs.hpp: where each zone's chain of trust starts: --ds and -k files, and parent zones checked in the same
// run.
#pragma once

#include <string>
#include <vector>

#include "checks/check.hpp"
#include "zone/anchors.hpp"

namespace zw::pipeline {

/// Throws zw::Error naming `file` when none of `records` is a trust anchor a validator can use (fail closed).
void require_usable_anchor(const std::vector<zone::AnchorRecord>& records, const std::string& file);

/// Reads --ds (anchors false) or -k (anchors true) files. A trust-anchor file that yields no usable record is an
/// error (DESIGN.md §6, fail closed).
std::vector<zone::AnchorRecord> read_chain_files(const std::vector<std::string>& files, bool anchors,
                                                 core::EpochSeconds now, const core::WireName& origin);

/// Hands each zone its DS set and trust anchors and links it to its parent zone. Parents are linked first, so that a
/// zone below an insecure delegation is insecure too. `all_loaded`: every zone file was loaded, so a record for none
/// of them is known to serve nothing (an error).
void link_chain_inputs(std::vector<checks::ZoneContext>& zones, const std::vector<zone::AnchorRecord>& ds,
                       const std::vector<zone::AnchorRecord>& anchors, bool all_loaded);

}  // namespace zw::pipeline
