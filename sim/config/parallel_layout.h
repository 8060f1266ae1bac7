// How one training job splits a transformer over its accelerators: the parallel layout, as the
// scenario states it (scenario.proto, message Layout). Plain data; the checks against a model are
// sim/workload/transformer/layout.h's validate_layout.
//
// World = tp * pp * cp * dp ranks. Expert parallelism (ep) splits the experts of MoE layers over
// the data-parallel ranks (dp * cp), as in Megatron-Core, so it adds no ranks.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "sim/config/model_catalog.h"

namespace gwsim::config {

// Activation recomputation (Korthikanti et al. 2022): none, selective (the attention core: scores,
// softmax, attention over values) or full (every layer from its stored input).
enum class Recompute { kNone, kSelective, kFull };

// Sharding of the model state over the data-parallel ranks (Rajbhandari et al. 2020, ZeRO): stage 1
// shards the optimizer state, 2 also the gradients, 3 also the parameters. kFsdp is PyTorch FSDP
// (full sharding), counted as stage 3.
enum class Sharding { kZero0, kZero1, kZero2, kZero3, kFsdp };

// Pipeline schedules: GPipe (all forwards, then all backwards), 1F1B (PipeDream-Flush) and
// interleaved 1F1B over virtual stages (Narayanan et al. SC'21).
enum class PipelineSchedule { kGpipe, kOneFOneB, kInterleaved };

// The four dimensions that number the ranks (expert parallelism lives inside data x context).
enum class RankDimension { kTensor, kContext, kData, kPipeline };

// A rank's index along each dimension: tensor, context, data, pipeline.
struct LayoutCoordinates {
  int t = 0, c = 0, d = 0, p = 0;
};

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
  // Data-parallel gradient reductions in fp32 rather than the parameters' precision (Megatron-LM's
  // grad_reduce_in_fp32; Llama 3 reduce-scatters its gradients in fp32 for stability).
  bool grad_reduce_in_fp32 = false;
  // How world ranks are numbered, innermost (consecutive ranks) first. Megatron-LM's default is
  // tp-cp-dp-pp; Llama 3 numbers tp-cp-pp-dp (paper §3.3.2) so that a pipeline stays close and data
  // parallelism, which tolerates latency best, spans the network.
  std::array<RankDimension, 4> rank_order = {RankDimension::kTensor, RankDimension::kContext,
                                             RankDimension::kData, RankDimension::kPipeline};

  int world() const { return tp * pp * cp * dp; }
  // Micro-batches per iteration on one pipeline.
  int micro_batches() const { return global_batch / (micro_batch * dp); }
  int sequence(const config::ModelSpec& model) const { return seq_len.value_or(model.seq_len); }
  // Ranks that hold replicas of one dense parameter: dp * cp.
  int dense_replicas() const { return dp * cp; }
  // Ranks that hold replicas of one expert parameter: dp * cp / ep.
  int expert_replicas() const { return dp * cp / ep; }
  // 0 to 3; FSDP counts as stage 3.
  int sharding_stage() const {
    switch (sharding) {
      case Sharding::kZero0:
        return 0;
      case Sharding::kZero1:
        return 1;
      case Sharding::kZero2:
        return 2;
      case Sharding::kZero3:
      case Sharding::kFsdp:
        return 3;
    }
    return 0;
  }
  // World rank of the given coordinates, and back, under rank_order.
  int rank_of(const LayoutCoordinates& at) const;
  LayoutCoordinates coordinates_of(int rank) const;
  int degree(RankDimension dimension) const;
};

// "tp-cp-dp-pp" and back. parse_rank_order returns nothing unless the text names each of tp, cp, dp
// and pp once, joined by '-'.
std::string rank_order_name(const std::array<RankDimension, 4>& order);
std::optional<std::array<RankDimension, 4>> parse_rank_order(const std::string& text);
// What an input error about a rank order says was expected.
inline constexpr const char* kRankOrderExpected =
    "expected tp, cp, dp and pp each once joined by '-' (e.g. \"tp-cp-pp-dp\")";

}  // namespace gwsim::config
