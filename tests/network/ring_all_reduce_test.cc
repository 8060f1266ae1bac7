// The step-fidelity ring all-reduce on an idle network against its closed form
// (network/closed_forms.h). Each TEST runs in its own process (gtest_discover_tests), so each gets
// a fresh SimGrid engine.
#include <gtest/gtest.h>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "sim/engine/simulation.h"
#include "sim/network/closed_forms.h"
#include "sim/network/ring_all_reduce.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"

namespace gwsim::network {
namespace {

namespace sg4 = simgrid::s4u;

config::PlatformSpec platform(int nodes, int per_node) {
  config::PlatformSpec spec;
  spec.accelerator = {"test", FlopsPerSecond(1e15), Watts(100), Watts(700)};
  spec.nodes = nodes;
  spec.accelerators_per_node = per_node;
  spec.scale_up = config::ScaleUpSpec{config::ScaleUpKind::kSwitch, BytesPerSecond(450e9), Seconds(0.5e-6), {}};
  spec.scale_out =
      config::ScaleOutSpec{config::ScaleOutKind::kSingleSwitch, BytesPerSecond(50e9), Seconds(1e-6), std::nullopt,
                           std::nullopt};
  return spec;
}

// Runs one all-reduce of `size` over every accelerator and returns when the last rank finished.
double simulate(const config::PlatformSpec& spec, Bytes size) {
  engine::Simulation simulation;
  const platform::Topology topology(spec);
  const platform::BuiltPlatform built = platform::build_zones(topology, spec.accelerator);
  const RingAllReduce ring("test", static_cast<int>(topology.accelerator_count()));
  double last_end = 0;
  for (int r = 0; r < topology.accelerator_count(); ++r) {
    sg4::Actor::create("rank" + std::to_string(r), built.hosts[r],
                       [&ring, &last_end, r, size] {
                         ring.run(r, size);
                         last_end = std::max(last_end, sg4::Engine::get_clock());
                       });
  }
  simulation.run(nullptr);
  return last_end;
}

// The slowest ring edge sets the pace: its bandwidth and latency enter the closed form.
Seconds expected(const config::PlatformSpec& spec, Bytes size) {
  const platform::Topology t(spec);
  const int n = static_cast<int>(t.accelerator_count());
  Seconds slowest_alpha(0);
  BytesPerSecond slowest_bandwidth(1e300);
  double worst = 0;
  for (int r = 0; r < n; ++r) {
    const int next = (r + 1) % n;
    const double edge =
        (t.route_latency(r, next) + size / (n * t.route_bandwidth(r, next))).value();
    if (edge > worst) {
      worst = edge;
      slowest_alpha = t.route_latency(r, next);
      slowest_bandwidth = t.route_bandwidth(r, next);
    }
  }
  return ring_all_reduce_time(n, size, slowest_bandwidth, slowest_alpha);
}

TEST(RingAllReduce, OneNodeMatchesClosedForm) {
  const auto spec = platform(1, 8);
  const Bytes size(1 << 30);
  const double simulated = simulate(spec, size);
  // 2(n-1) steps of S/n over 450 GB/s plus 2 x 0.5 us latency per step.
  const double closed = 14 * (1e-6 + (1 << 30) / 8.0 / 450e9);
  EXPECT_NEAR(expected(spec, size).value(), closed, 1e-12);
  EXPECT_NEAR(simulated, closed, 0.005 * closed);
}

TEST(RingAllReduce, TwoNodesArePacedByTheNic) {
  const auto spec = platform(2, 8);
  const Bytes size(3e9);
  const double closed = expected(spec, size).value();
  EXPECT_NEAR(closed, 30 * (2e-6 + 3e9 / 16 / 50e9), 1e-12);
  EXPECT_NEAR(simulate(spec, size), closed, 0.005 * closed);
}

TEST(RingAllReduce, SmallMessagesAreLatencyBound) {
  const auto spec = platform(5, 1);  // five nodes of one accelerator: every edge crosses the switch
  const Bytes size(1024);
  const double closed = expected(spec, size).value();
  EXPECT_GT(8 * 2e-6 / closed, 0.9);  // the latency term dominates
  EXPECT_NEAR(simulate(spec, size), closed, 0.005 * closed);
}

}  // namespace
}  // namespace gwsim::network
