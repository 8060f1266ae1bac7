// Metrics of a power time series that grid operators use for large loads: peak, minimum, dynamic
// range, ramp rates and the share of the power variation in a frequency band (0.1-20 Hz by default,
// the band of the sub-synchronous oscillations that synchronous training can excite).
//
// Band share: the series minus its mean is cut into segments of L = min(next power of 2 >= n,
// 65536) samples (zero-padded, the last partial segment included), each transformed by a radix-2
// FFT of our own; the one-sided periodograms are summed and the share is the power in [low, high]
// over the power at all frequencies above 0. By Parseval the denominator is the series' variance
// times n. Frequencies above the Nyquist frequency 1 / (2 interval) are not resolved:
// `resolved_high` says how far the band was seen.
#pragma once

#include <complex>
#include <span>
#include <vector>

#include "sim/core/units.h"

namespace gwsim::facility {

struct PowerMetrics {
  Watts peak;
  Watts minimum;
  Watts mean;
  Watts dynamic_range;       // peak - minimum
  double max_ramp_up = 0;    // W/s, largest rise between consecutive samples
  double max_ramp_down = 0;  // W/s, largest fall (a positive number)
  double band_share = 0;     // share of the variance in [band_low, band_high]
  Hertz band_low, band_high, resolved_high;
};

PowerMetrics power_metrics(std::span<const double> power_w, Seconds interval,
                           Hertz band_low = Hertz(0.1), Hertz band_high = Hertz(20));

// Share of the variance of `x` (sampled every `interval`) in [low, high], as described above.
double band_share(std::span<const double> x, Seconds interval, Hertz low, Hertz high);

// In-place radix-2 FFT. REQUIRES a.size() a power of 2.
void fft(std::vector<std::complex<double>>& a);

}  // namespace gwsim::facility
