// The collectives one rank takes part in: which group, which operation, how large, how often.
//
// Sizes are the full buffer of the collective as NCCL names it (all-reduce: the vector; all-gather:
// the gathered output; reduce-scatter: the input; all-to-all: what this rank sends; send/recv: one
// message), so a network model can turn each into traffic with its own algorithm. Which collectives
// a layout needs follows Megatron-LM (Shoeybi et al. 2019; Korthikanti et al. 2022 for sequence
// parallelism) and ZeRO (Rajbhandari et al. 2020); docs/workloads.md lists each with its source.
#pragma once

#include <string>
#include <vector>

#include "sim/core/units.h"
#include "sim/workload/transformer/placement.h"

namespace gwsim::workload::transformer {

enum class Group { kTensor, kPipeline, kData, kContext, kExpert, kExpertData };
enum class CollectiveKind { kAllReduce, kReduceScatter, kAllGather, kAllToAll, kSendRecv };
enum class Frequency { kPerMicroBatch, kPerIteration };

struct CollectiveVolume {
  Group group;
  CollectiveKind kind;
  Frequency frequency;
  int group_size = 0;
  Bytes size;        // one call's buffer, as above
  double calls = 0;  // per micro-batch or per iteration
  std::string what;  // e.g. "TP all-reduce after attention and FFN, forward"
  Bytes total() const { return size * calls; }
};

std::string group_name(Group group);
std::string collective_kind_name(CollectiveKind kind);

// Everything one rank of `stage` communicates (groups of size 1 are left out).
std::vector<CollectiveVolume> stage_communication(const config::ModelSpec& model,
                                                  const ParallelLayout& layout,
                                                  const StagePlacement& stage);

// Bytes this rank's collectives of `group` move over one iteration (calls * size, micro-batch ones
// times the micro-batches).
Bytes iteration_bytes(const std::vector<CollectiveVolume>& volumes, const ParallelLayout& layout,
                      Group group);

}  // namespace gwsim::workload::transformer
