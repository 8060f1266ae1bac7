#include "sim/platform/dragonfly.h"

#include <algorithm>
#include <cassert>

namespace gwsim::platform {

DragonflyArrangement::DragonflyArrangement(const config::DragonflySpec& spec) : spec_(spec) {
  const int64_t ports = static_cast<int64_t>(spec.routers_per_group) * spec.global_ports;
  const int others = spec.groups - 1;
  if (others == 0) {
    rounds_ = 0;
    leftover_ = 0;
  } else if (spec.links_per_group_pair > 0) {
    rounds_ = spec.links_per_group_pair;
    leftover_ = 0;
  } else {
    rounds_ = static_cast<int>(ports / others);
    leftover_ = static_cast<int>(ports % others);
  }
  assert(static_cast<int64_t>(rounds_) * others + leftover_ <= ports);
}

bool DragonflyArrangement::extra(int offset) const {
  const int g = spec_.groups;
  const int nearest = std::min(offset, g - offset);
  if (nearest <= leftover_ / 2) return true;
  return leftover_ % 2 == 1 && g % 2 == 0 && offset == g / 2;
}

int DragonflyArrangement::links_at_offset(int offset) const {
  assert(offset >= 1 && offset < spec_.groups);
  return rounds_ + (extra(offset) ? 1 : 0);
}

int DragonflyArrangement::owner(int offset, int round) const {
  assert(round >= 0 && round < links_at_offset(offset));
  const int g = spec_.groups;
  int64_t port;
  if (round < rounds_) {
    port = static_cast<int64_t>(round) * (g - 1) + offset - 1;
  } else {
    // The leftover ports in order: +1, -1, +2, -2, ..., then g/2.
    const int nearest = std::min(offset, g - offset);
    const int index =
        nearest <= leftover_ / 2 ? 2 * (nearest - 1) + (offset == nearest ? 0 : 1) : leftover_ - 1;
    port = static_cast<int64_t>(rounds_) * (g - 1) + index;
  }
  return static_cast<int>(port / spec_.global_ports);
}

int64_t DragonflyArrangement::global_cables() const {
  int64_t ends = 0;  // link ends of one group
  for (int d = 1; d < spec_.groups; ++d) ends += links_at_offset(d);
  return ends * spec_.groups / 2;
}

int64_t DragonflyArrangement::links_across(int first) const {
  int64_t links = 0;
  for (int i = 0; i < first; ++i) {
    for (int j = first; j < spec_.groups; ++j) links += links_at_offset(j - i);
  }
  return links;
}

}  // namespace gwsim::platform
