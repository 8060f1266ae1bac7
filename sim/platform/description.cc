#include "sim/platform/description.h"

namespace gwsim::platform {

Description describe(const config::PlatformSpec& spec, const Topology& topology) {
  Description d;
  d.accelerators = topology.accelerator_count();
  d.nodes = topology.node_count();
  d.hosts = topology.host_count();
  d.links = topology.link_count();
  d.tiers = topology.tiers();
  d.bisection = topology.bisection_bandwidth();
  const auto n = static_cast<double>(d.accelerators);
  if (spec.peak_flop_rates.empty()) {
    // An inline accelerator states one rate, the one the workload computes at.
    d.peak_flop_rate["configured"] = spec.accelerator.peak_flop_rate * n;
  } else {
    for (const auto& [precision, rate] : spec.peak_flop_rates)
      d.peak_flop_rate[precision] = rate * n;
  }
  // A node's overhead (host CPUs, NICs, switch trays, fans) is taken at its full-load figure in
  // both states: the catalog gives no idle figure for it.
  const Watts overhead = spec.node_overhead_power.value_or(Watts(0)) * static_cast<double>(d.nodes);
  d.idle_power = spec.accelerator.idle_power * n + overhead;
  d.peak_power = spec.accelerator.peak_power * n + overhead;
  return d;
}

}  // namespace gwsim::platform
