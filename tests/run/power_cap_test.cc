// A power cap that lowers speed when it binds (docs/power.md), on the quickstart without noise:
// compute takes 1/s as long, where s is the speed at which the capped power curve meets the cap;
// the recorded power never exceeds the cap; energy is the integral of power; a cap that does not
// bind changes nothing. Each TEST runs in its own process (one SimGrid engine per process).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

#include "sim/config/loader.h"
#include "sim/run/run_scenario.h"
#include "tests/run/gradient_all_reduce.h"

namespace gwsim::run {
namespace {

// Quickstart: 16 accelerators of 100 W idle and 700 W peak, 2 nodes; communicating at 300 W and
// 1 kW per node, sampled at 1 ms from 0.1 s to the end. The cap curve's points (speed, share of the
// full-speed dynamic power): (0.5, 0.125), (0.8, 0.512), (1, 1).
config::Scenario capped(std::vector<std::string> caps) {
  config::LoadOptions options;
  options.overrides = {"workload.jobs[0].data_parallel.compute_jitter_cv=0",
                       "power.communicating_power=300W",
                       "power.node_overhead_power=1kW",
                       "power.cap_curve_speed=[0.5, 0.8, 1]",
                       "power.cap_curve_power=[0.125, 0.512, 1]",
                       "record.power_interval=1ms",
                       "record.power_window_start=0.1s"};
  options.overrides.insert(options.overrides.end(), caps.begin(), caps.end());
  return config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/configs/quickstart.yaml", options);
}

Seconds uncapped_compute(const config::Scenario& scenario) {
  const auto& job = std::get<config::DataParallelJobSpec>(scenario.jobs[0].kind);
  return job.flops_per_rank_per_step() /
         (job.compute_efficiency * scenario.platform.accelerator.peak_flop_rate);
}

// 500 W on a 700 W accelerator idling at 100 W: the computation may draw (500 - 100) / (700 - 100)
// = 2/3 of its dynamic power, reached between the curve's points (0.8, 0.512) and (1, 1).
constexpr double kShare = 400.0 / 600.0;
const double kSpeed = 0.8 + (kShare - 0.512) / (1 - 0.512) * 0.2;

void expect_capped_run(const config::Scenario& scenario, double cap_w) {
  const RunResult result = run_scenario(scenario);
  ASSERT_EQ(result.steps.size(), 5u);
  const Seconds compute = uncapped_compute(scenario) / kSpeed;  // closed form
  for (const executor::StepRecord& step : result.steps) {
    EXPECT_NEAR(step.compute.value(), compute.value(), 1e-9 * compute.value()) << step.step;
  }
  // Energy is the integral of the (capped) power: the cap while computing, 300 W while
  // communicating.
  double compute_s = 0, comm_s = 0;
  for (const auto& step : result.steps) {
    compute_s += step.compute.value();
    comm_s += step.exposed_comm.value();
  }
  const double expected_j = cap_w * compute_s + 300.0 * comm_s;
  double accelerators_j = 0;
  for (const AcceleratorRecord& a : result.accelerators) {
    EXPECT_NEAR(a.energy.value(), expected_j, 0.01 * expected_j) << a.name;
    accelerators_j += a.energy.value();
  }
  // The recorded site series never exceeds the cap (16 accelerators at the cap plus 2 kW of
  // nodes) and reads exactly that while every rank computes.
  ASSERT_TRUE(result.site_power.has_value());
  const power::PowerSeries& series = *result.site_power;
  ASSERT_GT(series.power_w.size(), 3000u);
  const double site_cap_w = 16 * cap_w + 2000.0;
  const double highest = *std::max_element(series.power_w.begin(), series.power_w.end());
  EXPECT_LE(highest, site_cap_w * (1 + 1e-12));
  EXPECT_NEAR(series.power_w.front(), site_cap_w, 1e-6 * site_cap_w);
  // The series integrates to the run's energy inside the window: all of it but the first 0.1 s
  // (computing at the cap) and the partial last interval (at most one interval at the cap).
  ASSERT_GT(result.simulated_time.value(), 0.1);
  const double integral = std::accumulate(series.power_w.begin(), series.power_w.end(), 0.0) * 1e-3;
  const double window_j = accelerators_j + result.node_overhead_energy.value() - site_cap_w * 0.1;
  EXPECT_LE(integral, window_j * (1 + 1e-9));
  EXPECT_GE(integral, window_j - site_cap_w * 1e-3);
}

TEST(PowerCap, BindingCapLengthensComputeByTheCurvesFactor) {
  expect_capped_run(capped({"power.accelerator_power_cap=500W"}), 500.0);
}

// 16 x 500 W + 2 x 1 kW of nodes: the site's IT cap leaves each accelerator 500 W, so the run is
// the one above.
TEST(PowerCap, SiteItCapIsSplitOverTheAcceleratorsAndSlowsCompute) {
  const config::Scenario scenario = capped({"power.site_it_power_cap=10kW"});
  ASSERT_TRUE(scenario.power.effective_accelerator_cap.has_value());
  EXPECT_DOUBLE_EQ(scenario.power.effective_accelerator_cap->value(), 500.0);
  expect_capped_run(scenario, 500.0);
}

TEST(PowerCap, NonBindingCapChangesNothing) {
  const config::Scenario scenario =
      capped({"power.accelerator_power_cap=700W", "power.site_it_power_cap=1MW"});
  const RunResult result = run_scenario(scenario);
  const Seconds compute = uncapped_compute(scenario);
  const Seconds all_reduce = testing::gradient_all_reduce(scenario).predicted;
  double compute_s = 0, comm_s = 0;
  for (const executor::StepRecord& step : result.steps) {
    EXPECT_NEAR(step.compute.value(), compute.value(), 1e-9 * compute.value());
    EXPECT_NEAR(step.exposed_comm.value(), all_reduce.value(), 0.01 * all_reduce.value());
    compute_s += step.compute.value();
    comm_s += step.exposed_comm.value();
  }
  const double expected_j = 700.0 * compute_s + 300.0 * comm_s;
  for (const AcceleratorRecord& a : result.accelerators) {
    EXPECT_NEAR(a.energy.value(), expected_j, 0.01 * expected_j) << a.name;
  }
  EXPECT_NEAR(result.site_power->power_w.front(), 16 * 700.0 + 2000.0, 1e-6);
}

// A forced algorithm takes its own closed form, not the library's choice (on 2 nodes of 8, a ring
// with one channel per NIC).
TEST(PowerCap, AForcedAlgorithmTakesItsOwnClosedForm) {
  config::LoadOptions options;
  options.overrides = {"workload.jobs[0].data_parallel.compute_jitter_cv=0",
                       "workload.jobs[0].data_parallel.algorithm=halving_doubling"};
  const config::Scenario scenario =
      config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/configs/quickstart.yaml", options);
  const RunResult result = run_scenario(scenario);
  const network::Choice forced =
      testing::gradient_all_reduce(scenario, 0, network::Algorithm::kHalvingDoubling);
  const network::Choice chosen = testing::gradient_all_reduce(scenario);
  EXPECT_EQ(chosen.algorithm, network::Algorithm::kRing);
  EXPECT_GT(forced.predicted.value(), 1.5 * chosen.predicted.value());
  ASSERT_EQ(result.steps.size(), 5u);
  for (const executor::StepRecord& step : result.steps) {
    EXPECT_NEAR(step.exposed_comm.value(), forced.predicted.value(),
                0.01 * forced.predicted.value());
  }
}

// A 16,384-rank all-reduce is only feasible at fluid fidelity; on the quickstart both fidelities
// agree with the closed form (docs/collectives.md), so forcing fluid keeps the step times.
TEST(PowerCap, FluidAllReduceMatchesItsClosedForm) {
  config::LoadOptions options;
  options.overrides = {"workload.jobs[0].data_parallel.compute_jitter_cv=0",
                       "workload.jobs[0].data_parallel.collective_fidelity=fluid"};
  const config::Scenario scenario =
      config::load_scenario(std::string(GWSIM_SOURCE_DIR) + "/configs/quickstart.yaml", options);
  const auto& job = std::get<config::DataParallelJobSpec>(scenario.jobs[0].kind);
  ASSERT_EQ(job.collective_fidelity, config::CollectiveFidelity::kFluid);
  const RunResult result = run_scenario(scenario);
  const Seconds all_reduce = testing::gradient_all_reduce(scenario).predicted;
  ASSERT_EQ(result.steps.size(), 5u);
  for (const executor::StepRecord& step : result.steps) {
    EXPECT_NEAR(step.exposed_comm.value(), all_reduce.value(), 0.01 * all_reduce.value());
  }
}

}  // namespace
}  // namespace gwsim::run
