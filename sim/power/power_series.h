// A power time series: average power over consecutive intervals of a window.
#pragma once

#include <vector>

#include "sim/core/units.h"

namespace gwsim::power {

// Sample i covers [start + i * interval, start + (i + 1) * interval) and equals the energy of that
// interval divided by its length, so the series integrates exactly to the energy of the window it
// covers. A run's last, partial interval is not sampled.
struct PowerSeries {
  Seconds interval;
  std::vector<double> end_s;    // end of each interval, seconds
  std::vector<double> power_w;  // average power over the interval, watts
};

}  // namespace gwsim::power
