// Parameter counts of a transformer, whole and per rank.
//
// Counted: the attention projections (Q and output: hidden x hidden; K and V: hidden x kv_heads *
// head_dim), the FFN matrices (two, or three when gated), MoE routers and experts, two norm weight
// vectors per layer and a final one, the input embedding, a learned position table, and the output
// layer unless tied. Not counted: biases and norm biases (a few hidden-sized vectors per layer,
// under 0.01% for the catalog's models). Formulas and sources: docs/workloads.md.
#pragma once

#include "sim/workload/transformer/placement.h"

namespace gwsim::workload::transformer {

struct LayerParameters {
  double attention = 0;
  double norms = 0;
  double dense_ffn = 0;   // a dense layer's FFN
  double moe_router = 0;  // an MoE layer's router
  double moe_shared = 0;  // an MoE layer's shared experts
  double moe_routed = 0;  // an MoE layer's routed experts, all of them
  double moe_active = 0;  // routed experts one token uses (top_k of them)
};

struct ParameterCounts {
  LayerParameters layer;
  double embedding = 0;  // vocab x hidden
  double positions = 0;  // seq_len x hidden when learned, else 0
  double output = 0;     // vocab x hidden unless tied
  double final_norm = 0;
  double total = 0;
  double active = 0;  // per token: total minus the routed experts a token does not use
};

ParameterCounts count_parameters(const config::ModelSpec& model);

// Parameters one rank of `stage` holds, split by how they are replicated: dense ones are replicated
// over dp * cp ranks, expert ones over dp * cp / ep. Tensor parallelism splits the projections,
// FFNs, experts, embedding and output layer; norms, routers and the position table are replicated
// over tp.
struct RankParameters {
  double dense = 0;
  double expert = 0;
  double total() const { return dense + expert; }
};

RankParameters rank_parameters(const config::ModelSpec& model, const ParallelLayout& layout,
                               const StagePlacement& stage);

}  // namespace gwsim::workload::transformer
