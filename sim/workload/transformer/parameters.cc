#include "sim/workload/transformer/parameters.h"

namespace gwsim::workload::transformer {
namespace {

double ffn_matrices(const config::ModelSpec& model) { return model.gated_ffn ? 3.0 : 2.0; }

}  // namespace

ParameterCounts count_parameters(const config::ModelSpec& model) {
  const double h = model.hidden;
  const double kv = static_cast<double>(model.kv_heads) * model.head_dim();
  ParameterCounts c;
  c.layer.attention = 2 * h * h + 2 * h * kv;
  c.layer.norms = 2 * h;
  c.layer.dense_ffn = ffn_matrices(model) * h * model.ffn_hidden;
  if (model.moe) {
    const double expert = ffn_matrices(model) * h * model.moe->expert_ffn_hidden;
    c.layer.moe_router = h * model.moe->experts;
    c.layer.moe_shared = expert * model.moe->shared_experts;
    c.layer.moe_routed = expert * model.moe->experts;
    c.layer.moe_active = expert * model.moe->top_k;
  }
  c.embedding = static_cast<double>(model.vocab) * h;
  c.positions = model.learned_positions ? static_cast<double>(model.seq_len) * h : 0.0;
  c.output = model.tied_embeddings ? 0.0 : c.embedding;
  c.final_norm = h;
  c.total = c.embedding + c.positions + c.output + c.final_norm;
  c.active = c.total;
  for (int layer = 0; layer < model.layers; ++layer) {
    const double common = c.layer.attention + c.layer.norms;
    if (model.is_moe_layer(layer)) {
      const double moe = c.layer.moe_router + c.layer.moe_shared;
      c.total += common + moe + c.layer.moe_routed;
      c.active += common + moe + c.layer.moe_active;
    } else {
      c.total += common + c.layer.dense_ffn;
      c.active += common + c.layer.dense_ffn;
    }
  }
  return c;
}

RankParameters rank_parameters(const config::ModelSpec& model, const ParallelLayout& layout,
                               const StagePlacement& stage) {
  const ParameterCounts c = count_parameters(model);
  const double tp = layout.tp;
  RankParameters r;
  const auto layers = static_cast<double>(stage.layers.size());
  r.dense += layers * (c.layer.attention / tp + c.layer.norms);
  r.dense += stage.dense_layers * c.layer.dense_ffn / tp;
  r.dense += stage.moe_layers * (c.layer.moe_router + c.layer.moe_shared / tp);
  r.expert += stage.moe_layers * c.layer.moe_routed / (tp * layout.ep);
  if (stage.first) r.dense += c.embedding / tp + c.positions;
  // A tied output layer still needs its copy of the embedding on the last stage (Megatron keeps one
  // and all-reduces its gradient with the first stage's).
  if (stage.last) {
    r.dense += c.final_norm + (model.tied_embeddings && !stage.first ? c.embedding : c.output) / tp;
  }
  return r;
}

}  // namespace gwsim::workload::transformer
