// Strict parsing and human-readable formatting of quantities with units ("400Gbps", "1.5us",
// "80GiB").
//
// Scenario files write quantities as text. Parsing is strict because a simulator must never
// silently reinterpret its input: the text must be exactly <number><at most one space><unit>, with
//   number = [+-]?(digits[.digits*]|.digits)([eE][+-]?digits)?
// and a case-sensitive unit valid for the expected dimension. A bare number, an unknown unit,
// leading or trailing whitespace, NaN, infinity and values that overflow a double are all rejected
// (std::nullopt). Negative numbers parse: range checks belong to the caller, which knows the field.
//
// Accepted units (value in SI base units = number * factor):
//   duration   ps ns us µs ms s min h d (d = 86400 s; µ is U+00B5 MICRO SIGN or U+03BC GREEK SMALL
//   MU) data size  B, kB KB MB GB TB PB EB (powers of 1000), KiB MiB GiB TiB PiB EiB (powers of
//   1024).
//              Bits are not sizes: "8Gb" is rejected.
//   bandwidth  bit rates bps kbps Kbps Mbps Gbps Tbps Pbps and b/s kb/s Kb/s Mb/s Gb/s Tb/s Pb/s (÷
//   8);
//              byte rates B/s kB/s KB/s MB/s GB/s TB/s PB/s KiB/s MiB/s GiB/s TiB/s and
//              Bps kBps KBps MBps GBps TBps. So "400Gbps" and "50GB/s" are both 5e10 B/s.
//   work       FLOP kFLOP MFLOP GFLOP TFLOP PFLOP EFLOP ZFLOP
//   FLOP rate  FLOP/s kFLOP/s ... EFLOP/s and FLOPS kFLOPS ... EFLOPS
//   power      mW W kW MW GW
//   energy     J kJ MJ GJ TJ, Wh kWh MWh GWh TWh (1 Wh = 3600 J)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sim/core/units.h"

namespace gwsim {

enum class Dimension { kDuration, kDataSize, kBandwidth, kWork, kFlopRate, kPower, kEnergy };

// For error messages: a noun with its article and an example value, e.g. {"a bandwidth",
// "400Gbps"}.
struct DimensionInfo {
  const char* noun;
  const char* example;
};
DimensionInfo describe(Dimension d);

// The value in SI base units of d (s, B, B/s, FLOP, FLOP/s, W, J), or std::nullopt if text is not
// exactly <number><optional single space><unit> with a unit valid for d, or if the value is not
// finite.
std::optional<double> parse_quantity(std::string_view text, Dimension d);

std::optional<Seconds> parse_duration(std::string_view text);
std::optional<Bytes> parse_data_size(std::string_view text);
std::optional<BytesPerSecond> parse_bandwidth(std::string_view text);
std::optional<Flops> parse_work(std::string_view text);
std::optional<FlopsPerSecond> parse_flop_rate(std::string_view text);
std::optional<Watts> parse_power(std::string_view text);
std::optional<Joules> parse_energy(std::string_view text);

// Human-readable text with 3 significant digits and the unit that puts the number in [1, 1000),
// e.g. "1.50 us", "12.3 ms", "2.00 s", "1.50 min", "1.25 h". A number in [0.1, 1) keeps 3 digits
// ("0.977 KiB", "0.500 B"); below 0.1 of the smallest unit, and for zero, it has no trailing zeros
// ("0 s", "0.05 B", "1e-06 ps"); above the largest unit it keeps all its integer digits ("1157 d").
// Every finite value's text parses back with the matching parse_* function. The decimal point is
// '.' whatever the locale.
std::string format_duration(Seconds v);          // ps ns us ms s min h d
std::string format_data_size(Bytes v);           // binary prefixes: "512 B", "80.0 GiB"
std::string format_bandwidth(BytesPerSecond v);  // bytes per second, SI prefixes: "50.0 GB/s"
std::string format_flop_rate(FlopsPerSecond v);  // "989 TFLOP/s"
std::string format_work(Flops v);                // "3.20 PFLOP"
std::string format_power(Watts v);               // "700 W", "1.20 MW"
std::string format_energy(Joules v);             // "1.23 MJ"

}  // namespace gwsim
