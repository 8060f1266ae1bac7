// Which layers a pipeline rank holds, and whether it holds the embedding or the output layer.
//
// The layers form pp * v model chunks (v = virtual_stages); rank r holds chunks r, r + pp,
// r + 2 pp, ... (Megatron's interleaved schedule). Rank 0 holds the input embedding and rank
// pp - 1 the final norm and the output layer.
//
// When pp * v divides the layers, every chunk holds layers / (pp * v). Otherwise every chunk starts
// with ceil(layers / (pp * v)) and the surplus is removed one layer at a time from the first and
// the last model chunk alternately: chunk 0, chunk pp*v - 1, chunk 1, chunk pp*v - 2, ... The first
// and last chunks also carry the embedding and the output layer, so they are the ones to lighten:
// Llama 3 405B (126 layers) was trained on 16 stages by "reducing one Transformer layer each from
// the first and the last stages" (Llama 3 team, "The Llama 3 Herd of Models", 2024, §3.3.2,
// "Computation imbalance"), which gives stages of 7, 8 x 14 and 7 layers. The surplus is always
// below pp * v, so each chunk loses at most one layer; a chunk may be left with no layers (only
// the embedding or the output layer, as in the paper's interleaved set-up), but a pipeline rank
// with no layers at all is rejected by validate_layout.
#pragma once

#include <vector>

#include "sim/workload/transformer/layout.h"

namespace gwsim::workload::transformer {

struct StagePlacement {
  int rank = 0;             // pipeline rank, 0 .. pp - 1
  std::vector<int> layers;  // 0-based layer indices, in order
  // Layers of each of this rank's model chunks, in chunk order (chunk c is model chunk c pp +
  // rank); they sum to layers.size(). Empty for a placement made by hand: then one chunk of all.
  std::vector<int> chunk_sizes;
  bool first = false;  // holds the input embedding
  bool last = false;   // holds the final norm and the output layer
  int dense_layers = 0;
  int moe_layers = 0;

  // The layers of this rank's chunk `chunk` (0 .. v - 1), in order.
  std::vector<int> chunk_layers(int chunk) const;
};

// Layers of each model chunk 0 .. pp * v - 1 (the rule above); they sum to `layers`. Entries may
// be 0 when pp * v > layers / 2; the caller checks that no rank is left empty.
std::vector<int> chunk_layer_counts(int layers, int pp, int virtual_stages);

// The placement of pipeline rank `rank` of a validated layout.
StagePlacement place_stage(const config::ModelSpec& model, const ParallelLayout& layout, int rank);

}  // namespace gwsim::workload::transformer
