#include "sim/workload/transformer/kernels.h"

#include <algorithm>

namespace gwsim::workload::transformer {
namespace {

// The quantities of compute.cc for one layer and one micro-batch on one rank.
struct Shapes {
  double e = 0;   // bytes per GEMM operand element
  double ea = 0;  // bytes per activation element
  double tp = 1;
  double h = 0;
  double s = 0;   // sequence
  double sq = 0;  // this rank's queries: s / cp
  double b = 0;
  double tokens = 0;  // b s / cp
  double heads = 0;   // heads / tp
  double dh = 0;
  double kv = 0;  // K (or V) width on this rank
  double f = 0;   // ffn_hidden / tp
  double ffn_mats = 2;
  double hidden_elems = 0;  // T h, / tp with sequence parallelism
  double score_elems = 0;
  bool dropout = false;
  // MoE
  double expert_tokens = 0;  // token-expert pairs per rank (routed and shared)
  double fe = 0;
  double local_experts = 0;  // routed experts on this rank + shared experts
};

Shapes shapes(const config::ModelSpec& model, const ParallelLayout& layout) {
  Shapes x;
  x.e = gemm_element_bytes(model);
  x.ea = activation_element_bytes(model);
  x.tp = layout.tp;
  x.h = model.hidden;
  x.s = layout.sequence(model);
  x.sq = x.s / layout.cp;
  x.b = layout.micro_batch;
  x.tokens = x.b * x.sq;
  x.heads = model.heads / x.tp;
  x.dh = model.head_dim();
  x.kv = std::max(1.0, model.kv_heads / x.tp) * x.dh;
  x.f = model.ffn_hidden / x.tp;
  x.ffn_mats = model.gated_ffn ? 3 : 2;
  x.hidden_elems = x.tokens * x.h / (layout.sequence_parallel ? x.tp : 1);
  x.score_elems = x.b * x.heads * x.sq * x.s;
  x.dropout = model.dropout;
  if (model.moe) {
    const config::MoeSpec& m = *model.moe;
    x.fe = m.expert_ffn_hidden / x.tp;
    x.expert_tokens = x.tokens * (m.top_k * m.capacity_factor.value_or(1.0) + m.shared_experts);
    x.local_experts = static_cast<double>(m.experts) / layout.ep + m.shared_experts;
  }
  return x;
}

class Builder {
 public:
  Builder(const Shapes& x, Pass pass) : x_(x), pass_(pass) {}

  // A GEMM of m x k by k x n (batch of them). Its bytes follow compute.cc: e (m k + k n + m n) with
  // `rows` the rows compute.cc multiplies (m * batch for a batched attention GEMM).
  void gemm(std::string_view name, std::string_view dgrad, std::string_view wgrad, OpClass op,
            KernelClass kind, GemmShape shape, double bytes) {
    const Flops flops(shape.flops());
    if (pass_ != Pass::kBackward) {
      out_.push_back({name, op, kind, pass_, flops, Bytes(bytes), shape});
      return;
    }
    // Input gradient: (m x n) by (n x k); weight gradient: (k x m) by (m x n).
    out_.push_back({dgrad, op, kind, pass_, flops, Bytes(bytes),
                    GemmShape{shape.m, shape.k, shape.n, shape.batch}});
    out_.push_back({wgrad, op, kind, pass_, flops, Bytes(bytes),
                    GemmShape{shape.k, shape.n, shape.m, shape.batch}});
  }

  void streaming(std::string_view name, std::optional<OpClass> op, KernelClass kind, double flops,
                 double bytes) {
    const double k = pass_ == Pass::kBackward ? 2 : 1;
    out_.push_back({name, op, kind, pass_, Flops(k * flops), Bytes(k * bytes), std::nullopt});
  }

  double gemm_bytes(double m, double k, double n) const { return x_.e * (m * k + k * n + m * n); }

  std::vector<Kernel> take() { return std::move(out_); }

