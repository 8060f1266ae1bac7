// Storage bounds and losses, smoothing floor and ramp limit (sim/facility/envelope.h).
#include <gtest/gtest.h>

#include <cmath>

#include "sim/facility/envelope.h"

namespace gwsim::facility {
namespace {

config::StorageSpec battery() {
  config::StorageSpec s;
  s.capacity = Joules(3.6e9);  // 1 MWh
  s.power = Watts(2e6);
  s.round_trip_efficiency = 0.81;  // 0.9 each way
  s.initial_charge = 0.5;
  s.smoothing_time = Seconds(60);
  return s;
}

TEST(Storage, NeverBelowEmptyNorAboveFullAndLossesAccounted) {
  Storage storage(battery());
  const Seconds dt(10);
  Joules charged, discharged, losses;
  const Joules start = storage.energy();
  // Alternate long pushes in both directions, always asking for more than is possible.
  for (int k = 0; k < 2000; ++k) {
    const bool charge = (k / 300) % 2 == 0;
    const Watts p = charge ? -storage.max_charge(dt) : storage.max_discharge(dt);
    losses += storage.apply(p, dt);
    (charge ? charged : discharged) += abs(p) * dt;
    ASSERT_GE(storage.energy(), Joules(0));
    ASSERT_LE(storage.energy(), battery().capacity);
  }
  // Energy balance: what went in = what came out + change of stored energy + losses.
  EXPECT_NEAR(charged.value(), (discharged + (storage.energy() - start) + losses).value(), 1e-3);
  EXPECT_GT(losses, Joules(0));
}

TEST(Storage, FullCycleReturnsTheRoundTripEfficiency) {
  config::StorageSpec spec = battery();
  spec.initial_charge = 0;
  Storage storage(spec);
  const Seconds dt(1);
  Joules in, out;
  while (storage.max_charge(dt) > Watts(0)) {
    const Watts c = storage.max_charge(dt);
    storage.apply(-c, dt);
    in += c * dt;
  }
  EXPECT_NEAR(storage.energy().value(), spec.capacity.value(), 1e-3);
  while (storage.max_discharge(dt) > Watts(1e-9)) {
    const Watts d = storage.max_discharge(dt);
    storage.apply(d, dt);
    out += d * dt;
  }
  EXPECT_NEAR(out / in, 0.81, 1e-9);
  EXPECT_NEAR(in.value(), spec.capacity.value() / 0.9, 1e-3);
}

TEST(Smoother, FloorAndRampLimit) {
  config::SmoothingSpec spec;
  spec.power_floor = 0.3;
  spec.ramp_time = Seconds(2);  // 0 -> TDP in 2 s: TDP/2 per second
  const Watts tdp(1000);
  Smoother s(spec, tdp);
  const Seconds dt(0.1);
  EXPECT_EQ(s.step(Watts(1000), dt), Watts(1000));  // the first step sets the level
  Watts last(1000);
  for (int k = 0; k < 40; ++k) {  // demand falls to 0: power falls at 50 W per 0.1 s to the floor
    const Watts p = s.step(Watts(0), dt);
    EXPECT_GE(p, Watts(300));
    EXPECT_LE((last - p).value(), 50 + 1e-9);
    last = p;
  }
  EXPECT_NEAR(last.value(), 300, 1e-9);
  EXPECT_NEAR(s.step(Watts(1000), dt).value(), 350, 1e-9);  // ramp up limited too
}

TEST(GridTarget, MovesExponentiallyTowardTheLoad) {
  GridTarget target(Seconds(10));
  EXPECT_EQ(target.step(Watts(100), Seconds(1)), Watts(100));
  const Watts next = target.step(Watts(200), Seconds(10));
  EXPECT_NEAR(next.value(), 200 - 100 * std::exp(-1.0), 1e-9);
}

}  // namespace
}  // namespace gwsim::facility
