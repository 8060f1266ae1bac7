// What the collective layer needs to know of a group of ranks on a topology (plain C++ over
// sim/network): the route cost between two members, the group's levels (members per node x nodes,
// when every node holds the same number of them in a row) and its GroupCosts. Shared by the
// transformer executor and the Chakra replay, so that a group is modelled the same way in both.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/network/cost_model.h"
#include "sim/network/group_costs.h"
#include "sim/platform/topology.h"

namespace gwsim::executor {

struct GroupNetwork {
  std::function<network::EdgeCost(int, int)> edge;  // by index among the members
  std::vector<int> levels;
  network::GroupCosts costs;  // left default for a group of one
};

// `hosts`: the members' accelerator indices, in the group's order. `topology` must outlive the
// returned edge function.
GroupNetwork group_network(const platform::Topology& topology, std::vector<int64_t> hosts,
                           bool scale_up_in_network, bool scale_out_in_network);

}  // namespace gwsim::executor
