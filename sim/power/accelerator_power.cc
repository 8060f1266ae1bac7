#include "sim/power/accelerator_power.h"

#include <algorithm>
#include <cassert>
#include <string>

namespace gwsim::power {

double LoadCurve::at(double u) const {
  u = std::clamp(u, 0.0, 1.0);  // a load is a fraction by definition; the curve covers [0, 1]
  if (load.empty()) return u;
  const auto it = std::upper_bound(load.begin(), load.end(), u);
  if (it == load.end()) return fraction.back();
  const size_t i = static_cast<size_t>(it - load.begin());
  if (i == 0) return fraction.front();
  const double t = (u - load[i - 1]) / (load[i] - load[i - 1]);
  return fraction[i - 1] + t * (fraction[i] - fraction[i - 1]);
}

std::string LoadCurve::problem() const {
  if (load.empty() && fraction.empty()) return "";
  if (load.size() != fraction.size() || load.size() < 2)
    return "expected at least two (load, fraction) points of equal count";
  if (load.front() != 0 || load.back() != 1) return "loads must start at 0 and end at 1";
  for (size_t i = 0; i < load.size(); ++i) {
    if (i > 0 && !(load[i] > load[i - 1])) return "loads must be strictly increasing";
    if (!(fraction[i] >= 0 && fraction[i] <= 1)) return "fractions must be in [0, 1]";
  }
  return "";
}

namespace {

// Linear interpolation of y at x over points with x strictly rising, held at the ends.
double interpolate(const std::vector<double>& xs, const std::vector<double>& ys, double x) {
  if (x <= xs.front()) return ys.front();
  if (x >= xs.back()) return ys.back();
  const size_t i = static_cast<size_t>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin());
  const double t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}

}  // namespace

double CapCurve::speed_at(double fraction) const {
  assert(!speed.empty() && fraction >= power.front() && fraction <= 1);
  return interpolate(power, speed, fraction);
}

double CapCurve::power_at(double s) const { return interpolate(speed, power, s); }

double AcceleratorPowerModel::capped_speed(double load) const {
  const Watts full = computing(load);
  if (!cap || *cap >= full) return 1;
  return cap_curve.speed_at((*cap - idle) / (full - idle));
}

Watts AcceleratorPowerModel::power(bool compute_bound, bool memory_bound,
                                   bool communicating_now) const {
  Watts p = idle;
  if (compute_bound) {
    p = computing(1);
  } else if (memory_bound) {
    p = computing(memory_bound_load);
  }
  if (communicating_now) p += max(communicating - idle, Watts(0));
  return cap ? min(p, *cap) : p;
}

}  // namespace gwsim::power
