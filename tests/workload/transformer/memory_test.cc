// Memory per rank against Korthikanti et al. 2022's activation formulas and a hand computation.
#include <gtest/gtest.h>

#include "sim/workload/transformer/memory.h"

namespace gwsim::workload::transformer {
namespace {

config::ModelSpec model(const std::string& id) {
  return config::load_model(id, {"test", 1}, "model");
}

ParallelLayout megatron_175b(Recompute recompute, bool sp) {
  ParallelLayout l;
  l.tp = 8;
  l.pp = 8;
  l.dp = 1;
  l.micro_batch = 1;
  l.global_batch = 64;
  l.recompute = recompute;
  l.sequence_parallel = sp;
  return l;
}

TEST(Memory, KorthikantiPerLayerFormulas) {
  const config::ModelSpec m = model("gpt3-175b");
  const double s = 2048, b = 1, h = 12288, a = 96, t = 8;
  const double sbh = s * b * h;
  // Table 2 of Korthikanti et al.: bytes per layer.
  EXPECT_DOUBLE_EQ(layer_activation_bytes(m, megatron_175b(Recompute::kNone, false), false).value(),
                   sbh * (10 + 24 / t + 5 * a * s / (h * t)));
  EXPECT_DOUBLE_EQ(layer_activation_bytes(m, megatron_175b(Recompute::kNone, true), false).value(),
                   sbh * (34 / t + 5 * a * s / (h * t)));
  EXPECT_DOUBLE_EQ(
      layer_activation_bytes(m, megatron_175b(Recompute::kSelective, true), false).value(),
      sbh * 34 / t);
  EXPECT_DOUBLE_EQ(
      layer_activation_bytes(m, megatron_175b(Recompute::kSelective, false), false).value(),
      sbh * (10 + 24 / t));
  EXPECT_DOUBLE_EQ(layer_activation_bytes(m, megatron_175b(Recompute::kFull, false), false).value(),
                   2 * sbh);
}

TEST(Memory, FusedAttentionKeepsOneStatisticPerRowInsteadOfTheScores) {
  // FlashAttention keeps the softmax's log-sum-exp (fp32, per head and query) and recomputes the
  // rest in the backward kernel, so its layer equals selective recomputation plus that statistic,
  // whatever the recompute setting short of full.
  const config::ModelSpec m = model("gpt3-175b");
  const double s = 2048, b = 1, h = 12288, a = 96, t = 8;
  const double fused =
      layer_activation_bytes(m, megatron_175b(Recompute::kNone, true), false, AttentionCore::kFused)
          .value();
  EXPECT_DOUBLE_EQ(fused, s * b * h * 34 / t + 4 * a / t * s * b);
  EXPECT_DOUBLE_EQ(fused, layer_activation_bytes(m, megatron_175b(Recompute::kSelective, true),
                                                 false, AttentionCore::kFused)
                              .value());
  EXPECT_DOUBLE_EQ(
      layer_activation_bytes(m, megatron_175b(Recompute::kFull, true), false, AttentionCore::kFused)
          .value(),
      2 * s * b * h / t);
}

TEST(Memory, FlashAttentionRemovesTheScoresOfLlama3At8k) {
  // Llama 3 405B as Meta trained it (Table 4, row 1): TP 8, PP 16 with uneven stages, DP 64,
  // interleaved over 8 chunks, sequence 8192, no activation checkpointing, no dropout. The softmax
  // output an unfused kernel keeps is e a s / (h t) = 2 x 128 x 8192 / (16384 x 8) = 16 s b h per
  // layer against about 4.8 s b h of everything else, so it dominates; a fused kernel keeps none.
  const config::ModelSpec m = model("llama3-405b");
  ParallelLayout l;
  l.tp = 8;
  l.pp = 16;
  l.dp = 64;
  l.micro_batch = 1;
  l.global_batch = 2048;
  l.seq_len = 8192;
  l.virtual_stages = 8;
  l.sequence_parallel = true;
  l.sharding = Sharding::kZero2;
  const MemoryVerdict unfused = check_memory(m, l, Bytes(80e9), AttentionCore::kUnfused);
  const MemoryVerdict fused = check_memory(m, l, Bytes(80e9), AttentionCore::kFused);
  const double sbh = 8192.0 * 16384;
  const double s2_per_layer = 2.0 * 128 / 8 * 8192 * 8192;  // e (a / t) s s b, no dropout
  const double lse_per_layer = 4.0 * 128 / 8 * 8192;
  EXPECT_DOUBLE_EQ(layer_activation_bytes(m, l, false, AttentionCore::kUnfused).value() -
                       layer_activation_bytes(m, l, false, AttentionCore::kFused).value(),
                   s2_per_layer - lse_per_layer);
  EXPECT_GT(s2_per_layer, 3 * layer_activation_bytes(m, l, false, AttentionCore::kFused).value());
  EXPECT_GT(unfused.worst.total().value(), 3 * fused.worst.total().value());
  EXPECT_EQ(fused.worst.parameters, unfused.worst.parameters);
  EXPECT_GT(fused.worst.activations.value(), sbh);  // still far from nothing
}

TEST(Memory, Megatron175bHandComputation) {
  // GPT-3 175B, t = 8, p = 8, b = 1, s = 2048, selective recomputation and sequence parallelism,
  // no ZeRO. The first stage is the worst. By hand:
  //   parameters: 12 layers x (12 h^2 / 8 + 2 h) + V h / 8 (embedding) + s h (positions,
  //   replicated)
  //     = 2,717,908,992 + 294,912 + 77,194,752 + 25,165,824 = 2,820,564,480
  //   model state: 16 bytes each = 45,129,031,680 B
  //   activations: 8 micro-batches in flight x 12 layers x 34 s b h / 8 = 10,267,656,192 B
  //     + embedding dropout masks 8 x s b h / 8 = 25,165,824 B
  //   total 55,421,853,696 B: fits in 80 GB.
  const config::ModelSpec m = model("gpt3-175b");
  const ParallelLayout l = megatron_175b(Recompute::kSelective, true);
  const MemoryVerdict v = check_memory(m, l, Bytes(80e9));
  EXPECT_EQ(v.worst.stage, 0);
  EXPECT_DOUBLE_EQ(v.worst.parameters.value(), 2820564480.0 * 2);
  EXPECT_DOUBLE_EQ(v.worst.gradients.value(), 2820564480.0 * 2);
  EXPECT_DOUBLE_EQ(v.worst.optimizer.value(), 2820564480.0 * 12);
  EXPECT_DOUBLE_EQ(v.worst.activations.value(), 10267656192.0 + 25165824.0);
  EXPECT_DOUBLE_EQ(v.worst.total().value(), 55421853696.0);
  EXPECT_TRUE(v.fits);
  EXPECT_DOUBLE_EQ(v.headroom().value(), 80e9 - 55421853696.0);
  EXPECT_FALSE(check_memory(m, l, Bytes(40e9)).fits);
}

TEST(Memory, ZeroStagesShardTheModelState) {
  const config::ModelSpec m = model("llama3-8b");
  ParallelLayout l;
  l.dp = 8;
  l.global_batch = 8;
  l.recompute = Recompute::kFull;
  const StagePlacement stage = place_stage(m, l, 0);
  const MemoryBreakdown z0 = stage_memory(m, l, stage);
  l.sharding = Sharding::kZero1;
  const MemoryBreakdown z1 = stage_memory(m, l, stage);
  l.sharding = Sharding::kZero2;
  const MemoryBreakdown z2 = stage_memory(m, l, stage);
  l.sharding = Sharding::kFsdp;
  const MemoryBreakdown z3 = stage_memory(m, l, stage);
  EXPECT_DOUBLE_EQ(z1.optimizer.value() * 8, z0.optimizer.value());
  EXPECT_DOUBLE_EQ(z1.gradients.value(), z0.gradients.value());
  EXPECT_DOUBLE_EQ(z2.gradients.value() * 8, z0.gradients.value());
  EXPECT_DOUBLE_EQ(z2.parameters.value(), z0.parameters.value());
  EXPECT_DOUBLE_EQ(z3.parameters.value() * 8, z0.parameters.value());
  EXPECT_DOUBLE_EQ(z3.activations.value(), z0.activations.value());
}

TEST(Memory, Llama405bDoesNotFitOnOneNodeWithoutSharding) {
  const config::ModelSpec m = model("llama3-405b");
  ParallelLayout l;
  l.tp = 8;
  l.global_batch = 1;
  // 405B x 16 bytes / 8 ranks = 810 GB per rank.
  const MemoryVerdict v = check_memory(m, l, Bytes(80e9));
  EXPECT_FALSE(v.fits);
  EXPECT_LT(v.headroom().value(), 0.0);
  EXPECT_GT(v.worst.parameters.value() + v.worst.gradients.value() + v.worst.optimizer.value(),
            405e9 * 16 / 8 * 0.99);
}

TEST(Memory, InterleavingHoldsMoreOnTheFirstStage) {
  // Korthikanti et al.: the interleaved schedule multiplies the first stage's activations by
  // 1 + (p - 1) / (p v).
  const config::ModelSpec m = model("gpt3-175b");
  ParallelLayout l = megatron_175b(Recompute::kSelective, true);
  const MemoryBreakdown plain = stage_memory(m, l, place_stage(m, l, 0));
  l.virtual_stages = 2;
  const MemoryBreakdown inter = stage_memory(m, l, place_stage(m, l, 0));
  EXPECT_DOUBLE_EQ(plain.micro_batches_in_flight, 8);
  EXPECT_DOUBLE_EQ(inter.micro_batches_in_flight, 8 * (1 + 7.0 / 16));
}

}  // namespace
}  // namespace gwsim::workload::transformer
