// A rank DAG (rank_dag.h) as a Chakra execution trace (docs/chakra.md), so that the generator's
// workloads can be fed to other Chakra consumers.
//
// One node per op, with the op's index as its id: compute ops are COMP_NODEs (num_ops = FLOPs,
// tensor_size = bytes, rounded to whole numbers; duration_micros from a roofline when one is
// given), collectives COMM_COLL_NODEs (comm_type, comm_size, pg_name = the group's name: "tp",
// "dp", "pp", "cp", "ep", "expert_dp"), sends and receives COMM_SEND_NODE / COMM_RECV_NODE
// (comm_src, comm_dst as global ranks, comm_tag, comm_size). data_deps are the op's; ctrl_deps are
// the op's plus the previous op of the same serialized stream, since Chakra has no streams.
#pragma once

#include <filesystem>
#include <vector>

#include "sim/workload/chakra/trace.h"
#include "sim/workload/transformer/rank_dag.h"
#include "sim/workload/transformer/roofline.h"

namespace gwsim::workload::transformer {

// A rank's position in its tensor, context and data-parallel groups (its pipeline stage is the
// DAG's).
struct RankCoordinates {
  int tp = 0;
  int cp = 0;
  int dp = 0;
};

// Global rank in the layout's rank_order (Megatron-LM's default: tp fastest, then cp, dp, pp).
int global_rank(const ParallelLayout& layout, int stage, const RankCoordinates& at);

// The nodes of `dag` for the rank at `at`. With a roofline, compute nodes also carry their time
// (rounded to whole microseconds; left out when it rounds to 0).
std::vector<chakra::TraceNode> to_chakra_nodes(const RankDag& dag, const ParallelLayout& layout,
                                               const RankCoordinates& at,
                                               const Roofline* roofline = nullptr);

// Writes them to `file` (GlobalMetadata version "0.0.4"); returns the number of nodes.
uint64_t write_chakra_trace(const RankDag& dag, const ParallelLayout& layout,
                            const RankCoordinates& at, const std::filesystem::path& file,
                            const Roofline* roofline = nullptr);

}  // namespace gwsim::workload::transformer
