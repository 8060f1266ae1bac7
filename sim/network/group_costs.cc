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

TopologyGroup topology_group(const platform::Topology& topology, std::vector<int64_t> hosts,
                             bool scale_up_reduces, bool scale_out_reduces) {
  TopologyGroup group;
  const int n = static_cast<int>(hosts.size());
  int local = 1;
  while (local < n && topology.node_of(hosts[local]) == topology.node_of(hosts[0])) ++local;
  bool uniform = n % local == 0;
  for (int i = 0; uniform && i < n; ++i) {
    // Each run of `local` ranks shares one node, and consecutive runs are in different nodes.
    uniform =
        topology.node_of(hosts[i]) == topology.node_of(hosts[i - i % local]) &&
        (i % local != 0 || i == 0 || topology.node_of(hosts[i]) != topology.node_of(hosts[i - 1]));
  }
  group.levels = uniform ? std::vector<int>{local, n / local} : std::vector<int>{n};
  if (n > 1)
    group.costs = group_costs(topology, hosts, group.levels, scale_up_reduces, scale_out_reduces);
  const platform::Topology* on = &topology;
  group.edge = [on, hosts = std::move(hosts)](int a, int b) {
    return route_edge(*on, hosts[static_cast<size_t>(a)], hosts[static_cast<size_t>(b)]);
  };
  return group;
}

}  // namespace gwsim::network
