// The closed form a data-parallel job's gradient all-reduce should take on an idle platform: the
// collective library's choice for the job's group on the scenario's topology (sim/network's cost
// model, itself checked against the alpha-beta formulas in tests/network).
#pragma once

#include <optional>
#include <variant>

#include "sim/config/scenario.h"
#include "sim/network/cost_model.h"
#include "sim/network/group_costs.h"
#include "sim/platform/topology.h"

namespace gwsim::run::testing {

inline network::Choice gradient_all_reduce(const config::Scenario& scenario, size_t job = 0,
                                           std::optional<network::Algorithm> forced = {}) {
  const auto& spec = std::get<config::DataParallelJobSpec>(scenario.jobs[job].kind);
  const platform::Topology topology(scenario.platform);
  std::vector<int64_t> hosts;
  for (int r = 0; r < spec.ranks; ++r) hosts.push_back(spec.first_accelerator + r);
  const network::TopologyGroup group = network::topology_group(topology, hosts, false, false);
  network::CollectiveSpec collective;
  collective.op = network::CollectiveOp::kAllReduce;
  collective.size = spec.gradient_size();
  collective.ranks = spec.ranks;
  collective.levels = group.levels;
  collective.chunk = scenario.platform.collectives.chunk;
  return network::choose(collective, scenario.platform.collectives, group.costs, forced);
}

}  // namespace gwsim::run::testing
