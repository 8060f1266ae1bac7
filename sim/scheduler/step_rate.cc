#include "sim/scheduler/step_rate.h"

#include <algorithm>

namespace gwsim::scheduler {

CapSpeed cap_speed(const power::AcceleratorPowerModel& model, std::optional<Watts> cap) {
  const Watts full = model.computing(1);
  CapSpeed out{cap, 1, full, true};
  if (!cap) return out;
  if (*cap < model.communicating) out.feasible = false;
  if (*cap >= full) return out;
  const power::CapCurve& curve = model.cap_curve;
  if (curve.speed.empty()) {  // nothing can slow down: the cap cannot be met
    out.feasible = false;
    return out;
  }
  const double fraction = (*cap - model.idle) / (full - model.idle);
  if (fraction < curve.power.front()) {
    out.feasible = false;
    out.speed = curve.speed.front();
  } else {
    out.speed = curve.speed_at(fraction);
  }
  out.compute_power = model.idle + (full - model.idle) * curve.power_at(out.speed);
  return out;
}

Watts least_feasible_cap(const power::AcceleratorPowerModel& model) {
  const Watts full = model.computing(1);
  if (model.cap_curve.speed.empty()) return max(full, model.communicating);
  const Watts least = model.idle + (full - model.idle) * model.cap_curve.power.front();
  return max(model.communicating, min(full, least));
}

StepRate step_rate(const config::JobShapeSpec& shape, const power::AcceleratorPowerModel& model,
                   const CapSpeed& speed) {
  const Seconds rest =
      max(Seconds(0), shape.step_time - shape.compute - shape.exposed_comm - shape.bubble);
  const double s = speed.speed;
  const Seconds step = shape.compute / s + shape.exposed_comm + shape.bubble + rest;
  const config::JobShapeSpec::Activity a =
      shape.activity ? *shape.activity
                     : config::JobShapeSpec::Activity{shape.compute, Seconds(0), shape.exposed_comm,
                                                      shape.bubble + rest};
  Watts overlap = speed.compute_power + max(Watts(0), model.communicating - model.idle);
  if (speed.cap) overlap = min(overlap, *speed.cap);
  const Seconds idle =
      max(Seconds(0), step - (a.computing + a.computing_communicating) / s - a.communicating);
  const Joules energy = speed.compute_power * (a.computing / s) +
                        overlap * (a.computing_communicating / s) +
                        model.communicating * a.communicating + model.idle * idle;
  return StepRate{step, energy / step};
}

}  // namespace gwsim::scheduler
