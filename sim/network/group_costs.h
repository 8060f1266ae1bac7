// The costs of a group's levels on a topology (sim/network/cost_model.h's GroupCosts), from the
// routes its ranks' flows take: for each level, the edge from rank 0 to its neighbour along that
// level, with the bandwidth each flow gets when every rank sends to its neighbour at once (a link
// that k of those flows cross gives each 1/k of it: 8 ranks of a site crossing one site link get an
// eighth each), and the latency of the worse of that edge and the level's wrap-around edge.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/network/cost_model.h"
#include "sim/platform/topology.h"

namespace gwsim::network {

// `hosts`: the topology host of each rank; `levels` as CollectiveSpec::levels. `in_network`: the
// switches of the outermost level reduce.
GroupCosts group_costs(const platform::Topology& topology, const std::vector<int64_t>& hosts,
                       const std::vector<int>& levels, bool scale_up_reduces,
                       bool scale_out_reduces);

// The route from rank a to rank b as a collective edge (its narrowest link, its latency, whether
// it leaves the node).
EdgeCost route_edge(const platform::Topology& topology, int64_t from_host, int64_t to_host);

// What a collective runner and the cost model need of a group of ranks placed on a topology.
struct TopologyGroup {
  // Ranks per node, then nodes ({local, n / local}) when every node holds the same number of the
  // group's ranks in a row; else one flat level {n}.
  std::vector<int> levels;
  GroupCosts costs;                        // empty for a group of one
  std::function<EdgeCost(int, int)> edge;  // route_edge between two of the group's ranks
};
TopologyGroup topology_group(const platform::Topology& topology, std::vector<int64_t> hosts,
                             bool scale_up_reduces, bool scale_out_reduces);

}  // namespace gwsim::network
