// Outside dry-bulb temperature over simulated time, from a constant, an hourly series or monthly
// normals.
//
// Simulated time 0 is `start_hour` on day `start_day` of the year; the year has 365 days and
// repeats. Monthly normals become a daily profile: the mean daily maximum and minimum are
// interpolated linearly between mid-month points (cyclically, December to January), and within a
// day the temperature is
//   T(h) = (Tmax + Tmin) / 2 + (Tmax - Tmin) / 2 * cos(2 pi (h - 15) / 24),
// a cosine with its maximum at 15:00 and minimum at 03:00 local time, so the day's mean is the
// normals' mean temperature (Tmax + Tmin) / 2. Limits: real minima come near sunrise and the curve
// is not symmetric; day-to-day weather variability is absent (normals are averages). See
// docs/facility.md. An hourly series is interpolated linearly between hours and repeats after its
// last hour.
#pragma once

#include "sim/config/facility_spec.h"
#include "sim/core/units.h"

namespace gwsim::facility {

class Weather {
 public:
  explicit Weather(config::WeatherSpec spec) : spec_(std::move(spec)) {}

  config::Celsius at(Seconds t) const;

  // Hours since 1 January 00:00 at simulated time t, in [0, 8760).
  double hour_of_year(Seconds t) const;

 private:
  config::WeatherSpec spec_;
};

// The monthly-normals profile at `hour_of_year` (exposed for tests).
config::Celsius normals_temperature(const config::MonthlyNormals& normals, double hour_of_year);

}  // namespace gwsim::facility
