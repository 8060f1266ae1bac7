// The bundled quickstart, run in-process without straggler noise, against closed forms: compute
// time from FLOPs and peak rate, the all-reduce from the collective library's closed form, energy
// from the power at idle and at peak.
#include <gtest/gtest.h>

#include <numeric>

#include "sim/config/loader.h"
#include "sim/run/run_scenario.h"
#include "tests/run/gradient_all_reduce.h"

namespace gwsim::run {
namespace {

config::Scenario quickstart_without_noise() {
  config::LoadOptions options;
  options.overrides = {"workload.jobs[0].data_parallel.compute_jitter_cv=0"};
  return config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/configs/quickstart.yaml", options);
}

TEST(Quickstart, StepsMatchClosedForms) {
  const config::Scenario scenario = quickstart_without_noise();
  const RunResult result = run_scenario(scenario);
  const auto& job = std::get<config::DataParallelJobSpec>(scenario.jobs[0].kind);
  const config::PlatformSpec& p = scenario.platform;

  const Seconds compute =
      job.flops_per_rank_per_step() / (job.compute_efficiency * p.accelerator.peak_flop_rate);
  // The library's choice for 2 nodes of 8 (a ring with one channel per NIC), at its closed form.
  const Seconds all_reduce = testing::gradient_all_reduce(scenario).predicted;
  ASSERT_EQ(result.steps.size(), 5u);
  for (const executor::StepRecord& step : result.steps) {
    EXPECT_NEAR(step.compute.value(), compute.value(), 1e-9 * compute.value());
    EXPECT_NEAR(step.exposed_comm.value(), all_reduce.value(), 0.01 * all_reduce.value())
        << "step " << step.step;
  }
  EXPECT_NEAR(result.simulated_time.value(), 5 * (compute + all_reduce).value(),
              0.01 * result.simulated_time.value());
}

TEST(Quickstart, EnergyIsPeakWhileComputingAndIdleOtherwise) {
  const config::Scenario scenario = quickstart_without_noise();
  const RunResult result = run_scenario(scenario);
  const config::AcceleratorSpec& acc = scenario.platform.accelerator;
  double compute_s = 0;
  for (const auto& step : result.steps) compute_s += step.compute.value();
  const double total_s = result.simulated_time.value();
  const double expected_j =
      acc.peak_power.value() * compute_s + acc.idle_power.value() * (total_s - compute_s);
  ASSERT_EQ(result.accelerators.size(), 16u);
  for (const AcceleratorRecord& a : result.accelerators) {
    EXPECT_NEAR(a.energy.value(), expected_j, 1e-3 * expected_j) << a.name;
  }
}

TEST(Quickstart, SitePowerSeriesIntegratesToTheEnergy) {
  const config::Scenario scenario = quickstart_without_noise();
  const RunResult result = run_scenario(scenario);
  ASSERT_TRUE(result.site_power.has_value());
  const power::PowerSeries& series = *result.site_power;
  ASSERT_GT(series.power_w.size(), 100u);
  const double interval = series.interval.value();
  const double integral =
      std::accumulate(series.power_w.begin(), series.power_w.end(), 0.0) * interval;
  double energy = 0;
  for (const AcceleratorRecord& a : result.accelerators) energy += a.energy.value();
  // The series stops at the last whole interval: what is missing is less than one interval at peak.
  const double peak_w = 16 * scenario.platform.accelerator.peak_power.value();
  EXPECT_LE(integral, energy + 1e-6 * energy);
  EXPECT_GE(integral, energy - peak_w * interval);
  // While every rank computes, the site draws 16 x peak power.
  EXPECT_NEAR(series.power_w.front(), peak_w, 1e-6 * peak_w);
}

// Power by activity: communicating draws its own power, nodes add their overhead, and a 1 ms window
// of the site series integrates to the window's energy.
TEST(Quickstart, PowerFollowsActivityAndNodeOverheads) {
  config::LoadOptions options;
  options.overrides = {"workload.jobs[0].data_parallel.compute_jitter_cv=0",
                       "power.communicating_power=300W",
                       "power.node_overhead_power=1kW",
                       "record.power_interval=1ms",
                       "record.power_window_start=0.5s",
                       "record.power_window_end=1.5s"};
  const config::Scenario scenario =
      config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/configs/quickstart.yaml", options);
  const RunResult result = run_scenario(scenario);
  double compute_s = 0, comm_s = 0;
  for (const auto& step : result.steps) {
    compute_s += step.compute.value();
    comm_s += step.exposed_comm.value();
  }
  // Every rank computes, then communicates until the all-reduce ends: no idle time in between.
  const double expected_j = 700.0 * compute_s + 300.0 * comm_s;
  for (const AcceleratorRecord& a : result.accelerators) {
    EXPECT_NEAR(a.energy.value(), expected_j, 0.01 * expected_j) << a.name;
  }
  EXPECT_NEAR(result.node_overhead_energy.value(), 2 * 1000.0 * result.simulated_time.value(),
              1e-6);
  ASSERT_TRUE(result.site_power.has_value());
  const power::PowerSeries& series = *result.site_power;
  ASSERT_EQ(series.power_w.size(), 1000u);
  EXPECT_NEAR(series.end_s.front(), 0.501, 1e-12);
  // 0.5 s into the run every rank computes: 16 x 700 W plus 2 nodes x 1 kW.
  EXPECT_NEAR(series.power_w.front(), 16 * 700.0 + 2000.0, 1e-6);
  // In the middle of the first all-reduce (a 1 ms bin well inside it): 16 x 300 W + 2 kW.
  const executor::StepRecord& first = result.steps.front();
  ASSERT_GT(first.exposed_comm.value(), 0.003);
  const double middle = (first.start + first.compute + first.end).value() / 2;
  const auto bin = static_cast<size_t>((middle - 0.5) / 0.001);
  ASSERT_LT(bin, series.power_w.size());
  EXPECT_NEAR(series.power_w[bin], 16 * 300.0 + 2000.0, 1e-6);
}

}  // namespace
}  // namespace gwsim::run
