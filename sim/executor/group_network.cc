#include "sim/executor/group_network.h"

namespace gwsim::executor {

GroupNetwork group_network(const platform::Topology& topology, std::vector<int64_t> hosts,
                           bool scale_up_in_network, bool scale_out_in_network) {
  GroupNetwork g;
  const int n = static_cast<int>(hosts.size());
  const auto node = [&](int i) { return topology.node_of(hosts[static_cast<size_t>(i)]); };
  int local = 1;
  while (local < n && node(local) == node(0)) ++local;
  bool uniform = n % local == 0;
  for (int i = 0; uniform && i < n; ++i)
    uniform =
        node(i) == node(i - i % local) && (i % local != 0 || i == 0 || node(i) != node(i - 1));
  g.levels = uniform ? std::vector<int>{local, n / local} : std::vector<int>{n};
  if (n > 1)
    g.costs =
        network::group_costs(topology, hosts, g.levels, scale_up_in_network, scale_out_in_network);
  const platform::Topology* t = &topology;
  g.edge = [t, hosts = std::move(hosts)](int a, int b) {
    return network::route_edge(*t, hosts[static_cast<size_t>(a)], hosts[static_cast<size_t>(b)]);
  };
  return g;
}

}  // namespace gwsim::executor
