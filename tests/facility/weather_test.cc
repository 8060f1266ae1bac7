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
  // Mid-July is day 181 + 15.5 = 196.5 of the year (0-based), i.e. 12:00 on that day; July's
  // normals are max 16, min 6 here. Three hours later (15:00) the profile is at July's maximum,
  // nine hours earlier (03:00) at its minimum, up to the drift of the monthly interpolation over
  // those hours (< 0.02 K).
  const double mid_july = 196.5 * 24;
  EXPECT_NEAR(normals_temperature(n, mid_july + 3).value, 16.0, 0.02);
  EXPECT_NEAR(normals_temperature(n, mid_july - 9).value, 6.0, 0.02);
  // Half a day later the cosine is at its opposite extreme.
  EXPECT_NEAR(normals_temperature(n, mid_july + 15).value, 6.0, 0.03);
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
