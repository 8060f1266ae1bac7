#include "sim/network/group_costs.h"

#include <algorithm>
#include <unordered_map>

namespace gwsim::network {

EdgeCost route_edge(const platform::Topology& topology, int64_t from_host, int64_t to_host) {
  return {topology.route_bandwidth(from_host, to_host), topology.route_latency(from_host, to_host),
          topology.node_of(from_host) != topology.node_of(to_host)};
}

GroupCosts group_costs(const platform::Topology& topology, const std::vector<int64_t>& hosts,
                       const std::vector<int>& levels, bool scale_up_reduces,
                       bool scale_out_reduces) {
  GroupCosts costs;
  const int n = static_cast<int>(hosts.size());
  if (n < 2) return costs;
  std::vector<int64_t> route;
  int stride = 1;
  for (int d : levels.empty() ? std::vector<int>{n} : levels) {
    if (d > 1) {
      auto neighbour = [&](int rank) {
        const int coordinate = (rank / stride) % d;
        return rank + ((coordinate + 1) % d - coordinate) * stride;
      };
      // How many of the level's flows cross each link.
      std::unordered_map<int64_t, int> crossing;
      for (int r = 0; r < n; ++r) {
        route.clear();
        topology.append_route(hosts[r], hosts[neighbour(r)], route);
        for (int64_t l : route) ++crossing[l];
      }
      EdgeCost edge = route_edge(topology, hosts[0], hosts[neighbour(0)]);
      // The slowest flow of the level: every rank's, at its share of each link it crosses.
      for (int r = 0; r < n; ++r) {
        route.clear();
        topology.append_route(hosts[r], hosts[neighbour(r)], route);
        for (int64_t l : route) {
          edge.bandwidth = std::min(edge.bandwidth,
                                    topology.link(l).bandwidth / static_cast<double>(crossing[l]));
        }
        edge.latency =
            std::max(edge.latency, topology.route_latency(hosts[r], hosts[neighbour(r)]));
      }
      costs.levels.push_back(edge);
    }
    stride *= d;
  }
  if (costs.levels.empty()) costs.levels.push_back(route_edge(topology, hosts[0], hosts[1]));
  const int local = levels.size() > 1 ? levels.front() : 1;
  if (levels.size() > 1 && local > 1 && n > local)
    costs.ring_crossing = route_edge(topology, hosts[local - 1], hosts[local]);
  costs.in_network_available = costs.levels.back().scale_out ? scale_out_reduces : scale_up_reduces;
  return costs;
}

}  // namespace gwsim::network
