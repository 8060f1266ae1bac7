// A rank DAG written as a Chakra ET reads back as the same nodes.
#include <gtest/gtest.h>

#include "sim/config/catalog.h"
#include "sim/workload/chakra/reader.h"
#include "sim/workload/transformer/chakra_export.h"
#include "tests/workload/chakra/test_support.h"
#include "tests/workload/transformer/test_models.h"

namespace gwsim::workload::transformer {
namespace {

using chakra::testing::ChakraTest;

TEST_F(ChakraTest, RankDagRoundTripsThroughChakra) {
  const auto all = testing::cases();
  for (const auto& c : {all[1], all[4]}) {  // SP + interleaved + ZeRO-1; MoE + EP
    const config::ModelSpec m = testing::model(c.model);
    RankDagOptions o;
    o.schedule =
        c.layout.virtual_stages > 1 ? PipelineSchedule::kInterleaved : PipelineSchedule::kOneFOneB;
    const int stage = c.layout.pp > 1 ? 1 : 0;
    const RankDag dag = build_rank_dag(m, c.layout, stage, o);
    const RankCoordinates at{1, 0, 1};
    const Roofline roofline = Roofline::for_accelerator(
        config::load_catalog_accelerator("h100-sxm", {"test", 1}, "a"), m.precision);
    const auto nodes = to_chakra_nodes(dag, c.layout, at, &roofline);
    ASSERT_EQ(nodes.size(), dag.ops.size());
    const auto path = dir_ / (c.name + ".et");
    EXPECT_EQ(write_chakra_trace(dag, c.layout, at, path, &roofline), nodes.size());

    chakra::TraceReader reader(path);
    chakra::TraceNode got;
    size_t compute = 0, coll = 0, send = 0, recv = 0, timed = 0;
    for (size_t i = 0; i < nodes.size(); ++i) {
      ASSERT_TRUE(reader.next(got)) << c.name << " node " << i;
      const chakra::TraceNode& want = nodes[i];
      ASSERT_EQ(got.id, i);
      EXPECT_EQ(got.name, dag.ops[i].name);
      EXPECT_EQ(got.kind, want.kind);
      EXPECT_EQ(got.data_deps, want.data_deps);
      EXPECT_EQ(got.ctrl_deps, want.ctrl_deps);
      EXPECT_EQ(got.flops, want.flops);
      EXPECT_EQ(got.tensor_bytes, want.tensor_bytes);
      EXPECT_EQ(got.collective, want.collective);
      EXPECT_EQ(got.comm_bytes, want.comm_bytes);
      EXPECT_EQ(got.comm_src, want.comm_src);
      EXPECT_EQ(got.comm_dst, want.comm_dst);
      EXPECT_EQ(got.comm_tag, want.comm_tag);
      EXPECT_EQ(got.pg_name, want.pg_name);
      EXPECT_EQ(got.recorded_duration, want.recorded_duration);
      switch (dag.ops[i].kind) {
        case OpKind::kCompute:
          ++compute;
          EXPECT_EQ(got.kind, chakra::NodeKind::kCompute);
          EXPECT_NEAR(got.flops->value(),
                      dag.works[static_cast<size_t>(dag.ops[i].work)].flops().value(), 0.5);
          if (got.recorded_duration) ++timed;
          break;
        case OpKind::kCollective:
          ++coll;
          EXPECT_EQ(got.kind, chakra::NodeKind::kCollective);
          EXPECT_EQ(*got.pg_name, group_name(dag.ops[i].group));
          EXPECT_NEAR(got.comm_bytes->value(), dag.ops[i].bytes.value(), 0.5);
          break;
        case OpKind::kSend:
          ++send;
          EXPECT_EQ(got.kind, chakra::NodeKind::kSend);
          EXPECT_EQ(*got.comm_src, global_rank(c.layout, stage, at));
          EXPECT_EQ(*got.comm_dst, global_rank(c.layout, dag.ops[i].peer_stage, at));
          break;
        case OpKind::kRecv:
          ++recv;
          EXPECT_EQ(got.kind, chakra::NodeKind::kRecv);
          EXPECT_EQ(*got.comm_dst, global_rank(c.layout, stage, at));
          break;
      }
    }
    EXPECT_FALSE(reader.next(got));
    const DagTotals t = dag_totals(dag);
    EXPECT_EQ(compute, t.compute_ops);
    EXPECT_EQ(coll, t.collective_ops);
    EXPECT_EQ(send + recv, t.p2p_ops);
    EXPECT_GT(timed, compute / 2);  // layer blocks take whole microseconds on an H100
    if (c.layout.pp > 1) {
      EXPECT_GT(send, 0u);
    }
  }
}

TEST(ChakraExport, StreamOrderBecomesControlDependencies) {
  const auto c = testing::cases()[0];
  const config::ModelSpec m = testing::model(c.model);
  const RankDag dag = build_rank_dag(m, c.layout, 0);
  const auto nodes = to_chakra_nodes(dag, c.layout, {});
  // Each compute node after the first depends (data or control) on the previous compute op.
  std::optional<uint64_t> previous;
  for (size_t i = 0; i < dag.ops.size(); ++i) {
    if (dag.ops[i].stream != Stream::kCompute) continue;
    if (previous) {
      const auto& n = nodes[i];
      const bool linked = std::count(n.ctrl_deps.begin(), n.ctrl_deps.end(), *previous) +
                              std::count(n.data_deps.begin(), n.data_deps.end(), *previous) ==
                          1;
      EXPECT_TRUE(linked) << dag.ops[i].name;
    }
    previous = i;
  }
  // Global ranks: tp fastest, then cp, dp, pp.
  EXPECT_EQ(global_rank(c.layout, 3, {5, 0, 1}), 5 + 8 * (0 + 1 * (1 + 2 * 3)));
}

}  // namespace
}  // namespace gwsim::workload::transformer
