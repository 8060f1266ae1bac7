// The platform the network tests share: nodes of accelerators on a 450 GB/s switch (0.5 us a link),
// one 400 Gb/s NIC each (1 us a hop) on one non-blocking switch.
#pragma once

#include "sim/config/scenario.h"

namespace gwsim::testing {

inline config::PlatformSpec network_platform(int nodes, int per_node) {
  config::PlatformSpec spec;
  spec.accelerator = {"test", FlopsPerSecond(1e15), Watts(100), Watts(700)};
  spec.nodes = nodes;
  spec.accelerators_per_node = per_node;
  spec.scale_up =
      config::ScaleUpSpec{config::ScaleUpKind::kSwitch, BytesPerSecond(450e9), Seconds(0.5e-6), {}};
  spec.scale_out = config::ScaleOutSpec{};
  spec.scale_out->bandwidth = BytesPerSecond(50e9);
  spec.scale_out->latency = Seconds(1e-6);
  return spec;
}

}  // namespace gwsim::testing
