#include "sim/core/quantity_parse.h"

#include <array>
#include <charconv>
#include <cmath>
#include <span>
#include <system_error>

namespace gwsim {
namespace {

struct Unit {
  std::string_view name;
  double factor;  // SI base units per one of this unit
};

constexpr double kKi = 1024.0;
constexpr double kMi = kKi * kKi;
constexpr double kGi = kMi * kKi;
constexpr double kTi = kGi * kKi;
constexpr double kPi = kTi * kKi;
constexpr double kEi = kPi * kKi;
constexpr double kBitsPerByte = 8.0;
constexpr double kJoulesPerWh = 3600.0;

constexpr Unit kDurationUnits[] = {
    {"ps", 1e-12}, {"ns", 1e-9}, {"us", 1e-6},  {"\u00b5s", 1e-6}, {"\u03bcs", 1e-6},
    {"ms", 1e-3},  {"s", 1.0},   {"min", 60.0}, {"h", 3600.0},     {"d", 86400.0},
};

constexpr Unit kDataSizeUnits[] = {
    {"B", 1.0},   {"kB", 1e3},  {"KB", 1e3},  {"MB", 1e6},  {"GB", 1e9},
    {"TB", 1e12}, {"PB", 1e15}, {"EB", 1e18}, {"KiB", kKi}, {"MiB", kMi},
    {"GiB", kGi}, {"TiB", kTi}, {"PiB", kPi}, {"EiB", kEi},
};

constexpr Unit kBandwidthUnits[] = {
    {"bps", 1.0 / kBitsPerByte},
    {"kbps", 1e3 / kBitsPerByte},
    {"Kbps", 1e3 / kBitsPerByte},
    {"Mbps", 1e6 / kBitsPerByte},
    {"Gbps", 1e9 / kBitsPerByte},
    {"Tbps", 1e12 / kBitsPerByte},
    {"Pbps", 1e15 / kBitsPerByte},
    {"b/s", 1.0 / kBitsPerByte},
    {"kb/s", 1e3 / kBitsPerByte},
    {"Kb/s", 1e3 / kBitsPerByte},
    {"Mb/s", 1e6 / kBitsPerByte},
    {"Gb/s", 1e9 / kBitsPerByte},
    {"Tb/s", 1e12 / kBitsPerByte},
    {"Pb/s", 1e15 / kBitsPerByte},
    {"B/s", 1.0},
    {"kB/s", 1e3},
    {"KB/s", 1e3},
    {"MB/s", 1e6},
    {"GB/s", 1e9},
    {"TB/s", 1e12},
    {"PB/s", 1e15},
    {"KiB/s", kKi},
    {"MiB/s", kMi},
    {"GiB/s", kGi},
    {"TiB/s", kTi},
    {"Bps", 1.0},
    {"kBps", 1e3},
    {"KBps", 1e3},
    {"MBps", 1e6},
    {"GBps", 1e9},
    {"TBps", 1e12},
};

constexpr Unit kWorkUnits[] = {
    {"FLOP", 1.0},   {"kFLOP", 1e3},  {"MFLOP", 1e6},  {"GFLOP", 1e9},
    {"TFLOP", 1e12}, {"PFLOP", 1e15}, {"EFLOP", 1e18}, {"ZFLOP", 1e21},
};

constexpr Unit kFlopRateUnits[] = {
    {"FLOP/s", 1.0},   {"kFLOP/s", 1e3},  {"MFLOP/s", 1e6}, {"GFLOP/s", 1e9}, {"TFLOP/s", 1e12},
    {"PFLOP/s", 1e15}, {"EFLOP/s", 1e18}, {"FLOPS", 1.0},   {"kFLOPS", 1e3},  {"MFLOPS", 1e6},
    {"GFLOPS", 1e9},   {"TFLOPS", 1e12},  {"PFLOPS", 1e15}, {"EFLOPS", 1e18},
};

constexpr Unit kPowerUnits[] = {
    {"mW", 1e-3}, {"W", 1.0}, {"kW", 1e3}, {"MW", 1e6}, {"GW", 1e9},
};

constexpr Unit kEnergyUnits[] = {
    {"J", 1.0},
    {"kJ", 1e3},
    {"MJ", 1e6},
    {"GJ", 1e9},
    {"TJ", 1e12},
    {"Wh", kJoulesPerWh},
    {"kWh", 1e3 * kJoulesPerWh},
    {"MWh", 1e6 * kJoulesPerWh},
    {"GWh", 1e9 * kJoulesPerWh},
    {"TWh", 1e12 * kJoulesPerWh},
};

std::span<const Unit> units_for(Dimension d) {
  switch (d) {
    case Dimension::kDuration:
      return kDurationUnits;
    case Dimension::kDataSize:
      return kDataSizeUnits;
    case Dimension::kBandwidth:
      return kBandwidthUnits;
    case Dimension::kWork:
      return kWorkUnits;
    case Dimension::kFlopRate:
      return kFlopRateUnits;
    case Dimension::kPower:
      return kPowerUnits;
    case Dimension::kEnergy:
      return kEnergyUnits;
  }
  return {};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The length of the longest prefix of s that matches
//   [+-]?(digits[.digits*]|.digits)([eE][+-]?digits)?
// or 0 if no prefix does. An 'e' not followed by a (signed) digit is left to the unit ("1EB").
std::size_t scan_number(std::string_view s) {
  std::size_t i = 0;
  auto skip_digits = [&s](std::size_t j) {
    while (j < s.size() && is_digit(s[j])) ++j;
    return j;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  const std::size_t int_end = skip_digits(i);
  bool any_digit = int_end > i;
  i = int_end;
  if (i < s.size() && s[i] == '.') {
    const std::size_t frac_end = skip_digits(i + 1);
    any_digit = any_digit || frac_end > i + 1;
    i = frac_end;
  }
  if (!any_digit) return 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    const std::size_t exp_end = skip_digits(j);
    if (exp_end > j) i = exp_end;
  }
  return i;
}

struct Scale {
  double factor;
  const char* unit;
};

// x written with 3 significant digits, locale-independent.
std::string three_digits(double x) {
  const double a = std::fabs(x);
  std::chars_format format = std::chars_format::fixed;
  int precision = 3;  // digits after the point; for general, significant digits
  if (a >= 99.95) {
    precision = 0;
  } else if (a >= 9.995) {
    precision = 1;
  } else if (a >= 0.9995) {
    precision = 2;
  } else if (!(a >= 0.1)) {  // below the smallest unit, zero, NaN
    format = std::chars_format::general;
  }
  std::array<char, 400> buf{};  // enough for any double in fixed notation
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), x, format, precision);
  return {buf.data(), r.ptr};
}

// scales: ascending; the base unit (factor 1) is among them.
std::string format_scaled(double v, std::span<const Scale> scales) {
  if (v == 0.0) v = 0.0;  // no "-0"
  std::size_t pick = 0;
  const double a = std::fabs(v);
  if (v == 0.0 || !std::isfinite(v)) {
    while (scales[pick].factor != 1.0) ++pick;
  } else {
    for (std::size_t i = 0; i < scales.size(); ++i) {
      if (a >= scales[i].factor) pick = i;
    }
    // 999.7 would round to "1000": use the next unit instead.
    if (a / scales[pick].factor >= 999.5 && pick + 1 < scales.size()) ++pick;
  }
  return three_digits(v / scales[pick].factor) + " " + scales[pick].unit;
}

constexpr Scale kDurationScales[] = {{1e-12, "ps"}, {1e-9, "ns"},  {1e-6, "us"},  {1e-3, "ms"},
                                     {1.0, "s"},    {60.0, "min"}, {3600.0, "h"}, {86400.0, "d"}};
constexpr Scale kDataSizeScales[] = {{1.0, "B"},   {kKi, "KiB"}, {kMi, "MiB"}, {kGi, "GiB"},
                                     {kTi, "TiB"}, {kPi, "PiB"}, {kEi, "EiB"}};
constexpr Scale kBandwidthScales[] = {{1.0, "B/s"},  {1e3, "kB/s"},  {1e6, "MB/s"},
                                      {1e9, "GB/s"}, {1e12, "TB/s"}, {1e15, "PB/s"}};
constexpr Scale kFlopRateScales[] = {{1.0, "FLOP/s"},  {1e3, "kFLOP/s"},  {1e6, "MFLOP/s"},
                                     {1e9, "GFLOP/s"}, {1e12, "TFLOP/s"}, {1e15, "PFLOP/s"},
                                     {1e18, "EFLOP/s"}};
constexpr Scale kWorkScales[] = {{1.0, "FLOP"},   {1e3, "kFLOP"},  {1e6, "MFLOP"},
                                 {1e9, "GFLOP"},  {1e12, "TFLOP"}, {1e15, "PFLOP"},
                                 {1e18, "EFLOP"}, {1e21, "ZFLOP"}};
constexpr Scale kPowerScales[] = {{1e-3, "mW"}, {1.0, "W"}, {1e3, "kW"}, {1e6, "MW"}, {1e9, "GW"}};
constexpr Scale kEnergyScales[] = {{1.0, "J"}, {1e3, "kJ"}, {1e6, "MJ"}, {1e9, "GJ"}, {1e12, "TJ"}};

}  // namespace

