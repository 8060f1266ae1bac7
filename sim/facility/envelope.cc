#include "sim/facility/envelope.h"

#include <algorithm>
#include <cmath>

namespace gwsim::facility {

Watts Smoother::step(Watts demand, Seconds dt) {
  Watts p = max(demand, tdp_ * spec_.power_floor);
  if (last_ && spec_.ramp_time) {
    const Watts max_change = tdp_ * (dt / *spec_.ramp_time);
    p = std::clamp(p, *last_ - max_change, *last_ + max_change);
    p = max(p, tdp_ * spec_.power_floor);
  }
  last_ = p;
  return p;
}

Storage::Storage(const config::StorageSpec& spec)
    : spec_(spec),
      one_way_(std::sqrt(spec.round_trip_efficiency)),
      energy_(spec.capacity * spec.initial_charge) {}

Watts Storage::max_discharge(Seconds dt) const { return min(spec_.power, energy_ * one_way_ / dt); }

Watts Storage::max_charge(Seconds dt) const {
  return min(spec_.power, (spec_.capacity - energy_) / one_way_ / dt);
}

Joules Storage::apply(Watts discharge, Seconds dt) {
  if (discharge >= Watts(0)) {
    const Joules removed = discharge * dt / one_way_;
    energy_ =
        max(Joules(0), energy_ - removed);  // guards rounding only: discharge <= max_discharge
    return removed - discharge * dt;
  }
  const Joules taken = -discharge * dt;
  energy_ = min(spec_.capacity, energy_ + taken * one_way_);  // rounding guard, as above
  return taken - taken * one_way_;
}

Watts GridTarget::step(Watts load, Seconds dt) {
  if (!target_) {
    target_ = load;
  } else {
    *target_ += (load - *target_) * (1 - std::exp(-(dt / tau_)));
  }
  return *target_;
}

}  // namespace gwsim::facility
