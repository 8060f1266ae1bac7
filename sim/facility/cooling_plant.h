// Cooling power for a given heat load and outside temperature: direct-to-chip liquid cooling
// through CDUs, air handlers for the rest of the heat, and heat rejection by chillers, dry coolers
// or cooling towers with free cooling when the outside is cold enough.
//
// Of the heat Q, a share f goes into the liquid loop and 1 - f into air (chilled-water loop). Each
// loop returns at T_r = supply + delta_t. The heat sink is the outside dry bulb (chiller, dry
// cooler) or wet bulb = dry bulb - depression (cooling tower); heat rejection reaches sink +
// approach. An economizer (dry cooler or tower, not a chiller-only plant) cools the return water as
// far as it can, so the share of a loop's heat rejected for free is
//   phi = clamp((T_r - (T_sink + approach)) / delta_t, 0, 1)
// and the chiller plant (condenser entering at T_sink + approach, leaving at the loop's supply)
// removes the rest. Power: CDU pumps = cdu_pump_fraction * f Q; air fans = air_fan_fraction * (1 -
// f) Q; chillers per chiller.h; heat rejection fans = rejection_fan_fraction * (Q + chiller power),
// since the compressors' heat is rejected too. Limits: fixed-fraction fans and pumps (no affinity
// laws); one sink approach for all rejection equipment; no humidity effects beyond a fixed wet-bulb
// depression. See docs/facility.md.
#pragma once

#include "sim/config/facility_spec.h"
#include "sim/core/units.h"
#include "sim/facility/chiller.h"

namespace gwsim::facility {

struct CoolingPower {
  Watts cdu_pumps;
  Watts air_fans;
  Watts chillers;
  Watts rejection_fans;
  double liquid_free_fraction = 0;  // phi of the liquid loop
  double air_free_fraction = 0;     // phi of the chilled-water loop

  Watts total() const { return cdu_pumps + air_fans + chillers + rejection_fans; }
};

class CoolingPlant {
 public:
  explicit CoolingPlant(const config::CoolingSpec& spec) : spec_(spec), chillers_(spec.chiller) {}

  // Cooling power while removing `heat` (>= 0) with `outside` dry-bulb temperature.
  CoolingPower power(Watts heat, config::Celsius outside) const;

  // The heat-sink temperature (dry or wet bulb) for an outside dry bulb.
  config::Celsius sink(config::Celsius outside) const;
  // Share of a loop's heat rejected without a chiller.
  double free_fraction(const config::LoopSpec& loop, config::Celsius outside) const;

 private:
  config::CoolingSpec spec_;
  ChillerPlant chillers_;
};

}  // namespace gwsim::facility
