// Stream plans: which layer collectives the compute actor plays, the order the layer stream keeps,
// and the pipeline-message order that lets one mailbox serve a pair of ranks. The executor test
// (transformer_job_test.cc) checks that the plan changes no time.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/executor/stream_plan.h"
#include "sim/workload/transformer/rank_dag.h"
#include "tests/workload/transformer/test_models.h"

namespace gwsim::executor {
namespace {

namespace tf = workload::transformer;

// Builds a DAG op by op: kind, stream and dependencies only.
struct DagBuilder {
  tf::RankDag dag;
  uint32_t add(tf::OpKind kind, tf::Stream stream, std::vector<uint32_t> deps = {}) {
    tf::DagOp op;
    op.kind = kind;
    op.stream = stream;
    op.data_deps = std::move(deps);
    dag.ops.push_back(op);
    return static_cast<uint32_t>(dag.ops.size() - 1);
  }
  uint32_t compute(std::vector<uint32_t> deps = {}) {
    return add(tf::OpKind::kCompute, tf::Stream::kCompute, std::move(deps));
  }
  uint32_t layer(std::vector<uint32_t> deps = {}) {
    return add(tf::OpKind::kCollective, tf::Stream::kLayerComm, std::move(deps));
  }
};

TEST(StreamPlan, CollectivesBetweenDependentComputeOpsMoveToTheComputeActor) {
  // A layer as sequence parallelism gives it: receive, all-gather, attention, reduce-scatter,
  // all-gather, MLP, reduce-scatter, send.
  DagBuilder b;
  const uint32_t recv = b.add(tf::OpKind::kRecv, tf::Stream::kPipeline);
  const uint32_t gather = b.layer({recv});
  const uint32_t attention = b.compute({gather});
  const uint32_t scatter = b.layer({attention});
  const uint32_t gather2 = b.layer({scatter});
  const uint32_t mlp = b.compute({gather2});
  const uint32_t scatter2 = b.layer({mlp});
  b.add(tf::OpKind::kSend, tf::Stream::kPipeline, {scatter2});

  const StreamPlan plan = plan_streams(b.dag);
  // The first all-gather has no compute op before it and the last reduce-scatter none after it.
  EXPECT_FALSE(plan.moved(gather));
  EXPECT_FALSE(plan.moved(scatter2));
  for (uint32_t t : {scatter, gather2}) {
    EXPECT_TRUE(plan.moved(t)) << t;
    EXPECT_EQ(plan.player[t], tf::Stream::kCompute);
    EXPECT_EQ(plan.gap_closed_by[t], static_cast<int32_t>(mlp));
  }
  EXPECT_EQ(plan.player[gather], tf::Stream::kLayerComm);
  // The layer stream's order across the two actors.
  EXPECT_EQ(plan.serial_after[scatter], static_cast<int32_t>(gather));
  EXPECT_EQ(plan.serial_after[gather2], -1);  // same actor, DAG order
  EXPECT_EQ(plan.serial_after[scatter2], static_cast<int32_t>(gather2));

  const StreamPlan kept = plan_streams(b.dag, /*fuse=*/false);
  for (size_t i = 0; i < b.dag.ops.size(); ++i) {
    EXPECT_FALSE(kept.moved(i));
    EXPECT_EQ(kept.player[i], b.dag.ops[i].stream);
    EXPECT_EQ(kept.serial_after[i], -1);
  }
}

TEST(StreamPlan, CollectivesThatCanOverlapComputeStayOnTheirStream) {
  {
    // The next compute op does not wait for the collective: they may overlap.
    DagBuilder b;
    const uint32_t c0 = b.compute();
    const uint32_t t = b.layer({c0});
    const uint32_t c1 = b.compute({c0});
    b.compute({t, c1});
    EXPECT_FALSE(plan_streams(b.dag).moved(t));
  }
  {
    // The collective does not wait for the compute op before it: it may start earlier.
    DagBuilder b;
    b.compute();
    const uint32_t t = b.layer();
    b.compute({t});
    EXPECT_FALSE(plan_streams(b.dag).moved(t));
  }
}

TEST(StreamPlan, OnlyThePartOfARunBetweenItsDependenciesMoves) {
  // c0, a (independent), b (after c0), c (after b), c1 (after b only): b moves; a may run during
  // c0 and c during c1.
  DagBuilder d;
  const uint32_t c0 = d.compute();
  const uint32_t a = d.layer();
  const uint32_t b = d.layer({c0});
  const uint32_t c = d.layer({b});
  d.compute({b});
  const StreamPlan plan = plan_streams(d.dag);
  EXPECT_FALSE(plan.moved(a));
  EXPECT_TRUE(plan.moved(b));
  EXPECT_FALSE(plan.moved(c));
  EXPECT_EQ(plan.serial_after[b], static_cast<int32_t>(a));
  EXPECT_EQ(plan.serial_after[c], static_cast<int32_t>(b));
}

TEST(StreamPlan, MostTensorCollectivesOfADenseModelMove) {
  // Without overlap_tp_comm every tensor-parallel collective sits between the compute ops it
  // separates, except where a stage's DAG begins or ends with one.
  for (const auto& c : tf::testing::cases()) {
    if (c.layout.tp < 2 || c.model != "gpt3-175b") continue;
    tf::RankDagOptions o;
    o.schedule = c.layout.virtual_stages > 1 ? tf::PipelineSchedule::kInterleaved
                                             : tf::PipelineSchedule::kOneFOneB;
    const tf::RankDag dag = tf::build_rank_dag(tf::testing::model(c.model), c.layout, 1, o);
    const StreamPlan plan = plan_streams(dag);
    size_t tensor = 0, moved = 0;
    for (size_t i = 0; i < dag.ops.size(); ++i) {
      if (dag.ops[i].kind != tf::OpKind::kCollective || dag.ops[i].group != tf::Group::kTensor)
        continue;
      ++tensor;
      if (plan.moved(i)) ++moved;
    }
    EXPECT_GT(tensor, 0U) << c.name;
    EXPECT_GE(static_cast<double>(moved), 0.9 * static_cast<double>(tensor)) << c.name;
  }
}

TEST(StreamPlan, EveryScheduleSendsInTheOrderItsPeerReceives) {
  for (const auto& c : tf::testing::cases()) {
    if (c.layout.pp < 2) continue;
    std::vector<tf::PipelineSchedule> schedules = {tf::PipelineSchedule::kInterleaved};
    if (c.layout.virtual_stages == 1)
      schedules = {tf::PipelineSchedule::kGpipe, tf::PipelineSchedule::kOneFOneB};
    for (tf::PipelineSchedule schedule : schedules) {
      tf::RankDagOptions o;
      o.schedule = schedule;
      std::vector<tf::RankDag> dags;
      for (int stage = 0; stage < c.layout.pp; ++stage)
        dags.push_back(tf::build_rank_dag(tf::testing::model(c.model), c.layout, stage, o));
      EXPECT_TRUE(pipeline_messages_in_order(dags)) << c.name;
      // Two sends of stage 0 to the same stage swapped: out of order.
      std::vector<tf::DagOp*> sends;
      for (tf::DagOp& op : dags[0].ops)
        if (op.kind == tf::OpKind::kSend && op.peer_stage == 1) sends.push_back(&op);
      ASSERT_GE(sends.size(), 2U) << c.name;
      std::swap(sends[0]->tag, sends[1]->tag);
      EXPECT_FALSE(pipeline_messages_in_order(dags)) << c.name;
    }
  }
}

}  // namespace
}  // namespace gwsim::executor
