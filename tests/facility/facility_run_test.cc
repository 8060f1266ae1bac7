// The facility chain inside a run (configs/facility-example.yaml): it reads the site power series,
// keeps its energy balance, and its grid draw respects the scenario's cap.
#include <gtest/gtest.h>

#include <numeric>

#include "sim/config/loader.h"
#include "sim/run/run_scenario.h"

namespace gwsim::run {
namespace {

TEST(FacilityRun, ChainRunsOnTheSitePowerSeries) {
  const config::Scenario scenario =
      config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/configs/facility-example.yaml");
  const RunResult result = run_scenario(scenario);
  ASSERT_TRUE(result.site_power.has_value());
  ASSERT_TRUE(result.facility.has_value());
  const facility::FacilityResult& f = *result.facility;
  ASSERT_EQ(f.series.demand_w, result.site_power->power_w);
  EXPECT_EQ(f.interval, result.site_power->interval);
  const facility::FacilityTotals& t = f.totals;
  EXPECT_NEAR(t.grid.value(),
              (t.it + t.cooling + t.delivery_losses + t.storage_losses + t.storage_change).value(),
              1e-9 * t.grid.value());
  const double cap = scenario.facility->envelope.cap()->value();
  for (double g : f.series.grid_w) ASSERT_LE(g, cap * (1 + 1e-12));
  EXPECT_GT(t.pue, 1.0);
  // The smoothing floor (0.3 of TDP) lifts every interval to at least 0.3 x 16 x 700 W.
  EXPECT_GE(f.it_metrics.minimum.value(), 0.3 * 16 * 700 * (1 - 1e-12));
}

}  // namespace
}  // namespace gwsim::run
