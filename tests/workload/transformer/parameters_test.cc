// Parameter counts against the published totals and against the GPT closed form.
#include <gtest/gtest.h>

#include "sim/workload/transformer/parameters.h"

namespace gwsim::workload::transformer {
namespace {

config::ModelSpec model(const std::string& id) {
  return config::load_model(id, {"test", 1}, "model");
}

TEST(Parameters, Gpt3Within1PercentOfPublished) {
  const double total = count_parameters(model("gpt3-175b")).total;
  EXPECT_NEAR(total / 175e9, 1.0, 0.01) << total;
}

TEST(Parameters, Llama405bWithin1PercentOfPublished) {
  const double total = count_parameters(model("llama3-405b")).total;
  EXPECT_NEAR(total / 405e9, 1.0, 0.01) << total;
}

TEST(Parameters, DeepSeekV3TotalAndActive) {
  const ParameterCounts c = count_parameters(model("deepseek-v3"));
  EXPECT_NEAR(c.total / 671e9, 1.0, 0.01) << c.total;
  // 37B activated per token (report, Section 4.2); MLA is approximated, so within 5%.
  EXPECT_NEAR(c.active / 37e9, 1.0, 0.05) << c.active;
}

TEST(Parameters, EveryCatalogEntryNearItsPublishedCount) {
  // Published counts are rounded (Megatron's "1.7B" is 1.65B by its own formula) and leave out
  // biases: within 5%.
  for (const std::string& id : config::model_ids()) {
    const config::ModelSpec m = model(id);
    if (!m.published_parameters) continue;
    EXPECT_NEAR(count_parameters(m).total / *m.published_parameters, 1.0, 0.05) << id;
  }
}

TEST(Parameters, GptClosedForm) {
  // GPT (tied, learned positions, no biases): 12 l h^2 + 2 l h + V h + s h + h.
  const config::ModelSpec m = model("megatron-18b");
  const double l = m.layers, h = m.hidden, v = m.vocab, s = m.seq_len;
  EXPECT_DOUBLE_EQ(count_parameters(m).total, 12 * l * h * h + 2 * l * h + v * h + s * h + h);
}

TEST(Parameters, RankShareSumsToTheModel) {
  const config::ModelSpec m = model("deepseek-v3");
  ParallelLayout l;
  l.tp = 2;
  l.pp = 1;
  l.dp = 16;
  l.ep = 16;
  l.global_batch = 16;
  const RankParameters r = rank_parameters(m, l, place_stage(m, l, 0));
  const ParameterCounts c = count_parameters(m);
  // Routed experts: split over tp * ep ranks.
  EXPECT_DOUBLE_EQ(r.expert * 2 * 16, c.layer.moe_routed * 58);
  // The rest: split over tp except norms and routers (replicated).
  const double replicated = 61 * c.layer.norms + c.final_norm + 58 * c.layer.moe_router;
  EXPECT_NEAR((r.dense - replicated) * 2, c.total - replicated - c.layer.moe_routed * 58,
              1e-6 * c.total);
}

}  // namespace
}  // namespace gwsim::workload::transformer
