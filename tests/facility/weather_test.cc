// Weather profiles against their definitions (sim/facility/weather.h).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/facility/weather.h"

namespace gwsim::facility {
namespace {

config::MonthlyNormals ramp_normals() {
  config::MonthlyNormals n;
  for (size_t m = 0; m < 12; ++m) {
    n.max_c[m] = 10.0 + static_cast<double>(m);
    n.min_c[m] = static_cast<double>(m);
  }
  return n;
}

TEST(Weather, NormalsPeakAtThreePmAndBottomAtThreeAmOnMidMonth) {
  const config::MonthlyNormals n = ramp_normals();
  // 16 July 00:00 is the middle of July (day 181 + 15.5 = 196.5 days): hour 196.5*24 = 4716.
  const double mid_july_midnight = (181 + 15.5) * 24 - 12;  // midnight before the mid-point
  EXPECT_NEAR(normals_temperature(n, mid_july_midnight + 12 + 3).value, 16.0 + 0.0,
              0.02);  // ~15:00 of mid-July -> Tmax 16
  EXPECT_NEAR(normals_temperature(n, (181 + 15.5) * 24 - 9).value, 6.0 - 0.0,
              0.02);  // 03:00 -> Tmin 6
}

TEST(Weather, DailyMeanIsTheMeanOfMaxAndMin) {
  const config::MonthlyNormals n = ramp_normals();
  double sum = 0;
  const double start = 100 * 24;  // a day in April
  for (int k = 0; k < 24 * 60; ++k) sum += normals_temperature(n, start + k / 60.0).value;
  const double mean = sum / (24 * 60);
  const double mid =
      (normals_temperature(n, start + 15).value + normals_temperature(n, start + 3).value) / 2;
  EXPECT_NEAR(mean, mid, 0.01);
}

TEST(Weather, StartDayAndHourShiftTime) {
  config::WeatherSpec spec;
  spec.source = ramp_normals();
  spec.start_day = 32;
  spec.start_hour = 6;
  const Weather w(spec);
  EXPECT_NEAR(w.hour_of_year(Seconds(0)), 31 * 24 + 6, 1e-9);
  EXPECT_NEAR(w.hour_of_year(Seconds(3600)), 31 * 24 + 7, 1e-9);
  EXPECT_NEAR(w.hour_of_year(Seconds(365 * 86400.0)), 31 * 24 + 6, 1e-6);  // the year repeats
}

TEST(Weather, HourlySeriesInterpolatesAndRepeats) {
  config::WeatherSpec spec;
  spec.source = config::HourlyTemperatures{"test", {0.0, 10.0, 4.0}};
  const Weather w(spec);
  EXPECT_NEAR(w.at(Seconds(1800)).value, 5.0, 1e-9);
  EXPECT_NEAR(w.at(Seconds(3600 * 1.25)).value, 8.5, 1e-9);
  EXPECT_NEAR(w.at(Seconds(3600 * 2.5)).value, 2.0, 1e-9);  // between the last hour and the first
  EXPECT_NEAR(w.at(Seconds(3600 * 3.5)).value, 5.0, 1e-9);
}

}  // namespace
}  // namespace gwsim::facility
