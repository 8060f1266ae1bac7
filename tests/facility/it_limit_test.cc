// The IT power that fits under the envelope's cap (sim/facility/it_limit.h): against the site load
// it is defined by, and its dependence on the weather.
#include "sim/facility/it_limit.h"

#include <gtest/gtest.h>

#include "tests/facility/test_specs.h"

namespace gwsim::facility {
namespace {

config::FacilitySpec capped_at(double outside_c, Watts grid_limit) {
  config::FacilitySpec spec = testing::facility_at(outside_c);
  spec.envelope.grid_limit = grid_limit;
  return spec;
}

TEST(ItPowerLimit, SiteLoadAtTheLimitIsTheCap) {
  for (double outside : {-10.0, 15.0, 35.0}) {
    SCOPED_TRACE(outside);
    const ItPowerLimit limit(capped_at(outside, Watts(10e6)));
    ASSERT_TRUE(limit.active());
    const Watts it = limit.at(config::Celsius{outside});
    EXPECT_GT(it, Watts(5e6));
    EXPECT_LE(limit.site_load(it, config::Celsius{outside}), Watts(10e6));
    EXPECT_GT(limit.site_load(it * 1.001, config::Celsius{outside}), Watts(10e6));
    // The load is the facility chain's steady state: IT through delivery losses plus cooling.
    const double chain = 0.995 * 0.96 * 0.99;
    EXPECT_GT(limit.site_load(it, config::Celsius{outside}), it / chain);
  }
}

TEST(ItPowerLimit, HotterWeatherLeavesLessForIt) {
  const ItPowerLimit limit(capped_at(20, Watts(10e6)));
  EXPECT_GT(limit.at(config::Celsius{0}), limit.at(config::Celsius{20}));
  EXPECT_GT(limit.at(config::Celsius{20}), limit.at(config::Celsius{40}));
}

TEST(ItPowerLimit, OverAnIntervalTakesTheWorstTemperature) {
  config::FacilitySpec spec = capped_at(0, Watts(10e6));
  // Hour 0 at 5 C, hour 1 at 35 C: the limit over [0, 1 h] is the one at 35 C (its last instant).
  spec.weather.source = config::HourlyTemperatures{"test", {5, 35}};
  const ItPowerLimit limit(spec);
  EXPECT_EQ(limit.over(Seconds(0), Seconds(3600)), limit.at(config::Celsius{35}));
  EXPECT_EQ(limit.over(Seconds(0), Seconds(1)), limit.at(config::Celsius{5 + 30.0 / 3600}));
}

TEST(ItPowerLimit, NoCapMeansInactiveAndATinyCapFitsLessThanItself) {
  EXPECT_FALSE(ItPowerLimit(testing::facility_at(20)).active());
  const Watts it = ItPowerLimit(capped_at(40, Watts(1))).at(config::Celsius{40});
  EXPECT_GE(it, Watts(0));
  EXPECT_LT(it, Watts(0.95));  // delivery losses alone take 5.4%
}

}  // namespace
}  // namespace gwsim::facility
