// The points of a sweep: the product of its dimensions, each loaded and validated as a scenario
// before anything runs, so a bad combination is found at once and not hours into a study.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "sim/config/sweep.h"

namespace gwsim::sweep {

struct Point {
  size_t index = 0;                 // position in the product, row-major (last dimension fastest)
  std::vector<std::string> values;  // one per swept field, in SweepSpec::fields() order
  std::vector<std::string> overrides;  // the set assignments, then one per swept field (--set form)
  std::string scenario_sha256;         // of the point's effective scenario; empty when skipped
  std::string skip_reason;             // why the point is skipped (skip_invalid); empty otherwise

  bool skipped() const { return !skip_reason.empty(); }
};

// Every point of the product, in index order, each loaded as a scenario. Throws InputError:
// - at the value's line, when a value makes every point it is part of invalid (a value that is
//   wrong on its own, like "fast" for a bandwidth, is a mistake, whatever skip_invalid says);
// - naming the point and its values, when a point is invalid and spec.skip_invalid is false.
// With skip_invalid, an invalid point is returned with the reason in skip_reason.
std::vector<Point> expand_points(const config::SweepSpec& spec);

// "platform.nodes=2, platform.scale_out.nic_bandwidth=400Gbps": the point's swept values.
std::string describe(const Point& point, const std::vector<std::string>& fields);

}  // namespace gwsim::sweep
