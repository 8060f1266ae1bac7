// The SimGrid zone built from a Topology: routes as SimGrid sees them, and contention where a
// fat-tree narrows. Each TEST runs in its own process with its own engine (gtest_discover_tests).
#include <gtest/gtest.h>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include "sim/engine/simulation.h"
#include "sim/platform/topology.h"
#include "sim/platform/zone_builder.h"

namespace gwsim::platform {
namespace {

namespace sg4 = simgrid::s4u;

// Nodes of one accelerator on a 2-tier tree of SUs of 2 nodes, with the given leaf
// oversubscription.
config::PlatformSpec small_tree(int nodes, double oversubscription) {
  config::PlatformSpec spec;
  spec.accelerator = {"test", FlopsPerSecond(1e15), Watts(100), Watts(700)};
  spec.nodes = nodes;
  spec.accelerators_per_node = 1;
  config::FatTreeSpec tree;
  tree.tiers = 2;
  tree.scalable_unit = 2;
  tree.switch_radix = 8;
  tree.oversubscription = {oversubscription};
  spec.scale_out = config::ScaleOutSpec{config::ScaleOutKind::kFatTree, BytesPerSecond(50e9),
                                        Seconds(1e-6), tree, std::nullopt};
  return spec;
}

TEST(Zone, SimGridRoutesAreTheTopologysRoutes) {
  engine::Simulation simulation;
  const Topology topology(small_tree(8, 1.0));
  const BuiltPlatform built =
      build_zones(topology, config::AcceleratorSpec{"t", FlopsPerSecond(1e15), Watts(1), Watts(2)});
  for (int64_t from : {0, 1, 5}) {
    for (int64_t to : {1, 2, 7}) {
      if (from == to) continue;
      std::vector<sg4::Link*> links;
      double latency = 0;
      built.hosts[from]->route_to(built.hosts[to], links, &latency);
      const std::vector<int64_t> expected = topology.route(from, to);
      ASSERT_EQ(links.size(), expected.size()) << from << " -> " << to;
      for (size_t i = 0; i < links.size(); ++i)
        EXPECT_EQ(links[i]->get_name(), topology.link_name(expected[i]));
      EXPECT_DOUBLE_EQ(latency, topology.route_latency(from, to).value());
    }
  }
}

// Both nodes of SU 0 send `size` bytes to the two nodes of SU 1 at once; returns when the last
// arrives.
double cross_unit_transfer(double oversubscription, double size) {
  engine::Simulation simulation;
  const Topology topology(small_tree(4, oversubscription));
  const BuiltPlatform built =
      build_zones(topology, config::AcceleratorSpec{"t", FlopsPerSecond(1e15), Watts(1), Watts(2)});
  double last = 0;
  for (int sender : {0, 1}) {
    sg4::Mailbox* box = sg4::Mailbox::by_name("to" + std::to_string(sender + 2));
    sg4::Actor::create("send" + std::to_string(sender), built.hosts[sender], [box, size] {
      static int payload = 0;
      box->put(&payload, static_cast<uint64_t>(size));
    });
    sg4::Actor::create("recv" + std::to_string(sender), built.hosts[sender + 2], [box, &last] {
      box->get<int>();
      last = std::max(last, sg4::Engine::get_clock());
    });
  }
  simulation.run(nullptr);
  return last;
}

TEST(Zone, FullBisectionTreeCarriesEveryNicAtLineRate) {
  const double size = 1e9;
  // Two 50 GB/s flows through a leaf uplink of 2 x 50 GB/s: each at line rate.
  EXPECT_NEAR(cross_unit_transfer(1.0, size), 4e-6 + size / 50e9, 1e-9);
}

TEST(Zone, OversubscribedUplinksHalveEachFlow) {
  const double size = 1e9;
  // A 2:1 leaf: the uplink carries 50 GB/s for the two flows together.
  EXPECT_NEAR(cross_unit_transfer(2.0, size), 4e-6 + size / 25e9, 1e-9);
}

// 32 single-accelerator nodes on a dragonfly of 4 groups of 4 routers, 2 NIC ports and 2 global
// ports each: 8 global ports for 3 other groups, so offsets 1 and 3 get 3 links and offset 2
// gets 2.
config::PlatformSpec small_dragonfly() {
  config::PlatformSpec spec;
  spec.accelerator = {"test", FlopsPerSecond(1e15), Watts(100), Watts(700)};
  spec.nodes = 32;
  spec.accelerators_per_node = 1;
  const config::DragonflySpec fly{4, 4, 2, 2, 0, BytesPerSecond(100e9), BytesPerSecond(12.5e9)};
  spec.scale_out = config::ScaleOutSpec{config::ScaleOutKind::kDragonfly,
                                        BytesPerSecond(50e9),
                                        Seconds(1e-6),
                                        std::nullopt,
                                        std::nullopt,
                                        fly};
  return spec;
}

TEST(Zone, DragonflyRoutesAreTheTopologysRoutes) {
  engine::Simulation simulation;
  const Topology topology(small_dragonfly());
  const BuiltPlatform built =
      build_zones(topology, config::AcceleratorSpec{"t", FlopsPerSecond(1e15), Watts(1), Watts(2)});
  for (int64_t from : {0, 3, 9, 30}) {
    for (int64_t to : {1, 6, 17, 27}) {
      std::vector<sg4::Link*> links;
      double latency = 0;
      built.hosts[from]->route_to(built.hosts[to], links, &latency);
      const std::vector<int64_t> expected = topology.route(from, to);
      ASSERT_EQ(links.size(), expected.size()) << from << " -> " << to;
      for (size_t i = 0; i < links.size(); ++i) {
        EXPECT_EQ(links[i]->get_name(), topology.link_name(expected[i]));
        EXPECT_DOUBLE_EQ(links[i]->get_bandwidth(), topology.link(expected[i]).bandwidth.value());
      }
      EXPECT_DOUBLE_EQ(latency, topology.route_latency(from, to).value());
    }
  }
}

// Each (from, to) sends `size` bytes at once; returns when the last arrives.
double transfer_all(const Topology& topology, const std::vector<std::pair<int, int>>& flows,
                    double size) {
  engine::Simulation simulation;
  const BuiltPlatform built =
      build_zones(topology, config::AcceleratorSpec{"t", FlopsPerSecond(1e15), Watts(1), Watts(2)});
  double last = 0;
  for (const auto& [from, to] : flows) {
    sg4::Mailbox* box = sg4::Mailbox::by_name("to" + std::to_string(to));
    sg4::Actor::create("send" + std::to_string(from), built.hosts[from], [box, size] {
      static int payload = 0;
      box->put(&payload, static_cast<uint64_t>(size));
    });
    sg4::Actor::create("recv" + std::to_string(to), built.hosts[to], [box, &last] {
      box->get<int>();
      last = std::max(last, sg4::Engine::get_clock());
    });
  }
  simulation.run(nullptr);
  return last;
}

// Group 0 -> group 2: 2 global links of 12.5 GB/s, one 25 GB/s bundle (the NICs carry 50 GB/s and
// the local links 100 GB/s). Hosts 0 and 1 sit on router 0 of group 0, which owns the link toward
// group 2 that lands on router 0, where hosts 16 and 17 sit: 3 hops. One engine per process: one
// TEST each.
TEST(Zone, DragonflyFlowAloneGetsTheWholeGlobalBundle) {
  const Topology topology(small_dragonfly());
  const double size = 1e9;
  // Ideal spreading over the parallel global links.
  EXPECT_NEAR(transfer_all(topology, {{0, 16}}, size),
              topology.route_latency(0, 16).value() + size / 25e9, 1e-9);
}

TEST(Zone, DragonflyFlowsBetweenTwoGroupsShareTheirBundle) {
  const Topology topology(small_dragonfly());
  const double size = 1e9;
  ASSERT_EQ(topology.route(0, 16).size(), 3u);
  ASSERT_EQ(topology.route(1, 17).size(), 3u);
  EXPECT_NEAR(transfer_all(topology, {{0, 16}, {1, 17}}, size), 3e-6 + size / 12.5e9, 1e-9);
}

TEST(Zone, DomainResolutionCarriesInternalTrafficOnTheDomainsOwnLink) {
  engine::Simulation simulation;
  config::PlatformSpec spec;
  spec.accelerator = {"test", FlopsPerSecond(1e15), Watts(100), Watts(700)};
  spec.nodes = 2;
  spec.accelerators_per_node = 8;
  spec.resolution = config::Resolution::kDomain;
  spec.scale_up =
      config::ScaleUpSpec{config::ScaleUpKind::kSwitch, BytesPerSecond(450e9), Seconds(0.5e-6), {}};
  spec.scale_out = config::ScaleOutSpec{};
  spec.scale_out->bandwidth = BytesPerSecond(50e9);
  spec.scale_out->latency = Seconds(1e-6);
  const Topology topology(spec);
  const BuiltPlatform built = build_zones(topology, spec.accelerator);
  double arrived = -1;
  sg4::Mailbox* box = sg4::Mailbox::by_name("inside");
  sg4::Actor::create("send", built.hosts[0], [box] {
    static int payload = 0;
    box->put(&payload, 1000000000);
  });
  sg4::Actor::create("recv", built.hosts[0], [box, &arrived] {
    box->get<int>();
    arrived = sg4::Engine::get_clock();
  });
  simulation.run(nullptr);
  // Two ranks of one domain: 1 GB over the domain's 8 x 450 GB/s, after two traversals of 0.5 us.
  EXPECT_NEAR(arrived, 1e-6 + 1e9 / (8 * 450e9), 1e-12);
}

}  // namespace
}  // namespace gwsim::platform
