#include "sim/facility/weather.h"

#include <array>
#include <cmath>
#include <numbers>

namespace gwsim::facility {
namespace {

constexpr double kHoursPerYear = 8760;
constexpr std::array<int, 12> kMonthDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

// Day of the year (0-based, fractional) of each month's middle.
std::array<double, 12> mid_month_days() {
  std::array<double, 12> mids{};
  double start = 0;
  for (size_t m = 0; m < 12; ++m) {
    mids[m] = start + kMonthDays[m] / 2.0;
    start += kMonthDays[m];
  }
  return mids;
}

// Linear interpolation between mid-month values, cyclic over the 365-day year.
double interpolate_monthly(const std::array<double, 12>& values, double day) {
  static const std::array<double, 12> mids = mid_month_days();
  for (size_t m = 0; m < 12; ++m) {
    const size_t next = (m + 1) % 12;
    const double from = mids[m];
    const double to = next == 0 ? mids[0] + 365 : mids[next];
    double d = day;
    if (d < mids[0]) d += 365;  // early January lies between mid-December and mid-January
    if (d >= from && d < to)
      return values[m] + (values[next] - values[m]) * (d - from) / (to - from);
  }
  return values[0];  // unreachable for day in [0, 365)
}

}  // namespace

config::Celsius normals_temperature(const config::MonthlyNormals& normals, double hour_of_year) {
  const double day = hour_of_year / 24.0;
  const double tmax = interpolate_monthly(normals.max_c, day);
  const double tmin = interpolate_monthly(normals.min_c, day);
  const double hour_of_day = std::fmod(hour_of_year, 24.0);
  return config::Celsius{(tmax + tmin) / 2 +
                         (tmax - tmin) / 2 *
                             std::cos(2 * std::numbers::pi * (hour_of_day - 15) / 24)};
}

double Weather::hour_of_year(Seconds t) const {
  const double h = (spec_.start_day - 1) * 24.0 + spec_.start_hour + t.value() / 3600.0;
  const double wrapped = std::fmod(h, kHoursPerYear);
  return wrapped < 0 ? wrapped + kHoursPerYear : wrapped;
}

config::Celsius Weather::at(Seconds t) const {
  if (const auto* c = std::get_if<config::ConstantTemperature>(&spec_.source))
    return c->temperature;
  if (const auto* n = std::get_if<config::MonthlyNormals>(&spec_.source))
    return normals_temperature(*n, hour_of_year(t));
  const auto& series = std::get<config::HourlyTemperatures>(spec_.source).temperature_c;
  const auto n = static_cast<double>(series.size());
  const double h = std::fmod(hour_of_year(t), n);
  const auto i = static_cast<size_t>(h);
  const double frac = h - static_cast<double>(i);
  const double next = series[(i + 1) % series.size()];
  return config::Celsius{series[i] + (next - series[i]) * frac};
}

}  // namespace gwsim::facility
