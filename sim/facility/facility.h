// The facility chain: from the accelerators' IT power series to the site's grid draw.
//
// Per interval of the site power series (sim/run's RunResult::site_power), in this order:
//  1. smoothing (optional): the IT power the accelerators draw after the power floor and ramp
//  limit;
//  2. weather: outside temperature at the middle of the interval;
//  3. cooling: heat removed through the loop's thermal inertia (thermal_loop.h), cooling power of
//  the
//     plant (cooling_plant.h);
//  4. power delivery: the site load L = IT / (transformer * UPS * distribution) + cooling /
//  transformer
//     (the cooling plant is fed from the transformer, not through the UPS);
//  5. envelope: storage moves the grid draw toward a smoothed target; if the grid draw would exceed
//  the
//     cap (the tighter of grid_limit and power_cap) even with all the storage can give, the IT
//     power is throttled to the largest value that fits (found by bisection, since cooling depends
//     on it).
// Energy is conserved: grid = IT + cooling + delivery losses + storage losses + change of stored
// energy, interval by interval; IT heat = heat removed + heat held in the loop. See
// docs/facility.md. Plain C++: no SimGrid; the chain runs after the simulation and does not feed
// back into it.
#pragma once

#include <span>
#include <vector>

#include "sim/config/facility_spec.h"
#include "sim/core/units.h"
#include "sim/facility/power_metrics.h"

namespace gwsim::facility {

struct FacilityInput {
  Seconds interval;                  // of the series
  std::span<const double> demand_w;  // IT power the accelerators ask for, mean over each interval
  Watts total_tdp;                   // sum of the accelerators' peak power (for smoothing)
};

// One value per interval; interval i ends at (i + 1) * interval.
struct FacilitySeries {
  std::vector<double> end_s;
  std::vector<double> demand_w;   // IT power asked for
  std::vector<double> it_w;       // IT power drawn (after smoothing and throttling)
  std::vector<double> cooling_w;  // cooling plant
  std::vector<double> losses_w;   // power delivery + storage conversion losses
  std::vector<double> total_w;    // it + cooling + losses: the facility's consumption
  std::vector<double> grid_w;     // drawn from the grid: total + power into storage
  std::vector<double>
      storage_w;  // delivered by storage (> 0) or taken to charge it (< 0), grid side
  std::vector<double> stored_j;   // storage energy at the end of the interval
  std::vector<double> pue;        // total / it (NaN when it is 0)
  std::vector<double> outside_c;  // outside dry bulb at the interval's middle
  std::vector<double> throttle;   // it / smoothed demand (1 when not throttled)
};

struct FacilityTotals {
  Joules demand, it, cooling, delivery_losses, storage_losses, total, grid;
  Joules smoothing;        // IT energy added by smoothing (floor and ramp limits), may be negative
  Joules storage_change;   // stored energy at the end minus at the start
  Joules heat_removed;     // by the cooling plant
  Joules heat_in_loop;     // held by the loop's thermal inertia at the end
  double pue = 0;          // total / it over the run
  Seconds throttled_time;  // intervals with throttle < 1
  Seconds over_cap_time;   // intervals where even zero IT power could not meet the cap
};

struct FacilityResult {
  Seconds interval;
  FacilitySeries series;
  FacilityTotals totals;
  PowerMetrics grid_metrics;  // of grid_w
  PowerMetrics it_metrics;    // of it_w
};

FacilityResult run_facility(const config::FacilitySpec& spec, const FacilityInput& input);

}  // namespace gwsim::facility
