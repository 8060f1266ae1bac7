// The closed forms and the automatic choice (plain C++).
#include "sim/network/cost_model.h"

#include <gtest/gtest.h>

namespace gwsim::network {
namespace {

config::CollectiveLibrary nccl_like() {
  config::CollectiveLibrary library;
  library.id = "test";
  library.scale_up_efficiency = 0.824;
  library.scale_out_efficiency = 0.96;
  library.in_network_efficiency = 0.85;
  library.in_network_latency = Seconds(25e-6);
  library.chunk = Bytes(2 << 20);
  library.protocols = {{"LL", 0.5, Seconds(6.6e-6), Seconds(0.6e-6), Seconds(2.7e-6)},
                       {"LL128", 0.92, Seconds(14e-6), Seconds(1.9e-6), Seconds(4e-6)},
                       {"Simple", 1.0, Seconds(8.4e-6), Seconds(3.4e-6), Seconds(14e-6)}};
  return library;
}

GroupCosts one_node(bool in_network) {
  GroupCosts costs;
  costs.levels = {{BytesPerSecond(450e9), Seconds(2e-6), false}};
  costs.in_network_available = in_network;
  return costs;
}

CollectiveSpec all_reduce(Bytes size, int ranks, std::vector<int> levels = {}) {
  CollectiveSpec spec;
  spec.size = size;
  spec.ranks = ranks;
  spec.levels = std::move(levels);
  spec.chunk = Bytes(2 << 20);
  return spec;
}

TEST(CostModel, RingIsTheAlphaBetaFormula) {
  const config::CollectiveLibrary ideal;
  const CollectiveSpec spec = all_reduce(Bytes(1 << 30), 8);
  EXPECT_NEAR(
      predicted_time(spec, ideal.protocols.front(), ideal, one_node(false)).value(),
      ring_time(CollectiveOp::kAllReduce, spec.size, 8, BytesPerSecond(450e9), Seconds(2e-6))
          .value(),
      1e-15);
  // With protocol costs: the launch latency once, the step latency per step, and the link at the
  // library's efficiency times the protocol's factor.
  const config::CollectiveLibrary library = nccl_like();
  const config::Protocol& simple = library.protocols.back();
  const double expected = 8.4e-6 + 14 * (2e-6 + 3.4e-6 + (1 << 30) / 8.0 / (450e9 * 0.824));
  EXPECT_NEAR(predicted_time(spec, simple, library, one_node(false)).value(), expected, 1e-12);
}

TEST(CostModel, GatherAndScatterAreTheRootsLinkAlphaBeta) {
  // Every other rank's share of S/n crosses the root's link at once: n - 1 shares at the link's
  // achievable rate, after the launch latency, one step latency and the route's latency.
  const config::CollectiveLibrary library = nccl_like();
  for (CollectiveOp op : {CollectiveOp::kGather, CollectiveOp::kScatter}) {
    for (int n : {2, 4, 8}) {
      for (double bytes : {4096.0, 64.0 * (1 << 20)}) {
        CollectiveSpec spec = all_reduce(Bytes(bytes), n);
        spec.op = op;
        spec.algorithm = Algorithm::kDirect;
        for (const config::Protocol& p : library.protocols) {
          const double expected = p.launch_latency.value() + p.scale_up_step_latency.value() +
                                  2e-6 +
                                  (n - 1) * (bytes / n) / (450e9 * 0.824 * p.bandwidth_factor);
          EXPECT_NEAR(predicted_time(spec, p, library, one_node(false)).value(), expected,
                      1e-12 * expected)
              << op_name(op) << " " << n << " ranks, " << bytes << " B, " << p.name;
        }
      }
    }
    // Across nodes of 8: the root takes 7 shares over its scale-up link and 8 over its NIC at
    // once; the NIC is the slower and sets the time, with the scale-out step latency.
    GroupCosts spanning;
    spanning.levels = {{BytesPerSecond(450e9), Seconds(2e-6), false},
                       {BytesPerSecond(50e9), Seconds(3e-6), true}};
    CollectiveSpec spec = all_reduce(Bytes(1 << 30), 16, {8, 2});
    spec.op = op;
    const Choice choice = choose(spec, library, spanning);
    EXPECT_EQ(choice.algorithm, Algorithm::kDirect);  // the only algorithm for a rooted op
    EXPECT_EQ(choice.protocol.name, "Simple");
    const double share = (1 << 30) / 16.0;
    EXPECT_NEAR(choice.predicted.value(), 8.4e-6 + 14e-6 + 3e-6 + 8 * share / (50e9 * 0.96),
                1e-9 * choice.predicted.value());
  }
}

TEST(CostModel, ChoosesLikeNccl) {
  const config::CollectiveLibrary library = nccl_like();
  // Small messages: the low-latency protocol.
  EXPECT_EQ(choose(all_reduce(Bytes(1024), 8), library, one_node(true)).protocol.name, "LL");
  // Large messages in an NVSwitch domain that reduces: in-network (NVLS); without it, a
  // bandwidth-optimal algorithm with the Simple protocol.
  EXPECT_EQ(choose(all_reduce(Bytes(1 << 30), 8), library, one_node(true)).algorithm,
            Algorithm::kInNetwork);
  const Choice plain = choose(all_reduce(Bytes(1 << 30), 8), library, one_node(false));
  EXPECT_EQ(plain.protocol.name, "Simple");
  EXPECT_NE(plain.algorithm, Algorithm::kTree);
  // A group over nodes of 8: the flat ring pays 2 (n-1) step latencies, the hierarchical path
  // works inside nodes at NVLink speed and across them with an eighth of the data.
  GroupCosts spanning;
  spanning.levels = {{BytesPerSecond(450e9), Seconds(2e-6), false},
                     {BytesPerSecond(50e9), Seconds(3e-6), true}};
  EXPECT_EQ(choose(all_reduce(Bytes(64 << 20), 16384, {8, 2048}), library, spanning).algorithm,
            Algorithm::kHierarchicalHalvingDoubling);
  const Algorithm small_group =
      choose(all_reduce(Bytes(32 << 20), 32, {8, 4}), library, spanning).algorithm;
  EXPECT_TRUE(small_group == Algorithm::kHierarchical ||
              small_group == Algorithm::kHierarchicalHalvingDoubling)
      << algorithm_name(small_group);
  // Forcing an algorithm keeps it and picks its best protocol.
  EXPECT_EQ(
      choose(all_reduce(Bytes(1 << 30), 8), library, one_node(true), Algorithm::kRing).algorithm,
      Algorithm::kRing);
}

TEST(CostModel, InNetworkMatchesNcclsPublishedBusBandwidth) {
  // Not a test of accuracy (bench/collective_accuracy does that): the busbw the model gives 8
  // H100s for a large all-reduce follows from the efficiencies alone: 2 (n-1)/n / ((n+1)/n) x
  // 450 GB/s x 0.824 x 0.85.
  const config::CollectiveLibrary library = nccl_like();
  const CollectiveSpec spec = all_reduce(Bytes(8.0 * (1 << 30)), 8);
  CollectiveSpec nvls = spec;
  nvls.algorithm = Algorithm::kInNetwork;
  const double t = predicted_time(nvls, library.protocols.back(), library, one_node(true)).value();
  const double busbw = spec.size.value() / t * bus_bandwidth_factor(CollectiveOp::kAllReduce, 8);
  EXPECT_NEAR(busbw, 14.0 / 9.0 * 450e9 * 0.824 * 0.85, 0.01 * busbw);
}

}  // namespace
}  // namespace gwsim::network
