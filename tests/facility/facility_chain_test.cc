// The facility chain: energy conservation, PUE as the ratio of the integrated series, weather, the
// cap.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "sim/facility/facility.h"
#include "tests/facility/test_specs.h"

namespace gwsim::facility {
namespace {

double integral(const std::vector<double>& w, Seconds dt) {
  return std::accumulate(w.begin(), w.end(), 0.0) * dt.value();
}

// Synchronous training at 100 ms resolution: 2 s of compute at 10 MW, 0.5 s of communication at 3
// MW.
std::vector<double> training_swings(size_t n) {
  std::vector<double> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = (i % 25) < 20 ? 10e6 : 3e6;
  return p;
}

TEST(FacilityChain, ConservesEnergy) {
  config::FacilitySpec spec = testing::facility_at(27);
  config::StorageSpec storage;
  storage.capacity = Joules(3.6e9);
  storage.power = Watts(3e6);
  storage.round_trip_efficiency = 0.85;
  storage.initial_charge = 0.5;
  storage.smoothing_time = Seconds(30);
  spec.envelope.storage = storage;
  const Seconds dt(0.1);
  const std::vector<double> demand = training_swings(6000);
  const FacilityResult r = run_facility(spec, {dt, demand, Watts(12e6)});
  const FacilityTotals& t = r.totals;
  const double scale = t.grid.value();
  // Grid = IT + cooling + losses + energy put into storage, from the totals and from the series.
  EXPECT_NEAR(t.grid.value(),
              (t.it + t.cooling + t.delivery_losses + t.storage_losses + t.storage_change).value(),
              1e-9 * scale);
  EXPECT_NEAR(integral(r.series.grid_w, dt), t.grid.value(), 1e-9 * scale);
  EXPECT_NEAR(integral(r.series.total_w, dt),
              integral(r.series.it_w, dt) + integral(r.series.cooling_w, dt) +
                  integral(r.series.losses_w, dt),
              1e-9 * scale);
  // Heat: what the IT put in was removed or is still held in the loop.
  EXPECT_NEAR(t.it.value(), (t.heat_removed + t.heat_in_loop).value(), 1e-9 * t.it.value());
  // No smoothing and no cap: the IT drew exactly what it asked for.
  EXPECT_NEAR(t.it.value(), integral(demand, dt), 1e-9 * t.it.value());
  // Power delivery losses are those of the efficiency chain.
  const config::PowerDeliverySpec& pd = spec.power_delivery;
  const double chain = pd.transformer_efficiency * pd.ups_efficiency * pd.distribution_efficiency;
  EXPECT_NEAR(t.delivery_losses.value(),
              (t.it * (1 / chain - 1) + t.cooling * (1 / pd.transformer_efficiency - 1)).value(),
              1e-9 * scale);
  EXPECT_GT(t.storage_losses, Joules(0));  // the storage worked
}

TEST(FacilityChain, PueIsTheRatioOfTheIntegratedSeries) {
  const Seconds dt(1);
  const std::vector<double> demand = training_swings(3600);
  const FacilityResult r = run_facility(testing::facility_at(20), {dt, demand, Watts(12e6)});
  EXPECT_NEAR(r.totals.pue, integral(r.series.total_w, dt) / integral(r.series.it_w, dt), 1e-12);
  EXPECT_GT(r.totals.pue, 1.0);
  for (size_t i = 0; i < r.series.pue.size(); ++i)
    ASSERT_NEAR(r.series.pue[i], r.series.total_w[i] / r.series.it_w[i], 1e-12);
}

TEST(FacilityChain, ColdDayHasLowerPueThanHotDay) {
  const std::vector<double> demand(3600, 10e6);
  for (const auto kind : {config::HeatRejection::kChiller, config::HeatRejection::kDryCooler,
                          config::HeatRejection::kCoolingTower}) {
    const double cold =
        run_facility(testing::facility_at(-5, kind), {Seconds(1), demand, Watts(12e6)}).totals.pue;
    const double hot =
        run_facility(testing::facility_at(38, kind), {Seconds(1), demand, Watts(12e6)}).totals.pue;
    EXPECT_LT(cold, hot) << "heat rejection " << static_cast<int>(kind);
  }
  // A dry cooler on a cold day runs without chillers: its PUE is set by fans, pumps and losses
  // alone.
  config::FacilitySpec spec = testing::facility_at(-5);
  const FacilityResult r = run_facility(spec, {Seconds(1), demand, Watts(12e6)});
  const config::CoolingSpec& c = spec.cooling;
  const double f = c.liquid_fraction;
  const double cooling =
      f * c.cdu_pump_fraction + (1 - f) * c.air_fan_fraction + c.rejection_fan_fraction;
  const config::PowerDeliverySpec& pd = spec.power_delivery;
  const double it_in =
      1 / (pd.transformer_efficiency * pd.ups_efficiency * pd.distribution_efficiency);
  EXPECT_NEAR(r.totals.pue, it_in + cooling / pd.transformer_efficiency, 1e-9);
}

TEST(FacilityChain, CoolingLagsItPower) {
  config::FacilitySpec spec = testing::facility_at(-5);
  spec.cooling.time_constant = Seconds(60);
  std::vector<double> demand(600, 1e6);
  for (size_t i = 100; i < demand.size(); ++i) demand[i] = 5e6;
  const FacilityResult r = run_facility(spec, {Seconds(1), demand, Watts(6e6)});
  // With a dry cooler in the cold, cooling power is proportional to heat removed: it follows the
  // step as 1 - exp(-t / tau).
  const double before = r.series.cooling_w[99];
  const double after = r.series.cooling_w[599];
  const double at_tau = r.series.cooling_w[159];  // the interval ending 60 s after the step
  const double expected = (1 - std::exp(-1.0));
  // Mean over [59, 60] s after the step: tau/dt*(e^{-59/60} - e^{-60/60}) from the exact solution.
  const double mean_fraction = 1 - 60.0 * (std::exp(-59.0 / 60) - std::exp(-1.0));
  EXPECT_NEAR((at_tau - before) / (after - before), mean_fraction, 1e-3);
  EXPECT_NEAR(mean_fraction, expected, 0.01);
}

TEST(FacilityChain, PowerCapIsNeverExceeded) {
  config::FacilitySpec spec = testing::facility_at(30);
  spec.envelope.power_cap = Watts(11e6);
  spec.envelope.grid_limit = Watts(12e6);
  const Seconds dt(0.1);
  const std::vector<double> demand = training_swings(3000);
  const FacilityResult r = run_facility(spec, {dt, demand, Watts(12e6)});
  for (double g : r.series.grid_w) ASSERT_LE(g, 11e6 * (1 + 1e-12));
  EXPECT_GT(r.totals.throttled_time, Seconds(0));  // the cap did bind (10 MW of IT needs > 11 MW)
  EXPECT_EQ(r.totals.over_cap_time, Seconds(0));
  // With storage, the cap binds less often: the battery covers the peaks.
  config::StorageSpec storage;
  storage.capacity = Joules(3.6e9);
  storage.power = Watts(2e6);
  storage.smoothing_time = Seconds(10);
  spec.envelope.storage = storage;
  const FacilityResult with = run_facility(spec, {dt, demand, Watts(12e6)});
  for (size_t i = 0; i < with.series.grid_w.size(); ++i) {
    ASSERT_LE(with.series.grid_w[i], 11e6 * (1 + 1e-12));
    ASSERT_GE(with.series.stored_j[i], 0.0);
    ASSERT_LE(with.series.stored_j[i], 3.6e9);
  }
  EXPECT_LT(with.totals.throttled_time, r.totals.throttled_time);
}

TEST(FacilityChain, SmoothingRaisesTheFloorAndCostsEnergy) {
  config::FacilitySpec spec = testing::facility_at(10);
  config::SmoothingSpec smoothing;
  smoothing.power_floor = 0.5;
  spec.envelope.smoothing = smoothing;
  const Seconds dt(0.1);
  const std::vector<double> demand = training_swings(1000);  // troughs at 3 MW of a 12 MW TDP
  const FacilityResult r = run_facility(spec, {dt, demand, Watts(12e6)});
  EXPECT_NEAR(r.it_metrics.minimum.value(), 6e6, 1e-6);
  // Extra energy = (6 - 3) MW during the troughs (5 of every 25 intervals).
  EXPECT_NEAR(r.totals.smoothing.value(), 3e6 * dt.value() * 1000 * 5 / 25, 1e-3);
  EXPECT_LT(r.grid_metrics.dynamic_range, Watts(7e6 * 1.2));
}

}  // namespace
}  // namespace gwsim::facility
