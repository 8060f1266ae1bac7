#include "sim/workload/transformer/roofline.h"

#include <cassert>
#include <cmath>

namespace gwsim::workload::transformer {

Roofline::Roofline(FlopsPerSecond peak, BytesPerSecond hbm, config::KernelEfficiency efficiency,
                   RooflineOptions options, std::optional<FlopsPerSecond> bf16_peak)
    : peak_(peak),
      attention_peak_(bf16_peak.value_or(peak)),
      gemm_fraction_(bf16_peak && efficiency.gemm_fp8_peak_fraction
                         ? *efficiency.gemm_fp8_peak_fraction
                         : efficiency.gemm_peak_fraction),
      hbm_(hbm),
      efficiency_(std::move(efficiency)),
      options_(options) {
  assert(peak_ > FlopsPerSecond(0) && attention_peak_ > FlopsPerSecond(0) &&
         hbm_ > BytesPerSecond(0));
}

Roofline Roofline::for_accelerator(const config::CatalogAccelerator& accelerator,
                                   config::ModelPrecision precision, RooflineOptions options) {
  const SourceLocation where{"platforms/accelerators/" + accelerator.id + ".yaml", 0};
  std::string rate;
  switch (precision) {
    case config::ModelPrecision::kBf16:
    case config::ModelPrecision::kFp16:
      rate = "bf16";
      break;
    case config::ModelPrecision::kFp8:
      rate = "fp8";
      break;
    case config::ModelPrecision::kFp32:
      throw InputError(
          where, "accelerator.peak_flop_rate",
          "the catalog has no fp32 rate; an fp32 model cannot be timed on " + accelerator.name);
  }
  const auto peak = accelerator.peak_flop_rate.find(rate);
  if (peak == accelerator.peak_flop_rate.end())
    throw InputError(where, "accelerator.peak_flop_rate." + rate,
                     "required to time a " + rate + " model on " + accelerator.name);
  if (!accelerator.hbm_bandwidth)
    throw InputError(where, "accelerator.hbm_bandwidth",
                     "required to time kernels on " + accelerator.name);
  // FP8 models: attention in BF16 where the accelerator has that rate.
  std::optional<FlopsPerSecond> bf16_peak;
  if (const auto bf16 = accelerator.peak_flop_rate.find("bf16");
      precision == config::ModelPrecision::kFp8 && bf16 != accelerator.peak_flop_rate.end())
    bf16_peak = bf16->second;
  return {peak->second, *accelerator.hbm_bandwidth,
          config::load_kernel_efficiency(accelerator.id, where, "kernels"), options, bf16_peak};
}

double Roofline::wave_utilization(const GemmShape& g) const {
  if (g.m <= 0 || g.n <= 0 || g.batch <= 0) return 1.0;
  const double tile_m = efficiency_.gemm_tile_m;
  const double tile_n = efficiency_.gemm_tile_n;
  const double wave = efficiency_.gemm_wave_tiles;
  const double tiles = std::ceil(g.m / tile_m) * std::ceil(g.n / tile_n) * std::ceil(g.batch);
  const double waves = std::ceil(tiles / wave);
  return std::min(1.0, g.m * g.n * g.batch / (waves * wave * tile_m * tile_n));
}

double Roofline::gemm_efficiency(const GemmShape& shape) const {
  return gemm_fraction_ * wave_utilization(shape);
}

Seconds Roofline::memory_time(Bytes bytes) const {
  return bytes / (hbm_ * efficiency_.memory_fraction);
}

Seconds Roofline::time(const Kernel& k) const {
  const Seconds memory = memory_time(k.bytes);
  switch (k.kind) {
    case KernelClass::kGemm: {
      const double eff = k.gemm ? gemm_efficiency(*k.gemm) : gemm_fraction_;
      return max(k.flops / (peak_ * eff), memory);
    }
    case KernelClass::kAttention: {
      if (!options_.fused_attention) {  // batched GEMMs in the attention's precision
        const double eff =
            efficiency_.gemm_peak_fraction * (k.gemm ? wave_utilization(*k.gemm) : 1.0);
        return max(k.flops / (attention_peak_ * eff), memory);
      }
      // Fused: Q, K, V and the output are the only HBM traffic, far below the compute time.
      const bool backward = k.pass == Pass::kBackward;
      const double work =
          (options_.causal ? 0.5 : 1.0) * (backward ? kFusedAttentionBackwardWork : 1.0);
      const double eff = backward ? efficiency_.attention_backward_fraction
                                  : efficiency_.attention_forward_fraction;
      return k.flops * work / (attention_peak_ * eff);
    }
    case KernelClass::kSoftmax:
      if (options_.fused_attention) return Seconds(0);  // inside the fused attention kernel
      [[fallthrough]];
    case KernelClass::kElementwise:
    case KernelClass::kOptimizer:
      return memory;
  }
  return memory;
}

Seconds Roofline::time(const std::vector<Kernel>& kernels) const {
  Seconds sum;
  for (const Kernel& k : kernels) sum += time(k);
  return sum / efficiency_.in_step_fraction;
}

}  // namespace gwsim::workload::transformer
