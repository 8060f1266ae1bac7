// Runs one collective over a scenario's platform for a series of sizes, as nccl-tests does: the
// group on the first accelerators of the first nodes (a shape of ranks per node x nodes), a
// barrier between sizes. The algorithm and protocol are chosen per size by the cost model
// (sim/network/cost_model.h) unless forced. Creates the process's SimGrid engine: call at most once
// per process.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/config/scenario.h"
#include "sim/network/algorithms.h"
#include "sim/network/collective.h"

namespace gwsim::run {

struct CollectiveRequest {
  network::CollectiveOp op = network::CollectiveOp::kAllReduce;
  int ranks = 0;
  int ranks_per_node = 0;  // 0: as many as fit (all of a node's accelerators, or all ranks)
  std::optional<network::Algorithm> algorithm;  // nullopt: automatic
  network::Fidelity fidelity = network::Fidelity::kFluid;
  std::vector<Bytes> sizes;
};

struct CollectiveRow {
  Bytes size;
  Seconds time;  // from the barrier to the last rank's end
  std::string algorithm;
  std::string protocol;
  Seconds predicted;  // the cost model's closed form on an idle network
};

// The group's levels, innermost first: ranks per node (a whole torus node's dimensions), nodes per
// site and sites when the group spans several sites, else nodes; or an InputError naming the
// option that does not fit the platform.
std::vector<int> group_levels(const config::PlatformSpec& platform,
                              const CollectiveRequest& request);

std::vector<CollectiveRow> run_collective(const config::Scenario& scenario,
                                          const CollectiveRequest& request);

}  // namespace gwsim::run
