// The IT power a site may draw under its envelope: the grid connection limit (and the site power
// cap) bound the facility's total draw, IT + power delivery losses + cooling, and cooling depends
// on the outside temperature, so the IT power that fits changes with the weather.
//
// For an IT power P in steady state (the cooling loop removes P), the site load is
//   L(P, T) = P / (transformer * UPS * distribution) + cooling(P, T) / transformer,
// exactly as in facility.h. The limit at temperature T is the largest P with L(P, T) <= cap, found
// by bisection (cooling is not monotone in heat everywhere, so the bisection keeps the side that
// fits). Storage is not counted on (it may be empty when the limit binds), so the bound is
// conservative where storage exists. Plain C++: used by the job-resolution scheduler
// (sim/scheduler) to throttle jobs, at least hourly.
#pragma once

#include <optional>

#include "sim/config/facility_spec.h"
#include "sim/core/units.h"
#include "sim/facility/cooling_plant.h"
#include "sim/facility/weather.h"

namespace gwsim::facility {

class ItPowerLimit {
 public:
  explicit ItPowerLimit(const config::FacilitySpec& spec);

  // The envelope has a cap (grid_limit or power_cap).
  bool active() const { return cap_.has_value(); }
  std::optional<Watts> cap() const { return cap_; }

  // Steady-state site load at IT power `it` and outside temperature `outside`.
  Watts site_load(Watts it, config::Celsius outside) const;
  // The largest IT power whose site load fits under the cap at `outside`; 0 when even no IT load
  // fits. REQUIRES active().
  Watts at(config::Celsius outside) const;
  // The smallest of at(T) over the temperatures the weather gives in [t0, t1], sampled every 5
  // minutes and at both ends, so that it holds through the interval. REQUIRES active().
  Watts over(Seconds t0, Seconds t1) const;

 private:
  config::PowerDeliverySpec delivery_;
  CoolingPlant plant_;
  Weather weather_;
  std::optional<Watts> cap_;
};

}  // namespace gwsim::facility
