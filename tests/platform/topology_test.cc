// Routes of the foundation topology, checked without SimGrid.
#include <gtest/gtest.h>

#include "sim/platform/topology.h"

namespace gwsim::platform {
namespace {

config::PlatformSpec two_nodes_of_four() {
  config::PlatformSpec spec;
  spec.nodes = 2;
  spec.accelerators_per_node = 4;
  spec.scale_up = config::LinkSpec{BytesPerSecond(450e9), Seconds(0.5e-6)};
  spec.scale_out = config::LinkSpec{BytesPerSecond(50e9), Seconds(1e-6)};
  return spec;
}

TEST(Topology, NamesAndNodes) {
  const Topology t(two_nodes_of_four());
  EXPECT_EQ(t.accelerator_count(), 8);
  EXPECT_EQ(t.node_of(3), 0);
  EXPECT_EQ(t.node_of(4), 1);
  EXPECT_EQ(t.accelerator_name(5), "n1.a1");
}

TEST(Topology, SameNodeUsesTheScaleUpLinks) {
  const Topology t(two_nodes_of_four());
  const std::vector<int> r = t.route(1, 2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(t.links()[r[0]].name, "n0.a1.up.tx");
  EXPECT_EQ(t.links()[r[1]].name, "n0.a2.up.rx");
  EXPECT_DOUBLE_EQ(t.route_bandwidth(1, 2).value(), 450e9);
  EXPECT_DOUBLE_EQ(t.route_latency(1, 2).value(), 1e-6);
}

TEST(Topology, OtherNodeUsesBothNics) {
  const Topology t(two_nodes_of_four());
  const std::vector<int> r = t.route(3, 4);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(t.links()[r[0]].name, "n0.a3.nic.tx");
  EXPECT_EQ(t.links()[r[1]].name, "n1.a0.nic.rx");
  EXPECT_DOUBLE_EQ(t.route_bandwidth(3, 4).value(), 50e9);
  EXPECT_DOUBLE_EQ(t.route_latency(3, 4).value(), 2e-6);
}

TEST(Topology, DirectionsUseDistinctLinks) {
  const Topology t(two_nodes_of_four());
  const std::vector<int> there = t.route(0, 5);
  const std::vector<int> back = t.route(5, 0);
  for (int l : there) EXPECT_EQ(std::count(back.begin(), back.end(), l), 0) << t.links()[l].name;
  EXPECT_TRUE(t.route(2, 2).empty());
}

}  // namespace
}  // namespace gwsim::platform
