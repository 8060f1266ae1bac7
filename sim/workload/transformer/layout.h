// How one training job splits a transformer over its accelerators: the parallel layout.
//
// World = tp * pp * cp * dp ranks. Expert parallelism (ep) splits the experts of MoE layers over
// the data-parallel ranks (dp * cp), as in Megatron-Core, so it adds no ranks. Every count is
// explicit; a layout that does not divide the model is an InputError naming the field
// (validate_layout).
#pragma once

#include <optional>
#include <string>

#include "sim/config/model_catalog.h"
#include "sim/core/error.h"

namespace gwsim::workload::transformer {

// Activation recomputation (Korthikanti et al. 2022): none, selective (the attention core: scores,
// softmax, attention over values) or full (every layer from its stored input).
enum class Recompute { kNone, kSelective, kFull };

// Sharding of the model state over the data-parallel ranks (Rajbhandari et al. 2020, ZeRO): stage 1
// shards the optimizer state, 2 also the gradients, 3 also the parameters. kFsdp is PyTorch FSDP
// (full sharding), counted as stage 3.
enum class Sharding { kZero0, kZero1, kZero2, kZero3, kFsdp };

struct ParallelLayout {
  int tp = 1;                  // tensor parallel
  int pp = 1;                  // pipeline stages
  int dp = 1;                  // data parallel
  int cp = 1;                  // context parallel (splits the sequence)
  int ep = 1;                  // expert parallel (within dp * cp)
  int micro_batch = 1;         // sequences per micro-batch per data-parallel rank
  int global_batch = 1;        // sequences per iteration
  std::optional<int> seq_len;  // absent: the model's
  bool sequence_parallel = false;
  Recompute recompute = Recompute::kNone;
  Sharding sharding = Sharding::kZero0;
  int virtual_stages = 1;  // model chunks per pipeline rank (interleaved 1F1B)

  int world() const { return tp * pp * cp * dp; }
  // Micro-batches per iteration on one pipeline.
  int micro_batches() const { return global_batch / (micro_batch * dp); }
  int sequence(const config::ModelSpec& model) const { return seq_len.value_or(model.seq_len); }
  // Ranks that hold replicas of one dense parameter: dp * cp.
  int dense_replicas() const { return dp * cp; }
  // Ranks that hold replicas of one expert parameter: dp * cp / ep.
  int expert_replicas() const { return dp * cp / ep; }
  int sharding_stage() const;
};

// Throws InputError at `where`, field `path` + ".tp" etc., when the layout does not fit the model:
// every count >= 1; tp divides heads, ffn_hidden (and the expert width); tp and kv_heads divide one
// another; pp * virtual_stages divides layers; cp divides the sequence; global_batch is a multiple
// of micro_batch * dp; interleaving needs pp > 1 and a multiple of pp micro-batches; ep divides the
// experts and dp * cp (and is 1 for a dense model).
void validate_layout(const config::ModelSpec& model, const ParallelLayout& layout,
                     const SourceLocation& where, const std::string& path);

}  // namespace gwsim::workload::transformer
