// Achieved kernel efficiencies per accelerator (platforms/kernels/<accelerator-id>.yaml).
//
// Fractions of an accelerator's peak FLOP rate and HBM bandwidth that training kernels reach, from
// cited microbenchmarks (schema: kernel.proto; figures and sources: docs/workloads.md, "Compute
// time"). The roofline (sim/workload/transformer/roofline.h) uses them; they are data, the same for
// every job, so that nothing is fitted to one case.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/error.h"

namespace gwsim::config {

struct KernelEfficiency {
  std::string accelerator;  // catalog id, e.g. "a100-sxm"
  std::string name;
  // GEMM: best-shape fraction of the dense peak, and the tile / wave geometry that scales it down
  // for shapes that do not fill the GPU.
  double gemm_peak_fraction = 0;
  // The same for FP8 GEMMs, of the FP8 peak, where measured (else FP8 takes gemm_peak_fraction).
  std::optional<double> gemm_fp8_peak_fraction;
  int gemm_tile_m = 0;
  int gemm_tile_n = 0;
  int gemm_wave_tiles = 0;
  // Fused attention, by pass.
  double attention_forward_fraction = 0;
  double attention_backward_fraction = 0;
  // Streaming kernels: fraction of the HBM bandwidth.
  double memory_fraction = 0;
  // The calibration (platforms/calibration/kernels.yaml; 1 without it): every kernel time is
  // divided by it.
  double in_step_fraction = 1;
};

// Loads platforms/kernels/<accelerator>.yaml (GWSIM_PLATFORMS_DIR applies) and checks it: every
// fraction in (0, 1] with a source, tile sizes and wave size >= 1. A missing entry is an InputError
// at `referenced_from`/`field` that lists the accelerators that have one.
KernelEfficiency load_kernel_efficiency(const std::string& accelerator,
                                        const SourceLocation& referenced_from,
                                        const std::string& field);

}  // namespace gwsim::config
