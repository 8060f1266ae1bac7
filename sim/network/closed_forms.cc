#include "sim/network/closed_forms.h"

namespace gwsim::network {

Seconds ring_all_reduce_time(int ranks, Bytes size, BytesPerSecond bandwidth, Seconds alpha) {
  if (ranks <= 1) return Seconds(0);
  const double steps = 2.0 * (ranks - 1);
  return steps * (alpha + size / (static_cast<double>(ranks) * bandwidth));
}

}  // namespace gwsim::network
