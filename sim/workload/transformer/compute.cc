#include "sim/workload/transformer/compute.h"

#include "sim/workload/transformer/parameters.h"

namespace gwsim::workload::transformer {
namespace {

// A GEMM of m x k by k x n: its FLOPs and its bytes.
struct Gemm {
  double flops;
  double bytes;
};
Gemm gemm(double m, double k, double n, double e) {
  return {2 * m * k * n, e * (m * k + k * n + m * n)};
}

void add_forward(OpCost& op, Gemm g, double times) {
  op.forward += Flops(g.flops * times);
  op.forward_bytes += Bytes(g.bytes * times);
  op.backward += Flops(2 * g.flops * times);
  op.backward_bytes += Bytes(2 * g.bytes * times);
}

void add_recompute(OpCost& op, Gemm g, double times) {
  op.recompute += Flops(g.flops * times);
  op.recompute_bytes += Bytes(g.bytes * times);
}

}  // namespace

std::string_view op_class_name(OpClass op) {
  switch (op) {
    case OpClass::kQkv:
      return "qkv";
    case OpClass::kAttentionScores:
      return "attention_scores";
    case OpClass::kAttentionValues:
      return "attention_values";
    case OpClass::kOutputProjection:
      return "output_projection";
    case OpClass::kFfn:
      return "ffn";
    case OpClass::kMoeExperts:
      return "moe_experts";
    case OpClass::kLogits:
      return "logits";
    case OpClass::kEmbedding:
      return "embedding";
    case OpClass::kElementwise:
      return "elementwise";
    case OpClass::kCount:
      break;
  }
  return "?";
}

bool is_gemm(OpClass op) {
  return op != OpClass::kEmbedding && op != OpClass::kElementwise && op != OpClass::kCount;
}

Flops StageCompute::gemm_flops() const {
  Flops sum;
  for (size_t i = 0; i < ops.size(); ++i) {
    if (is_gemm(static_cast<OpClass>(i))) sum += ops[i].flops();
  }
  return sum;
}

Flops StageCompute::total_flops() const {
  Flops sum;
  for (const OpCost& op : ops) sum += op.flops();
  return sum;
}

Bytes StageCompute::total_bytes() const {
  Bytes sum;
  for (const OpCost& op : ops) sum += op.bytes();
  return sum;
}

double gemm_element_bytes(const config::ModelSpec& model) {
  switch (model.precision) {
    case config::ModelPrecision::kFp8:
      return 1;
    case config::ModelPrecision::kFp32:
      return 4;
    default:
      return 2;
  }
}

double activation_element_bytes(const config::ModelSpec& model) {
  return model.precision == config::ModelPrecision::kFp32 ? 4 : 2;
}

StageCompute stage_compute(const config::ModelSpec& model, const ParallelLayout& layout,
                           const StagePlacement& stage) {
  const double e = gemm_element_bytes(model);
  const double ea = activation_element_bytes(model);
  const double tp = layout.tp;
  const double h = model.hidden;
  const double s = layout.sequence(model);
  const double b = layout.micro_batch;
  const double tokens = b * s / layout.cp;  // this rank's tokens
  const double heads = model.heads / tp;    // this rank's heads
  const double dh = model.head_dim();
  const double kv = std::max(1.0, model.kv_heads / tp) * dh;  // K (or V) width on this rank
  const double ffn_mats = model.gated_ffn ? 3 : 2;
  // Element-wise work on hidden-sized tensors is split over tp only with sequence parallelism.
  const double hidden_split = layout.sequence_parallel ? tp : 1;
  const bool full = layout.recompute == Recompute::kFull;
  const bool selective = layout.recompute == Recompute::kSelective;

  StageCompute c;
  const auto layers = static_cast<double>(stage.layers.size());
  // Attention, per layer.
  const Gemm qkv = gemm(tokens, h, h / tp + 2 * kv, e);
  const Gemm scores = gemm(b * heads * s / layout.cp, dh, s, e);  // per head: (s/cp) x dh by dh x s
  const Gemm values = gemm(b * heads * s / layout.cp, s, dh, e);
  const Gemm out = gemm(tokens, h / tp, h, e);
  add_forward(c[OpClass::kQkv], qkv, layers);
  add_forward(c[OpClass::kAttentionScores], scores, layers);
  add_forward(c[OpClass::kAttentionValues], values, layers);
  add_forward(c[OpClass::kOutputProjection], out, layers);
  // FFN: one matrix in, one out (gated: two in).
  const double f = model.ffn_hidden / tp;
  const Gemm ffn_in = gemm(tokens, h, f, e);
  const Gemm ffn_out = gemm(tokens, f, h, e);
  const Gemm ffn = {(ffn_mats - 1) * ffn_in.flops + ffn_out.flops,
                    (ffn_mats - 1) * ffn_in.bytes + ffn_out.bytes};
  add_forward(c[OpClass::kFfn], ffn, stage.dense_layers);
  Gemm moe{0, 0};
  double expert_tokens = 0;  // token-expert pairs per rank per MoE layer (routed and shared)
  double fe = 0;
  if (model.moe && stage.moe_layers > 0) {
    const config::MoeSpec& m = *model.moe;
    fe = m.expert_ffn_hidden / tp;
    expert_tokens = tokens * (m.top_k * m.capacity_factor.value_or(1.0) + m.shared_experts);
    const Gemm router = gemm(tokens, h, m.experts, e);
    const Gemm in = gemm(expert_tokens, h, fe, e);
    const Gemm out_e = gemm(expert_tokens, fe, h, e);
    moe = {router.flops + (ffn_mats - 1) * in.flops + out_e.flops,
           router.bytes + (ffn_mats - 1) * in.bytes + out_e.bytes};
    add_forward(c[OpClass::kMoeExperts], moe, stage.moe_layers);
  }
  // Element-wise, per layer: two norms, two residual adds, the softmax, the activation function.
  const double hidden_elems = tokens * h / hidden_split;
  const double score_elems = b * heads * (s / layout.cp) * s;
  const double act_flops = model.gated_ffn ? kSwigluFlops : kGeluFlops;
  const double ffn_elems = stage.dense_layers * tokens * f + stage.moe_layers * expert_tokens * fe;
  const double norm_res_flops = layers * hidden_elems * (2 * kNormFlops + 2 * kResidualFlops);
  const double norm_res_bytes = layers * hidden_elems * ea * (2 * 2 + 2 * 3);  // r+w; r+r+w
  const double softmax_flops = layers * score_elems * kSoftmaxFlops;
  const double softmax_bytes = layers * score_elems * ea * 2;
  const double act_elem_flops = ffn_elems * act_flops;
  const double act_bytes = ffn_elems * ea * (model.gated_ffn ? 3 : 2);
  // Dropout (models trained with it): on the attention probabilities and on each block's output.
  const double dropped =
      model.dropout
          ? layers * score_elems + (stage.dense_layers + stage.moe_layers) * 2 * hidden_elems
          : 0;
  const double dropout_flops = dropped * kDropoutFlops;
  const double dropout_bytes = dropped * (ea * 2 + kDropoutMaskBytes);
  OpCost& ew = c[OpClass::kElementwise];
  const double ew_flops = norm_res_flops + softmax_flops + act_elem_flops + dropout_flops;
  const double ew_bytes = norm_res_bytes + softmax_bytes + act_bytes + dropout_bytes;
  ew.forward = Flops(ew_flops);
  ew.forward_bytes = Bytes(ew_bytes);
  ew.backward = Flops(2 * ew_flops);  // assumed: twice the forward, like the GEMMs
  ew.backward_bytes = Bytes(2 * ew_bytes);
  // Recomputation: the whole layer forward again (full) or the attention core (selective).
  if (full) {
    add_recompute(c[OpClass::kQkv], qkv, layers);
    add_recompute(c[OpClass::kAttentionScores], scores, layers);
    add_recompute(c[OpClass::kAttentionValues], values, layers);
    add_recompute(c[OpClass::kOutputProjection], out, layers);
    add_recompute(c[OpClass::kFfn], ffn, stage.dense_layers);
    add_recompute(c[OpClass::kMoeExperts], moe, stage.moe_layers);
    ew.recompute = Flops(ew_flops);
    ew.recompute_bytes = Bytes(ew_bytes);
  } else if (selective) {
    add_recompute(c[OpClass::kAttentionScores], scores, layers);
    add_recompute(c[OpClass::kAttentionValues], values, layers);
    // The attention core: its softmax and the dropout on its probabilities.
    const double core_dropped = model.dropout ? layers * score_elems : 0;
    ew.recompute = Flops(softmax_flops + core_dropped * kDropoutFlops);
    ew.recompute_bytes = Bytes(softmax_bytes + core_dropped * (ea * 2 + kDropoutMaskBytes));
  }
  if (stage.first) {
    // A gather of tokens rows of the embedding (and of the position table): read and write each.
    OpCost& emb = c[OpClass::kEmbedding];
    emb.forward_bytes = Bytes(tokens * h * ea * (model.learned_positions ? 3 : 2));
    emb.backward_bytes = emb.forward_bytes;  // scatter-add of the gradient rows
  }
  if (stage.last) {
    add_forward(c[OpClass::kLogits], gemm(tokens, h, model.vocab / tp, e), 1);
  }
  return c;
}

OptimizerCost optimizer_cost(const config::ModelSpec& model, const ParallelLayout& layout,
                             const StagePlacement& stage) {
  const RankParameters p = rank_parameters(model, layout, stage);
  OptimizerCost o;
  if (layout.sharding_stage() >= 1) {
    o.parameters = p.dense / layout.dense_replicas() + p.expert / layout.expert_replicas();
  } else {
    o.parameters = p.total();
  }
  o.flops = Flops(o.parameters * kAdamFlopsPerParameter);
  o.bytes = Bytes(o.parameters * kAdamBytesPerParameter);
  return o;
}

Flops iteration_model_flops(const config::ModelSpec& model, const ParallelLayout& layout) {
  Flops per_pipeline;
  for (int rank = 0; rank < layout.pp; ++rank) {
    per_pipeline += stage_compute(model, layout, place_stage(model, layout, rank)).gemm_flops();
  }
  // tp * cp ranks share a stage's work; dp pipelines; micro-batches per pipeline.
  return per_pipeline *
         (static_cast<double>(layout.tp) * layout.cp * layout.dp * layout.micro_batches());
}

}  // namespace gwsim::workload::transformer
