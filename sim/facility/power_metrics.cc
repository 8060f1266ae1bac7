#include "sim/facility/power_metrics.h"

#include <algorithm>
#include <cassert>
#include <numbers>
#include <numeric>

namespace gwsim::facility {

void fft(std::vector<std::complex<double>>& a) {
  const size_t n = a.size();
  assert(n > 0 && (n & (n - 1)) == 0);
  for (size_t i = 1, j = 0; i < n; ++i) {  // bit-reversal permutation
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    const double angle = -2 * std::numbers::pi / static_cast<double>(len);
    const std::complex<double> step(std::cos(angle), std::sin(angle));
    for (size_t i = 0; i < n; i += len) {
      std::complex<double> w(1, 0);
      for (size_t k = 0; k < len / 2; ++k) {
        const std::complex<double> u = a[i + k];
        const std::complex<double> v = a[i + k + len / 2] * w;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
        w *= step;
      }
    }
  }
}

double band_share(std::span<const double> x, Seconds interval, Hertz low, Hertz high) {
  const size_t n = x.size();
  if (n < 2) return 0;
  const double mean = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(n);
  size_t length = 1;
  while (length < n && length < (size_t{1} << 16)) length <<= 1;
  const double rate = 1 / interval.value();
  double in_band = 0, total = 0;
  std::vector<std::complex<double>> buffer(length);
  for (size_t start = 0; start < n; start += length) {
    const size_t count = std::min(length, n - start);
    for (size_t i = 0; i < length; ++i) buffer[i] = i < count ? x[start + i] - mean : 0.0;
    fft(buffer);
    for (size_t k = 1; k <= length / 2; ++k) {
      const double weight = (k == length / 2) ? 1.0 : 2.0;  // one-sided spectrum
      const double p = weight * std::norm(buffer[k]);
      const double f = static_cast<double>(k) * rate / static_cast<double>(length);
      total += p;
      if (f >= low.value() && f <= high.value()) in_band += p;
    }
  }
  return total > 0 ? in_band / total : 0;
}

PowerMetrics power_metrics(std::span<const double> power_w, Seconds interval, Hertz band_low,
                           Hertz band_high) {
  PowerMetrics m;
  m.band_low = band_low;
  m.band_high = band_high;
  m.resolved_high = min(band_high, Hertz(0.5 / interval.value()));
  if (power_w.empty()) return m;
  const auto [lo, hi] = std::minmax_element(power_w.begin(), power_w.end());
  m.peak = Watts(*hi);
  m.minimum = Watts(*lo);
  m.mean = Watts(std::accumulate(power_w.begin(), power_w.end(), 0.0) /
                 static_cast<double>(power_w.size()));
  m.dynamic_range = m.peak - m.minimum;
  for (size_t i = 1; i < power_w.size(); ++i) {
    const double rate = (power_w[i] - power_w[i - 1]) / interval.value();
    m.max_ramp_up = std::max(m.max_ramp_up, rate);
    m.max_ramp_down = std::max(m.max_ramp_down, -rate);
  }
  m.band_share = band_share(power_w, interval, band_low, band_high);
  return m;
}

}  // namespace gwsim::facility
