// A dense index of a SimGrid host, for per-host tables that are vectors rather than hash maps: the
// id of the host's netpoint, which SimGrid numbers 0, 1, ... over hosts and routers in creation
// order. Lookups on the simulator's hot paths (one per activity start and end) then cost one load
// where a hash map's cost two cache misses.
#pragma once

#include <cstddef>

#include <simgrid/kernel/routing/NetPoint.hpp>
#include <simgrid/s4u/Host.hpp>

namespace gwsim::engine {

inline size_t host_index(const simgrid::s4u::Host* host) { return host->get_netpoint()->id(); }

}  // namespace gwsim::engine
