// Communication volumes per rank against hand counts.
#include <gtest/gtest.h>

#include "sim/workload/transformer/communication.h"
#include "sim/workload/transformer/parameters.h"

namespace gwsim::workload::transformer {
namespace {

config::ModelSpec model(const std::string& id) {
  return config::load_model(id, {"test", 1}, "model");
}

double total(const std::vector<CollectiveVolume>& v, Group g, CollectiveKind k, Frequency f) {
  double sum = 0;
  for (const CollectiveVolume& c : v) {
    if (c.group == g && c.kind == k && c.frequency == f) sum += c.total().value();
  }
  return sum;
}

ParallelLayout gpt_layout() {
  ParallelLayout l;
  l.tp = 8;
  l.pp = 8;
  l.dp = 2;
  l.micro_batch = 1;
  l.global_batch = 32;
  return l;
}

TEST(Communication, TensorParallelAllReduces) {
  const config::ModelSpec m = model("gpt3-175b");
  const double activation = 2048.0 * 12288 * 2;  // s b h x 2 bytes
  ParallelLayout l = gpt_layout();
  const StagePlacement first = place_stage(m, l, 0);
  // 12 layers x (2 forward + 2 backward) + the embedding's.
  EXPECT_DOUBLE_EQ(total(stage_communication(m, l, first), Group::kTensor,
                         CollectiveKind::kAllReduce, Frequency::kPerMicroBatch),
                   (12 * 4 + 1) * activation);
  l.recompute = Recompute::kFull;  // two more per layer
  EXPECT_DOUBLE_EQ(total(stage_communication(m, l, first), Group::kTensor,
                         CollectiveKind::kAllReduce, Frequency::kPerMicroBatch),
                   (12 * 6 + 1) * activation);
  l.recompute = Recompute::kNone;
  l.sequence_parallel = true;  // each all-reduce becomes an all-gather and a reduce-scatter
  const auto sp = stage_communication(m, l, first);
  EXPECT_EQ(total(sp, Group::kTensor, CollectiveKind::kAllReduce, Frequency::kPerMicroBatch), 0.0);
  // Per layer 2 forward + 2 backward, and the QKV and first FFN GEMM inputs gathered again for
  // their weight gradients; the embedding output's gradient (the first stage).
  EXPECT_DOUBLE_EQ(total(sp, Group::kTensor, CollectiveKind::kAllGather, Frequency::kPerMicroBatch),
                   (12 * (4 + 2) + 1) * activation);
  EXPECT_DOUBLE_EQ(
      total(sp, Group::kTensor, CollectiveKind::kReduceScatter, Frequency::kPerMicroBatch),
      (12 * 4 + 1) * activation);
  // The last stage gathers the output layer's input forward and again backward, and
  // reduce-scatters its input gradient.
  const StagePlacement last = place_stage(m, l, l.pp - 1);
  const auto sp_last = stage_communication(m, l, last);
  const double layers = static_cast<double>(last.layers.size());
  EXPECT_DOUBLE_EQ(
      total(sp_last, Group::kTensor, CollectiveKind::kAllGather, Frequency::kPerMicroBatch),
      (layers * 6 + 2) * activation);
  EXPECT_DOUBLE_EQ(
      total(sp_last, Group::kTensor, CollectiveKind::kReduceScatter, Frequency::kPerMicroBatch),
      (layers * 4 + 1) * activation);
}

TEST(Communication, PipelineAndDataParallel) {
  const config::ModelSpec m = model("gpt3-175b");
  const double activation = 2048.0 * 12288 * 2;
  ParallelLayout l = gpt_layout();
  const StagePlacement first = place_stage(m, l, 0);
  const StagePlacement middle = place_stage(m, l, 3);
  const auto c0 = stage_communication(m, l, first);
  // The first stage sends activations forward only; a middle stage both ways.
  EXPECT_DOUBLE_EQ(
      total(c0, Group::kPipeline, CollectiveKind::kSendRecv, Frequency::kPerMicroBatch),
      activation);
  EXPECT_DOUBLE_EQ(total(stage_communication(m, l, middle), Group::kPipeline,
                         CollectiveKind::kSendRecv, Frequency::kPerMicroBatch),
                   2 * activation);
  // ZeRO-0: one all-reduce of the rank's gradients (2 bytes each) per iteration.
  const double params = rank_parameters(m, l, first).dense;
  EXPECT_DOUBLE_EQ(total(c0, Group::kData, CollectiveKind::kAllReduce, Frequency::kPerIteration),
                   2 * params);
  // ZeRO-3: two all-gathers and a reduce-scatter per micro-batch.
  l.sharding = Sharding::kZero3;
  const auto z3 = stage_communication(m, l, first);
  EXPECT_DOUBLE_EQ(total(z3, Group::kData, CollectiveKind::kAllGather, Frequency::kPerMicroBatch),
                   2 * 2 * params);
  EXPECT_DOUBLE_EQ(
      total(z3, Group::kData, CollectiveKind::kReduceScatter, Frequency::kPerMicroBatch),
      2 * params);
  // 16 micro-batches per iteration.
  EXPECT_DOUBLE_EQ(iteration_bytes(z3, l, Group::kData).value(), 16 * 3 * 2 * params);
}

TEST(Communication, ExpertAllToAllAndContextGathers) {
  const config::ModelSpec m = model("deepseek-v3");
  ParallelLayout l;
  l.dp = 32;
  l.cp = 2;
  l.ep = 64;
  l.global_batch = 32;
  ASSERT_NO_THROW(validate_layout(m, l, {"test", 0}, ""));
  const auto c = stage_communication(m, l, place_stage(m, l, 0));
  const double tokens = 4096.0 / 2;
  // 58 MoE layers x 4 all-to-alls of tokens x top_k x h x 2 bytes.
  EXPECT_DOUBLE_EQ(total(c, Group::kExpert, CollectiveKind::kAllToAll, Frequency::kPerMicroBatch),
                   58 * 4 * tokens * 8 * 7168 * 2);
  // 61 layers x 2 gathers (forward, backward) of K and V for the whole sequence.
  EXPECT_DOUBLE_EQ(total(c, Group::kContext, CollectiveKind::kAllGather, Frequency::kPerMicroBatch),
                   61 * 2 * 2 * 4096.0 * 128 * 56 * 2);
  // Expert gradients reduce over dp * cp / ep = 1 rank: nothing to do.
  EXPECT_EQ(total(c, Group::kExpertData, CollectiveKind::kAllReduce, Frequency::kPerIteration),
            0.0);
  EXPECT_GT(total(c, Group::kData, CollectiveKind::kAllReduce, Frequency::kPerIteration), 0.0);
}

}  // namespace
}  // namespace gwsim::workload::transformer
