#include "sim/facility/chiller.h"

#include <algorithm>
#include <cmath>

namespace gwsim::facility {
namespace {

double biquadratic(const std::array<double, 6>& k, double x, double y) {
  return k[0] + k[1] * x + k[2] * x * x + k[3] * y + k[4] * y * y + k[5] * x * y;
}

}  // namespace

double ChillerPlant::capacity_factor(config::Celsius te, config::Celsius tc) const {
  return biquadratic(
      spec_.capacity_curve,
      std::clamp(te.value, spec_.min_leaving_chilled.value, spec_.max_leaving_chilled.value),
      std::clamp(tc.value, spec_.min_entering_condenser.value, spec_.max_entering_condenser.value));
}

double ChillerPlant::eir_factor(config::Celsius te, config::Celsius tc) const {
  return biquadratic(
      spec_.eir_curve,
      std::clamp(te.value, spec_.min_leaving_chilled.value, spec_.max_leaving_chilled.value),
      std::clamp(tc.value, spec_.min_entering_condenser.value, spec_.max_entering_condenser.value));
}

double ChillerPlant::part_load_factor(double plr) const {
  const auto& k = spec_.part_load_curve;
  return k[0] + k[1] * plr + k[2] * plr * plr;
}

ChillerOperation ChillerPlant::run(Watts load, config::Celsius te, config::Celsius tc) const {
  ChillerOperation op;
  if (!(load > Watts(0))) return op;
  const Watts available = spec_.reference_capacity * capacity_factor(te, tc);
  op.running = std::max(1, static_cast<int>(std::ceil(load / available - 1e-12)));
  op.part_load_ratio = load / available / op.running;
  const double plr = std::max(op.part_load_ratio, spec_.min_part_load_ratio);
  const double cycling = std::min(op.part_load_ratio / spec_.min_part_load_ratio, 1.0);
  op.power = op.running * available / spec_.reference_cop * eir_factor(te, tc) *
             part_load_factor(plr) * cycling;
  return op;
}

}  // namespace gwsim::facility
