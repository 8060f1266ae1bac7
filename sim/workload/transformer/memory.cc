#include "sim/workload/transformer/memory.h"

#include <algorithm>

#include "sim/workload/transformer/compute.h"
#include "sim/workload/transformer/parameters.h"

namespace gwsim::workload::transformer {
namespace {

// Bytes per parameter (ZeRO paper, Section 3.1).
struct StateBytes {
  double parameter;
  double gradient;
  double optimizer;
};
StateBytes state_bytes(const config::ModelSpec& model) {
  if (model.precision == config::ModelPrecision::kFp32) return {4, 4, 8};
  return {2, 2, 12};
}

// Layer-microbatches of activations a rank holds at its peak: 1F1B keeps pp - rank micro-batches in
// flight; Megatron's interleaved schedule warms up 2 (pp - rank - 1) + (v - 1) pp chunks and holds
// one more; both capped by the micro-batches there are. Returned in units of "all of this rank's
// layers for one micro-batch". With uneven stages (placement.h) the activations use the rank's
// actual layers; the interleaved chunks in flight count at the rank's average chunk size (the
// first and last ranks' lighter chunk 0 / v - 1 is not tracked separately).
double in_flight(const ParallelLayout& layout, int rank) {
  const int p = layout.pp;
  const int v = layout.virtual_stages;
  const int m = layout.micro_batches();
  if (v == 1) return std::min(p - rank, m);
  const int chunks = std::min(2 * (p - rank - 1) + (v - 1) * p + 1, m * v);
  return static_cast<double>(chunks) / v;
}

}  // namespace

Bytes layer_activation_bytes(const config::ModelSpec& model, const ParallelLayout& layout,
                             bool moe_layer, AttentionCore core) {
  const double t = layout.tp;
  const double s = layout.sequence(model) / static_cast<double>(layout.cp);
  const double b = layout.micro_batch;
  const double h = model.hidden;
  const double e = activation_element_bytes(model);  // 2 in Korthikanti et al.
  const double sbh = s * b * h;
  const double kv = std::max(1.0, static_cast<double>(model.kv_heads) / t) * model.head_dim();
  const double sbkv = s * b * kv;                 // this rank's K (or V)
  const double mask = model.dropout ? 1.0 : 0.0;  // dropout masks: 1 byte per element
  // Tensors that tensor parallelism leaves whole unless sequence parallelism splits them.
  const double rep = layout.sequence_parallel ? t : 1.0;

  if (layout.recompute == Recompute::kFull) return Bytes(e * sbh / rep);  // the layer's input

  // Attention: norm input, QKV input, Q, K, V, output-projection input, dropout mask after it.
  double bytes =
      e * sbh / rep + e * sbh / rep + e * sbh / t + 2 * e * sbkv + e * sbh / t + mask * sbh / rep;
  // Attention core: softmax output, its dropout mask and output (a s^2 b terms); kept unless
  // recomputed. A fused kernel keeps one fp32 statistic (log-sum-exp) per head and query instead.
  if (core == AttentionCore::kFused) {
    bytes += 4.0 * model.heads / t * s * b;
  } else if (layout.recompute == Recompute::kNone) {
    const double as2b = model.heads / t * s * layout.sequence(model) * b;
    bytes += e * as2b + mask * (as2b + e * as2b);
  }
  // FFN: norm input, FFN input, the activation function's inputs and output, dropout mask.
  bytes += e * sbh / rep + e * sbh / rep + mask * sbh / rep;
  const double per_token_ffn = model.gated_ffn ? 4.0 : 2.0;  // f-wide tensors kept per token
  if (moe_layer && model.moe) {
    const config::MoeSpec& m = *model.moe;
    const double copies = m.top_k * m.capacity_factor.value_or(1.0) + m.shared_experts;
    // Each routed copy keeps its expert input and its f-wide tensors.
    bytes += copies * (e * sbh / t + per_token_ffn * e * s * b * m.expert_ffn_hidden / t);
  } else {
    bytes += per_token_ffn * e * s * b * model.ffn_hidden / t;
  }
  return Bytes(bytes);
}

MemoryBreakdown stage_memory(const config::ModelSpec& model, const ParallelLayout& layout,
                             const StagePlacement& stage, AttentionCore core) {
  const StateBytes sb = state_bytes(model);
  const RankParameters p = rank_parameters(model, layout, stage);
  const int zero = layout.sharding_stage();
  const double dense_div = layout.dense_replicas();
  const double expert_div = layout.expert_replicas();
  const auto sharded = [&](double per_param, bool shard) {
    return Bytes(per_param * (shard ? p.dense / dense_div + p.expert / expert_div : p.total()));
  };
  MemoryBreakdown m;
  m.stage = stage.rank;
  m.parameters = sharded(sb.parameter, zero >= 3);
  m.gradients = sharded(sb.gradient, zero >= 2);
  m.optimizer = sharded(sb.optimizer, zero >= 1);

  m.micro_batches_in_flight = in_flight(layout, stage.rank);
  const Bytes per_mb = layer_activation_bytes(model, layout, false, core) * stage.dense_layers +
                       layer_activation_bytes(model, layout, true, core) * stage.moe_layers;
  m.activations = per_mb * m.micro_batches_in_flight;
  const double t = layout.tp;
  const double sbh =
      layout.sequence(model) / static_cast<double>(layout.cp) * layout.micro_batch * model.hidden;
  const double rep = layout.sequence_parallel ? t : 1.0;
  // Korthikanti et al.: the embedding's dropout mask for each micro-batch in flight on the first
  // stage, and 4 s b h / t (1 + V / h) for the final norm, output layer and fp32 logits on the
  // last.
  if (stage.first && model.dropout) m.activations += Bytes(sbh / rep * m.micro_batches_in_flight);
  if (stage.last)
    m.activations += Bytes(4 * sbh / t * (1 + static_cast<double>(model.vocab) / model.hidden));
  return m;
}

MemoryVerdict check_memory(const config::ModelSpec& model, const ParallelLayout& layout,
                           Bytes capacity, AttentionCore core) {
  MemoryVerdict v;
  v.capacity = capacity;
  for (int rank = 0; rank < layout.pp; ++rank) {
    const MemoryBreakdown m = stage_memory(model, layout, place_stage(model, layout, rank), core);
    if (rank == 0 || m.total() > v.worst.total()) v.worst = m;
  }
  v.fits = v.worst.total() <= capacity;
  return v;
}

}  // namespace gwsim::workload::transformer