DimensionInfo describe(Dimension d) {
  switch (d) {
    case Dimension::kDuration:
      return {"a duration", "1.5us"};
    case Dimension::kDataSize:
      return {"a data size", "80GiB"};
    case Dimension::kBandwidth:
      return {"a bandwidth", "400Gbps"};
    case Dimension::kWork:
      return {"an amount of work", "3.2PFLOP"};
    case Dimension::kFlopRate:
      return {"a FLOP rate", "989TFLOP/s"};
    case Dimension::kPower:
      return {"a power", "700W"};
    case Dimension::kEnergy:
      return {"an energy", "1.2MWh"};
  }
  return {"a quantity", ""};
}

std::optional<double> parse_quantity(std::string_view text, Dimension d) {
  const std::size_t number_len = scan_number(text);
  if (number_len == 0) return std::nullopt;
  std::string_view number = text.substr(0, number_len);
  std::string_view unit = text.substr(number_len);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);

  double factor = 0.0;
  bool found = false;
  for (const Unit& u : units_for(d)) {
    if (u.name == unit) {
      factor = u.factor;
      found = true;
      break;
    }
  }
  if (!found) return std::nullopt;

  if (number.front() == '+') number.remove_prefix(1);  // from_chars takes no '+'
  double value = 0.0;
  const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) return std::nullopt;
  value *= factor;
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

