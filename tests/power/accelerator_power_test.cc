// Power by activity against its definition (sim/power/accelerator_power.h).
#include <gtest/gtest.h>

#include "sim/power/accelerator_power.h"

namespace gwsim::power {
namespace {

AcceleratorPowerModel model() {
  AcceleratorPowerModel m;
  m.idle = Watts(100);
  m.peak = Watts(700);
  m.communicating = Watts(250);
  m.memory_bound_load = 0.5;
  return m;
}

TEST(AcceleratorPower, LinearCurveByActivity) {
  const AcceleratorPowerModel m = model();
  EXPECT_EQ(m.power(false, false, false), Watts(100));
  EXPECT_EQ(m.power(true, false, false), Watts(700));
  EXPECT_EQ(m.power(false, true, false), Watts(400));  // 100 + 600 * 0.5
  EXPECT_EQ(m.power(false, false, true), Watts(250));
  EXPECT_EQ(m.power(true, false, true),
            Watts(850));  // overlap: computing + the comm's excess over idle
  EXPECT_EQ(m.computing(0.25), Watts(250));
}

TEST(AcceleratorPower, MeasuredShapeIsInterpolated) {
  AcceleratorPowerModel m = model();
  m.curve.load = {0, 0.5, 1};
  m.curve.fraction = {0, 0.8, 1};  // a concave shape: most power is drawn at half load
  EXPECT_EQ(m.curve.problem(), "");
  EXPECT_NEAR(m.computing(0.25).value(), 100 + 600 * 0.4, 1e-9);
  EXPECT_NEAR(m.computing(0.75).value(), 100 + 600 * 0.9, 1e-9);
  EXPECT_NEAR(m.computing(1).value(), 700, 1e-9);
  LoadCurve bad;
  bad.load = {0, 0.6, 0.5, 1};
  bad.fraction = {0, 0.5, 0.6, 1};
  EXPECT_NE(bad.problem(), "");
}

// The cap curve of ideal DVFS (dynamic power ~ f V^2 with V ~ f, so ~ s^3) at a few points.
AcceleratorPowerModel capped(Watts cap) {
  AcceleratorPowerModel m = model();
  m.cap = cap;
  m.cap_curve.speed = {0.5, 0.75, 1};
  m.cap_curve.power = {0.125, 0.421875, 1};
  return m;
}

TEST(AcceleratorPower, BindingCapLowersSpeedToMeetIt) {
  const AcceleratorPowerModel m = capped(Watts(400));
  // (400 - 100) / (700 - 100) = 0.5 of the dynamic power, between (0.75, 0.421875) and (1, 1).
  const double expected = 0.75 + (0.5 - 0.421875) / (1 - 0.421875) * 0.25;
  EXPECT_NEAR(m.capped_speed(1), expected, 1e-12);
  // At that speed the curve gives back exactly the cap.
  EXPECT_NEAR((m.idle + (m.peak - m.idle) * m.cap_curve.power_at(expected)).value(), 400, 1e-9);
  // The recorded power is the cap while computing; communicating (250 W) is below it.
  EXPECT_EQ(m.power(true, false, false), Watts(400));
  EXPECT_EQ(m.power(true, false, true), Watts(400));  // overlap is clipped (a stated limit)
  EXPECT_EQ(m.power(false, false, true), Watts(250));
  // A memory-bound phase (400 W at load 0.5) fits under the cap: full speed.
  EXPECT_EQ(m.capped_speed(0.5), 1.0);
}

TEST(AcceleratorPower, NonBindingCapChangesNothing) {
  const AcceleratorPowerModel m = capped(Watts(700));
  EXPECT_EQ(m.capped_speed(1), 1.0);
  EXPECT_EQ(m.power(true, false, false), Watts(700));
  EXPECT_EQ(m.power(false, true, false), Watts(400));
  const AcceleratorPowerModel uncapped = model();
  EXPECT_EQ(uncapped.capped_speed(1), 1.0);
}

TEST(AcceleratorPower, CapAtTheCurvesLowestPointRunsAtItsSpeed) {
  const AcceleratorPowerModel m = capped(Watts(100 + 600 * 0.125));
  EXPECT_NEAR(m.capped_speed(1), 0.5, 1e-12);
}

TEST(NodeOverhead, SumsItsParts) {
  const NodeOverhead o{Watts(2000), Watts(400), Watts(600), Watts(1000)};
  EXPECT_EQ(o.total(), Watts(4000));
}

}  // namespace
}  // namespace gwsim::power
