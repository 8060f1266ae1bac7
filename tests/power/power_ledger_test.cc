// Piecewise-constant accounting: energy is the integral of power, and the sampled series integrates
// to the energy of its window.
#include <gtest/gtest.h>

#include <numeric>

#include "sim/power/power_ledger.h"

namespace gwsim::power {
namespace {

TEST(PowerLedger, EnergyIsTheIntegralOfPower) {
  PowerLedger ledger(2, Watts(100), Watts(50), std::nullopt);
  ledger.set(0, Seconds(1), Watts(700));  // host 0: 100 W for 1 s, 700 W for 1 s, 400 W for 2 s
  ledger.set(0, Seconds(2), Watts(400));
  ledger.set(1, Seconds(3), Watts(300));  // host 1: 100 W for 3 s, 300 W for 1 s
  EXPECT_NEAR(ledger.energy(0, Seconds(4)).value(), 100 + 700 + 800, 1e-9);
  EXPECT_NEAR(ledger.energy(1, Seconds(4)).value(), 300 + 300, 1e-9);
  EXPECT_NEAR(ledger.site_energy(Seconds(4)).value(), 1600 + 600 + 50 * 4, 1e-9);
  EXPECT_EQ(ledger.site_power(), Watts(400 + 300 + 50));
}

TEST(PowerLedger, AFollowerDrawsWhatItsLeaderDraws) {
  // Hosts 1 and 2 follow host 0: one set() moves three hosts' power.
  PowerLedger ledger(4, Watts(100), Watts(50), std::nullopt);
  ledger.follow(1, 0);
  ledger.follow(2, 0);
  ledger.set(0, Seconds(1), Watts(700));
  ledger.set(3, Seconds(2), Watts(300));
  EXPECT_EQ(ledger.power(1), Watts(700));
  EXPECT_EQ(ledger.power(2), Watts(700));
  EXPECT_EQ(ledger.site_power(), Watts(3 * 700 + 300 + 50));
  for (size_t h : {0, 1, 2}) EXPECT_NEAR(ledger.energy(h, Seconds(4)).value(), 100 + 700 * 3, 1e-9);
  EXPECT_NEAR(ledger.energy(3, Seconds(4)).value(), 200 + 600, 1e-9);
  EXPECT_NEAR(ledger.site_energy(Seconds(4)).value(), 3 * 2200 + 800 + 50 * 4, 1e-9);
}

TEST(PowerLedger, MillisecondSeriesOverAWindowIntegratesToItsEnergy) {
  // Window [1 s, 1.5 s) at 1 ms: 500 bins. Power toggles every 0.3 ms, so bins hold mixed levels.
  PowerLedger ledger(1, Watts(100), Watts(0),
                     SampleWindow{Seconds(1), Seconds(1.5), Seconds(1e-3)});
  double t = 0;
  bool high = false;
  while (t < 2) {
    t += 3e-4;
    high = !high;
    ledger.set(0, Seconds(t), Watts(high ? 700 : 100));
  }
  const std::vector<double> series = ledger.series(Seconds(2));
  ASSERT_EQ(series.size(), 500u);
  // Energy in the window from the ledger itself: energy at 1.5 s minus energy at 1 s, rebuilt by
  // hand.
  double expected = 0;
  for (double a = 0, level = 100; a < 2; a += 3e-4, level = (level == 100 ? 700 : 100)) {
    const double lo = std::max(a, 1.0), hi = std::min(a + 3e-4, 1.5);
    if (hi > lo) expected += level * (hi - lo);
  }
  const double integral = std::accumulate(series.begin(), series.end(), 0.0) * 1e-3;
  EXPECT_NEAR(integral, expected, 1e-6 * expected);
  for (double p : series) {
    ASSERT_GE(p, 100 - 1e-6);
    ASSERT_LE(p, 700 + 1e-6);
  }
}

TEST(PowerLedger, SeriesStopsAtTheLastCompleteBin) {
  PowerLedger ledger(1, Watts(10), Watts(0), SampleWindow{Seconds(0), Seconds(10), Seconds(1)});
  EXPECT_EQ(ledger.series(Seconds(3.5)).size(), 3u);
  EXPECT_NEAR(ledger.series(Seconds(3.5))[2], 10, 1e-12);
  EXPECT_EQ(ledger.series(Seconds(20)).size(), 10u);
}

}  // namespace
}  // namespace gwsim::power
