// The roofline: kernel-efficiency entries, the GEMM wave model, and each kernel class's time.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/config/catalog.h"
#include "sim/config/kernel_catalog.h"
#include "sim/core/error.h"
#include "sim/workload/transformer/roofline.h"

namespace gwsim::workload::transformer {
namespace {

config::CatalogAccelerator accelerator(const std::string& id) {
  return config::load_catalog_accelerator(id, {"test", 1}, "accelerator");
}

Roofline a100(RooflineOptions options = {}) {
  return Roofline::for_accelerator(accelerator("a100-sxm"), config::ModelPrecision::kBf16, options);
}

TEST(KernelCatalog, EntriesLoadWithFractionsInRange) {
  for (const std::string id : {"a100-sxm", "h100-sxm", "h200-sxm"}) {
    const config::KernelEfficiency k = config::load_kernel_efficiency(id, {"test", 1}, "k");
    EXPECT_EQ(k.accelerator, id);
    for (double f : {k.gemm_peak_fraction, k.attention_forward_fraction,
                     k.attention_backward_fraction, k.memory_fraction}) {
      EXPECT_GT(f, 0.0) << id;
      EXPECT_LE(f, 1.0) << id;
    }
    EXPECT_GE(k.gemm_wave_tiles, 1) << id;
  }
  const auto a = config::load_kernel_efficiency("a100-sxm", {"test", 1}, "k");
  EXPECT_DOUBLE_EQ(a.gemm_peak_fraction, 0.869);  // 271.2 / 312 (MAMF table)
  EXPECT_EQ(a.gemm_wave_tiles, 108);              // one 256x128 tile per SM, 108 SMs
}

TEST(KernelCatalog, AFractionAboveOneNamesItsFileLineAndField) {
  // A copy of the catalog (kernels and calibration) with one figure broken.
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("gwsim-kernels-" + std::to_string(getpid()));
  for (const char* kind : {"kernels", "calibration"}) {
    std::filesystem::create_directories(dir / kind);
    for (const auto& entry : std::filesystem::directory_iterator(config::platforms_dir() / kind))
      std::filesystem::copy_file(entry.path(), dir / kind / entry.path().filename());
  }
  std::stringstream text;
  text << std::ifstream(dir / "kernels" / "h100-sxm.yaml").rdbuf();
  std::string yaml = text.str();
  const std::string from = "value: 0.803";
  ASSERT_NE(yaml.find(from), std::string::npos);
  yaml.replace(yaml.find(from), from.size(), "value: 1.5");
  std::ofstream(dir / "kernels" / "h100-sxm.yaml") << yaml;
  setenv("GWSIM_PLATFORMS_DIR", dir.c_str(), 1);
  std::string error = "no error";
  try {
    config::load_kernel_efficiency("h100-sxm", {"test", 1}, "k");
  } catch (const InputError& e) {
    error = e.what();
  }
  unsetenv("GWSIM_PLATFORMS_DIR");
  std::filesystem::remove_all(dir);
  EXPECT_NE(
      error.find("h100-sxm.yaml:9: kernels.gemm.peak_fraction.value: must be in (0, 1], got 1.5"),
      std::string::npos)
      << error;
}

TEST(KernelCatalog, MissingEntryIsAnInputErrorListingTheOthers) {
  try {
    config::load_kernel_efficiency("tpu-v5p", {"scenario.yaml", 7}, "platform.accelerator");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("tpu-v5p"), std::string::npos) << what;
    EXPECT_NE(what.find("a100-sxm"), std::string::npos) << what;
  }
  // An accelerator without an fp8 rate cannot time an fp8 model.
  EXPECT_THROW(Roofline::for_accelerator(accelerator("a100-sxm"), config::ModelPrecision::kFp8),
               InputError);
}

TEST(Roofline, WaveUtilization) {
  const Roofline r = a100();
  // 108 tiles of 256 x 128: exactly one full wave.
  EXPECT_DOUBLE_EQ(r.wave_utilization({256 * 12, 128 * 9, 4096}), 1.0);
  // One tile more needs a second wave that is almost empty: 109 / 216.
  EXPECT_DOUBLE_EQ(r.wave_utilization({256 * 109, 128, 4096}), 109.0 / 216.0);
  // A partial tile: a 100 x 128 output uses one of 108 tile slots, 100/256 of it.
  EXPECT_DOUBLE_EQ(r.wave_utilization({100, 128, 4096}), 100.0 / (256.0 * 108.0));
  // Batched GEMMs fill the waves together.
  EXPECT_DOUBLE_EQ(r.wave_utilization({256, 128, 64, 108}), 1.0);
  // Large GEMMs approach 1 and never exceed it.
  const double big = r.wave_utilization({16384, 12288, 12288});
  EXPECT_GT(big, 0.97);
  EXPECT_LE(big, 1.0);
  EXPECT_DOUBLE_EQ(r.gemm_efficiency({256 * 12, 128 * 9, 4096}), 0.869);
}

TEST(Roofline, GemmTimeIsTheSlowerOfComputeAndMemory) {
  const Roofline r = a100();
  const double peak = 312e12, bw = 2039e9;
  // A GPU-filling, compute-bound GEMM runs at 86.9% of the peak.
  GemmShape big{256 * 24, 128 * 18, 8192};
  Kernel k{"g",
           OpClass::kQkv,
           KernelClass::kGemm,
           Pass::kForward,
           Flops(big.flops()),
           Bytes(2 * (big.m * big.k + big.k * big.n + big.m * big.n)),
           big};
  EXPECT_NEAR(r.time(k).value(), big.flops() / (peak * 0.869), 1e-15);
  // A skinny GEMM (k = 16) is memory-bound: its bytes at 90% of the HBM bandwidth.
  GemmShape thin{256 * 24, 128 * 18, 16};
  const double bytes = 2 * (thin.m * thin.k + thin.k * thin.n + thin.m * thin.n);
  Kernel t{"t",          OpClass::kQkv, KernelClass::kGemm, Pass::kForward, Flops(thin.flops()),
           Bytes(bytes), thin};
  EXPECT_NEAR(r.time(t).value(), bytes / (bw * 0.90), 1e-15);
  EXPECT_GT(bytes / (bw * 0.90), thin.flops() / (peak * 0.869));
}

TEST(Roofline, StreamingKernelsAreChargedTheirBytes) {
  const Roofline r = a100();
  Kernel ew{
      "ew",       OpClass::kElementwise, KernelClass::kElementwise, Pass::kForward, Flops(1e9),
      Bytes(1e9), std::nullopt};
  EXPECT_NEAR(r.time(ew).value(), 1e9 / (2039e9 * 0.90), 1e-15);
  Kernel opt{"optimizer", std::nullopt, KernelClass::kOptimizer, Pass::kForward, Flops(15e9),
             Bytes(30e9), std::nullopt};
  EXPECT_NEAR(r.time(opt).value(), 30e9 / (2039e9 * 0.90), 1e-15);
}

TEST(Roofline, FusedAttentionUsesFlashAttentionFractions) {
  const Roofline causal = a100();
  const Roofline full = a100({.fused_attention = true, .causal = false});
  const double f = 1e12;
  Kernel fwd{"attention_scores",
             OpClass::kAttentionScores,
             KernelClass::kAttention,
             Pass::kForward,
             Flops(f),
             Bytes(1e12),
             GemmShape{2048, 2048, 128, 1}};
  Kernel bwd = fwd;
  bwd.pass = Pass::kBackward;
  bwd.flops = Flops(2 * f);
  EXPECT_NEAR(full.time(fwd).value(), f / (312e12 * 0.73), 1e-15);
  EXPECT_NEAR(causal.time(fwd).value(), 0.5 * f / (312e12 * 0.73), 1e-15);  // masked half skipped
  // Backward: FlashAttention-2 does 2.5x the forward work, at 63%.
  EXPECT_NEAR(full.time(bwd).value(), 2.5 * f / (312e12 * 0.63), 1e-15);
  // The softmax is inside the fused kernel; unfused, it streams its bytes.
  Kernel softmax{"softmax",  OpClass::kElementwise, KernelClass::kSoftmax, Pass::kForward, Flops(1),
                 Bytes(4e9), std::nullopt};
  EXPECT_EQ(causal.time(softmax).value(), 0.0);
  const Roofline unfused = a100({.fused_attention = false});
  EXPECT_NEAR(unfused.time(softmax).value(), 4e9 / (2039e9 * 0.90), 1e-15);
  // Unfused attention GEMMs follow the GEMM rule (here memory-bound: the s x s scores in HBM).
  EXPECT_NEAR(unfused.time(fwd).value(), std::max(f / (312e12 * 0.869), 1e12 / (2039e9 * 0.9)),
              1e-15);
}

TEST(Roofline, Fp8GemmsTakeTheirOwnMeasuredShareOfTheFp8Peak) {
  const config::CatalogAccelerator h100 = accelerator("h100-sxm");
  const Roofline fp8 = Roofline::for_accelerator(h100, config::ModelPrecision::kFp8);
  const Roofline bf16 = Roofline::for_accelerator(h100, config::ModelPrecision::kBf16);
  const GemmShape g{132 * 256, 128, 8192};           // exactly one wave of 132 tiles
  EXPECT_DOUBLE_EQ(fp8.gemm_efficiency(g), 0.709);   // 1402.6 / 1979 (MAMF table, FP8)
  EXPECT_DOUBLE_EQ(bf16.gemm_efficiency(g), 0.803);  // 794.5 / 989
  Kernel k{"g", OpClass::kFfn, KernelClass::kGemm, Pass::kForward, Flops(g.flops()), Bytes(1), g};
  EXPECT_NEAR(fp8.time(k).value(), g.flops() / (1979e12 * 0.709), 1e-15);
  // The FP8 GEMM is 1979 x 0.709 / (989 x 0.803) = 1.77x as fast, not 2x.
  EXPECT_NEAR(bf16.time(k).value() / fp8.time(k).value(), 1979 * 0.709 / (989 * 0.803), 1e-9);
  // Attention stays in BF16 (DeepSeek-V3 report §3.3.1): the same time in both models.
  Kernel attention{"a",
                   OpClass::kAttentionScores,
                   KernelClass::kAttention,
                   Pass::kForward,
                   Flops(1e12),
                   Bytes(1),
                   std::nullopt};
  EXPECT_DOUBLE_EQ(fp8.time(attention).value(), bf16.time(attention).value());
  EXPECT_NEAR(bf16.time(attention).value(), 0.5e12 / (989e12 * 0.339), 1e-12);  // causal half
}

TEST(Roofline, H100IsFasterThanA100OnTheSameKernels) {
  const Roofline h100 =
      Roofline::for_accelerator(accelerator("h100-sxm"), config::ModelPrecision::kBf16);
  GemmShape g{8192, 8192, 8192};
  Kernel k{"g", OpClass::kFfn, KernelClass::kGemm, Pass::kForward, Flops(g.flops()), Bytes(4e8), g};
  const double ratio = a100().time(k).value() / h100.time(k).value();
  // 989 x 0.803 / (312 x 0.869), scaled by the two GPUs' wave utilizations of this shape.
  const double want =
      (989 * 0.803 * h100.wave_utilization(g)) / (312 * 0.869 * a100().wave_utilization(g));
  EXPECT_NEAR(ratio, want, 1e-9);
  EXPECT_GT(ratio, 2.5);
}

TEST(Roofline, TheCalibrationDividesEveryKernelSequence) {
  // platforms/calibration/kernels.yaml: one fraction for every accelerator, applied to kernel
  // sequences (the compute ops the executor times), not to single kernels.
  const auto a = config::load_kernel_efficiency("a100-sxm", {"test", 1}, "k");
  const auto h = config::load_kernel_efficiency("h100-sxm", {"test", 1}, "k");
  EXPECT_GT(a.in_step_fraction, 0.0);
  EXPECT_LE(a.in_step_fraction, 1.0);
  EXPECT_EQ(a.in_step_fraction, h.in_step_fraction);
  const Roofline r(FlopsPerSecond(312e12), BytesPerSecond(2.039e12), a);
  const Kernel gemm{"g",         OpClass::kFfn, KernelClass::kGemm,         Pass::kForward,
                    Flops(1e12), Bytes(1e8),    GemmShape{8192, 8192, 8192}};
  const Kernel stream{
      "s",        OpClass::kElementwise, KernelClass::kElementwise, Pass::kForward, Flops(1e6),
      Bytes(1e9), std::nullopt};
  EXPECT_NEAR(r.time(std::vector<Kernel>{gemm, stream}).value(),
              (r.time(gemm) + r.time(stream)).value() / a.in_step_fraction, 1e-15);
}

}  // namespace
}  // namespace gwsim::workload::transformer
