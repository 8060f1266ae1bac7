// The dragonfly: where global links go, routes and hop counts, bundled global bandwidth, bisection
// and counts against closed forms, both resolutions; and the loader's checks of its shape. No
// SimGrid.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/config/loader.h"
#include "sim/core/error.h"
#include "sim/platform/dragonfly.h"
#include "sim/platform/topology.h"

namespace gwsim::platform {
namespace {

constexpr double kNic = 25e9;  // 200 Gb/s

config::DragonflySpec shape(int groups, int a, int p, int h) {
  return config::DragonflySpec{groups, a, p, h, 0, BytesPerSecond(kNic), BytesPerSecond(kNic)};
}

// Nodes of 2 accelerators (a 2-port switch inside), NICs packed onto routers of p ports.
config::PlatformSpec dragonfly(int nodes, config::DragonflySpec fly) {
  config::PlatformSpec spec;
  spec.nodes = nodes;
  spec.accelerators_per_node = 2;
  spec.scale_up =
      config::ScaleUpSpec{config::ScaleUpKind::kSwitch, BytesPerSecond(450e9), Seconds(0.5e-6), {}};
  spec.scale_out = config::ScaleOutSpec{config::ScaleOutKind::kDragonfly,
                                        BytesPerSecond(kNic),
                                        Seconds(1e-6),
                                        std::nullopt,
                                        std::nullopt,
                                        fly};
  return spec;
}

std::vector<std::string> names(const Topology& t, int64_t from, int64_t to) {
  std::vector<std::string> out;
  for (int64_t l : t.route(from, to)) out.push_back(t.link_name(l));
  return out;
}

// Every router owns at most h link ends, and a group uses all a*h ports but one when the leftover
// and the group count are both odd.
void expect_ports_fit(const config::DragonflySpec& fly, int64_t expected_ends) {
  const DragonflyArrangement arrangement(fly);
  std::vector<int> ends(static_cast<size_t>(fly.routers_per_group), 0);
  int64_t total = 0;
  for (int d = 1; d < fly.groups; ++d) {
    EXPECT_EQ(arrangement.links_at_offset(d), arrangement.links_at_offset(fly.groups - d))
        << "offset " << d;
    for (int m = 0; m < arrangement.links_at_offset(d); ++m) {
      ++ends[static_cast<size_t>(arrangement.owner(d, m))];
      ++total;
    }
  }
  for (int e : ends) EXPECT_LE(e, fly.global_ports);
  EXPECT_EQ(total, expected_ends);
  EXPECT_EQ(arrangement.global_cables(), expected_ends * fly.groups / 2);
}

TEST(Dragonfly, BalancedArrangementUsesEveryGlobalPort) {
  expect_ports_fit(shape(9, 4, 2, 2), 8);  // g = a*h + 1: one link per pair of groups
  expect_ports_fit(shape(3, 4, 2, 2), 8);  // 4 links per pair
  expect_ports_fit(shape(4, 4, 2, 2), 8);  // 8 = 2 * 3 + 2: offsets +-1 get a third link
  expect_ports_fit(shape(6, 4, 2, 2), 8);  // 8 = 1 * 5 + 3: +-1 and g/2 get a second
  expect_ports_fit(shape(5, 7, 2, 1), 6);  // 7 = 1 * 4 + 3, g odd: one port unused
  const DragonflyArrangement four(shape(4, 4, 2, 2));
  EXPECT_EQ(four.links_at_offset(1), 3);
  EXPECT_EQ(four.links_at_offset(2), 2);
  EXPECT_EQ(four.links_at_offset(3), 3);
  config::DragonflySpec fixed = shape(9, 4, 2, 4);
  fixed.links_per_group_pair = 2;
  expect_ports_fit(fixed, 16);  // 32 ports, 2 x 8 used
}

TEST(Dragonfly, EveryGroupCountFitsThePorts) {
  for (const auto& [a, h] : {std::pair{4, 2}, std::pair{3, 3}, std::pair{5, 1}, std::pair{2, 7}}) {
    for (int g = 2; g <= a * h + 1; ++g) {
      const int leftover = a * h % (g - 1);
      SCOPED_TRACE("a=" + std::to_string(a) + " h=" + std::to_string(h) +
                   " g=" + std::to_string(g));
      expect_ports_fit(shape(g, a, 1, h), a * h - (leftover % 2 == 1 && g % 2 == 1 ? 1 : 0));
    }
  }
}

TEST(Dragonfly, HopCountsSameRouterSameGroupOtherGroup) {
  // 9 groups of 4 routers, 4 NIC ports and 2 global ports each (g = a*h + 1); 2 nodes per router.
  const Topology t(dragonfly(72, shape(9, 4, 4, 2)));
  // Scale-up and NIC links each way per accelerator, a * (a - 1) local links per group, one bundle
  // per ordered pair of groups.
  EXPECT_EQ(t.link_count(), 2 * 144 + 2 * 144 + 9 * 4 * 3 + 9 * 8);
  // Same router (n0 and n1 on router 0): NIC up, NIC down.
  EXPECT_EQ(names(t, 0, 2), (std::vector<std::string>{"n0.a0.nic.tx", "n1.a0.nic.rx"}));
  // Same group, router 0 -> router 1: one local hop.
  EXPECT_EQ(names(t, 0, 4),
            (std::vector<std::string>{"n0.a0.nic.tx", "g0.r0-r1.local", "n2.a0.nic.rx"}));
  // Group 0 -> group 5 (offset 5): group 0's link to it is port 4, on router 2; it lands on port 3
  // of group 5 (offset 4), router 1. Router 1 of group 5 is NIC 84: no second local hop.
  EXPECT_EQ(names(t, 0, 84), (std::vector<std::string>{"n0.a0.nic.tx", "g0.r0-r2.local",
                                                       "g0-g5.global", "n42.a0.nic.rx"}));
  // To router 3 of group 5 (NIC 92): local, global, local: the longest minimal route.
  EXPECT_EQ(names(t, 0, 92),
            (std::vector<std::string>{"n0.a0.nic.tx", "g0.r0-r2.local", "g0-g5.global",
                                      "g5.r1-r3.local", "n46.a0.nic.rx"}));
  // From router 2, which owns the link: global hop only.
  EXPECT_EQ(names(t, 8, 84),
            (std::vector<std::string>{"n4.a0.nic.tx", "g0-g5.global", "n42.a0.nic.rx"}));
  EXPECT_DOUBLE_EQ(t.route_latency(0, 92).value(), 5e-6);
  EXPECT_DOUBLE_EQ(t.route_bandwidth(0, 92).value(), kNic);
  // Same node: the scale-up switch.
  EXPECT_EQ(names(t, 0, 1), (std::vector<std::string>{"n0.a0.up.tx", "n0.a1.up.rx"}));
}

TEST(Dragonfly, EveryRouteIsMinimal) {
  const Topology t(dragonfly(72, shape(9, 4, 4, 2)));
  for (int64_t from = 0; from < t.host_count(); from += 2) {
    for (int64_t to = 1; to < t.host_count(); to += 2) {
      if (t.node_of(from) == t.node_of(to)) continue;
      int locals = 0, globals = 0;
      for (int64_t l : t.route(from, to)) {
        locals += t.link(l).link_class == LinkClass::kLocal;
        globals += t.link(l).link_class == LinkClass::kGlobal;
      }
      const bool same_group = from / 16 == to / 16;
      EXPECT_EQ(globals, same_group ? 0 : 1) << from << " -> " << to;
      EXPECT_LE(locals, same_group ? 1 : 2) << from << " -> " << to;
      // A route and its reverse cross the same global cable, one direction each.
      if (!same_group) {
        const std::vector<std::string> there = names(t, from, to);
        const std::vector<std::string> back = names(t, to, from);
        ASSERT_EQ(there.size(), back.size()) << from << " -> " << to;
        // The same hops backwards: "g0.r0-r2.local" back is "g0.r2-r0.local", "g0-g5.global" is
        // "g5-g0.global".
        for (size_t i = 1; i + 1 < there.size(); ++i) {
          const std::string& b = back[back.size() - 1 - i];
          const size_t dash = b.find('-'), dot = b.find('.'), last = b.rfind('.');
          const std::string reversed =
              b.find(".local") != std::string::npos
                  ? b.substr(0, dot + 1) + b.substr(dash + 1, last - dash - 1) + "-" +
                        b.substr(dot + 1, dash - dot - 1) + ".local"
                  : b.substr(dash + 1, dot - dash - 1) + "-" + b.substr(0, dash) + ".global";
          EXPECT_EQ(reversed, there[i]) << from << " -> " << to;
        }
      }
    }
  }
}

TEST(Dragonfly, ParallelGlobalLinksAreOneBundleAndSpreadTheLocalHops) {
  // 3 groups of 4 routers with 2 global ports: 8 ports over 2 peers, 4 links per pair of groups.
  const Topology t(dragonfly(24, shape(3, 4, 4, 2)));
  const std::vector<int64_t> r = t.route(0, 16 + 0);  // group 0 router 0 -> group 1 router 0
  int64_t global = -1;
  for (int64_t l : r) {
    if (t.link(l).link_class == LinkClass::kGlobal) global = l;
  }
  ASSERT_GE(global, 0);
  EXPECT_DOUBLE_EQ(t.link(global).bandwidth.value(), 4 * kNic);
  // Group 0's 4 links toward offset 1 are its ports 0, 2, 4, 6 (routers 0, 1, 2, 3) and land on
  // group 1's ports 1, 3, 5, 7 (routers 0, 1, 2, 3). Source router x toward router 0 of group 1
  // takes round x: it owns that link itself, and the traffic of the 4 routers lands on 4 different
  // routers.
  EXPECT_EQ(names(t, 0, 16),
            (std::vector<std::string>{"n0.a0.nic.tx", "g0-g1.global", "n8.a0.nic.rx"}));
  for (int x = 1; x < 4; ++x) {
    EXPECT_EQ(names(t, 4 * x, 16),
              (std::vector<std::string>{"n" + std::to_string(2 * x) + ".a0.nic.tx", "g0-g1.global",
                                        "g1.r" + std::to_string(x) + "-r0.local", "n8.a0.nic.rx"}));
  }
}

TEST(Dragonfly, BisectionIsTheGlobalLinksBetweenHalvesOfGroups) {
  // 9 groups split 4 | 5; one link per pair: 4 x 5 links; NICs of the first half: 4 x 16 = 64.
  EXPECT_DOUBLE_EQ(Topology(dragonfly(72, shape(9, 4, 4, 2))).bisection_bandwidth().value(),
                   4 * 5 * kNic);
  // Global links 10x faster: the NICs of the smaller half bound the cut.
  config::DragonflySpec fast = shape(9, 4, 4, 2);
  fast.global_bandwidth = BytesPerSecond(10 * kNic);
  EXPECT_DOUBLE_EQ(Topology(dragonfly(72, fast)).bisection_bandwidth().value(), 64 * kNic);
  // 3 groups split 1 | 2 with 4 links per pair: 8 links; 16 NICs on the first side.
  EXPECT_DOUBLE_EQ(Topology(dragonfly(24, shape(3, 4, 4, 2))).bisection_bandwidth().value(),
                   8 * kNic);
  // 4 groups split 2 | 2, 8 = 2 x 3 + 2 ports: offsets 1 and 3 have 3 links, offset 2 has 2. Across
  // the cut: (0,2) offset 2, (0,3) offset 3, (1,2) offset 1, (1,3) offset 2: 2 + 3 + 3 + 2 links.
  EXPECT_DOUBLE_EQ(Topology(dragonfly(32, shape(4, 4, 4, 2))).bisection_bandwidth().value(),
                   10 * kNic);
  // One group: halves are routers 0-1 and 2-3, 2 x 2 local links, 8 NICs a side.
  EXPECT_DOUBLE_EQ(Topology(dragonfly(8, shape(1, 4, 4, 2))).bisection_bandwidth().value(),
                   4 * kNic);
}

TEST(Dragonfly, CountsPerTier) {
  const std::vector<TierCount> tiers = Topology(dragonfly(72, shape(9, 4, 4, 2))).tiers();
  ASSERT_EQ(tiers.size(), 4u);
  EXPECT_EQ(tiers[1].tier, "router");
  EXPECT_EQ(tiers[1].switches, 36);
  EXPECT_EQ(tiers[1].cables, 144);
  EXPECT_EQ(tiers[2].tier, "local");
  EXPECT_EQ(tiers[2].cables, 9 * (4 * 3 / 2));
  EXPECT_EQ(tiers[3].tier, "global");
  EXPECT_EQ(tiers[3].cables, 9 * 8 / 2);
}

TEST(Dragonfly, DomainResolutionAttachesANodeToItsFirstRouter) {
  config::PlatformSpec spec = dragonfly(72, shape(9, 4, 4, 2));
  spec.resolution = config::Resolution::kDomain;
  const Topology coarse(spec);
  const Topology fine(dragonfly(72, shape(9, 4, 4, 2)));
  EXPECT_EQ(coarse.host_count(), 72);
  EXPECT_EQ(names(coarse, 0, 46),
            (std::vector<std::string>{"n0.nic.tx", "g0.r0-r2.local", "g0-g5.global",
                                      "g5.r1-r3.local", "n46.nic.rx"}));
  EXPECT_DOUBLE_EQ(coarse.link(coarse.route(0, 46)[0]).bandwidth.value(), 2 * kNic);
  EXPECT_DOUBLE_EQ(coarse.bisection_bandwidth().value(), fine.bisection_bandwidth().value());
  ASSERT_EQ(coarse.tiers().size(), fine.tiers().size());
  for (size_t i = 0; i < fine.tiers().size(); ++i) {
    EXPECT_EQ(coarse.tiers()[i].switches, fine.tiers()[i].switches);
    EXPECT_EQ(coarse.tiers()[i].cables, fine.tiers()[i].cables);
  }
  // No scale-up links but one internal link per node (72), and 72 NIC bundles each way instead of
  // 144 NICs.
  EXPECT_EQ(coarse.link_count(), fine.link_count() - 2 * 144 - 144 + 72);
}

// The loader's checks, each naming its field.
std::string load_error(const std::string& dragonfly, const std::string& extra = "") {
  const std::string text = R"(name: t
platform:
  accelerator: {name: x, peak_flop_rate: 1PFLOP/s, idle_power: 100W, peak_power: 500W}
  nodes: 72
  accelerators_per_node: 2
  scale_up: {link_bandwidth: 450GB/s, link_latency: 1us}
  scale_out:
    kind: dragonfly
    nic_bandwidth: 200Gbps
    link_latency: 1us
    dragonfly: )" + dragonfly +
                           "\n" + extra +
                           R"(workload:
  jobs:
    - name: j
      data_parallel: {ranks: 2, steps: 1, parameters: 1e9, tokens_per_step: 1e6, compute_efficiency: 0.5}
)";
  try {
    config::load_scenario_text(text, config::Format::kYaml, "t.yaml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Dragonfly, LoaderChecksTheShape) {
  const std::string ok =
      "{groups: 9, routers_per_group: 4, nic_ports_per_router: 4, global_ports_per_router: 2, "
      "local_bandwidth: 200Gbps, global_bandwidth: 200Gbps";
  EXPECT_EQ(load_error(ok + "}"), "");
  EXPECT_EQ(load_error(ok + ", router_radix: 9}"), "");
  EXPECT_NE(load_error(ok + ", router_radix: 8}")
                .find("platform.scale_out.dragonfly.router_radix: a router needs 9"),
            std::string::npos);
  EXPECT_NE(
      load_error("{routers_per_group: 4, nic_ports_per_router: 4, global_ports_per_router: 2, "
                 "local_bandwidth: 200Gbps, global_bandwidth: 200Gbps}")
          .find("platform.scale_out.dragonfly.groups: required"),
      std::string::npos);
  // 10 groups need 9 global ports per group; 4 x 2 = 8.
  const std::string ten =
      "{groups: 10, routers_per_group: 4, nic_ports_per_router: 4, global_ports_per_router: 2, "
      "local_bandwidth: 200Gbps, global_bandwidth: 200Gbps}";
  EXPECT_NE(load_error(ten).find("dragonfly.groups: a group has 8 global ports"),
            std::string::npos);
  // 144 NICs on 3 ports per router: 9 x 4 x 3 = 108 ports.
  EXPECT_NE(
      load_error(
          "{groups: 9, routers_per_group: 4, nic_ports_per_router: 3, global_ports_per_router: 2, "
          "local_bandwidth: 200Gbps, global_bandwidth: 200Gbps}")
          .find("108 NIC ports but there are 144"),
      std::string::npos);
  // 144 NICs fill 3 groups of 64 ports; 4 groups leave one empty.
  EXPECT_NE(
      load_error(
          "{groups: 4, routers_per_group: 4, nic_ports_per_router: 16, global_ports_per_router: 2, "
          "local_bandwidth: 200Gbps, global_bandwidth: 200Gbps}")
          .find("no group may be empty"),
      std::string::npos);
  EXPECT_NE(
      load_error(ok + ", links_per_group_pair: 2}").find("dragonfly.links_per_group_pair: 2 links"),
      std::string::npos);
  EXPECT_NE(
      load_error(
          "{groups: 9, routers_per_group: 4, nic_ports_per_router: 4, global_ports_per_router: 2, "
          "local_bandwidth: 200Gbps, global_bandwidth: fast}")
          .find("dragonfly.global_bandwidth: expected a bandwidth"),
      std::string::npos);
  EXPECT_NE(
      load_error(
          ok + "}",
          "    interconnect: {buildings: 2, building_bandwidth: 1Tbps, building_latency: 1us}\n")
          .find("platform.scale_out.interconnect: not available with a dragonfly"),
      std::string::npos);
}

}  // namespace
}  // namespace gwsim::platform
