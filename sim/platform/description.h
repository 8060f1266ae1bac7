// What a platform is, in figures: counts, bandwidths, compute and power. Plain C++, computed from
// the scenario and its Topology; `gwsim platform` prints it (docs/platforms.md documents the JSON
// keys).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/config/scenario.h"
#include "sim/platform/topology.h"

namespace gwsim::platform {

struct Description {
  int64_t accelerators = 0;
  int64_t nodes = 0;
  int64_t hosts = 0;             // SimGrid hosts
  int64_t links = 0;             // SimGrid links (directed)
  std::vector<TierCount> tiers;  // switches and cables per tier
  BytesPerSecond bisection;      // per direction, see Topology::bisection_bandwidth
  std::map<std::string, FlopsPerSecond> peak_flop_rate;  // whole machine, per precision
  Watts idle_power;                                      // IT power of the accelerators when idle
  Watts peak_power;                                      // and at full load
};

Description describe(const config::PlatformSpec& spec, const Topology& topology);

}  // namespace gwsim::platform
