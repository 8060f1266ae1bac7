// The algorithms as rank programs (plain C++): every send has its receive, each rank moves the
// volume the algorithm's closed form says, and unsupported combinations say why.
#include "sim/network/algorithms.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>

namespace gwsim::network {
namespace {

CollectiveSpec make(CollectiveOp op, Algorithm algorithm, int ranks, std::vector<int> levels = {}) {
  CollectiveSpec spec;
  spec.op = op;
  spec.algorithm = algorithm;
  spec.size = Bytes(64.0 * (1 << 20));
  spec.ranks = ranks;
  spec.levels = std::move(levels);
  spec.chunk = Bytes(4 << 20);
  return spec;
}

// For every (channel, from, to): bytes sent == bytes received, and the count of messages matches.
void expect_matched(const CollectiveSpec& spec) {
  std::map<std::tuple<int, int, int>, std::pair<double, int64_t>> sent, received;
  for (int r = 0; r < spec.ranks; ++r) {
    for (const Lane& lane : rank_program(spec, r)) {
      for (const Step& step : lane.steps) {
        for (const Peer& p : step.sends) {
          auto& e = sent[{p.channel, r, p.rank}];
          e.first += p.bytes.value() * static_cast<double>(step.repeats);
          e.second += step.repeats;
        }
        for (const Peer& p : step.receives) {
          auto& e = received[{p.channel, p.rank, r}];
          e.first += p.bytes.value() * static_cast<double>(step.repeats);
          e.second += step.repeats;
        }
      }
    }
  }
  ASSERT_EQ(sent.size(), received.size())
      << algorithm_name(spec.algorithm) << " " << op_name(spec.op);
  for (const auto& [key, value] : sent) {
    ASSERT_TRUE(received.count(key)) << algorithm_name(spec.algorithm);
    EXPECT_NEAR(value.first, received[key].first, 1e-6 * value.first + 1e-9);
    EXPECT_EQ(value.second, received[key].second);
  }
}

TEST(Algorithms, EverySendHasItsReceive) {
  using Op = CollectiveOp;
  using A = Algorithm;
  const std::vector<std::pair<Op, A>> cases = {{Op::kAllReduce, A::kRing},
                                               {Op::kAllGather, A::kRing},
                                               {Op::kReduceScatter, A::kRing},
                                               {Op::kBroadcast, A::kRing},
                                               {Op::kReduce, A::kRing},
                                               {Op::kAllReduce, A::kTree},
                                               {Op::kBroadcast, A::kTree},
                                               {Op::kReduce, A::kTree},
                                               {Op::kAllReduce, A::kHalvingDoubling},
                                               {Op::kBarrier, A::kHalvingDoubling},
                                               {Op::kAllToAll, A::kDirect},
                                               {Op::kAllToAll, A::kPairwise},
                                               {Op::kSendRecv, A::kDirect},
                                               {Op::kGather, A::kDirect},
                                               {Op::kScatter, A::kDirect},
                                               {Op::kAllReduce, A::kHierarchical},
                                               {Op::kAllGather, A::kHierarchical},
                                               {Op::kReduceScatter, A::kHierarchical},
                                               {Op::kAllReduce, A::kHierarchicalHalvingDoubling},
                                               {Op::kAllReduce, A::kInNetwork}};
  for (const auto& [op, algorithm] : cases) {
    for (int n : {2, 3, 6, 8, 12, 16}) {
      std::vector<int> levels;
      if (algorithm == A::kHierarchical)
        levels = n % 4 == 0 ? std::vector<int>{4, n / 4} : std::vector<int>{n};
      if (algorithm == A::kHierarchicalHalvingDoubling)
        levels = n % 4 == 0 ? std::vector<int>{n / 4, 4} : std::vector<int>{n / 2, 2};
      if (algorithm == A::kHierarchicalHalvingDoubling && n == 3) continue;
      if (algorithm == A::kRing && n % 4 == 0) levels = {4, n / 4};  // ring channels
      CollectiveSpec spec = make(op, algorithm, n, levels);
      spec.root = n / 2;
      ASSERT_FALSE(unsupported(spec)) << *unsupported(spec);
      expect_matched(spec);
    }
  }
  for (int n : {2, 4, 8, 16}) {
    expect_matched(make(CollectiveOp::kReduceScatter, Algorithm::kHalvingDoubling, n));
    expect_matched(make(CollectiveOp::kAllGather, Algorithm::kHalvingDoubling, n));
  }
}

TEST(Algorithms, EachRankMovesTheClosedFormVolume) {
  const double s = 64.0 * (1 << 20);
  for (int n : {4, 8, 16}) {
    for (int r = 0; r < n; ++r) {
      // Ring and halving-doubling all-reduce: 2 (n - 1) / n of the buffer each way.
      EXPECT_NEAR(
          bytes_sent(rank_program(make(CollectiveOp::kAllReduce, Algorithm::kRing, n), r)).value(),
          2.0 * (n - 1) / n * s, 1e-6 * s);
      EXPECT_NEAR(bytes_sent(rank_program(
                                 make(CollectiveOp::kAllReduce, Algorithm::kHalvingDoubling, n), r))
                      .value(),
                  2.0 * (n - 1) / n * s, 1e-6 * s);
      // Hierarchical 4 x n/4: (3/4 + 3/4) of the buffer inside the node, 2 (m-1)/m of a quarter
      // between nodes.
      const double m = n / 4.0;
      EXPECT_NEAR(bytes_sent(rank_program(make(CollectiveOp::kAllReduce, Algorithm::kHierarchical,
                                               n, {4, n / 4}),
                                          r))
                      .value(),
                  1.5 * s + 2.0 * (m - 1) / m * s / 4, 1e-6 * s);
      // All-to-all: (n - 1) / n of the buffer; in-network: (n + 1) / n.
      EXPECT_NEAR(
          bytes_sent(rank_program(make(CollectiveOp::kAllToAll, Algorithm::kPairwise, n), r))
              .value(),
          (n - 1.0) / n * s, 1e-6 * s);
      EXPECT_NEAR(
          bytes_sent(rank_program(make(CollectiveOp::kAllReduce, Algorithm::kInNetwork, n), r))
              .value(),
          (n + 1.0) / n * s, 1e-6 * s);
    }
  }
  // Gather and scatter (the root in the middle): the root receives (sends) (n - 1) / n of the
  // buffer, every other rank sends (receives) its share of 1 / n and nothing else.
  for (int n : {2, 5, 8}) {
    for (CollectiveOp op : {CollectiveOp::kGather, CollectiveOp::kScatter}) {
      CollectiveSpec spec = make(op, Algorithm::kDirect, n);
      spec.root = n / 2;
      const bool gather = op == CollectiveOp::kGather;
      for (int r = 0; r < n; ++r) {
        const RankProgram program = rank_program(spec, r);
        const double to_root = r == spec.root ? 0 : s / n;
        const double at_root = r == spec.root ? (n - 1.0) / n * s : 0;
        EXPECT_NEAR(bytes_sent(program).value(), gather ? to_root : at_root, 1e-6 * s)
            << op_name(op) << " rank " << r << " of " << n;
        EXPECT_NEAR(bytes_received(program).value(), gather ? at_root : to_root, 1e-6 * s)
            << op_name(op) << " rank " << r << " of " << n;
        // One step: every flow at once, as one NCCL group of sends and receives.
        ASSERT_EQ(program.size(), 1u);
        EXPECT_EQ(program.front().steps.size(), 1u);
      }
    }
  }
  // The double binary tree: with an even count every rank is inside at most one tree, and in all
  // the ranks together send up and down once per tree edge: 2 (n - 1) edges x 2 directions x S/2.
  for (int n : {8, 16}) {
    double total = 0;
    for (int r = 0; r < n; ++r) {
      total +=
          bytes_sent(rank_program(make(CollectiveOp::kAllReduce, Algorithm::kTree, n), r)).value();
      int inner = 0;
      for (int t = 0; t < 2; ++t) inner += tree_links(n, t, r).children.empty() ? 0 : 1;
      EXPECT_LE(inner, 1) << "rank " << r << " of " << n;
    }
    EXPECT_NEAR(total, 2.0 * (n - 1) * s, 1e-6 * total);
  }
}

TEST(Algorithms, TreesAreBalanced) {
  for (int n : {2, 3, 7, 8, 100, 16384}) {
    for (int t = 0; t < 2; ++t) {
      int roots = 0, max_depth = 0;
      for (int r = 0; r < n; ++r) {
        const TreeLinks links = tree_links(n, t, r);
        if (links.parent < 0) ++roots;
        EXPECT_LE(links.children.size(), 2u);
        int depth = 0;
        for (int p = links.parent; p >= 0; p = tree_links(n, t, p).parent) ++depth;
        max_depth = std::max(max_depth, depth);
      }
      EXPECT_EQ(roots, 1);
      EXPECT_EQ(max_depth, tree_height(n)) << n;
    }
  }
}

TEST(Algorithms, UnsupportedCombinationsSayWhy) {
  EXPECT_EQ(*unsupported(make(CollectiveOp::kReduceScatter, Algorithm::kHalvingDoubling, 6)),
            "halving_doubling reduce_scatter needs a power-of-two rank count, got 6");
  EXPECT_EQ(*unsupported(make(CollectiveOp::kAllToAll, Algorithm::kRing, 8)),
            "ring all_to_all is not an algorithm gwsim has");
  EXPECT_EQ(*unsupported(make(CollectiveOp::kAllReduce, Algorithm::kHierarchical, 8, {4, 4})),
            "the levels' product (16) is not the rank count (8)");
  EXPECT_FALSE(unsupported(make(CollectiveOp::kAllReduce, Algorithm::kHalvingDoubling, 6)));
  EXPECT_EQ(*unsupported(make(CollectiveOp::kGather, Algorithm::kRing, 8)),
            "ring gather is not an algorithm gwsim has");
  EXPECT_EQ(*unsupported(make(CollectiveOp::kScatter, Algorithm::kTree, 8)),
            "tree scatter is not an algorithm gwsim has");
  CollectiveSpec outside = make(CollectiveOp::kGather, Algorithm::kDirect, 8);
  outside.root = 8;
  EXPECT_EQ(*unsupported(outside), "the root is not a rank of the group");
}

TEST(Algorithms, NamesRoundTrip) {
  for (const char* name : {"ring", "tree", "halving_doubling", "direct", "pairwise", "hierarchical",
                           "hierarchical_hd", "in_network"}) {
    ASSERT_TRUE(parse_algorithm(name));
    EXPECT_EQ(algorithm_name(*parse_algorithm(name)), name);
  }
  EXPECT_FALSE(parse_algorithm("nvls"));
  for (const char* name : {"all_reduce", "all_gather", "reduce_scatter", "all_to_all", "broadcast",
                           "reduce", "barrier", "send_recv", "gather", "scatter"}) {
    ASSERT_TRUE(parse_op(name)) << name;
    EXPECT_EQ(op_name(*parse_op(name)), name);
    EXPECT_NE(op_names().find(name), std::string::npos) << name;
  }
  EXPECT_NE(*parse_op("gather"), *parse_op("all_gather"));
  EXPECT_NE(*parse_op("scatter"), *parse_op("reduce_scatter"));
  EXPECT_FALSE(parse_op("Gather"));
}

TEST(Algorithms, GatherAndScatterReportBusBandwidthAsNcclTestsDoes) {
  // nccl-tests' gather_perf and scatter_perf: busbw = algbw x (n - 1) / n, what the root's link
  // carries of the size.
  for (int n : {2, 8, 1000}) {
    EXPECT_DOUBLE_EQ(bus_bandwidth_factor(CollectiveOp::kGather, n), (n - 1.0) / n);
    EXPECT_DOUBLE_EQ(bus_bandwidth_factor(CollectiveOp::kScatter, n), (n - 1.0) / n);
  }
}

}  // namespace
}  // namespace gwsim::network
