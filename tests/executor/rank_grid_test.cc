// Where ranks sit in a layout and who shares their groups (plain C++).
#include "sim/executor/rank_grid.h"

#include <gtest/gtest.h>

namespace gwsim::executor {
namespace {

using workload::transformer::Group;

config::ParallelLayout layout(int tp, int cp, int dp, int pp, int ep = 1) {
  config::ParallelLayout l;
  l.tp = tp;
  l.cp = cp;
  l.dp = dp;
  l.pp = pp;
  l.ep = ep;
  return l;
}

TEST(RankGrid, TensorParallelIsFastestThenContextDataPipeline) {
  const RankGrid grid(layout(4, 2, 3, 2));
  EXPECT_EQ(grid.world(), 48);
  for (int r = 0; r < grid.world(); ++r) EXPECT_EQ(grid.rank_of(grid.coordinates(r)), r);
  const RankCoordinates c = grid.coordinates(4 * (1 + 2 * (2 + 3 * 1)) + 3);
  EXPECT_EQ(c.t, 3);
  EXPECT_EQ(c.c, 1);
  EXPECT_EQ(c.d, 2);
  EXPECT_EQ(c.p, 1);
}

TEST(RankGrid, Llama3sOrderNumbersPipelineStagesBeforeDataReplicas) {
  config::ParallelLayout l = layout(4, 2, 3, 2);
  l.rank_order = *config::parse_rank_order("tp-cp-pp-dp");
  const RankGrid grid(l);
  for (int r = 0; r < grid.world(); ++r) EXPECT_EQ(grid.rank_of(grid.coordinates(r)), r);
  // rank = t + tp (c + cp (p + pp d))
  const RankCoordinates c = grid.coordinates(3 + 4 * (1 + 2 * (1 + 2 * 2)));
  EXPECT_EQ(c.t, 3);
  EXPECT_EQ(c.c, 1);
  EXPECT_EQ(c.p, 1);
  EXPECT_EQ(c.d, 2);
  // A pipeline is now tp * cp ranks apart, a data-parallel group tp * cp * pp.
  EXPECT_EQ(grid.members(Group::kPipeline, 0), (std::vector<int>{0, 8}));
  EXPECT_EQ(grid.members(Group::kData, 0), (std::vector<int>{0, 4, 16, 20, 32, 36}));
  EXPECT_EQ(grid.members(Group::kTensor, 5), (std::vector<int>{4, 5, 6, 7}));
  EXPECT_EQ(grid.in_stage(3, 1), 11);
}

TEST(RankGrid, GroupsHoldTheRanksThatDifferInTheirOwnCoordinates) {
  const RankGrid grid(layout(2, 2, 2, 2, 2));
  EXPECT_EQ(grid.members(Group::kTensor, 5), (std::vector<int>{4, 5}));
  EXPECT_EQ(grid.members(Group::kContext, 5), (std::vector<int>{5, 7}));
  EXPECT_EQ(grid.members(Group::kPipeline, 5), (std::vector<int>{5, 13}));
  // Data: the c-d plane (dense gradients over dp * cp replicas).
  EXPECT_EQ(grid.members(Group::kData, 5), (std::vector<int>{1, 3, 5, 7}));
  // Expert (ep = 2): consecutive replicas of the plane; expert-data: every second one.
  EXPECT_EQ(grid.members(Group::kExpert, 5), (std::vector<int>{5, 7}));
  EXPECT_EQ(grid.members(Group::kExpertData, 5), (std::vector<int>{1, 5}));
  EXPECT_EQ(grid.position_in(Group::kData, 5), 2);
  EXPECT_EQ(grid.in_stage(5, 1), 13);
  EXPECT_EQ(grid.in_stage(13, 0), 5);
  // Every rank is in exactly one group of each kind.
  for (Group g : {Group::kTensor, Group::kContext, Group::kPipeline, Group::kData, Group::kExpert,
                  Group::kExpertData}) {
    std::vector<int> seen(static_cast<size_t>(grid.world()), 0);
    for (int r = 0; r < grid.world(); ++r)
      if (grid.members(g, r).front() == r)
        for (int m : grid.members(g, r)) ++seen[static_cast<size_t>(m)];
    for (int count : seen) EXPECT_EQ(count, 1);
  }
}

}  // namespace
}  // namespace gwsim::executor
