// Which layers a pipeline rank holds, and whether it holds the embedding or the output layer.
//
// With virtual_stages v, the layers form pp * v chunks of layers / (pp * v); rank r holds chunks
// r, r + pp, r + 2 pp, ... (Megatron's interleaved schedule). Rank 0 holds the input embedding and
// rank pp - 1 the final norm and the output layer.
#pragma once

#include <vector>

#include "sim/workload/transformer/layout.h"

namespace gwsim::workload::transformer {

struct StagePlacement {
  int rank = 0;             // pipeline rank, 0 .. pp - 1
  std::vector<int> layers;  // 0-based layer indices, in order
  bool first = false;       // holds the input embedding
  bool last = false;        // holds the final norm and the output layer
  int dense_layers = 0;
  int moe_layers = 0;
};

// The placement of pipeline rank `rank` of a validated layout.
StagePlacement place_stage(const config::ModelSpec& model, const ParallelLayout& layout, int rank);

}  // namespace gwsim::workload::transformer
