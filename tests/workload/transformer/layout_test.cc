// Layouts that do not fit the model are InputErrors naming the field; uneven pipeline stages are
// placed as in Llama 3 (placement.h).
#include <gtest/gtest.h>

#include <numeric>

#include "sim/workload/transformer/compute.h"
#include "sim/workload/transformer/layout.h"
#include "sim/workload/transformer/parameters.h"
#include "sim/workload/transformer/placement.h"

namespace gwsim::workload::transformer {
namespace {

config::ModelSpec model(const std::string& id) {
  return config::load_model(id, {"test", 1}, "model");
}

ParallelLayout megatron_175b() {
  ParallelLayout l;
  l.tp = 8;
  l.pp = 8;
  l.dp = 1;
  l.micro_batch = 1;
  l.global_batch = 64;
  return l;
}

void expect_field(const config::ModelSpec& m, const ParallelLayout& l, const std::string& field) {
  try {
    validate_layout(m, l, {"scenario.yaml", 12}, "workload.layout");
    FAIL() << "expected an InputError naming " << field;
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("scenario.yaml:12"), std::string::npos) << what;
    EXPECT_NE(what.find("workload.layout." + field + ":"), std::string::npos) << what;
  }
}

TEST(Layout, ValidLayoutPasses) {
  EXPECT_NO_THROW(validate_layout(model("gpt3-175b"), megatron_175b(), {"s", 1}, "layout"));
}

TEST(Layout, EachViolationNamesItsField) {
  const config::ModelSpec gpt = model("gpt3-175b");
  ParallelLayout l = megatron_175b();
  l.tp = 7;  // 96 heads
  expect_field(gpt, l, "tp");
  l = megatron_175b();
  l.pp = 97;  // 96 layers: a pipeline rank would hold none
  l.global_batch = 97;
  expect_field(gpt, l, "pp");
  l = megatron_175b();
  l.virtual_stages = 13;  // 104 chunks for 96 layers: model chunks 1 and 102 would be empty
  l.global_batch = 64;
  expect_field(gpt, l, "virtual_stages");
  l = megatron_175b();
  l.cp = 3;  // 2048
  expect_field(gpt, l, "cp");
  l = megatron_175b();
  l.dp = 3;  // 64 sequences
  expect_field(gpt, l, "global_batch");
  l = megatron_175b();
  l.ep = 2;  // dense model
  expect_field(gpt, l, "ep");
  l = megatron_175b();
  l.micro_batch = 0;
  expect_field(gpt, l, "micro_batch");
  l = megatron_175b();
  l.pp = 1;
  l.virtual_stages = 2;
  expect_field(gpt, l, "virtual_stages");
}

TEST(Layout, KvHeadsAndExperts) {
  const config::ModelSpec llama = model("llama3-405b");  // 8 KV heads
  ParallelLayout l;
  l.tp = 16;  // a multiple of 8: each KV head replicated
  l.pp = 1;
  EXPECT_NO_THROW(validate_layout(llama, l, {"s", 1}, ""));
  l.tp = 32;  // 53,248 / 32 is whole, heads 128 / 32 too
  EXPECT_NO_THROW(validate_layout(llama, l, {"s", 1}, ""));
  const config::ModelSpec ds = model("deepseek-v3");
  ParallelLayout e;
  e.dp = 64;
  e.global_batch = 64;
  e.ep = 64;
  e.pp = 1;
  EXPECT_NO_THROW(validate_layout(ds, e, {"s", 1}, ""));
  e.ep = 128;  // > dp * cp
  expect_field(ds, e, "ep");
  e.dp = 96;
  e.global_batch = 96;
  e.ep = 96;  // does not divide 256 experts
  expect_field(ds, e, "ep");
}

std::vector<int> stage_sizes(const config::ModelSpec& m, const ParallelLayout& l) {
  std::vector<int> out;
  for (int rank = 0; rank < l.pp; ++rank)
    out.push_back(static_cast<int>(place_stage(m, l, rank).layers.size()));
  return out;
}

ParallelLayout llama_405b(int pp, int virtual_stages) {
  ParallelLayout l;
  l.tp = 8;
  l.pp = pp;
  l.dp = 1;
  l.micro_batch = 1;
  l.global_batch = 16;
  l.virtual_stages = virtual_stages;
  return l;
}

TEST(UnevenStages, Llama3On16StagesDropsALayerFromTheFirstAndLast) {
  // Llama 3 Herd §3.3.2: 126 layers on 16 stages, one layer fewer on the first and the last.
  const config::ModelSpec llama = model("llama3-405b");
  const ParallelLayout l = llama_405b(16, 1);
  EXPECT_NO_THROW(validate_layout(llama, l, {"s", 1}, ""));
  std::vector<int> want(16, 8);
  want.front() = 7;
  want.back() = 7;
  EXPECT_EQ(stage_sizes(llama, l), want);
  // The layers are contiguous, in order, each placed once.
  std::vector<int> all;
  for (int rank = 0; rank < l.pp; ++rank) {
    const StagePlacement s = place_stage(llama, l, rank);
    EXPECT_EQ(s.chunk_sizes, std::vector<int>{want[static_cast<size_t>(rank)]});
    EXPECT_EQ(s.chunk_layers(0), s.layers);
    EXPECT_EQ(s.dense_layers, static_cast<int>(s.layers.size()));
    all.insert(all.end(), s.layers.begin(), s.layers.end());
  }
  std::vector<int> iota(126);
  std::iota(iota.begin(), iota.end(), 0);
  EXPECT_EQ(all, iota);
}

TEST(UnevenStages, SurplusAlternatesBetweenFirstAndLastChunks) {
  EXPECT_EQ(chunk_layer_counts(96, 8, 1), std::vector<int>(8, 12));  // even: unchanged
  EXPECT_EQ(chunk_layer_counts(10, 4, 1), (std::vector<int>{2, 3, 3, 2}));
  EXPECT_EQ(chunk_layer_counts(9, 4, 1), (std::vector<int>{2, 2, 3, 2}));
  EXPECT_EQ(chunk_layer_counts(13, 4, 1), (std::vector<int>{3, 3, 4, 3}));
  EXPECT_EQ(chunk_layer_counts(23, 4, 2), (std::vector<int>{2, 3, 3, 3, 3, 3, 3, 3}));
  // Llama 3 405B interleaved with one layer per chunk: the first chunk holds only the embedding,
  // the last only the output layer.
  const std::vector<int> one = chunk_layer_counts(126, 16, 8);
  EXPECT_EQ(one.front(), 0);
  EXPECT_EQ(one.back(), 0);
  EXPECT_EQ(std::accumulate(one.begin(), one.end(), 0), 126);
}

TEST(UnevenStages, TotalsOverStagesEqualTheModel) {
  struct Row {
    std::string model;
    int pp, v;
  };
  for (const Row& r : std::vector<Row>{{"llama3-405b", 16, 1},
                                       {"llama3-405b", 16, 8},
                                       {"llama3-405b", 5, 1},
                                       {"gpt3-175b", 7, 1},
                                       {"gpt3-175b", 5, 2},
                                       {"deepseek-v3", 16, 1}}) {
    const config::ModelSpec m = model(r.model);
    ParallelLayout l = llama_405b(r.pp, r.v);
    l.tp = 1;
    l.global_batch = r.pp * 2;
    const std::string what = r.model + " pp " + std::to_string(r.pp) + " v " + std::to_string(r.v);
    ASSERT_NO_THROW(validate_layout(m, l, {"s", 1}, "")) << what;
    int layers = 0, moe = 0;
    double parameters = 0;
    for (int rank = 0; rank < l.pp; ++rank) {
      const StagePlacement s = place_stage(m, l, rank);
      EXPECT_FALSE(s.layers.empty()) << what;
      EXPECT_EQ(static_cast<int>(s.chunk_sizes.size()), r.v) << what;
      std::vector<int> joined;
      for (int c = 0; c < r.v; ++c) {
        const std::vector<int> part = s.chunk_layers(c);
        joined.insert(joined.end(), part.begin(), part.end());
      }
      EXPECT_EQ(joined, s.layers) << what;
      layers += static_cast<int>(s.layers.size());
      moe += s.moe_layers;
      parameters += rank_parameters(m, l, s).total();
    }
    EXPECT_EQ(layers, m.layers) << what;
    int want_moe = 0;
    for (int i = 0; i < m.layers; ++i) want_moe += m.is_moe_layer(i) ? 1 : 0;
    EXPECT_EQ(moe, want_moe) << what;
    // With tp = 1 the ranks' parameters add up to the model's, plus the last stage's copy of a
    // tied output layer.
    const double tied_copy =
        m.tied_embeddings ? static_cast<double>(m.vocab) * static_cast<double>(m.hidden) : 0.0;
    EXPECT_NEAR(parameters, count_parameters(m).total + tied_copy, 1e-9 * parameters) << what;
    // Model FLOPs do not depend on the placement.
    ParallelLayout one = l;
    one.pp = 1;
    one.virtual_stages = 1;
    one.global_batch = l.global_batch;
    EXPECT_NEAR(iteration_model_flops(m, l).value(), iteration_model_flops(m, one).value(),
                1e-9 * iteration_model_flops(m, one).value())
        << what;
  }
}

}  // namespace
}  // namespace gwsim::workload::transformer
