// The step-rate model under a cap (sim/scheduler/step_rate.h) against hand-computed figures.
#include "sim/scheduler/step_rate.h"

#include <gtest/gtest.h>

namespace gwsim::scheduler {
namespace {

power::AcceleratorPowerModel model() {
  return power::AcceleratorPowerModel{
      Watts(100),
      Watts(700),
      Watts(300),
      1,
      power::LoadCurve{},
      std::nullopt,
      power::CapCurve{{0.5, 0.6, 0.7, 0.8, 0.9, 1.0}, {0.125, 0.216, 0.343, 0.512, 0.729, 1.0}}};
}

config::JobShapeSpec shape() {
  config::JobShapeSpec s;
  s.name = "s";
  s.step_time = Seconds(2.1);  // 0.1 s the breakdown does not attribute: counted idle
  s.compute = Seconds(1);
  s.exposed_comm = Seconds(0.8);
  s.bubble = Seconds(0.2);
  return s;
}

TEST(StepRate, UncappedIsTheBreakdownAtActivityPowers) {
  const CapSpeed full = cap_speed(model(), std::nullopt);
  EXPECT_EQ(full.speed, 1);
  const StepRate r = step_rate(shape(), model(), full);
  EXPECT_DOUBLE_EQ(r.step_time.value(), 2.1);
  EXPECT_NEAR(r.accelerator_power.value(), (700 * 1 + 300 * 0.8 + 100 * 0.3) / 2.1, 1e-9);
}

TEST(StepRate, BindingCapSlowsComputeOnly) {
  // 100 + 600 * 0.512 W is the curve's point at speed 0.8.
  const CapSpeed s = cap_speed(model(), Watts(100 + 600 * 0.512));
  EXPECT_TRUE(s.feasible);
  EXPECT_NEAR(s.speed, 0.8, 1e-12);
  EXPECT_NEAR(s.compute_power.value(), 407.2, 1e-9);
  const StepRate r = step_rate(shape(), model(), s);
  EXPECT_NEAR(r.step_time.value(), 1 / 0.8 + 1.1, 1e-12);
  EXPECT_NEAR(r.accelerator_power.value(), (407.2 * 1.25 + 300 * 0.8 + 100 * 0.3) / 2.35, 1e-9);
  EXPECT_LE(r.accelerator_power, Watts(407.2));
}

TEST(StepRate, CapAboveFullPowerChangesNothing) {
  const CapSpeed s = cap_speed(model(), Watts(700));
  EXPECT_EQ(s.speed, 1);
  EXPECT_EQ(step_rate(shape(), model(), s).step_time, Seconds(2.1));
}

TEST(StepRate, CapBelowTheCurveOrCommunicationIsInfeasible) {
  // The curve's least point: 100 + 600 * 0.125 = 175 W; communicating draws 300 W.
  EXPECT_FALSE(cap_speed(model(), Watts(250)).feasible);
  EXPECT_TRUE(cap_speed(model(), Watts(300)).feasible);
  const CapSpeed low = cap_speed(model(), Watts(150));
  EXPECT_FALSE(low.feasible);
  EXPECT_EQ(low.speed, 0.5);
  EXPECT_EQ(least_feasible_cap(model()), Watts(300));
}

}  // namespace
}  // namespace gwsim::scheduler
