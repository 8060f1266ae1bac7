// Builds the SimGrid resources of a Topology: one host per accelerator and one SimGrid link per
// directed link. Include only where the simulation is driven (the run layer); everything else uses
// Topology.
#pragma once

#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "sim/config/scenario.h"
#include "sim/platform/topology.h"

namespace gwsim::platform {

struct BuiltPlatform {
  std::vector<simgrid::s4u::Host*> accelerators;  // indexed like the Topology's accelerators
};

// Creates the hosts (speed = the accelerator's peak FLOP rate; the host energy plugin's power at
// idle and at full load) and the routes of `topology` in the engine's root zone. Call once, before
// any actor starts, with the host energy plugin already initialised.
BuiltPlatform build_zones(const Topology& topology, const config::AcceleratorSpec& accelerator);

}  // namespace gwsim::platform
