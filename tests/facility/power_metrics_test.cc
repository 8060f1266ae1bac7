// Power metrics against closed forms: ramps and range of a square wave, band share of sinusoids.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "sim/facility/power_metrics.h"

namespace gwsim::facility {
namespace {

TEST(Fft, TransformsASingleToneIntoItsBin) {
  const size_t n = 64;
  std::vector<std::complex<double>> a(n);
  for (size_t i = 0; i < n; ++i)
    a[i] = std::cos(2 * std::numbers::pi * 5 * static_cast<double>(i) / n);
  fft(a);
  EXPECT_NEAR(std::abs(a[5]), n / 2.0, 1e-9);
  EXPECT_NEAR(std::abs(a[n - 5]), n / 2.0, 1e-9);
  EXPECT_NEAR(std::abs(a[4]), 0, 1e-9);
}

TEST(BandShare, SplitsEqualTonesInsideAndOutsideTheBand) {
  const Seconds dt(0.01);  // 100 Hz sampling, Nyquist 50 Hz
  const size_t n = 1 << 14;
  std::vector<double> x(n);
  for (size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) * dt.value();
    // 1.5625 Hz (inside 0.1-20) and 25 Hz (outside), both exactly on FFT bins, equal amplitudes.
    x[i] = 5e6 + 1e5 * std::sin(2 * std::numbers::pi * 1.5625 * t) +
           1e5 * std::sin(2 * std::numbers::pi * 25 * t);
  }
  EXPECT_NEAR(band_share(x, dt, Hertz(0.1), Hertz(20)), 0.5, 1e-6);
  // Amplitudes 2:1 -> powers 4:1.
  for (size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) * dt.value();
    x[i] =
        2 * std::sin(2 * std::numbers::pi * 1.5625 * t) + std::sin(2 * std::numbers::pi * 25 * t);
  }
  EXPECT_NEAR(band_share(x, dt, Hertz(0.1), Hertz(20)), 0.8, 1e-6);
}

TEST(PowerMetrics, SquareWave) {
  const Seconds dt(0.5);
  std::vector<double> p;
  for (int k = 0; k < 100; ++k) p.push_back((k / 10) % 2 == 0 ? 3e6 : 1e6);
  const PowerMetrics m = power_metrics(p, dt);
  EXPECT_EQ(m.peak, Watts(3e6));
  EXPECT_EQ(m.minimum, Watts(1e6));
  EXPECT_EQ(m.dynamic_range, Watts(2e6));
  EXPECT_NEAR(m.mean.value(), 2e6, 1e-6);
  EXPECT_NEAR(m.max_ramp_up, 4e6, 1e-6);
  EXPECT_NEAR(m.max_ramp_down, 4e6, 1e-6);
  EXPECT_NEAR(m.resolved_high.value(), 1.0, 1e-12);  // Nyquist of 0.5 s sampling
}

}  // namespace
}  // namespace gwsim::facility
