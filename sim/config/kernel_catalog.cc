#include "sim/config/kernel_catalog.h"

#include <algorithm>

#include "sim/config/catalog.h"
#include "sim/config/field_check.h"
#include "sim/config/kernel.pb.h"
#include "sim/config/yaml_entry.h"
#include "sim/config/yaml_mapping.h"

namespace gwsim::config {
namespace {

using Checker = detail::FieldCheck;

// A share in (0, 1] with its source.
double fraction(const Checker& check, const pb::Fraction& f, bool present,
                const std::string& path) {
  if (!present) check.fail(path, "required: a fraction {value, source}");
  if (f.source().empty())
    check.fail(path + ".source", "required: where the value comes from (or \"assumed: why\")");
  if (!(f.value() > 0 && f.value() <= 1))
    check.fail(path + ".value", "must be in (0, 1], got " + std::to_string(f.value()));
  return f.value();
}

}  // namespace

KernelEfficiency load_kernel_efficiency(const std::string& accelerator, const SourceLocation& from,
                                        const std::string& field) {
  const std::vector<std::string> known = catalog_ids("kernels");
  if (std::find(known.begin(), known.end(), accelerator) == known.end()) {
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    throw InputError(from, field,
                     "no kernel efficiency entry for accelerator \"" + accelerator + "\" in " +
                         (platforms_dir() / "kernels").string() + "; entries exist for: " + list);
  }
  const std::filesystem::path file = platforms_dir() / "kernels" / (accelerator + ".yaml");
  detail::SourceMap sources(file.string());
  const auto message = detail::read_yaml_entry<pb::KernelFile>(file, "kernel catalog", sources);
  const Checker check(sources, "");
  if (!message.has_kernels()) check.fail("kernels", "required: the entry, under the key kernels");
  const pb::KernelEntry& m = message.kernels();
  KernelEfficiency k;
  k.accelerator = accelerator;
  k.name = m.name();
  if (k.name.empty()) check.fail("kernels.name", "required: the accelerator's display name");
  if (!m.has_gemm()) check.fail("kernels.gemm", "required");
  const pb::GemmEntry& g = m.gemm();
  k.gemm_peak_fraction =
      fraction(check, g.peak_fraction(), g.has_peak_fraction(), "kernels.gemm.peak_fraction");
  if (g.has_fp8_peak_fraction()) {
    k.gemm_fp8_peak_fraction =
        fraction(check, g.fp8_peak_fraction(), true, "kernels.gemm.fp8_peak_fraction");
  }
  k.gemm_tile_m = check.count(g.tile_m(), "kernels.gemm.tile_m");
  k.gemm_tile_n = check.count(g.tile_n(), "kernels.gemm.tile_n");
  k.gemm_wave_tiles = check.count(g.wave_tiles(), "kernels.gemm.wave_tiles");
  if (g.tile_source().empty())
    check.fail("kernels.gemm.tile_source", "required: where the tile and wave sizes come from");
  if (!m.has_attention()) check.fail("kernels.attention", "required");
  const pb::AttentionEntry& a = m.attention();
  k.attention_forward_fraction = fraction(check, a.forward_fraction(), a.has_forward_fraction(),
                                          "kernels.attention.forward_fraction");
  k.attention_backward_fraction = fraction(check, a.backward_fraction(), a.has_backward_fraction(),
                                           "kernels.attention.backward_fraction");
  k.memory_fraction =
      fraction(check, m.memory_fraction(), m.has_memory_fraction(), "kernels.memory_fraction");
  const std::filesystem::path calibration = platforms_dir() / "calibration" / "kernels.yaml";
  if (std::filesystem::exists(calibration)) {
    detail::SourceMap calibration_sources(calibration.string());
    const auto c = detail::read_yaml_entry<pb::CalibrationFile>(calibration, "calibration",
                                                                calibration_sources);
    const Checker check_calibration(calibration_sources, "");
    if (!c.has_calibration())
      check_calibration.fail("calibration", "required: the entry, under the key calibration");
    k.in_step_fraction =
        fraction(check_calibration, c.calibration().in_step_fraction(),
                 c.calibration().has_in_step_fraction(), "calibration.in_step_fraction");
    if (c.calibration().method().empty())
      check_calibration.fail("calibration.method", "required: how the value was obtained");
  }
  return k;
}

}  // namespace gwsim::config
