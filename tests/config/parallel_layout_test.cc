// Rank orders: their names, and the numbering they give.
#include "sim/config/parallel_layout.h"

#include <gtest/gtest.h>

namespace gwsim::config {
namespace {

TEST(RankOrder, NamesEachDimensionOnceInnermostFirst) {
  const auto order = parse_rank_order("tp-cp-pp-dp");
  ASSERT_TRUE(order.has_value());
  EXPECT_EQ(*order, (std::array<RankDimension, 4>{RankDimension::kTensor, RankDimension::kContext,
                                                  RankDimension::kPipeline, RankDimension::kData}));
  EXPECT_EQ(rank_order_name(*order), "tp-cp-pp-dp");
  EXPECT_EQ(rank_order_name(ParallelLayout{}.rank_order), "tp-cp-dp-pp");
  for (const char* bad : {"", "tp", "tp-cp-dp", "tp-cp-dp-pp-", "tp-cp-dp-pp-tp", "tp-tp-dp-pp",
                          "tp-ep-dp-pp", "TP-cp-dp-pp", "-tp-cp-dp-pp", "tp--cp-dp-pp"}) {
    EXPECT_FALSE(parse_rank_order(bad).has_value()) << bad;
  }
}

TEST(RankOrder, EveryOrderNumbersEveryRankOnce) {
  ParallelLayout layout;
  layout.tp = 2;
  layout.cp = 3;
  layout.dp = 4;
  layout.pp = 5;
  for (const char* name : {"tp-cp-dp-pp", "tp-cp-pp-dp", "pp-dp-cp-tp", "dp-tp-pp-cp"}) {
    SCOPED_TRACE(name);
    layout.rank_order = *parse_rank_order(name);
    std::vector<int> seen(static_cast<size_t>(layout.world()), 0);
    for (int t = 0; t < layout.tp; ++t)
      for (int c = 0; c < layout.cp; ++c)
        for (int d = 0; d < layout.dp; ++d)
          for (int p = 0; p < layout.pp; ++p) {
            const int rank = layout.rank_of({t, c, d, p});
            ASSERT_GE(rank, 0);
            ASSERT_LT(rank, layout.world());
            ++seen[static_cast<size_t>(rank)];
            const LayoutCoordinates back = layout.coordinates_of(rank);
            EXPECT_EQ(back.t, t);
            EXPECT_EQ(back.c, c);
            EXPECT_EQ(back.d, d);
            EXPECT_EQ(back.p, p);
          }
    for (int count : seen) EXPECT_EQ(count, 1);
  }
  // The innermost dimension takes consecutive ranks.
  layout.rank_order = *parse_rank_order("pp-dp-cp-tp");
  EXPECT_EQ(layout.rank_of({0, 0, 0, 1}), 1);
  EXPECT_EQ(layout.rank_of({0, 0, 1, 0}), 5);
  EXPECT_EQ(layout.rank_of({1, 0, 0, 0}), 5 * 4 * 3);
}

}  // namespace
}  // namespace gwsim::config
