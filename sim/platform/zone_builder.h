// Builds the SimGrid resources of a Topology: one host per topology host and one SimGrid link per
// directed link, in one zone of gwsim's own kind whose routes are computed on demand by
// Topology::append_route. Nothing is stored per pair of hosts, so building is linear in size
// (docs/platforms.md has the figures). Include only where the simulation is driven (the run layer);
// everything else uses Topology.
#pragma once

#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "sim/config/scenario.h"
#include "sim/platform/topology.h"

namespace gwsim::platform {

struct BuiltPlatform {
  std::vector<simgrid::s4u::Host*> hosts;  // indexed like the Topology's hosts
};

// Creates the hosts (speed = the accelerator's peak FLOP rate) and links of `topology` as the
// engine's root zone. With `host_energy`, each host gets its power at idle and at full load for
// SimGrid's host energy plugin, which must then be initialised. Call once, before any actor starts.
// The zone keeps its own copy of the topology.
BuiltPlatform build_zones(const Topology& topology, const config::AcceleratorSpec& accelerator,
                          bool host_energy = true);

}  // namespace gwsim::platform
