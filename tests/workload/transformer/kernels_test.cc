// The kernels of each block sum to compute.h's per-micro-batch figures, class by class and pass by
// pass; backward GEMMs have the input- and weight-gradient shapes.
#include <gtest/gtest.h>

#include "sim/workload/transformer/kernels.h"
#include "tests/workload/transformer/test_models.h"

namespace gwsim::workload::transformer {
namespace {

using testing::cases;
using testing::model;

void expect_near(double got, double want, const std::string& what) {
  EXPECT_NEAR(got, want, 1e-12 * std::max(1.0, std::abs(want))) << what;
}

TEST(Kernels, SumToStageCompute) {
  for (const auto& c : cases()) {
    const config::ModelSpec m = model(c.model);
    ASSERT_NO_THROW(validate_layout(m, c.layout, {"test", 0}, c.name));
    for (int rank = 0; rank < c.layout.pp; ++rank) {
      const StagePlacement stage = place_stage(m, c.layout, rank);
      StageCompute sum;
      const auto add = [&](Block b, double times) {
        for (Pass pass : {Pass::kForward, Pass::kBackward, Pass::kRecompute}) {
          for (const Kernel& k : block_kernels(m, c.layout, b, pass)) {
            ASSERT_TRUE(k.op.has_value());
            ASSERT_EQ(k.pass, pass);
            OpCost& o = sum[*k.op];
            Flops& f = pass == Pass::kForward    ? o.forward
                       : pass == Pass::kBackward ? o.backward
                                                 : o.recompute;
            Bytes& by = pass == Pass::kForward    ? o.forward_bytes
                        : pass == Pass::kBackward ? o.backward_bytes
                                                  : o.recompute_bytes;
            f += k.flops * times;
            by += k.bytes * times;
          }
        }
      };
      add(Block::kAttention, static_cast<double>(stage.layers.size()));
      add(Block::kMlp, stage.dense_layers);
      add(Block::kMoe, stage.moe_layers);
      if (stage.first) add(Block::kEmbedding, 1);
      if (stage.last) add(Block::kHead, 1);
      const StageCompute want = stage_compute(m, c.layout, stage);
      for (size_t i = 0; i < want.ops.size(); ++i) {
        const std::string what = c.name + " stage " + std::to_string(rank) + " " +
                                 std::string(op_class_name(static_cast<OpClass>(i)));
        expect_near(sum.ops[i].forward.value(), want.ops[i].forward.value(), what + " forward");
        expect_near(sum.ops[i].backward.value(), want.ops[i].backward.value(), what + " backward");
        expect_near(sum.ops[i].recompute.value(), want.ops[i].recompute.value(),
                    what + " recompute");
        expect_near(sum.ops[i].bytes().value(), want.ops[i].bytes().value(), what + " bytes");
      }
    }
  }
}

TEST(Kernels, GemmFlopsMatchTheirShapes) {
  const config::ModelSpec m = model("llama3-70b");
  ParallelLayout l;
  l.tp = 8;
  l.micro_batch = 2;
  l.global_batch = 2;
  for (Block b : {Block::kAttention, Block::kMlp, Block::kHead}) {
    for (Pass pass : {Pass::kForward, Pass::kBackward}) {
      for (const Kernel& k : block_kernels(m, l, b, pass)) {
        if (k.kind != KernelClass::kGemm && k.kind != KernelClass::kAttention) continue;
        ASSERT_TRUE(k.gemm.has_value()) << k.name;
        EXPECT_NEAR(k.gemm->flops(), k.flops.value(), 1e-9 * k.flops.value()) << k.name;
      }
    }
  }
}

TEST(Kernels, BackwardGemmsAreInputAndWeightGradients) {
  const config::ModelSpec m = model("gpt3-175b");
  ParallelLayout l;
  l.tp = 8;
  const auto fwd = block_kernels(m, l, Block::kAttention, Pass::kForward);
  const auto bwd = block_kernels(m, l, Block::kAttention, Pass::kBackward);
  const auto find = [](const std::vector<Kernel>& ks, std::string_view name) {
    for (const Kernel& k : ks)
      if (k.name == name) return k;
    ADD_FAILURE() << "no kernel " << name;
    return Kernel{};
  };
  const Kernel qkv = find(fwd, "qkv");
  const Kernel dgrad = find(bwd, "qkv.dgrad");
  const Kernel wgrad = find(bwd, "qkv.wgrad");
  // Forward: tokens x h by h x 3h/8.
  EXPECT_EQ(qkv.gemm->m, 2048);
  EXPECT_EQ(qkv.gemm->k, 12288);
  EXPECT_EQ(qkv.gemm->n, 3 * 12288 / 8);
  // Input gradient: tokens x 3h/8 by 3h/8 x h; weight gradient: h x tokens by tokens x 3h/8.
  EXPECT_EQ(dgrad.gemm->m, 2048);
  EXPECT_EQ(dgrad.gemm->n, 12288);
  EXPECT_EQ(dgrad.gemm->k, 3 * 12288 / 8);
  EXPECT_EQ(wgrad.gemm->m, 12288);
  EXPECT_EQ(wgrad.gemm->n, 3 * 12288 / 8);
  EXPECT_EQ(wgrad.gemm->k, 2048);
  EXPECT_EQ(dgrad.flops, qkv.flops);
  EXPECT_EQ(wgrad.flops, qkv.flops);
  // Recomputation kernels only with recomputation.
  EXPECT_TRUE(block_kernels(m, l, Block::kAttention, Pass::kRecompute).empty());
  l.recompute = Recompute::kSelective;
  const auto sel = block_kernels(m, l, Block::kAttention, Pass::kRecompute);
  // Scores, softmax, values, and the dropout on the probabilities when the model trains with it.
  ASSERT_EQ(sel.size(), m.dropout ? 4u : 3u);
  EXPECT_TRUE(block_kernels(m, l, Block::kMlp, Pass::kRecompute).empty());
}

}  // namespace
}  // namespace gwsim::workload::transformer
