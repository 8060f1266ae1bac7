// Routes, hop counts, bottlenecks, bisection and switch counts of the topologies, checked without
// SimGrid.
#include <gtest/gtest.h>

#include "sim/platform/topology.h"

namespace gwsim::platform {
namespace {

using config::ScaleOutKind;
using config::ScaleUpKind;

constexpr double kNvlink = 450e9;  // per direction
constexpr double kNic = 50e9;      // 400 Gb/s

config::PlatformSpec switched_nodes(int nodes, int per_node) {
  config::PlatformSpec spec;
  spec.nodes = nodes;
  spec.accelerators_per_node = per_node;
  spec.scale_up =
      config::ScaleUpSpec{ScaleUpKind::kSwitch, BytesPerSecond(kNvlink), Seconds(0.5e-6), {}};
  spec.scale_out = config::ScaleOutSpec{ScaleOutKind::kSingleSwitch, BytesPerSecond(kNic),
                                        Seconds(1e-6), std::nullopt, std::nullopt};
  return spec;
}

// 8-GPU nodes on a rail-optimized fat-tree: SUs of `su` nodes, 64-port switches.
config::PlatformSpec fat_tree(int nodes, int su, int tiers, std::vector<double> oversubscription,
                              int su_per_pod = 1) {
  config::PlatformSpec spec = switched_nodes(nodes, 8);
  config::FatTreeSpec tree;
  tree.tiers = tiers;
  tree.scalable_unit = su;
  tree.scalable_units_per_pod = su_per_pod;
  tree.switch_radix = 64;
  tree.oversubscription = std::move(oversubscription);
  spec.scale_out->kind = ScaleOutKind::kFatTree;
  spec.scale_out->fat_tree = tree;
  return spec;
}

std::vector<std::string> names(const Topology& t, int64_t from, int64_t to) {
  std::vector<std::string> out;
  for (int64_t l : t.route(from, to)) out.push_back(t.link_name(l));
  return out;
}

TEST(Topology, NamesAndNodes) {
  const Topology t(switched_nodes(2, 4));
  EXPECT_EQ(t.accelerator_count(), 8);
  EXPECT_EQ(t.node_of(3), 0);
  EXPECT_EQ(t.node_of(4), 1);
  EXPECT_EQ(t.host_name(5), "n1.a1");
  EXPECT_EQ(t.link_count(), 4 * 8);
}

TEST(Topology, SameNodeUsesTheScaleUpLinks) {
  const Topology t(switched_nodes(2, 4));
  EXPECT_EQ(names(t, 1, 2), (std::vector<std::string>{"n0.a1.up.tx", "n0.a2.up.rx"}));
  EXPECT_DOUBLE_EQ(t.route_bandwidth(1, 2).value(), kNvlink);
  EXPECT_DOUBLE_EQ(t.route_latency(1, 2).value(), 1e-6);
}

TEST(Topology, OtherNodeUsesBothNics) {
  const Topology t(switched_nodes(2, 4));
  EXPECT_EQ(names(t, 3, 4), (std::vector<std::string>{"n0.a3.nic.tx", "n1.a0.nic.rx"}));
  EXPECT_DOUBLE_EQ(t.route_bandwidth(3, 4).value(), kNic);
  EXPECT_DOUBLE_EQ(t.route_latency(3, 4).value(), 2e-6);
}

TEST(Topology, DirectionsUseDistinctLinks) {
  const Topology t(switched_nodes(2, 4));
  const std::vector<int64_t> there = t.route(0, 5);
  const std::vector<int64_t> back = t.route(5, 0);
  for (int64_t l : there) EXPECT_EQ(std::count(back.begin(), back.end(), l), 0) << t.link_name(l);
  EXPECT_TRUE(t.route(2, 2).empty());
}

TEST(Topology, TorusTakesTheShorterWayRoundInDimensionOrder) {
  config::PlatformSpec spec = switched_nodes(1, 16);
  spec.scale_up->kind = ScaleUpKind::kTorus;
  spec.scale_up->torus_dims = {4, 4};
  const Topology t(spec);
  EXPECT_EQ(t.link_count(), 16 * 4 + 16 * 2);  // 4 torus links per accelerator, plus its NIC pair
  // (0,0) -> (3,0): one hop the - way round (wrap-around), not three.
  EXPECT_EQ(names(t, 0, 3), (std::vector<std::string>{"n0.a0.torus.d0-"}));
  // (0,0) -> (2,2): a tie in each dimension goes the + way: x first, then y.
  EXPECT_EQ(names(t, 0, 10), (std::vector<std::string>{"n0.a0.torus.d0+", "n0.a1.torus.d0+",
                                                       "n0.a2.torus.d1+", "n0.a6.torus.d1+"}));
  // Every pair is at most 2 + 2 hops apart, and the hop count is the torus distance.
  for (int a = 0; a < 16; ++a) {
    for (int b = 0; b < 16; ++b) {
      const int dx = std::abs(a % 4 - b % 4), dy = std::abs(a / 4 - b / 4);
      const size_t hops = std::min(dx, 4 - dx) + std::min(dy, 4 - dy);
      EXPECT_EQ(t.route(a, b).size(), hops) << a << " -> " << b;
    }
  }
  // Cutting the 4x4 torus in half severs 2 links per ring in each of 4 rings.
  EXPECT_DOUBLE_EQ(t.bisection_bandwidth().value(), 8 * kNvlink);
}

TEST(Topology, ThreeDimensionalTorusHopCount) {
  config::PlatformSpec spec = switched_nodes(1, 64);
  spec.scale_up->kind = ScaleUpKind::kTorus;
  spec.scale_up->torus_dims = {4, 4, 4};
  const Topology t(spec);
  // (0,0,0) -> (2,2,2) is the farthest point: 6 hops.
  EXPECT_EQ(t.route(0, 2 + 4 * 2 + 16 * 2).size(), 6u);
  EXPECT_DOUBLE_EQ(t.route_latency(0, 42).value(), 6 * 0.5e-6);
  EXPECT_DOUBLE_EQ(t.bisection_bandwidth().value(), 2 * 16 * kNvlink);
}

TEST(Topology, RailOptimizedFatTreeMeetsAtTheLeaf) {
  const Topology t(fat_tree(64, 32, 2, {1.0}));  // 2 SUs of 32 nodes
  // Same rail (GPU 3), same SU: NIC to leaf and back down: 2 links, no spine.
  EXPECT_EQ(names(t, 3, 8 * 5 + 3), (std::vector<std::string>{"n0.a3.nic.tx", "n5.a3.nic.rx"}));
  // Same rail, other SU: up through the rail-3 leaf of SU 0, down through the rail-3 leaf of SU 1.
  EXPECT_EQ(names(t, 3, 8 * 40 + 3),
            (std::vector<std::string>{"n0.a3.nic.tx", "su0.rail3.leaf.up", "su1.rail3.leaf.down",
                                      "n40.a3.nic.rx"}));
  // Other rail, same SU: the rails meet at the spine.
  EXPECT_EQ(t.route(3, 8 * 5 + 4).size(), 4u);
  // Other rail, same node: NVLink.
  EXPECT_EQ(names(t, 3, 4), (std::vector<std::string>{"n0.a3.up.tx", "n0.a4.up.rx"}));
  // Full bisection: the leaf uplinks carry a whole SU's NICs.
  EXPECT_DOUBLE_EQ(t.link(t.route(3, 8 * 40 + 3)[1]).bandwidth.value(), 32 * kNic);
  EXPECT_DOUBLE_EQ(t.route_bandwidth(3, 8 * 40 + 3).value(), kNic);
  EXPECT_DOUBLE_EQ(t.route_latency(3, 8 * 40 + 3).value(), 4e-6);
}

TEST(Topology, OversubscriptionNarrowsTheUplinksAndTheBisection) {
  const Topology full(fat_tree(64, 16, 2, {1.0}));
  const Topology narrow(fat_tree(64, 16, 2, {2.0}));
  const int64_t far = 8 * 40 + 3;
  EXPECT_DOUBLE_EQ(narrow.link(narrow.route(3, far)[1]).bandwidth.value(), 16 * kNic / 2.0);
  EXPECT_DOUBLE_EQ(full.bisection_bandwidth().value(), 256 * kNic);
  EXPECT_DOUBLE_EQ(narrow.bisection_bandwidth().value(), 256 * kNic / 2.0);
}

TEST(Topology, ThreeTierTreeCrossesTheCoreBetweenPods) {
  // 4 SUs of 16 nodes, 2 SUs per pod: pods {SU0, SU1} and {SU2, SU3}; spines 4:1 oversubscribed.
  const Topology t(fat_tree(64, 16, 3, {1.0, 4.0}, 2));
  const int64_t same_pod = 8 * 20 + 3, other_pod = 8 * 40 + 3;
  EXPECT_EQ(t.route(3, same_pod).size(), 4u);
  EXPECT_EQ(names(t, 3, other_pod),
            (std::vector<std::string>{"n0.a3.nic.tx", "su0.rail3.leaf.up", "pod0.spine.up",
                                      "pod1.spine.down", "su2.rail3.leaf.down", "n40.a3.nic.rx"}));
  EXPECT_DOUBLE_EQ(t.route_latency(3, other_pod).value(), 6e-6);
  // A pod's NICs (2 SUs x 16 nodes x 8) over the 4:1 spine tier.
  EXPECT_DOUBLE_EQ(t.link(t.route(3, other_pod)[2]).bandwidth.value(), 256 * kNic / 4.0);
  EXPECT_DOUBLE_EQ(t.bisection_bandwidth().value(), 256 * kNic / 4.0);
}

TEST(Topology, NonRailOptimizedTreeHasOneLeafPerUnit) {
  config::PlatformSpec spec = fat_tree(8, 4, 2, {1.0});
  spec.scale_out->fat_tree->rail_optimized = false;
  const Topology t(spec);
  // Any two GPUs of one SU share its leaf, whatever their rail.
  EXPECT_EQ(t.route(3, 8 * 2 + 4).size(), 2u);
  EXPECT_EQ(names(t, 3, 8 * 6 + 4), (std::vector<std::string>{"n0.a3.nic.tx", "su0.leaf.up",
                                                              "su1.leaf.down", "n6.a4.nic.rx"}));
}

TEST(Topology, SwitchCountsFollowTheRadix) {
  // A DGX-SuperPOD-like 4 SUs of 32 nodes of 8 on 64-port switches: 32 ports down and 32 up per
  // leaf.
  const Topology t(fat_tree(128, 32, 2, {1.0}));
  const std::vector<TierCount> tiers = t.tiers();
  ASSERT_EQ(tiers.size(), 3u);
  EXPECT_EQ(tiers[0].tier, "scale-up");
  EXPECT_EQ(tiers[0].switches, 128);
  EXPECT_EQ(tiers[1].tier, "leaf");
  EXPECT_EQ(tiers[1].switches, 4 * 8);
  EXPECT_EQ(tiers[1].cables, 1024);
  EXPECT_EQ(tiers[2].tier, "spine");
  EXPECT_EQ(tiers[2].cables, 32 * 32);
  EXPECT_EQ(tiers[2].switches, 32 * 32 / 64);
}

TEST(Topology, PlanesMultiplyTheSwitchesButNotTheRoutes) {
  // The SuperPOD-like tree above on 4 planes: each plane is the same tree at a quarter of the NIC's
  // speed per port. Simulated as one tree: the same routes, bandwidths and bisection.
  config::PlatformSpec spec = fat_tree(128, 32, 3, {1.0, 1.0}, 2);
  const Topology one(spec);
  spec.scale_out->fat_tree->planes = 4;
  const Topology four(spec);
  EXPECT_EQ(names(four, 3, 8 * 100 + 3), names(one, 3, 8 * 100 + 3));
  EXPECT_EQ(four.link_count(), one.link_count());
  EXPECT_DOUBLE_EQ(four.route_bandwidth(3, 8 * 100 + 3).value(), kNic);
  EXPECT_DOUBLE_EQ(four.bisection_bandwidth().value(), one.bisection_bandwidth().value());
  const std::vector<TierCount> t1 = one.tiers(), t4 = four.tiers();
  ASSERT_EQ(t4.size(), 4u);
  EXPECT_EQ(t4[0].switches, t1[0].switches);  // the scale-up fabric has no planes
  for (size_t i = 1; i < t4.size(); ++i) {
    EXPECT_EQ(t4[i].tier, t1[i].tier);
    EXPECT_EQ(t4[i].switches, 4 * t1[i].switches) << t4[i].tier;
    EXPECT_EQ(t4[i].cables, 4 * t1[i].cables) << t4[i].tier;
  }
  EXPECT_EQ(t4[1].cables, 4 * 1024);  // every NIC has one port in each plane
}

TEST(Topology, BuildingsAndSitesSitAboveEachBuildingsTree) {
  // 4 buildings of 2 SUs (16 nodes each), 2 sites of 2 buildings; a 2-tier tree in each building.
  config::PlatformSpec spec = fat_tree(64, 16, 2, {1.0});
  spec.scale_out->interconnect = config::InterconnectSpec{4, BytesPerSecond(1e12), Seconds(5e-6),
                                                          2, BytesPerSecond(4e11), Seconds(1e-3)};
  const Topology t(spec);
  const int64_t same_building = 8 * 12 + 4,
                other_site = 8 * 60 + 3;            // rail 4: rails meet at the spine
  EXPECT_EQ(t.route(3, same_building).size(), 4u);  // leaf up, leaf down: stays in building 0
  EXPECT_EQ(names(t, 3, 8 * 16 + 3),
            (std::vector<std::string>{"n0.a3.nic.tx", "su0.rail3.leaf.up", "building0.up",
                                      "building1.down", "su1.rail3.leaf.down", "n16.a3.nic.rx"}));
  EXPECT_EQ(names(t, 3, other_site),
            (std::vector<std::string>{"n0.a3.nic.tx", "su0.rail3.leaf.up", "building0.up",
                                      "site0.up", "site1.down", "building3.down",
                                      "su3.rail3.leaf.down", "n60.a3.nic.rx"}));
  EXPECT_DOUBLE_EQ(t.route_latency(3, other_site).value(), 4 * 1e-6 + 2 * 5e-6 + 2 * 1e-3);
  EXPECT_DOUBLE_EQ(t.route_bandwidth(3, other_site).value(), kNic);
  // Half the machine is one site: the cut is the site link.
  EXPECT_DOUBLE_EQ(t.bisection_bandwidth().value(), 4e11);
}

TEST(Topology, DomainResolutionBundlesEachNode) {
  config::PlatformSpec spec = fat_tree(64, 16, 3, {1.0, 4.0}, 2);
  spec.resolution = config::Resolution::kDomain;
  const Topology t(spec);
  const Topology fine(fat_tree(64, 16, 3, {1.0, 4.0}, 2));
  EXPECT_EQ(t.host_count(), 64);
  EXPECT_EQ(t.accelerators_per_host(), 8);
  EXPECT_EQ(t.host_name(40), "n40");
  // One NIC bundle of 8 x 400 Gb/s per node; the rails of an SU merge into one leaf group.
  EXPECT_EQ(names(t, 0, 40),
            (std::vector<std::string>{"n0.nic.tx", "su0.leaf.up", "pod0.spine.up",
                                      "pod1.spine.down", "su2.leaf.down", "n40.nic.rx"}));
  EXPECT_DOUBLE_EQ(t.link(t.route(0, 40)[0]).bandwidth.value(), 8 * kNic);
  // The tree is the same physical tree: the same capacity per SU and per pod, the same bisection
  // and switches.
  EXPECT_DOUBLE_EQ(t.link(t.route(0, 40)[1]).bandwidth.value(),
                   8 * fine.link(fine.route(3, 323)[1]).bandwidth.value());
  EXPECT_DOUBLE_EQ(t.link(t.route(0, 40)[2]).bandwidth.value(),
                   fine.link(fine.route(3, 323)[2]).bandwidth.value());
  EXPECT_DOUBLE_EQ(t.bisection_bandwidth().value(), fine.bisection_bandwidth().value());
  ASSERT_EQ(t.tiers().size(), fine.tiers().size());
  for (size_t i = 0; i < t.tiers().size(); ++i)
    EXPECT_EQ(t.tiers()[i].switches, fine.tiers()[i].switches);
  EXPECT_LT(t.link_count(), fine.link_count() / 8);
  // Traffic inside a domain crosses its internal link: 8 NVLink-class links' worth, two traversals'
  // latency.
  EXPECT_EQ(names(t, 5, 5), (std::vector<std::string>{"n5.internal"}));
  EXPECT_DOUBLE_EQ(t.route_bandwidth(5, 5).value(), 8 * kNvlink);
  EXPECT_DOUBLE_EQ(t.route_latency(5, 5).value(), 2 * 0.5e-6);
  EXPECT_TRUE(fine.route(5, 5).empty());
}

TEST(Topology, DomainResolutionCostsATorusByItsLinksAndMeanDistance) {
  config::PlatformSpec spec = switched_nodes(2, 64);
  spec.scale_up->kind = ScaleUpKind::kTorus;
  spec.scale_up->torus_dims = {4, 4, 4};
  spec.resolution = config::Resolution::kDomain;
  const Topology t(spec);
  // 64 accelerators x 6 outgoing links; mean distance 3 x 4 / 4 = 3 hops.
  EXPECT_DOUBLE_EQ(t.internal_link().bandwidth.value(), 64 * 6 * kNvlink);
  EXPECT_DOUBLE_EQ(t.internal_link().latency.value(), 3 * 0.5e-6);
}

}  // namespace
}  // namespace gwsim::platform
