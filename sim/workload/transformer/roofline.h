// Compute time of a kernel on one accelerator: a roofline per kernel class.
//
//   time = max(flops / (peak x efficiency), bytes / (hbm_bandwidth x memory_fraction))
//
// with the peak FLOP rate of the model's precision and the HBM bandwidth from the accelerator
// catalog (platforms/accelerators/) and the efficiencies from platforms/kernels/<accelerator>.yaml,
// each from a cited microbenchmark and the same for every job (docs/workloads.md, "Compute time").
//
// - GEMM: efficiency = gemm_peak_fraction (FP8 models: gemm_fp8_peak_fraction, of the FP8 peak,
//   where the catalog has it) x wave utilization. The GEMM's m x n output is cut into
//   tile_m x tile_n tiles, and wave_tiles of them run at once (NVIDIA, Matrix Multiplication
//   Background User's Guide, sections 2.3 and 3): utilization = m n batch / (waves x wave_tiles x
//   tile_m x tile_n), waves = ceil(tiles / wave_tiles), tiles = ceil(m / tile_m) ceil(n / tile_n)
//   batch. It is 1 for a GPU-filling GEMM and falls for small or oddly sized ones.
// - Attention: fused (FlashAttention-like, the default): the executed FLOPs (halved with a causal
//   mask, and x 1.25 in the backward pass, which recomputes Q K^T: FlashAttention-2's own count)
//   at the attention fraction of its pass; the softmax is inside the kernel and costs nothing more.
//   Unfused: batched GEMMs (the GEMM rule) and the softmax as a streaming kernel. FP8 models run
//   attention at the BF16 rate and fractions, as FP8 recipes keep it in BF16.
// - Element-wise, optimizer, embedding: streaming, bytes at memory_fraction of the HBM bandwidth;
//   their FLOPs are not charged (at most a few per byte, far below any accelerator's ridge point).
// No launch overheads, no overlap of kernels, no clock throttling.
#pragma once

#include <optional>

#include "sim/config/catalog.h"
#include "sim/config/kernel_catalog.h"
#include "sim/config/model_catalog.h"
#include "sim/workload/transformer/kernels.h"

namespace gwsim::workload::transformer {

struct RooflineOptions {
  bool fused_attention = true;  // FlashAttention-like kernel; false: batched GEMMs and a softmax
  bool causal = true;           // causal mask: a fused kernel skips the masked half
};

// FlashAttention-2's FLOP count of a backward pass is 2.5x its forward (five GEMMs against two:
// Q K^T is recomputed; Dao 2023, benchmarks/benchmark_flash_attention.py); compute.h counts 2x.
inline constexpr double kFusedAttentionBackwardWork = 2.5 / 2.0;

class Roofline {
 public:
  // `peak`: the dense FLOP rate of the precision the GEMMs run in; `hbm`: the HBM bandwidth.
  // `bf16_peak`, for FP8 models (`peak` is then the FP8 rate): the BF16 rate their attention runs
  // at, with the BF16 fractions; their GEMMs take efficiency.gemm_fp8_peak_fraction where given.
  Roofline(FlopsPerSecond peak, BytesPerSecond hbm, config::KernelEfficiency efficiency,
           RooflineOptions options = {}, std::optional<FlopsPerSecond> bf16_peak = {});

  // For a catalog accelerator and a model's precision (bf16 and fp16 use the bf16 rate, fp8 the
  // fp8 rate for GEMMs and the bf16 rate for attention, as FP8 recipes keep attention in BF16:
  // DeepSeek-V3 report §3.3.1, Transformer Engine's FP8 linear layers). Throws InputError when the
  // accelerator lacks that rate or its HBM bandwidth, or has no platforms/kernels entry.
  static Roofline for_accelerator(const config::CatalogAccelerator& accelerator,
                                  config::ModelPrecision precision, RooflineOptions options = {});

  // Fraction of `peak` a GEMM of this shape reaches: the GEMM fraction (gemm_peak_fraction, or the
  // FP8 one) x wave utilization.
  double gemm_efficiency(const GemmShape& shape) const;
  // The wave utilization alone, in (0, 1].
  double wave_utilization(const GemmShape& shape) const;

  Seconds time(const Kernel& kernel) const;
  // One after another, divided by the calibration's in_step_fraction (kernel_catalog.h).
  Seconds time(const std::vector<Kernel>& kernels) const;

  FlopsPerSecond peak() const { return peak_; }
  BytesPerSecond hbm_bandwidth() const { return hbm_; }
  const config::KernelEfficiency& efficiency() const { return efficiency_; }
  const RooflineOptions& options() const { return options_; }

 private:
  Seconds memory_time(Bytes bytes) const;
  FlopsPerSecond peak_;
  FlopsPerSecond attention_peak_;
  double gemm_fraction_;  // of peak_
  BytesPerSecond hbm_;
  config::KernelEfficiency efficiency_;
  RooflineOptions options_;
};

}  // namespace gwsim::workload::transformer
