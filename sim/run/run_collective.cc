#include "sim/run/run_collective.h"

#include <algorithm>
#include <memory>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Barrier.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "sim/core/error.h"
#include "sim/engine/simulation.h"
#include "sim/network/collective_runner.h"
#include "sim/network/cost_model.h"
#include "sim/network/group_costs.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"

namespace gwsim::run {
namespace sg4 = simgrid::s4u;

namespace {

int local_count(const config::PlatformSpec& platform, const CollectiveRequest& request) {
  if (request.ranks_per_node > 0) return request.ranks_per_node;
  return std::min(request.ranks, platform.accelerators_per_node);
}

// Rank -> topology host: `local` ranks on each node, node-major.
int64_t host_of(const config::PlatformSpec& platform, int local, int rank) {
  return static_cast<int64_t>(rank / local) * platform.accelerators_per_node + rank % local;
}

}  // namespace

std::vector<int> group_levels(const config::PlatformSpec& platform,
                              const CollectiveRequest& request) {
  const int local = local_count(platform, request);
  if (local < 1 || local > platform.accelerators_per_node) {
    throw InputError({"--group-shape", 0}, "",
                     "expected 1 to " + std::to_string(platform.accelerators_per_node) +
                         " ranks per node (the platform's accelerators per node), got " +
                         std::to_string(local));
  }
  if (request.ranks % local != 0 || request.ranks / local > platform.nodes) {
    throw InputError({"--group-shape", 0}, "",
                     std::to_string(request.ranks) + " ranks at " + std::to_string(local) +
                         " per node need a whole number of nodes, at most " +
                         std::to_string(platform.nodes));
  }
  std::vector<int> levels;
  const bool whole_torus = platform.scale_up &&
                           platform.scale_up->kind == config::ScaleUpKind::kTorus &&
                           local == platform.accelerators_per_node;
  if (whole_torus) {
    levels = platform.scale_up->torus_dims;
  } else {
    levels.push_back(local);
  }
  // Nodes, split by site when the group spans several sites of equal node counts (the platform's
  // nodes are split evenly over its sites): scale-up, then scale-out, then across sites.
  const int nodes = request.ranks / local;
  const auto& net = platform.scale_out ? platform.scale_out->interconnect : std::nullopt;
  const int per_site = net && net->sites > 1 ? platform.nodes / net->sites : 0;
  if (per_site > 0 && nodes > per_site && nodes % per_site == 0) {
    levels.push_back(per_site);
    levels.push_back(nodes / per_site);
  } else {
    levels.push_back(nodes);
  }
  return levels;
}

std::vector<CollectiveRow> run_collective(const config::Scenario& scenario,
                                          const CollectiveRequest& request) {
  const config::PlatformSpec& platform = scenario.platform;
  if (platform.resolution == config::Resolution::kDomain) {
    throw InputError(
        SourceLocation{scenario.source.path, 0}, "platform.resolution",
        R"(collectives run at accelerator resolution only in this version; use "accelerator")");
  }
  const std::vector<int> levels = group_levels(platform, request);
  const int local = local_count(platform, request);
  engine::Simulation simulation(engine::Simulation::Options{.host_energy = false});
  const platform::Topology topology(platform);
  const platform::BuiltPlatform built =
      platform::build_zones(topology, platform.accelerator, /*host_energy=*/false);
  const int n = request.ranks;
  auto host = [&](int rank) { return host_of(platform, local, rank); };
  auto edge = [&topology, host](int a, int b) {
    return network::route_edge(topology, host(a), host(b));
  };

  std::vector<int64_t> hosts;
  hosts.reserve(static_cast<size_t>(n));
  for (int r = 0; r < n; ++r) hosts.push_back(host(r));
  const network::GroupCosts costs = network::group_costs(
      topology, hosts, levels, platform.scale_up && platform.scale_up->in_network_reduction,
      platform.scale_out && platform.scale_out->in_network_reduction);

  std::vector<std::unique_ptr<network::CollectiveRunner>> runners;
  std::vector<CollectiveRow> rows;
  for (size_t i = 0; i < request.sizes.size(); ++i) {
    network::CollectiveSpec spec;
    spec.op = request.op;
    spec.size = request.sizes[i];
    spec.ranks = n;
    spec.levels = levels;
    spec.chunk = platform.collectives.chunk;
    if (request.algorithm) {
      spec.algorithm = *request.algorithm;
      if (auto why = network::unsupported(spec)) throw InputError({"--algo", 0}, "", *why);
      if (spec.algorithm == network::Algorithm::kInNetwork && !costs.in_network_available) {
        throw InputError({"--algo", 0}, "",
                         "in_network needs switches that reduce at the group's outermost level: "
                         "platform.scale_up.in_network_reduction for a group in one node, "
                         "platform.scale_out.in_network_reduction for a group across nodes");
      }
    }
    const network::Choice choice =
        network::choose(spec, platform.collectives, costs, request.algorithm);
    spec.algorithm = choice.algorithm;
    runners.push_back(std::make_unique<network::CollectiveRunner>(
        "collective" + std::to_string(i), spec, request.fidelity, choice.protocol,
        platform.collectives, edge));
    rows.push_back({spec.size, Seconds(0), network::algorithm_name(choice.algorithm),
                    choice.protocol.name, choice.predicted});
  }

  const sg4::BarrierPtr barrier = sg4::Barrier::create(static_cast<unsigned>(n));
  std::vector<double> start(rows.size(), 0.0), end(rows.size(), 0.0);
  for (int r = 0; r < n; ++r) {
    sg4::Actor::create("rank" + std::to_string(r), built.hosts[static_cast<size_t>(host(r))],
                       [&runners, &barrier, &start, &end, r] {
                         for (size_t i = 0; i < runners.size(); ++i) {
                           barrier->wait();  // every rank leaves it at the same simulated time
                           if (r == 0) start[i] = sg4::Engine::get_clock();
                           runners[i]->run(r);
                           end[i] = std::max(end[i], sg4::Engine::get_clock());
                         }
                       });
  }
  simulation.run(nullptr);
  for (size_t i = 0; i < rows.size(); ++i) rows[i].time = Seconds(end[i] - start[i]);
  return rows;
}

}  // namespace gwsim::run
