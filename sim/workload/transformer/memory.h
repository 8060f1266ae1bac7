// Memory one rank needs: model state (parameters, gradients, optimizer state) and activations, and
// the verdict against an accelerator's HBM.
//
// Model state follows ZeRO (Rajbhandari et al. 2020): mixed precision keeps 2 bytes of parameter,
// 2 of gradient and 12 of optimizer state (fp32 master weight and two Adam moments) per parameter;
// an fp32 model 4 + 4 + 8. Activations follow Korthikanti et al. 2022 (34 s b h + 5 a s^2 b bytes
// per layer for GPT), generalized to grouped-query attention, gated FFNs, MoE and models without
// dropout; the formulas are in docs/workloads.md. Not counted: framework workspace, communication
// buffers, the transient gathered layer of ZeRO-3, fragmentation.
#pragma once

#include <optional>

#include "sim/core/units.h"
#include "sim/workload/transformer/placement.h"

namespace gwsim::workload::transformer {

struct MemoryBreakdown {
  int stage = 0;  // pipeline rank
  Bytes parameters;
  Bytes gradients;
  Bytes optimizer;
  Bytes activations;
  double micro_batches_in_flight = 0;  // in layer-chunk units: layers held x micro-batches / layers
  Bytes total() const { return parameters + gradients + optimizer + activations; }
};

// How the attention core is computed. Fused (FlashAttention, Dao et al. 2022, section 3.1) keeps
// only its output and one fp32 softmax statistic per row for the backward pass, never the s x s
// scores, and regenerates the dropout mask from the RNG state; unfused (Korthikanti et al.) keeps
// the softmax output, its dropout mask and the dropout output.
enum class AttentionCore { kUnfused, kFused };

// Activation bytes of one transformer layer for one micro-batch on one rank (dense or MoE FFN).
Bytes layer_activation_bytes(const config::ModelSpec& model, const ParallelLayout& layout,
                             bool moe_layer, AttentionCore core = AttentionCore::kUnfused);

// Memory of one rank of `stage`, at the peak of the 1F1B (or interleaved) schedule.
MemoryBreakdown stage_memory(const config::ModelSpec& model, const ParallelLayout& layout,
                             const StagePlacement& stage,
                             AttentionCore core = AttentionCore::kUnfused);

struct MemoryVerdict {
  MemoryBreakdown worst;  // the pipeline rank that needs the most
  Bytes capacity;
  bool fits = false;
  Bytes headroom() const { return capacity - worst.total(); }  // negative when it does not fit
};

// The worst rank over all pipeline stages, against `capacity` (an accelerator's HBM).
MemoryVerdict check_memory(const config::ModelSpec& model, const ParallelLayout& layout,
                           Bytes capacity, AttentionCore core = AttentionCore::kUnfused);

}  // namespace gwsim::workload::transformer
