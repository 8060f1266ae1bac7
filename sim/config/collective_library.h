// A collective library's costs as data (plain C++): what fraction of a link's line rate its bulk
// transfers reach, the latency it adds per collective and per algorithm step for each protocol,
// its pipelining chunk, and how much its kernels slow the compute they overlap. Loaded from
// platforms/collectives/<id>.yaml (sim/config/catalog.h), where every figure has its source
// (sim/network uses it); "nccl" follows NCCL's own cost model (src/graph/tuning.cc), "ideal" is the
// bare network for closed-form checks.
#pragma once

#include <string>
#include <vector>

#include "sim/core/units.h"

namespace gwsim::config {

struct Protocol {
  std::string name;               // e.g. "LL", "LL128", "Simple"
  double bandwidth_factor = 1.0;  // share of the link's achievable rate the protocol's payload gets
  Seconds launch_latency;         // once per collective
  Seconds scale_up_step_latency;  // per algorithm step whose peers share a node
  Seconds scale_out_step_latency;  // per algorithm step with a peer in another node
};

struct CollectiveLibrary {
  std::string id = "ideal";
  double scale_up_efficiency = 1.0;    // achievable share of a scale-up link's line rate
  double scale_out_efficiency = 1.0;   // achievable share of a NIC's line rate
  double in_network_efficiency = 1.0;  // in-switch reduction, on top of the scale-up efficiency
  Seconds in_network_latency;          // per in-network collective, in place of the protocol's
  // The same for reduction in the scale-out switches (SHARP), on top of the scale-out efficiency.
  double scale_out_in_network_efficiency = 1.0;
  Seconds scale_out_in_network_latency;
  Bytes chunk = Bytes(1 << 20);  // pipelining unit of trees and chains
  // How much longer compute kernels take while a collective runs on their accelerator (0.189: 18.9%
  // longer); engine/compute_contention.h applies it.
  double overlapped_compute_slowdown = 0.0;
  std::vector<Protocol> protocols = {Protocol{"ideal", 1.0, Seconds(0), Seconds(0), Seconds(0)}};
};

}  // namespace gwsim::config
