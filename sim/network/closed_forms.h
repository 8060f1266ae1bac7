// Closed-form costs of collectives on idle networks (plain C++), used to check the simulated
// algorithms and, later, by the fluid fidelity.
#pragma once

#include "sim/core/units.h"

namespace gwsim::network {

// Ring all-reduce of `size` bytes over `ranks` ranks (reduce-scatter then all-gather: 2(n-1) steps,
// each moving size/n bytes over every ring edge at once): 2(n-1) * (alpha + size / (n *
// bandwidth)), where `bandwidth` is the slowest edge's and `alpha` that edge's latency. Thakur,
// Rabenseifner and Gropp, "Optimization of Collective Communication Operations in MPICH" (2005),
// sec. 4.
Seconds ring_all_reduce_time(int ranks, Bytes size, BytesPerSecond bandwidth, Seconds alpha);

}  // namespace gwsim::network
