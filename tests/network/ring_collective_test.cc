// Ring collectives on idle networks against their closed forms (network/collective.h), fluid
// against step fidelity, and contention between collectives. Each TEST runs in its own process with
// its own engine.
#include <gtest/gtest.h>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "sim/engine/simulation.h"
#include "sim/network/collective.h"
#include "sim/network/ring_collective.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"
#include "tests/in_child.h"
#include "tests/network/test_platform.h"

namespace gwsim::network {
namespace {

namespace sg4 = simgrid::s4u;

config::PlatformSpec platform(int nodes, int per_node) {
  return testing::network_platform(nodes, per_node);
}

// Runs one collective per group (lists of accelerators, in ring order) at once; returns each
// group's end.
std::vector<double> simulate_here(const config::PlatformSpec& spec,
                                  const std::vector<std::vector<int>>& groups, CollectiveOp op,
                                  Bytes size, Fidelity fidelity) {
  engine::Simulation simulation;
  const platform::Topology topology(spec);
  const platform::BuiltPlatform built = platform::build_zones(topology, spec.accelerator);
  std::vector<double> ends(groups.size(), 0.0);
  std::vector<std::unique_ptr<RingCollective>> rings;
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<int>& members = groups[g];
    const int n = static_cast<int>(members.size());
    rings.push_back(std::make_unique<RingCollective>("group" + std::to_string(g), n));
    for (int r = 0; r < n; ++r) {
      const Seconds edge = topology.route_latency(members[r], members[(r + 1) % n]);
      const RingCollective* ring = rings.back().get();
      double* end = &ends[g];
      sg4::Actor::create("g" + std::to_string(g) + "r" + std::to_string(r), built.hosts[members[r]],
                         [ring, r, op, size, fidelity, edge, end] {
                           ring->run(r, op, size, fidelity, edge);
                           *end = std::max(*end, sg4::Engine::get_clock());
                         });
    }
  }
  simulation.run(nullptr);
  return ends;
}

// The same in a child process (one engine per process).
std::vector<double> simulate(const config::PlatformSpec& spec,
                             const std::vector<std::vector<int>>& groups, CollectiveOp op,
                             Bytes size, Fidelity fidelity) {
  return testing::in_child(groups.size(),
                           [&] { return simulate_here(spec, groups, op, size, fidelity); });
}

std::vector<int> first(int n) {
  std::vector<int> members(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) members[static_cast<size_t>(i)] = i;
  return members;
}

TEST(RingCollective, AllReduceInOneNodeMatchesClosedForm) {
  const Bytes size(1 << 30);
  const double simulated =
      simulate(platform(1, 8), {first(8)}, CollectiveOp::kAllReduce, size, Fidelity::kStep)[0];
  // 2(n-1) steps of S/n over 450 GB/s plus 2 x 0.5 us latency per step.
  const double closed = 14 * (1e-6 + (1 << 30) / 8.0 / 450e9);
  EXPECT_NEAR(
      ring_time(CollectiveOp::kAllReduce, size, 8, BytesPerSecond(450e9), Seconds(1e-6)).value(),
      closed, 1e-15);
  EXPECT_NEAR(simulated, closed, 0.005 * closed);
}

TEST(RingCollective, AllReduceOverTwoNodesIsPacedByTheNic) {
  const Bytes size(3e9);
  const double closed = 30 * (2e-6 + 3e9 / 16 / 50e9);
  EXPECT_NEAR(
      simulate(platform(2, 8), {first(16)}, CollectiveOp::kAllReduce, size, Fidelity::kStep)[0],
      closed, 0.005 * closed);
}

TEST(RingCollective, SmallMessagesAreLatencyBound) {
  const Bytes size(1024);
  // Five nodes of one accelerator: every edge crosses the switch (2 x 1 us).
  const double closed =
      ring_time(CollectiveOp::kAllReduce, size, 5, BytesPerSecond(50e9), Seconds(2e-6)).value();
  EXPECT_GT(8 * 2e-6 / closed, 0.9);
  EXPECT_NEAR(
      simulate(platform(5, 1), {first(5)}, CollectiveOp::kAllReduce, size, Fidelity::kStep)[0],
      closed, 0.005 * closed);
}

TEST(RingCollective, AllGatherAndReduceScatterTakeHalfTheSteps) {
  const Bytes size(1e9);
  const double closed = 7 * (2e-6 + 1e9 / 8 / 50e9);
  for (CollectiveOp op : {CollectiveOp::kAllGather, CollectiveOp::kReduceScatter}) {
    EXPECT_NEAR(ring_time(op, size, 8, BytesPerSecond(50e9), Seconds(2e-6)).value(), closed, 1e-15);
  }
  EXPECT_NEAR(
      simulate(platform(8, 1), {first(8)}, CollectiveOp::kAllGather, size, Fidelity::kStep)[0],
      closed, 0.005 * closed);
}

// The stated tolerance between the fidelities: 1% where edges differ (the step form pipelines
// across ranks), exact to rounding where every edge is alike.
TEST(RingCollective, FluidMatchesStepWhereBothRun) {
  const Bytes size(3e9);
  const double step =
      simulate(platform(2, 8), {first(16)}, CollectiveOp::kAllReduce, size, Fidelity::kStep)[0];
  const double fluid =
      simulate(platform(2, 8), {first(16)}, CollectiveOp::kAllReduce, size, Fidelity::kFluid)[0];
  EXPECT_NEAR(fluid, step, 0.01 * step);
  const double closed = 30 * (2e-6 + 3e9 / 16 / 50e9);
  EXPECT_NEAR(fluid, closed, 1e-6 * closed);
}

TEST(RingCollective, TwoCollectivesCrossingOneLinkEachSeeHalfItsBandwidth) {
  // Rings {0, 1} and {0, 2} on nodes of one accelerator: both use accelerator 0's NIC in both
  // directions.
  const Bytes size(1e9);
  const std::vector<double> ends =
      simulate(platform(3, 1), {{0, 1}, {0, 2}}, CollectiveOp::kAllReduce, size, Fidelity::kFluid);
  const double alone = 2 * 2e-6 + 1e9 / 50e9;   // two steps of S/2 at the full NIC
  const double shared = 2 * 2e-6 + 1e9 / 25e9;  // the same volume at half the NIC
  EXPECT_NEAR(ends[0], shared, 1e-6 * shared);
  EXPECT_NEAR(ends[1], shared, 1e-6 * shared);
  EXPECT_GT(ends[0], 1.9 * (alone - 4e-6));
}

}  // namespace
}  // namespace gwsim::network
