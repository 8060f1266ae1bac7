// The kernels of one block of a transformer layer for one micro-batch on one rank: the work of
// compute.h split the way a rank runs it, with the shape of every matrix multiplication so that a
// roofline (roofline.h) can charge small GEMMs more than large ones.
//
// The FLOPs and bytes are compute.h's, kernel by kernel: summed over a stage's blocks they equal
// stage_compute() (tests/workload/transformer/kernels_test.cc checks it). A GEMM's backward pass is
// two GEMMs of the forward one's work, the input gradient (m x n by n x k) and the weight gradient
// (k x m by m x n); every other kernel's backward is one kernel of twice the forward work (the
// assumption of compute.h).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "sim/workload/transformer/compute.h"

namespace gwsim::workload::transformer {

// How a kernel is timed (roofline.h).
enum class KernelClass {
  kGemm,         // a matrix multiplication; efficiency depends on its shape
  kAttention,    // Q K^T or softmax(..) V: one fused attention kernel, or batched GEMMs
  kSoftmax,      // the attention softmax: inside a fused attention kernel, else element-wise
  kElementwise,  // norms, residual adds, activation functions, embedding gather: streaming
  kOptimizer,    // the optimizer step: streaming
};
std::string_view kernel_class_name(KernelClass kind);

enum class Pass { kForward, kBackward, kRecompute };
std::string_view pass_name(Pass pass);

// batch GEMMs of (m x k) by (k x n); their FLOPs are 2 m n k batch.
struct GemmShape {
  double m = 0;
  double n = 0;
  double k = 0;
  double batch = 1;
  double flops() const { return 2 * m * n * k * batch; }
};

struct Kernel {
  std::string_view name;      // e.g. "qkv", "qkv.dgrad", "softmax"
  std::optional<OpClass> op;  // compute.h's class; absent for the optimizer
  KernelClass kind = KernelClass::kElementwise;
  Pass pass = Pass::kForward;
  Flops flops;
  Bytes bytes;                    // read and written in HBM
  std::optional<GemmShape> gemm;  // kGemm and kAttention: the GEMM(s) the kernel is
};

// The parts of a layer, and the stage-level extras, a rank runs.
enum class Block {
  kAttention,  // norm, QKV, attention core, output projection, residual add
  kMlp,        // norm, dense FFN, activation, residual add
  kMoe,        // norm, router, shared and routed experts, activation, residual add
  kEmbedding,  // input embedding gather (first stage)
  kHead,       // output layer (last stage)
};
std::string_view block_name(Block block);

// The kernels of `block` for one micro-batch in `pass`. Recompute: the layer's forward again with
// full recomputation, the attention core (scores, softmax, values) with selective, nothing
// otherwise (and nothing for the embedding and the output layer); backward of the embedding is its
// gradient scatter (bytes only).
std::vector<Kernel> block_kernels(const config::ModelSpec& model, const ParallelLayout& layout,
                                  Block block, Pass pass);

// `share` (0 < share <= 1) of `kernel`'s tokens, as when a GEMM is split into chunks to overlap a
// collective: FLOPs and bytes scale by `share` (the weights' reads too, a small excess), and so
// does the GEMM's token dimension (m of a forward or input-gradient GEMM, the inner dimension of a
// weight-gradient GEMM), so that the roofline charges the smaller GEMM its wave quantisation.
Kernel token_share(const Kernel& kernel, double share);

// The optimizer step of one rank of `stage` (optimizer_cost) as one kernel.
Kernel optimizer_kernel(const config::ModelSpec& model, const ParallelLayout& layout,
                        const StagePlacement& stage);

}  // namespace gwsim::workload::transformer
