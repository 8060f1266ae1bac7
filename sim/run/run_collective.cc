#include "sim/run/run_collective.h"

#include <algorithm>
#include <memory>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Barrier.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "sim/core/error.h"
#include "sim/engine/simulation.h"
#include "sim/network/ring_collective.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"

namespace gwsim::run {
namespace sg4 = simgrid::s4u;

std::vector<CollectiveRow> run_collective(const config::Scenario& scenario,
                                          network::CollectiveOp op, int ranks,
                                          network::Fidelity fidelity,
                                          const std::vector<Bytes>& sizes) {
  if (scenario.platform.resolution == config::Resolution::kDomain) {
    throw InputError(
        SourceLocation{scenario.source.path, 0}, "platform.resolution",
        R"(collectives run at accelerator resolution only in this version; use "accelerator")");
  }
  engine::Simulation simulation(engine::Simulation::Options{.host_energy = false});
  const platform::Topology topology(scenario.platform);
  const platform::BuiltPlatform built =
      platform::build_zones(topology, scenario.platform.accelerator, /*host_energy=*/false);

  const network::RingCollective ring("collective", ranks);
  const sg4::BarrierPtr barrier = sg4::Barrier::create(static_cast<unsigned>(ranks));
  std::vector<double> start(sizes.size(), 0.0);
  std::vector<double> end(sizes.size(), 0.0);
  for (int r = 0; r < ranks; ++r) {
    const Seconds edge = topology.route_latency(r, (r + 1) % ranks);
    sg4::Actor::create("rank" + std::to_string(r), built.hosts[static_cast<size_t>(r)],
                       [&ring, &barrier, &sizes, &start, &end, r, op, fidelity, edge] {
                         for (size_t i = 0; i < sizes.size(); ++i) {
                           barrier->wait();  // every rank leaves it at the same simulated time
                           if (r == 0) start[i] = sg4::Engine::get_clock();
                           ring.run(r, op, sizes[i], fidelity, edge);
                           end[i] = std::max(end[i], sg4::Engine::get_clock());
                         }
                       });
  }
  simulation.run(nullptr);
  std::vector<CollectiveRow> rows;
  for (size_t i = 0; i < sizes.size(); ++i) rows.push_back({sizes[i], Seconds(end[i] - start[i])});
  return rows;
}

}  // namespace gwsim::run
