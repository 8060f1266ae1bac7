// Accelerator power by activity, and the fixed overheads of a node or rack: plain models, no
// SimGrid.
//
// An accelerator is idle, computing (compute-bound or memory-bound) or communicating. Its power is
//   idle                      -> idle
//   computing at load u       -> idle + (peak - idle) * curve(u)      (compute-bound: u = 1)
//   memory-bound              -> idle + (peak - idle) * curve(memory_bound_load)
//   communicating             -> communicating (a figure of its own: NICs and copy engines busy,
//   SMs mostly
//                                idle)
// where curve maps the load in [0, 1] to the fraction of the dynamic range drawn: linear (curve(u)
// = u), or the piecewise-linear shape of measured points a source gives. When an accelerator both
// computes and communicates (overlap), the computing figure applies, plus the communication's
// excess over idle. A node or rack adds host CPUs, NICs, switches and fans or pumps as constant
// power while the site is on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/core/units.h"

namespace gwsim::power {

enum class ActivityKind { kIdle, kComputeBound, kMemoryBound, kCommunicating };

// Fraction of the dynamic range drawn at a load. Empty points mean linear; otherwise points (load,
// fraction) with loads strictly increasing from 0 to 1 and fractions in [0, 1], interpolated
// linearly.
struct LoadCurve {
  std::vector<double> load;
  std::vector<double> fraction;

  double at(double u) const;
  // Empty string when the points are valid, else what is wrong with them.
  std::string problem() const;
};

// The power-vs-speed relation of a computation slowed down by a power cap (DVFS): at speed
// fraction speed[i] of the full clock it draws idle + power[i] * (its full-speed power - idle).
// Points rise strictly in both coordinates and end at (1, 1); interpolated linearly. The figures
// are data (scenario.proto, Power.cap_curve_*; docs/power.md gives the source of the shipped ones).
struct CapCurve {
  std::vector<double> speed;
  std::vector<double> power;

  // The speed at which the computation draws `fraction` of its full-speed dynamic power.
  // REQUIRES power.front() <= fraction <= 1.
  double speed_at(double fraction) const;
  // The inverse: the fraction of its full-speed dynamic power drawn at `speed`.
  double power_at(double speed) const;
};

struct AcceleratorPowerModel {
  Watts idle;
  Watts peak;
  Watts communicating;
  double memory_bound_load = 1;  // load a memory-bound phase puts on the curve
  LoadCurve curve;
  // Power limit of the accelerator (none: uncapped) and how speed falls to meet it.
  std::optional<Watts> cap;
  CapCurve cap_curve;

  Watts computing(double load) const { return idle + (peak - idle) * curve.at(load); }
  // Power with `computing` and `communicating` activities running at once on the accelerator, at
  // most the cap: a compute-bound computation that would draw more runs at capped_speed(1) and
  // draws exactly the cap. Memory-bound computations and overlap with communication are only
  // clipped at the cap (no executor issues them yet; their slowdown is not modelled).
  Watts power(bool compute_bound, bool memory_bound, bool communicating_now) const;
  // Speed fraction in (0, 1] of a computation at `load` under the cap: 1 when computing(load) fits
  // under it, else the speed s at which idle + (computing(load) - idle) * cap_curve.power_at(s)
  // equals the cap. REQUIRES the cap to be within the curve's range (checked by the loader).
  double capped_speed(double load) const;
};

// Time accelerators spent in each activity, summed over accelerators (computing covers compute- and
// memory-bound computations). What a finer run hands to the job-resolution step model
// (sim/scheduler/step_rate.h), so that it knows how much communication overlapped computation.
struct ActivityTimes {
  Seconds computing;                // computing, not communicating
  Seconds computing_communicating;  // both at once
  Seconds communicating;            // communicating, not computing
  Seconds idle;
  Seconds total() const { return computing + computing_communicating + communicating + idle; }
};

// Constant power of the equipment around the accelerators of one node (or rack).
struct NodeOverhead {
  Watts host_cpus;
  Watts nics;
  Watts switches;
  Watts fans_pumps;
  Watts total() const { return host_cpus + nics + switches + fans_pumps; }
};

}  // namespace gwsim::power