namespace {
template <typename Q>
std::optional<Q> parse_as(std::string_view text, Dimension d) {
  const std::optional<double> v = parse_quantity(text, d);
  if (!v) return std::nullopt;
  return Q(*v);
}
}  // namespace

std::optional<Seconds> parse_duration(std::string_view text) {
  return parse_as<Seconds>(text, Dimension::kDuration);
}
std::optional<Bytes> parse_data_size(std::string_view text) {
  return parse_as<Bytes>(text, Dimension::kDataSize);
}
std::optional<BytesPerSecond> parse_bandwidth(std::string_view text) {
  return parse_as<BytesPerSecond>(text, Dimension::kBandwidth);
}
std::optional<Flops> parse_work(std::string_view text) {
  return parse_as<Flops>(text, Dimension::kWork);
}
std::optional<FlopsPerSecond> parse_flop_rate(std::string_view text) {
  return parse_as<FlopsPerSecond>(text, Dimension::kFlopRate);
}
std::optional<Watts> parse_power(std::string_view text) {
  return parse_as<Watts>(text, Dimension::kPower);
}
std::optional<Joules> parse_energy(std::string_view text) {
  return parse_as<Joules>(text, Dimension::kEnergy);
}

std::string format_duration(Seconds v) { return format_scaled(v.value(), kDurationScales); }
std::string format_data_size(Bytes v) { return format_scaled(v.value(), kDataSizeScales); }
std::string format_bandwidth(BytesPerSecond v) {
  return format_scaled(v.value(), kBandwidthScales);
}
std::string format_flop_rate(FlopsPerSecond v) { return format_scaled(v.value(), kFlopRateScales); }
std::string format_work(Flops v) { return format_scaled(v.value(), kWorkScales); }
std::string format_power(Watts v) { return format_scaled(v.value(), kPowerScales); }
std::string format_energy(Joules v) { return format_scaled(v.value(), kEnergyScales); }

}  // namespace gwsim