 private:
  const Shapes& x_;
  Pass pass_;
  std::vector<Kernel> out_;
};

// Dropout on a block's output before the residual add (Megatron's bias-dropout-add).
void hidden_dropout(Builder& k, const Shapes& x) {
  if (!x.dropout) return;
  k.streaming("hidden_dropout", OpClass::kElementwise, KernelClass::kElementwise,
              x.hidden_elems * kDropoutFlops, x.hidden_elems * (x.ea * 2 + kDropoutMaskBytes));
}

void norm_residual(Builder& k, const Shapes& x) {
  k.streaming("norm_residual", OpClass::kElementwise, KernelClass::kElementwise,
              x.hidden_elems * (kNormFlops + kResidualFlops), x.hidden_elems * x.ea * (2 + 3));
}

void attention_core(Builder& k, const Shapes& x) {
  const double rows = x.b * x.heads * x.sq;
  k.gemm("attention_scores", "attention_scores.dgrad", "attention_scores.wgrad",
         OpClass::kAttentionScores, KernelClass::kAttention,
         GemmShape{x.sq, x.s, x.dh, x.b * x.heads}, k.gemm_bytes(rows, x.dh, x.s));
  k.streaming("softmax", OpClass::kElementwise, KernelClass::kSoftmax,
              x.score_elems * kSoftmaxFlops, x.score_elems * x.ea * 2);
  // Dropout on the attention probabilities: inside a fused attention kernel, so of the softmax's
  // class.
  if (x.dropout) {
    k.streaming("attention_dropout", OpClass::kElementwise, KernelClass::kSoftmax,
                x.score_elems * kDropoutFlops, x.score_elems * (x.ea * 2 + kDropoutMaskBytes));
  }
  k.gemm("attention_values", "attention_values.dgrad", "attention_values.wgrad",
         OpClass::kAttentionValues, KernelClass::kAttention,
         GemmShape{x.sq, x.dh, x.s, x.b * x.heads}, k.gemm_bytes(rows, x.s, x.dh));
}

void attention_block(Builder& k, const Shapes& x) {
  norm_residual(k, x);
  const double qkv_n = x.h / x.tp + 2 * x.kv;
  k.gemm("qkv", "qkv.dgrad", "qkv.wgrad", OpClass::kQkv, KernelClass::kGemm,
         GemmShape{x.tokens, qkv_n, x.h}, k.gemm_bytes(x.tokens, x.h, qkv_n));
  attention_core(k, x);
  k.gemm("output_projection", "output_projection.dgrad", "output_projection.wgrad",
         OpClass::kOutputProjection, KernelClass::kGemm, GemmShape{x.tokens, x.h, x.h / x.tp},
         k.gemm_bytes(x.tokens, x.h / x.tp, x.h));
  hidden_dropout(k, x);
}

void activation(Builder& k, const config::ModelSpec& model, double elems, double ea) {
  k.streaming("activation", OpClass::kElementwise, KernelClass::kElementwise,
              elems * (model.gated_ffn ? kSwigluFlops : kGeluFlops),
              elems * ea * (model.gated_ffn ? 3 : 2));
}

void mlp_block(Builder& k, const config::ModelSpec& model, const Shapes& x) {
  norm_residual(k, x);
  const double in_mats = x.ffn_mats - 1;
  k.gemm("ffn_in", "ffn_in.dgrad", "ffn_in.wgrad", OpClass::kFfn, KernelClass::kGemm,
         GemmShape{x.tokens, x.f, x.h, in_mats}, in_mats * k.gemm_bytes(x.tokens, x.h, x.f));
  activation(k, model, x.tokens * x.f, x.ea);
  k.gemm("ffn_out", "ffn_out.dgrad", "ffn_out.wgrad", OpClass::kFfn, KernelClass::kGemm,
         GemmShape{x.tokens, x.h, x.f}, k.gemm_bytes(x.tokens, x.f, x.h));
  hidden_dropout(k, x);
}

// Routing assumed uniform: every local expert (routed or shared) gets expert_tokens / local_experts
// rows.
void moe_block(Builder& k, const config::ModelSpec& model, const Shapes& x) {
  norm_residual(k, x);
  const double experts = model.moe->experts;
  k.gemm("router", "router.dgrad", "router.wgrad", OpClass::kMoeExperts, KernelClass::kGemm,
         GemmShape{x.tokens, experts, x.h}, k.gemm_bytes(x.tokens, x.h, experts));
  const double in_mats = x.ffn_mats - 1;
  const double rows = x.expert_tokens / x.local_experts;
  k.gemm("expert_in", "expert_in.dgrad", "expert_in.wgrad", OpClass::kMoeExperts,
         KernelClass::kGemm, GemmShape{rows, x.fe, x.h, in_mats * x.local_experts},
         in_mats * k.gemm_bytes(x.expert_tokens, x.h, x.fe));
  activation(k, model, x.expert_tokens * x.fe, x.ea);
  k.gemm("expert_out", "expert_out.dgrad", "expert_out.wgrad", OpClass::kMoeExperts,
         KernelClass::kGemm, GemmShape{rows, x.h, x.fe, x.local_experts},
         k.gemm_bytes(x.expert_tokens, x.fe, x.h));
}

}  // namespace

std::string_view kernel_class_name(KernelClass kind) {
  switch (kind) {
    case KernelClass::kGemm:
      return "gemm";
    case KernelClass::kAttention:
      return "attention";
    case KernelClass::kSoftmax:
      return "softmax";
    case KernelClass::kElementwise:
      return "elementwise";
    case KernelClass::kOptimizer:
      return "optimizer";
  }
  return "?";
}

std::string_view pass_name(Pass pass) {
  switch (pass) {
    case Pass::kForward:
      return "forward";
    case Pass::kBackward:
      return "backward";
    case Pass::kRecompute:
      return "recompute";
  }
  return "?";
}

std::string_view block_name(Block block) {
  switch (block) {
    case Block::kAttention:
      return "attention";
    case Block::kMlp:
      return "mlp";
    case Block::kMoe:
      return "moe";
    case Block::kEmbedding:
      return "embedding";
    case Block::kHead:
      return "head";
  }
  return "?";
}

std::vector<Kernel> block_kernels(const config::ModelSpec& model, const ParallelLayout& layout,
                                  Block block, Pass pass) {
  const Shapes x = shapes(model, layout);
  Builder k(x, pass);
  if (pass == Pass::kRecompute) {
    if (layout.recompute == Recompute::kNone) return {};
    if (block == Block::kEmbedding || block == Block::kHead) return {};
    if (layout.recompute == Recompute::kSelective) {
      if (block == Block::kAttention) attention_core(k, x);
      return k.take();
    }
  }
  switch (block) {
    case Block::kAttention:
      attention_block(k, x);
      break;
    case Block::kMlp:
      mlp_block(k, model, x);
      break;
    case Block::kMoe:
      if (model.moe) moe_block(k, model, x);
      break;
    case Block::kEmbedding: {
      // A gather of `tokens` rows (and of the position table); backward: the scatter-add of the
      // gradient rows, the same bytes (compute.cc).
      const double bytes = x.tokens * x.h * x.ea * (model.learned_positions ? 3 : 2);
      return {{"embedding", OpClass::kEmbedding, KernelClass::kElementwise, pass, Flops(0),
               Bytes(bytes), std::nullopt}};
    }
    case Block::kHead: {
      const double v = model.vocab / x.tp;
      k.gemm("logits", "logits.dgrad", "logits.wgrad", OpClass::kLogits, KernelClass::kGemm,
             GemmShape{x.tokens, v, x.h}, k.gemm_bytes(x.tokens, x.h, v));
      break;
    }
  }
  return k.take();
}

Kernel token_share(const Kernel& kernel, double share) {
  Kernel part = kernel;
  part.flops = kernel.flops * share;
  part.bytes = kernel.bytes * share;
  if (part.gemm) {
    // Weight gradients are (k x m) by (m x n) with the tokens as m of the forward GEMM, which
    // Builder::gemm stores as their k.
    const bool weight_gradient =
        kernel.name.size() > 6 && kernel.name.substr(kernel.name.size() - 6) == ".wgrad";
    (weight_gradient ? part.gemm->k : part.gemm->m) *= share;
  }
  return part;
}

Kernel optimizer_kernel(const config::ModelSpec& model, const ParallelLayout& layout,
                        const StagePlacement& stage) {
  const OptimizerCost o = optimizer_cost(model, layout, stage);
  return {"optimizer", std::nullopt, KernelClass::kOptimizer, Pass::kForward, o.flops,
          o.bytes,     std::nullopt};
}

}  // namespace gwsim::workload::transformer
