// Runs one collective over a scenario's platform for a series of sizes, as nccl-tests does: ranks
// on the first accelerators in node order, one ring in rank order, a barrier between sizes. Creates
// the process's SimGrid engine: call at most once per process.
#pragma once

#include <vector>

#include "sim/config/scenario.h"
#include "sim/network/collective.h"

namespace gwsim::run {

struct CollectiveRow {
  Bytes size;
  Seconds time;  // from the barrier to the last rank's end
};

std::vector<CollectiveRow> run_collective(const config::Scenario& scenario,
                                          network::CollectiveOp op, int ranks,
                                          network::Fidelity fidelity,
                                          const std::vector<Bytes>& sizes);

}  // namespace gwsim::run
