// The computation one rank does per micro-batch, by operation class: FLOPs and the bytes each class
// moves to and from HBM, for the forward pass, the backward pass and the recomputation.
//
// GEMM FLOPs are 2 m n k, counted like Narayanan et al. SC'21 (attention over the full s x s
// matrix, causal masking not subtracted), so that their sum over all ranks is the closed form of
// docs/workloads.md. A GEMM's bytes are its two operands read and its result written once; a
// backward pass is two GEMMs (input and weight gradients) of the forward one's size. Element-wise
// FLOP counts per element are assumptions (docs/workloads.md lists them). No times: that is the
// executor's job.
#pragma once

#include <array>
#include <string_view>

#include "sim/core/units.h"
#include "sim/workload/transformer/placement.h"

namespace gwsim::workload::transformer {

enum class OpClass {
  kQkv,               // Q, K, V projections
  kAttentionScores,   // Q K^T
  kAttentionValues,   // softmax(..) V
  kOutputProjection,  // attention output projection
  kFfn,               // dense FFN matrices
  kMoeExperts,        // router, shared and routed experts
  kLogits,            // output layer (vocab projection)
  kEmbedding,         // input embedding lookup (bytes only)
  kElementwise,       // norms, softmax, activation function, residual adds
  kCount
};

std::string_view op_class_name(OpClass op);
// True for the matrix multiplications counted as model FLOPs.
bool is_gemm(OpClass op);

struct OpCost {
  Flops forward;
  Flops backward;
  Flops recompute;  // the forward work done again by activation recomputation
  Bytes forward_bytes;
  Bytes backward_bytes;
  Bytes recompute_bytes;
  Flops flops() const { return forward + backward + recompute; }
  Bytes bytes() const { return forward_bytes + backward_bytes + recompute_bytes; }
};

struct StageCompute {
  std::array<OpCost, static_cast<size_t>(OpClass::kCount)> ops{};
  const OpCost& operator[](OpClass op) const { return ops[static_cast<size_t>(op)]; }
  OpCost& operator[](OpClass op) { return ops[static_cast<size_t>(op)]; }
  Flops gemm_flops() const;   // model FLOPs (GEMMs, recomputation included)
  Flops total_flops() const;  // GEMMs and element-wise
  Bytes total_bytes() const;
};

// Per micro-batch on one rank of `stage`.
StageCompute stage_compute(const config::ModelSpec& model, const ParallelLayout& layout,
                           const StagePlacement& stage);

// The optimizer step on one rank, once per iteration: AdamW over the parameters this rank updates
// (all it holds, or its 1 / replicas share with ZeRO >= 1).
struct OptimizerCost {
  double parameters = 0;  // updated by this rank
  Flops flops;
  Bytes bytes;
};
OptimizerCost optimizer_cost(const config::ModelSpec& model, const ParallelLayout& layout,
                             const StagePlacement& stage);

// Assumed AdamW cost per parameter (docs/workloads.md): FLOPs and bytes read + written (fp32
// gradient, master weight, two moments read; the three written back; the 16-bit copy written).
inline constexpr double kAdamFlopsPerParameter = 15;
inline constexpr double kAdamBytesPerParameter = 30;

// Assumed element-wise FLOPs per element (docs/workloads.md).
inline constexpr double kNormFlops = 5;     // mean/variance or RMS, scale
inline constexpr double kSoftmaxFlops = 5;  // max, subtract, exp, sum, divide
inline constexpr double kGeluFlops = 8;     // tanh approximation
inline constexpr double kSwigluFlops = 6;   // sigmoid, two products
inline constexpr double kResidualFlops = 1;
inline constexpr double kDropoutFlops = 2;      // compare a random number, scale
inline constexpr double kDropoutMaskBytes = 1;  // the mask, written forward and read backward

// Model FLOPs of one iteration of the whole job: the GEMM FLOPs of every rank times the
// micro-batches. The quantity of Narayanan et al.'s closed form.
Flops iteration_model_flops(const config::ModelSpec& model, const ParallelLayout& layout);

// Bytes per element of GEMM operands (fp8: 1, fp32: 4, else 2) and of stored activations and
// communicated tensors (fp32: 4, else 2).
double gemm_element_bytes(const config::ModelSpec& model);
double activation_element_bytes(const config::ModelSpec& model);

}  // namespace gwsim::workload::transformer
