// The site envelope as plain models: accelerator-level power smoothing, energy storage and the site
// power cap.
//
// Smoothing (after "Power Stabilization for AI Training Datacenters", Choukse et al., 2025,
// arXiv:2508.14318): each accelerator draws at least power_floor * TDP, and its power changes by at
// most TDP / ramp_time per second. Applied to the site's aggregate IT power with the aggregate TDP,
// which is exact when the accelerators move together (synchronous training) and otherwise an
// approximation. The extra energy burnt by the floor and slow ramp-down is accounted as smoothing
// energy; a slow ramp-up delays power the accelerators asked for (the simulated timing is not
// changed: see docs/facility.md).
//
// Storage: a battery at the grid side with one-way efficiency sqrt(round trip) each way. Charging
// at grid power c for dt stores c eta dt; discharging d for dt removes d / eta dt. Power is limited
// so that the state of charge never leaves [0, capacity]; nothing is clipped after the fact.
#pragma once

#include <optional>

#include "sim/config/facility_spec.h"
#include "sim/core/units.h"

namespace gwsim::facility {

class Smoother {
 public:
  Smoother(const config::SmoothingSpec& spec, Watts total_tdp) : spec_(spec), tdp_(total_tdp) {}
  // The smoothed IT power for a step of length dt in which the accelerators demand `demand`.
  Watts step(Watts demand, Seconds dt);

 private:
  config::SmoothingSpec spec_;
  Watts tdp_;
  std::optional<Watts> last_;
};

class Storage {
 public:
  explicit Storage(const config::StorageSpec& spec);

  Joules energy() const { return energy_; }
  const config::StorageSpec& spec() const { return spec_; }

  // Largest discharge (power delivered to the site) and charge (power taken from the grid) possible
  // over a step of length dt.
  Watts max_discharge(Seconds dt) const;
  Watts max_charge(Seconds dt) const;

  // Applies a grid-side power for dt: positive discharges, negative charges. REQUIRES it within the
  // limits above. Returns the energy lost in the conversion.
  Joules apply(Watts discharge, Seconds dt);

 private:
  config::StorageSpec spec_;
  double one_way_ = 1;
  Joules energy_;
};

// The grid draw the storage aims at: an exponential moving average of the site load with the
// storage's smoothing time, so the storage absorbs the fast part of the swings.
class GridTarget {
 public:
  explicit GridTarget(Seconds smoothing_time) : tau_(smoothing_time) {}
  Watts step(Watts load, Seconds dt);

 private:
  Seconds tau_;
  std::optional<Watts> target_;
};

}  // namespace gwsim::facility
