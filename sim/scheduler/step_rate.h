// A job's step rate and power at job resolution: the shape's step breakdown at full speed, slowed
// by a per-accelerator power cap along the cap curve (sim/power/accelerator_power.h). Plain C++.
//
// A step at full speed is compute + exposed_comm + bubble + rest (rest: time the breakdown does not
// attribute), compute being the critical path's. Under a cap c on each accelerator, a compute-bound
// computation runs at speed s (1 when its full power fits, else the s where it draws exactly c) and
// takes 1/s as long; communication and bubbles are not slowed. So
//   step(s) = compute / s + exposed_comm + bubble + rest.
// Energy per accelerator and step comes from the time an accelerator spends in each activity: the
// shape's measured means (computing alone a_c, computing while communicating a_cc, communicating
// alone a_m, idle a_i) or, for an inline shape, a_c = compute, a_cc = 0, a_m = exposed_comm,
// a_i = bubble + rest. Computing time stretches by 1/s; what the step gains beyond it is idle:
//   energy(s) = a_c / s * P_c(s) + a_cc / s * min(P_c(s) + P_comm - P_idle, c) + a_m * P_comm
//               + (step(s) - (a_c + a_cc) / s - a_m) * P_idle
// (the activity powers of docs/power.md; overlap clipped at the cap as the accelerator-resolution
// tracker does). The job draws energy(s) / step(s) per accelerator on average: the step-averaged
// power, piecewise constant between scheduler events. No term exceeds c when the cap is feasible,
// so neither does the average.
#pragma once

#include <optional>

#include "sim/config/scenario.h"
#include "sim/core/units.h"
#include "sim/power/accelerator_power.h"

namespace gwsim::scheduler {

// The speed every compute-bound computation runs at under a cap, and whether the cap can be met.
struct CapSpeed {
  std::optional<Watts> cap;  // the per-accelerator cap it was found for
  double speed = 1;          // in (0, 1]
  Watts compute_power;       // what a computing accelerator draws at that speed
  bool feasible = true;      // false: the cap is below the least power the curve reaches (or below
                             // the communicating power); the speed is then the curve's lowest
};

// `model` is the accelerator's power model without a cap (its cap_curve set when a cap can bind).
CapSpeed cap_speed(const power::AcceleratorPowerModel& model, std::optional<Watts> cap);

// The least per-accelerator cap that can be met: the communicating power, or the power of a
// computation at the curve's lowest speed if that is higher. Full-speed power when the model has no
// cap curve (nothing can be throttled).
Watts least_feasible_cap(const power::AcceleratorPowerModel& model);

struct StepRate {
  Seconds step_time;        // at the speed
  Watts accelerator_power;  // step-averaged, per accelerator
};

StepRate step_rate(const config::JobShapeSpec& shape, const power::AcceleratorPowerModel& model,
                   const CapSpeed& speed);

}  // namespace gwsim::scheduler
