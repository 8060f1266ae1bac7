#include "sim/facility/it_limit.h"

#include <algorithm>

namespace gwsim::facility {

ItPowerLimit::ItPowerLimit(const config::FacilitySpec& spec)
    : delivery_(spec.power_delivery),
      plant_(spec.cooling),
      weather_(spec.weather),
      cap_(spec.envelope.cap()) {}

Watts ItPowerLimit::site_load(Watts it, config::Celsius outside) const {
  const double it_chain = delivery_.transformer_efficiency * delivery_.ups_efficiency *
                          delivery_.distribution_efficiency;
  return it / it_chain + plant_.power(it, outside).total() / delivery_.transformer_efficiency;
}

Watts ItPowerLimit::at(config::Celsius outside) const {
  const Watts cap = *cap_;
  if (site_load(Watts(0), outside) > cap) return Watts(0);
  // An upper bound: the IT term alone reaches the cap there.
  Watts lo(0), hi = cap;
  if (site_load(hi, outside) <= cap) return hi;
  for (int k = 0; k < 60; ++k) {
    const Watts mid = (lo + hi) / 2;
    (site_load(mid, outside) <= cap ? lo : hi) = mid;
  }
  return lo;
}

Watts ItPowerLimit::over(Seconds t0, Seconds t1) const {
  constexpr Seconds kSample(300);
  Watts limit = at(weather_.at(t0));
  for (Seconds t = t0 + kSample; t < t1; t += kSample) limit = min(limit, at(weather_.at(t)));
  return min(limit, at(weather_.at(t1)));
}

}  // namespace gwsim::facility
