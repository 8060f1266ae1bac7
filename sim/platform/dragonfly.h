// Where a dragonfly's global links go: which router of a group owns the links toward another group
// and how many links join two groups. Plain C++, shared by routing (Topology), bisection and cable
// counts.
//
// A group has a * h global ports, numbered router-major (router r owns ports r*h .. r*h + h - 1).
// Groups are joined by offset: the links from group i to group i + d (mod g) form the pair's
// "rounds". With q = floor(a*h / (g-1)) and r = a*h mod (g-1), port m*(g-1) + d - 1 is round m
// toward offset d for m < q: every pair of groups gets q links. The r leftover ports add one more
// link toward the offsets closest to 0 either way (+1, -1, +2, -2, ...; and g/2 when r is odd and g
// even): the choice depends only on min(d, g - d), so group i's extra link toward i + d meets group
// i + d's extra link toward offset g - d. When r and g are both odd, one port per group stays
// unused. A fixed links_per_group_pair k uses k rounds and leaves the other ports unused. Round m
// of group i toward offset d lands on round m of group i + d toward offset g - d, so both ends of
// every global link are known by arithmetic and nothing is stored per link or per pair.
#pragma once

#include <cstdint>

#include "sim/config/scenario.h"

namespace gwsim::platform {

class DragonflyArrangement {
 public:
  explicit DragonflyArrangement(const config::DragonflySpec& spec);

  // Global links between group i and group i + offset (mod groups), for 1 <= offset < groups; the
  // same for i + offset and i (the arrangement is symmetric).
  int links_at_offset(int offset) const;
  // Router (index within its group) that owns round `round` of the links toward `offset`.
  int owner(int offset, int round) const;
  // Full-duplex global cables of the whole machine.
  int64_t global_cables() const;
  // Global links from groups [0, first) to groups [first, groups), counted in one direction.
  int64_t links_across(int first) const;

 private:
  bool extra(int offset) const;  // does this offset get one of the leftover ports?

  config::DragonflySpec spec_;
  int rounds_;    // q: links every pair gets
  int leftover_;  // r: ports left after q rounds, spread as one more link to some offsets
};

}  // namespace gwsim::platform
