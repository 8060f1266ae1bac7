#include "sim/workload/transformer/communication.h"

#include <algorithm>

#include "sim/workload/transformer/compute.h"
#include "sim/workload/transformer/parameters.h"

namespace gwsim::workload::transformer {

std::string group_name(Group group) {
  switch (group) {
    case Group::kTensor:
      return "tp";
    case Group::kPipeline:
      return "pp";
    case Group::kData:
      return "dp";
    case Group::kContext:
      return "cp";
    case Group::kExpert:
      return "ep";
    case Group::kExpertData:
      return "expert_dp";
  }
  return "?";
}

std::string collective_kind_name(CollectiveKind kind) {
  switch (kind) {
    case CollectiveKind::kAllReduce:
      return "all_reduce";
    case CollectiveKind::kReduceScatter:
      return "reduce_scatter";
    case CollectiveKind::kAllGather:
      return "all_gather";
    case CollectiveKind::kAllToAll:
      return "all_to_all";
    case CollectiveKind::kSendRecv:
      return "send_recv";
  }
  return "?";
}

std::vector<CollectiveVolume> stage_communication(const config::ModelSpec& model,
                                                  const ParallelLayout& layout,
                                                  const StagePlacement& stage) {
  std::vector<CollectiveVolume> out;
  const auto add = [&](Group g, CollectiveKind k, Frequency f, int size, double bytes, double calls,
                       std::string what) {
    if (size > 1 && calls > 0 && bytes > 0)
      out.push_back({g, k, f, size, Bytes(bytes), calls, std::move(what)});
  };
  const double ea = activation_element_bytes(model);
  const double h = model.hidden;
  const double s = layout.sequence(model);
  const double tokens = layout.micro_batch * s / layout.cp;
  const double activation = tokens * h * ea;  // one hidden-sized activation of this rank's tokens
  const auto layers = static_cast<double>(stage.layers.size());
  const bool full = layout.recompute == Recompute::kFull;
  const bool sp = layout.sequence_parallel;
  const auto per_mb = Frequency::kPerMicroBatch;
  const auto per_it = Frequency::kPerIteration;

  // Tensor parallelism: two all-reduces per layer forward and two backward (Megatron's f and g);
  // with sequence parallelism each becomes an all-gather plus a reduce-scatter of the same tensor.
  // Full recomputation repeats the forward ones.
  const double tp_calls = layers * (2 + 2 + (full ? 2 : 0));
  if (sp) {
    add(Group::kTensor, CollectiveKind::kAllGather, per_mb, layout.tp, activation, tp_calls,
        "TP all-gather before attention and FFN (sequence parallel), forward, backward, recompute");
    add(Group::kTensor, CollectiveKind::kReduceScatter, per_mb, layout.tp, activation, tp_calls,
        "TP reduce-scatter after attention and FFN (sequence parallel), forward, backward, "
        "recompute");
    // Column-parallel GEMMs keep their input's sequence shard and gather it again for the weight
    // gradient (Korthikanti et al. 2022, section 4.2.2): QKV and the dense FFN's first GEMM. MoE
    // experts keep the tokens they were dispatched.
    add(Group::kTensor, CollectiveKind::kAllGather, per_mb, layout.tp, activation,
        layers + stage.dense_layers,
        "TP all-gather of the QKV and first FFN GEMM inputs again for their weight gradients "
        "(sequence parallel), backward");
  } else {
    add(Group::kTensor, CollectiveKind::kAllReduce, per_mb, layout.tp, activation, tp_calls,
        "TP all-reduce after attention and FFN (forward), before them (backward), recompute");
  }
  const CollectiveKind edge = sp ? CollectiveKind::kReduceScatter : CollectiveKind::kAllReduce;
  if (stage.first) {
    add(Group::kTensor, edge, per_mb, layout.tp, activation, 1,
        "TP reduction of the vocab-parallel embedding output, forward");
    if (sp)
      add(Group::kTensor, CollectiveKind::kAllGather, per_mb, layout.tp, activation, 1,
          "TP all-gather of the embedding output's gradient (sequence parallel), backward");
  }
  if (stage.last) {
    add(Group::kTensor, edge, per_mb, layout.tp, activation, 1,
        "TP reduction of the output layer's input gradient, backward");
    if (sp)
      add(Group::kTensor, CollectiveKind::kAllGather, per_mb, layout.tp, activation, 2,
          "TP all-gather of the output layer's input (sequence parallel), forward, and again "
          "for its weight gradient, backward");
  }

  // Context parallelism: each layer gathers K and V of the whole sequence (forward, backward and
  // any recomputation of attention) and reduce-scatters their gradients (backward).
  const double kv_width =
      std::max(1.0, static_cast<double>(model.kv_heads) / layout.tp) * model.head_dim();
  const double kv_gathered = 2 * layout.micro_batch * s * kv_width * ea;
  const double cp_gathers = layers * (2 + (layout.recompute == Recompute::kNone ? 0 : 1));
  add(Group::kContext, CollectiveKind::kAllGather, per_mb, layout.cp, kv_gathered, cp_gathers,
      "CP all-gather of K and V, forward, backward, recompute");
  add(Group::kContext, CollectiveKind::kReduceScatter, per_mb, layout.cp, kv_gathered, layers,
      "CP reduce-scatter of the K and V gradients, backward");

  // Pipeline: one activation forward and one gradient backward per model chunk boundary.
  const double pp_message = activation / (sp ? layout.tp : 1);
  const double v = layout.virtual_stages;
  add(Group::kPipeline, CollectiveKind::kSendRecv, per_mb, layout.pp, pp_message,
      v - (stage.last ? 1 : 0), "PP send of activations to the next stage, forward");
  add(Group::kPipeline, CollectiveKind::kSendRecv, per_mb, layout.pp, pp_message,
      v - (stage.first ? 1 : 0), "PP send of activation gradients to the previous stage, backward");

  // Expert parallelism: dispatch and combine all-to-alls per MoE layer, forward and backward (and
  // forward again with full recomputation).
  if (model.moe && stage.moe_layers > 0) {
    const double routed = tokens / (sp ? layout.tp : 1) * model.moe->top_k *
                          model.moe->capacity_factor.value_or(1.0) * h * ea;
    add(Group::kExpert, CollectiveKind::kAllToAll, per_mb, layout.ep, routed,
        stage.moe_layers * (4 + (full ? 2 : 0)),
        "EP all-to-all dispatch and combine, forward, backward, recompute");
  }

  // Data parallelism over dp * cp replicas (experts over dp * cp / ep).
  const RankParameters p = rank_parameters(model, layout, stage);
  // Gathered parameters in 16 bits (32 for fp32 models); reduced gradients the same, or fp32.
  const double eg = layout.grad_reduce_in_fp32 ? 4.0 : ea;
  const auto data = [&](Group g, int replicas, double params, const std::string& which) {
    const double bytes = params * eg;
    const double gathered = params * ea;
    switch (layout.sharding_stage()) {
      case 0:
        add(g, CollectiveKind::kAllReduce, per_it, replicas, bytes, 1,
            "DP all-reduce of " + which + " gradients");
        break;
      case 1:
      case 2:
        add(g, CollectiveKind::kReduceScatter, per_it, replicas, bytes, 1,
            "ZeRO reduce-scatter of " + which + " gradients");
        add(g, CollectiveKind::kAllGather, per_it, replicas, gathered, 1,
            "ZeRO all-gather of updated " + which + " parameters");
        break;
      default:
        add(g, CollectiveKind::kAllGather, per_mb, replicas, gathered, 2,
            "ZeRO-3/FSDP all-gather of " + which + " parameters, forward and backward");
        add(g, CollectiveKind::kReduceScatter, per_mb, replicas, bytes, 1,
            "ZeRO-3/FSDP reduce-scatter of " + which + " gradients");
        break;
    }
  };
  data(Group::kData, layout.dense_replicas(), p.dense, "dense");
  data(Group::kExpertData, layout.expert_replicas(), p.expert, "expert");
  return out;
}

Bytes iteration_bytes(const std::vector<CollectiveVolume>& volumes, const ParallelLayout& layout,
                      Group group) {
  Bytes sum;
  for (const CollectiveVolume& c : volumes) {
    if (c.group != group) continue;
    sum += c.total() * (c.frequency == Frequency::kPerMicroBatch ? layout.micro_batches() : 1.0);
  }
  return sum;
}

}  // namespace gwsim::workload::transformer
