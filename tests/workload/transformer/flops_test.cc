// Model FLOPs against the closed forms of Narayanan et al. SC'21
// (/work/shared/validation/README.md).
#include <gtest/gtest.h>

#include "sim/workload/transformer/compute.h"
#include "sim/workload/transformer/parameters.h"

namespace gwsim::workload::transformer {
namespace {

config::ModelSpec model(const std::string& id) {
  return config::load_model(id, {"test", 1}, "model");
}

// F = k B s l h^2 (1 + s / (6 h) + V / (c l h)); k = 96, c = 16 with full recomputation, k = 72,
// c = 12 without.
double narayanan(const config::ModelSpec& m, double batch, bool recompute) {
  const double s = m.seq_len, l = m.layers, h = m.hidden, v = m.vocab;
  const double k = recompute ? 96 : 72;
  const double c = recompute ? 16 : 12;
  return k * batch * s * l * h * h * (1 + s / (6 * h) + v / (c * l * h));
}

struct Row {
  const char* id;
  int tp, pp, dp, micro_batch, global_batch, virtual_stages;
};

// Layouts of Table 1 (megatron_sc21_table1.csv); virtual stages = layers / (pp * layers per stage).
const Row kRows[] = {
    {"megatron-1.7b", 1, 1, 32, 16, 512, 1},  {"megatron-18b", 8, 1, 32, 8, 1024, 1},
    {"megatron-76b", 8, 4, 32, 2, 1792, 3},   {"megatron-145b", 8, 8, 24, 2, 2304, 2},
    {"megatron-310b", 8, 16, 15, 1, 2160, 2}, {"megatron-530b", 8, 35, 9, 1, 2520, 3},
    {"megatron-1t", 8, 64, 6, 1, 3072, 1},
};

ParallelLayout layout_of(const Row& r, Recompute recompute) {
  ParallelLayout l;
  l.tp = r.tp;
  l.pp = r.pp;
  l.dp = r.dp;
  l.micro_batch = r.micro_batch;
  l.global_batch = r.global_batch;
  l.virtual_stages = r.virtual_stages;
  l.recompute = recompute;
  return l;
}

TEST(Flops, MegatronTableWithFullRecomputation) {
  for (const Row& r : kRows) {
    const config::ModelSpec m = model(r.id);
    const ParallelLayout l = layout_of(r, Recompute::kFull);
    ASSERT_NO_THROW(validate_layout(m, l, {"test", 0}, r.id));
    const double expected = narayanan(m, r.global_batch, true);
    EXPECT_NEAR(iteration_model_flops(m, l).value() / expected, 1.0, 1e-12) << r.id;
  }
}

TEST(Flops, MegatronTableWithoutRecomputation) {
  for (const Row& r : kRows) {
    const config::ModelSpec m = model(r.id);
    const double expected = narayanan(m, r.global_batch, false);
    EXPECT_NEAR(iteration_model_flops(m, layout_of(r, Recompute::kNone)).value() / expected, 1.0,
                1e-12)
        << r.id;
  }
}

TEST(Flops, LayoutDoesNotChangeTheTotal) {
  // Context parallelism, sequence parallelism and sharding split the work, they do not add to it.
  const config::ModelSpec m = model("megatron-39b");
  ParallelLayout l = layout_of({"megatron-39b", 8, 2, 32, 4, 1536, 1}, Recompute::kFull);
  l.cp = 2;
  l.dp = 16;
  l.sequence_parallel = true;
  l.sharding = Sharding::kZero3;
  ASSERT_NO_THROW(validate_layout(m, l, {"test", 0}, ""));
  EXPECT_NEAR(iteration_model_flops(m, l).value() / narayanan(m, 1536, true), 1.0, 1e-12);
}

TEST(Flops, SelectiveRecomputationRepeatsOnlyTheAttentionCore) {
  const config::ModelSpec m = model("gpt3-175b");
  ParallelLayout l;
  l.tp = 8;
  l.pp = 8;
  l.global_batch = 16;
  const double b = 16, s = m.seq_len, lay = m.layers, h = m.hidden;
  l.recompute = Recompute::kSelective;
  const double none = narayanan(m, b, false);
  // The scores and values GEMMs, 4 B s^2 h per layer, once more.
  EXPECT_NEAR(iteration_model_flops(m, l).value() / (none + 4 * b * s * s * h * lay), 1.0, 1e-12);
}

TEST(Flops, PerRankClassesMatchTheirFormulas) {
  const config::ModelSpec m = model("llama3-405b");  // GQA, gated FFN
  ParallelLayout l;
  l.tp = 8;
  l.pp = 9;  // 126 / 9 = 14 layers
  l.micro_batch = 1;
  l.global_batch = 9;
  const StageCompute c = stage_compute(m, l, place_stage(m, l, 0));
  const double t = 8, s = 8192, h = 16384, f = 53248, layers = 14;
  const double tokens = s;
  const double kv = 8.0 / t * 128;  // one KV head per rank
  EXPECT_DOUBLE_EQ(c[OpClass::kQkv].forward.value(), layers * 2 * tokens * h * (h / t + 2 * kv));
  EXPECT_DOUBLE_EQ(c[OpClass::kAttentionScores].forward.value(), layers * 2 * s * s * h / t);
  EXPECT_DOUBLE_EQ(c[OpClass::kFfn].forward.value(), layers * 3 * 2 * tokens * h * f / t);
  EXPECT_DOUBLE_EQ(c[OpClass::kFfn].backward.value(), 2 * c[OpClass::kFfn].forward.value());
  EXPECT_EQ(c[OpClass::kLogits].forward.value(), 0.0);  // not the last stage
  EXPECT_GT(c[OpClass::kEmbedding].forward_bytes.value(), 0.0);
  EXPECT_EQ(c[OpClass::kQkv].recompute.value(), 0.0);
  const StageCompute last = stage_compute(m, l, place_stage(m, l, 8));
  EXPECT_DOUBLE_EQ(last[OpClass::kLogits].forward.value(), 2 * tokens * h * 128000 / t);
  // A GEMM's bytes: both operands and the result, 2 bytes each (bf16).
  EXPECT_DOUBLE_EQ(c[OpClass::kOutputProjection].forward_bytes.value(),
                   layers * 2 * (tokens * h / t + h / t * h + tokens * h));
}

TEST(Flops, MoeForwardIsTwiceTheActiveParametersPerToken) {
  // Without recomputation, model FLOPs = 3 passes x (2 x tokens x active GEMM parameters + the
  // attention core 4 B s^2 h per layer). GEMM parameters: all active ones except the embedding
  // lookup, learned positions and norms.
  const config::ModelSpec m = model("deepseek-v3");
  ParallelLayout l;
  l.dp = 8;
  l.ep = 8;
  l.global_batch = 8;
  ASSERT_NO_THROW(validate_layout(m, l, {"test", 0}, ""));
  const ParameterCounts p = count_parameters(m);
  const double gemm_params =
      p.active - p.embedding - p.positions - p.final_norm - m.layers * p.layer.norms;
  const double tokens = 8.0 * m.seq_len;
  const double core = 4 * 8.0 * m.seq_len * m.seq_len * m.hidden * m.layers;
  EXPECT_NEAR(iteration_model_flops(m, l).value() / (3 * (2 * tokens * gemm_params + core)), 1.0,
              1e-12);
}

TEST(Flops, OptimizerShardsWithZero) {
  const config::ModelSpec m = model("llama3-8b");
  ParallelLayout l;
  l.dp = 8;
  l.global_batch = 8;
  const StagePlacement stage = place_stage(m, l, 0);
  const OptimizerCost unsharded = optimizer_cost(m, l, stage);
  EXPECT_DOUBLE_EQ(unsharded.parameters, count_parameters(m).total);
  l.sharding = Sharding::kZero1;
  const OptimizerCost sharded = optimizer_cost(m, l, stage);
  EXPECT_DOUBLE_EQ(sharded.parameters * 8, unsharded.parameters);
  EXPECT_DOUBLE_EQ(sharded.flops.value(), sharded.parameters * kAdamFlopsPerParameter);
}

}  // namespace
}  // namespace gwsim::workload::transformer
