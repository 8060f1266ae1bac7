#include "sim/workload/transformer/rank_dag.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "sim/workload/transformer/parameters.h"

namespace gwsim::workload::transformer {
namespace {

using OpId = uint32_t;

// Parameters whose gradients are reduced (or, with ZeRO-3, gathered) together: one layer, the
// embedding or the output layer. Dense ones over the dp * cp replicas, experts over dp * cp / ep.
struct Bucket {
  double dense = 0;
  double expert = 0;
  std::optional<OpId> ready;    // ZeRO 0-2: the last backward compute op that produces it
  std::optional<OpId> last_rs;  // ZeRO-3: its last reduce-scatter
  std::vector<OpId> dp_ops;     // ZeRO 0-2: its gradient reductions
};

// Where an op sits in the iteration.
struct Where {
  int mb = -1;
  int chunk = -1;
  int layer = -1;
  Pass pass = Pass::kForward;
  std::string prefix;  // "mb3.c0.L12." etc.
};

class Builder {
 public:
  Builder(const config::ModelSpec& model, const ParallelLayout& layout, int stage,
          const RankDagOptions& options)
      : model_(model), layout_(layout), options_(options) {
    dag_.stage = place_stage(model, layout, stage);
    dag_.schedule = options.schedule;
    dag_.micro_batches = layout.micro_batches();
    dag_.virtual_stages = layout.virtual_stages;
    dag_.memory = stage_memory(model, layout, dag_.stage, options.attention_core);
    dag_.hbm_capacity = options.hbm_capacity;
    const double ea = activation_element_bytes(model);
    const double s = layout.sequence(model);
    const double tokens = layout.micro_batch * s / layout.cp;
    sp_ = layout.sequence_parallel;
    activation_ = tokens * model.hidden * ea;
    pp_message_ = activation_ / (sp_ ? layout.tp : 1);
    const double kv_width =
        std::max(1.0, static_cast<double>(model.kv_heads) / layout.tp) * model.head_dim();
    kv_gathered_ = 2 * layout.micro_batch * s * kv_width * ea;
    if (model.moe) {
      routed_ = tokens / (sp_ ? layout.tp : 1) * model.moe->top_k *
                model.moe->capacity_factor.value_or(1.0) * model.hidden * ea;
    }
    zero_ = layout.sharding_stage();
    param_bytes_ = ea;  // gathered parameters in 16 bits (32 for fp32 models)
    // Reduced gradients: as the parameters, or fp32 (Megatron's grad_reduce_in_fp32; Llama 3).
    grad_bytes_ = layout.grad_reduce_in_fp32 ? 4.0 : ea;
    make_buckets();
    gathered_.assign(buckets_.size(), false);
  }

  RankDag build() {
    const int pp = layout_.pp;
    const int v = layout_.virtual_stages;
    const int m = layout_.micro_batches();
    if (v > 1 && options_.schedule != PipelineSchedule::kInterleaved)
      throw std::invalid_argument("rank DAG: virtual_stages > 1 needs the interleaved schedule");
    const std::vector<ScheduleStep> steps =
        stage_schedule(options_.schedule, pp, m, v, dag_.stage.rank);
    for (const ScheduleStep& step : steps) {
      if (step.pass == Pass::kForward) {
        forward_step(step);
      } else {
        backward_step(step);
      }
    }
    finish_iteration();
    return std::move(dag_);
  }

 private:
  // --- op helpers -------------------------------------------------------------------------------
  OpId add(DagOp op) {
    dag_.ops.push_back(std::move(op));
    return static_cast<OpId>(dag_.ops.size() - 1);
  }

  static DagOp at(const Where& w, OpKind kind, Stream stream, const std::string& what) {
    DagOp op;
    op.kind = kind;
    op.stream = stream;
    op.name = w.prefix + what;
    op.micro_batch = w.mb;
    op.chunk = w.chunk;
    op.layer = w.layer;
    op.pass = w.pass;
    return op;
  }

  static void depend(DagOp& op, std::optional<OpId> dep) {
    if (dep) op.data_deps.push_back(*dep);
  }

  // The kernels of `parts`, one after another.
  std::vector<Kernel> kernels_of(const std::vector<std::pair<Block, Pass>>& parts) const {
    std::vector<Kernel> kernels;
    for (const auto& [block, pass] : parts) {
      std::vector<Kernel> k = block_kernels(model_, layout_, block, pass);
      kernels.insert(kernels.end(), k.begin(), k.end());
    }
    return kernels;
  }

  int work(const std::string& name, const std::vector<std::pair<Block, Pass>>& parts) {
    const auto found = works_.find(name);
    return found != works_.end() ? found->second : work_of(name, kernels_of(parts));
  }

  // A compute op's work from kernels already chosen (a block split around overlapped collectives).
  int work_of(const std::string& name, std::vector<Kernel> kernels) {
    const auto found = works_.find(name);
    if (found != works_.end()) return found->second;
    dag_.works.push_back(ComputeWork{name, std::move(kernels)});
    const int index = static_cast<int>(dag_.works.size() - 1);
    works_[name] = index;
    return index;
  }

  // A compute op on the critical chain.
  OpId compute(const Where& w, const std::string& what, int work_index) {
    DagOp op = at(w, OpKind::kCompute, Stream::kCompute, what);
    op.work = work_index;
    depend(op, chain_);
    for (OpId extra : extra_deps_) op.data_deps.push_back(extra);
    extra_deps_.clear();
    chain_ = add(std::move(op));
    last_compute_ = chain_;
    return *chain_;
  }

  // A collective on the critical chain (kLayerComm), left out for a group of one.
  void layer_collective(const Where& w, Group group, CollectiveKind kind, int size, double bytes,
                        const std::string& what) {
    if (size <= 1 || bytes <= 0) return;
    DagOp op = at(w, OpKind::kCollective, Stream::kLayerComm, what);
    op.group = group;
    op.collective = kind;
    op.group_size = size;
    op.bytes = Bytes(bytes);
    depend(op, chain_);
    chain_ = add(std::move(op));
  }

  // A collective on the data stream; returns its id (none for a group of one).
  std::optional<OpId> data_collective(const Where& w, Group group, CollectiveKind kind, int size,
                                      double bytes, const std::string& what,
                                      std::vector<OpId> data_deps, std::vector<OpId> ctrl_deps) {
    if (size <= 1 || bytes <= 0) return std::nullopt;
    DagOp op = at(w, OpKind::kCollective, Stream::kDataComm, what);
    op.group = group;
    op.collective = kind;
    op.group_size = size;
    op.bytes = Bytes(bytes);
    op.data_deps = std::move(data_deps);
    op.ctrl_deps = std::move(ctrl_deps);
    return add(std::move(op));
  }

  int tag(Pass pass, int mb, int model_chunk_index) const {
    const int chunks = layout_.pp * layout_.virtual_stages;
    return 2 * (mb * chunks + model_chunk_index) + (pass == Pass::kBackward ? 1 : 0);
  }

  OpId p2p(const Where& w, OpKind kind, int peer, int tag_value, const std::string& what) {
    DagOp op = at(w, kind, Stream::kPipeline, what);
    op.group = Group::kPipeline;
    op.collective = CollectiveKind::kSendRecv;
    op.group_size = layout_.pp;
    op.bytes = Bytes(pp_message_);
    op.peer_stage = peer;
    op.tag = tag_value;
    if (kind == OpKind::kSend) depend(op, chain_);
    return add(std::move(op));
  }

  // --- layers -----------------------------------------------------------------------------------
  // One block in one pass: [TP all-gather (SP)] [TP all-gather of the input again (SP, backward)]
  // [CP K/V all-gather] [EP dispatch] compute [EP combine] [CP reduce-scatter (backward)] [TP
  // reduce-scatter (SP) or all-reduce].
  void block(const Where& w, Block b, Pass pass) {
    const std::string name = std::string(block_name(b)) + "." + std::string(pass_name(pass));
    const int tp = layout_.tp;
    if (sp_ && !overlaps_tp_comm(b)) {
      layer_collective(w, Group::kTensor, CollectiveKind::kAllGather, tp, activation_,
                       name + ".tp_all_gather");
      if (regathers_input(b, pass) && !overlaps_backward(b, pass)) regather_input(w, name);
    }
    if (b == Block::kAttention && !overlaps_tp_comm(b)) {
      const int gathers =
          pass == Pass::kBackward && layout_.recompute == Recompute::kSelective ? 2 : 1;
      for (int i = 0; i < gathers; ++i)
        layer_collective(w, Group::kContext, CollectiveKind::kAllGather, layout_.cp, kv_gathered_,
                         name + ".cp_all_gather_kv");
    }
    if (b == Block::kMoe)
      layer_collective(w, Group::kExpert, CollectiveKind::kAllToAll, layout_.ep, routed_,
                       name + ".ep_dispatch");
    std::vector<std::pair<Block, Pass>> parts;
    if (pass == Pass::kBackward && b == Block::kAttention &&
        layout_.recompute == Recompute::kSelective)
      parts.emplace_back(b, Pass::kRecompute);
    parts.emplace_back(b, pass);
    if (overlaps_tp_comm(b)) {
      overlapped_block(w, b, pass, name, parts);
      return;
    }
    if (overlaps_backward(b, pass)) {
      backward_beside_gemms(w, b, name, kernels_of(parts));
      return;
    }
    compute(w, name, work(name, parts));
    if (b == Block::kMoe)
      layer_collective(w, Group::kExpert, CollectiveKind::kAllToAll, layout_.ep, routed_,
                       name + ".ep_combine");
    if (b == Block::kAttention && pass == Pass::kBackward)
      layer_collective(w, Group::kContext, CollectiveKind::kReduceScatter, layout_.cp, kv_gathered_,
                       name + ".cp_reduce_scatter_dkv");
    if (sp_) {
      layer_collective(w, Group::kTensor, CollectiveKind::kReduceScatter, tp, activation_,
                       name + ".tp_reduce_scatter");
    } else {
      layer_collective(w, Group::kTensor, CollectiveKind::kAllReduce, tp, activation_,
                       name + ".tp_all_reduce");
    }
  }

  bool overlaps_tp_comm(Block b) const {
    return options_.overlap_tp_comm && sp_ && layout_.tp > 1 &&
           (b == Block::kAttention || b == Block::kMlp);
  }

  // With sequence parallelism a column-parallel GEMM (QKV, the first FFN GEMM, the output layer)
  // keeps only this rank's sequence shard of its input and gathers it again for its weight
  // gradient (Korthikanti et al. 2022, section 4.2.2; Megatron-LM's and Transformer Engine's
  // linear layers). The MoE block's expert GEMMs keep the tokens they were dispatched, so it has
  // none.
  bool regathers_input(Block b, Pass pass) const {
    return sp_ && pass == Pass::kBackward &&
           (b == Block::kAttention || b == Block::kMlp || b == Block::kHead);
  }

  void regather_input(const Where& w, const std::string& name) {
    layer_collective(w, Group::kTensor, CollectiveKind::kAllGather, layout_.tp, activation_,
                     name + ".tp_all_gather_input");
  }

  // RankDagOptions::overlap_tp_backward, where overlap_tp_comm does not already cover the block.
  bool overlaps_backward(Block b, Pass pass) const {
    return options_.overlap_tp_backward && layout_.tp > 1 && pass == Pass::kBackward &&
           (b == Block::kAttention || b == Block::kMlp) && !overlaps_tp_comm(b);
  }

  // This pass's GEMMs of a block's kernels in block order: forward the first and the last; backward
  // the first's input and weight gradients, then the last's (kernels.h).
  static std::vector<size_t> pass_gemms(const std::vector<Kernel>& kernels, Pass pass,
                                        const std::string& name) {
    std::vector<size_t> gemms;
    for (size_t i = 0; i < kernels.size(); ++i)
      if (kernels[i].kind == KernelClass::kGemm && kernels[i].pass == pass) gemms.push_back(i);
    if (gemms.size() != (pass == Pass::kBackward ? 4u : 2u))
      throw std::logic_error("rank DAG: " + name + " has no GEMM pair to overlap");
    return gemms;
  }

  // The first GEMM's input gradient beside the all-gather of its input (SP), on the critical chain;
  // the next compute op, its weight gradient, also waits for the gathered input.
  void input_gradient_beside_regather(const Where& w, const std::string& name,
                                      const Kernel& input_gradient) {
    const std::optional<OpId> before = chain_;
    const OpId gemm = compute(w, name + ".gemm_beside_input_all_gather",
                              work_of(name + ".gemm_beside_input_all_gather", {input_gradient}));
    chain_ = before;
    regather_input(w, name);
    extra_deps_.push_back(*chain_);
    chain_ = gemm;
  }

  // A backward block with Megatron-LM's asynchronous tensor-parallel communication: the block's
  // kernels up to the first GEMM's input gradient; that input gradient beside the all-gather of its
  // input (SP); then its weight gradient beside the reduce-scatter (SP) or all-reduce of the input
  // gradient, which the next compute also waits for.
  void backward_beside_gemms(const Where& w, Block b, const std::string& name,
                             const std::vector<Kernel>& kernels) {
    const std::vector<size_t> gemms = pass_gemms(kernels, Pass::kBackward, name);
    const size_t input_gradient = gemms[0];
    const size_t weight_gradient = gemms[1];
    std::vector<Kernel> first;
    for (size_t i = 0; i < kernels.size(); ++i)
      if (i != weight_gradient && (i != input_gradient || !sp_)) first.push_back(kernels[i]);
    compute(w, name, work_of(name, std::move(first)));
    if (b == Block::kAttention)
      layer_collective(w, Group::kContext, CollectiveKind::kReduceScatter, layout_.cp, kv_gathered_,
                       name + ".cp_reduce_scatter_dkv");
    if (sp_) input_gradient_beside_regather(w, name, kernels[input_gradient]);
    const std::string reduction = sp_ ? "reduce_scatter" : "all_reduce";
    const std::optional<OpId> split = chain_;
    const OpId weight =
        compute(w, name + ".gemm_beside_" + reduction,
                work_of(name + ".gemm_beside_" + reduction, {kernels[weight_gradient]}));
    chain_ = split;
    layer_collective(w, Group::kTensor,
                     sp_ ? CollectiveKind::kReduceScatter : CollectiveKind::kAllReduce, layout_.tp,
                     activation_, name + ".tp_" + reduction);
    extra_deps_.push_back(weight);
  }

  // block() with the tensor-parallel collectives beside GEMMs (RankDagOptions::overlap_tp_comm),
  // in tp chunks. Ops: the gather GEMM's first (tp - 1) chunks beside the all-gather; then its last
  // chunk, the block's other kernels (after the CP K/V all-gather, before the CP reduce-scatter)
  // and, forward, the scatter GEMM's first chunk; backward, the first GEMM's input gradient beside
  // the all-gather of its input (Transformer Engine's bulk overlap); then the scatter GEMM's rest
  // beside the reduce-scatter (forward: all but its last chunk, which follows).
  void overlapped_block(const Where& w, Block b, Pass pass, const std::string& name,
                        const std::vector<std::pair<Block, Pass>>& parts) {
    const std::vector<Kernel> kernels = kernels_of(parts);
    const bool backward = pass == Pass::kBackward;
    const std::vector<size_t> gemms = pass_gemms(kernels, pass, name);
    const size_t with_gather = backward ? gemms[2] : gemms[0];
    const size_t with_scatter = gemms[1];
    const bool regather = regathers_input(b, pass);
    const size_t with_regather = regather ? gemms[0] : kernels.size();  // past the end: none
    const double chunk = 1.0 / layout_.tp;
    const double scatter_first = backward ? 0.0 : chunk;

    const int tp = layout_.tp;
    const std::optional<OpId> before = chain_;
    const OpId gather_gemm = compute(
        w, name + ".gemm_beside_all_gather",
        work_of(name + ".gemm_beside_all_gather", {token_share(kernels[with_gather], 1 - chunk)}));
    chain_ = before;
    layer_collective(w, Group::kTensor, CollectiveKind::kAllGather, tp, activation_,
                     name + ".tp_all_gather");
    if (b == Block::kAttention) {
      // K and V come from the QKV GEMM.
      const int gathers = backward && layout_.recompute == Recompute::kSelective ? 2 : 1;
      for (int i = 0; i < gathers && layout_.cp > 1; ++i) {
        layer_collective(w, Group::kContext, CollectiveKind::kAllGather, layout_.cp, kv_gathered_,
                         name + ".cp_all_gather_kv");
        dag_.ops[*chain_].data_deps.push_back(gather_gemm);
      }
    }
    std::vector<Kernel> middle = {token_share(kernels[with_gather], chunk)};
    for (size_t i = 0; i < kernels.size(); ++i)
      if (i != with_gather && i != with_scatter && i != with_regather) middle.push_back(kernels[i]);
    if (scatter_first > 0) middle.push_back(token_share(kernels[with_scatter], scatter_first));
    extra_deps_.push_back(gather_gemm);
    compute(w, name, work_of(name, std::move(middle)));
    if (b == Block::kAttention && backward)
      layer_collective(w, Group::kContext, CollectiveKind::kReduceScatter, layout_.cp, kv_gathered_,
                       name + ".cp_reduce_scatter_dkv");
    if (regather) input_gradient_beside_regather(w, name, kernels[with_regather]);
    const std::optional<OpId> split = chain_;
    const OpId scatter_gemm =
        compute(w, name + ".gemm_beside_reduce_scatter",
                work_of(name + ".gemm_beside_reduce_scatter",
                        {token_share(kernels[with_scatter], 1 - scatter_first)}));
    chain_ = split;
    layer_collective(w, Group::kTensor, CollectiveKind::kReduceScatter, tp,
                     activation_ * (1 - scatter_first), name + ".tp_reduce_scatter");
    if (scatter_first > 0) {
      layer_collective(w, Group::kTensor, CollectiveKind::kReduceScatter, tp,
                       activation_ * scatter_first, name + ".tp_reduce_scatter_last_chunk");
      dag_.ops[*chain_].data_deps.push_back(scatter_gemm);
    } else {
      // The next compute also waits for the weight gradient (the compute stream would anyway).
      extra_deps_.push_back(scatter_gemm);
    }
  }

  // The TP reduction of the embedding output (forward) or of the output layer's input gradient
  // (backward): a reduce-scatter with SP, else an all-reduce.
  void edge_reduction(const Where& w, const std::string& what) {
    layer_collective(w, Group::kTensor,
                     sp_ ? CollectiveKind::kReduceScatter : CollectiveKind::kAllReduce, layout_.tp,
                     activation_, what);
  }

  Block mlp_block(int layer) const {
    return model_.is_moe_layer(layer) ? Block::kMoe : Block::kMlp;
  }

  // --- Parameter gathers ------------------------------------------------------------------------
  // Gathers `bucket`'s parameters before its compute: prefetched one unit ahead, or just in time.
  // ZeRO-3/FSDP at every use. ZeRO-1/2 with overlap_param_gather: once per iteration, before the
  // unit's first forward, the shards the previous iteration's optimizer updated (Megatron's
  // --overlap-param-gather; FSDP without resharding after the forward); without it they are
  // gathered right after the optimizer (finish_iteration).
  void gather_parameters(const Where& w, size_t bucket) {
    if (zero_ == 0) return;
    if (zero_ < 3) {
      if (!options_.overlap_param_gather || gathered_[bucket]) return;
      gathered_[bucket] = true;
    }
    std::vector<OpId> ctrl;
    const std::optional<OpId> anchor = options_.overlap_param_gather ? prefetch_anchor_ : chain_;
    if (anchor) ctrl.push_back(*anchor);
    prefetch_anchor_ = last_compute_;
    const Bucket& b = buckets_[bucket];
    for (const auto& [group, size, params, label] : bucket_groups(b)) {
      if (auto id = data_collective(w, group, CollectiveKind::kAllGather, size,
                                    params * param_bytes_, label + "_param_all_gather", {}, ctrl))
        extra_deps_.push_back(*id);
    }
  }

  void scatter_gradients(const Where& w, size_t bucket) {
    if (zero_ < 3) return;
    Bucket& b = buckets_[bucket];
    for (const auto& [group, size, params, label] : bucket_groups(b)) {
      if (auto id =
              data_collective(w, group, CollectiveKind::kReduceScatter, size, params * grad_bytes_,
                              label + "_grad_reduce_scatter", {*last_compute_}, {}))
        b.last_rs = *id;
    }
  }

  struct GroupShare {
    Group group;
    int size;
    double params;
    std::string label;
  };
  std::vector<GroupShare> bucket_groups(const Bucket& b) const {
    std::vector<GroupShare> out;
    if (b.dense > 0) out.push_back({Group::kData, layout_.dense_replicas(), b.dense, "dp"});
    if (b.expert > 0)
      out.push_back({Group::kExpertData, layout_.expert_replicas(), b.expert, "expert_dp"});
    return out;
  }

  // --- steps ------------------------------------------------------------------------------------
  size_t layer_bucket(int layer) const {
    const auto& layers = dag_.stage.layers;
    return static_cast<size_t>(std::find(layers.begin(), layers.end(), layer) - layers.begin());
  }

  // The placement's own chunks: uneven stages have chunks of different sizes (placement.h).
  std::vector<int> chunk_layers(int chunk) const { return dag_.stage.chunk_layers(chunk); }

  static Where where(int mb, int chunk, int layer, Pass pass) {
    Where w{mb, chunk, layer, pass, "mb" + std::to_string(mb) + ".c" + std::to_string(chunk) + "."};
    if (layer >= 0) w.prefix += "L" + std::to_string(layer) + ".";
    return w;
  }

  void forward_step(const ScheduleStep& step) {
    const int pp = layout_.pp;
    const int r = dag_.stage.rank;
    const int j = model_chunk(pp, r, step.chunk);
    const int chunks = pp * layout_.virtual_stages;
    const Where w = where(step.micro_batch, step.chunk, -1, Pass::kForward);
    chain_.reset();
    if (j > 0) {
      chain_ = p2p(w, OpKind::kRecv, (r - 1 + pp) % pp,
                   tag(Pass::kForward, step.micro_batch, j - 1), "recv.forward");
    }
    if (j == 0) {
      gather_parameters(w, embedding_bucket_);
      compute(w, "embedding.forward",
              work("embedding.forward", {{Block::kEmbedding, Pass::kForward}}));
      edge_reduction(w, "embedding.forward.tp_reduce");
    }
    for (int layer : chunk_layers(step.chunk)) {
      const Where lw = where(step.micro_batch, step.chunk, layer, Pass::kForward);
      gather_parameters(lw, layer_bucket(layer));
      block(lw, Block::kAttention, Pass::kForward);
      block(lw, mlp_block(layer), Pass::kForward);
    }
    if (j == chunks - 1) {
      gather_parameters(w, head_bucket_);
      // The output layer is column-parallel: with SP it gathers the sequence first.
      if (sp_)
        layer_collective(w, Group::kTensor, CollectiveKind::kAllGather, layout_.tp, activation_,
                         "head.forward.tp_all_gather");
      loss_[step.micro_batch] =
          compute(w, "head.forward", work("head.forward", {{Block::kHead, Pass::kForward}}));
    } else {
      p2p(w, OpKind::kSend, (r + 1) % pp, tag(Pass::kForward, step.micro_batch, j), "send.forward");
    }
  }

  void backward_step(const ScheduleStep& step) {
    const int pp = layout_.pp;
    const int r = dag_.stage.rank;
    const int j = model_chunk(pp, r, step.chunk);
    const int chunks = pp * layout_.virtual_stages;
    const Where w = where(step.micro_batch, step.chunk, -1, Pass::kBackward);
    chain_.reset();
    if (j < chunks - 1) {
      chain_ = p2p(w, OpKind::kRecv, (r + 1) % pp, tag(Pass::kBackward, step.micro_batch, j + 1),
                   "recv.backward");
    } else {
      // The backward pass starts from this micro-batch's loss.
      const auto loss = loss_.find(step.micro_batch);
      if (loss != loss_.end()) chain_ = loss->second;
      gather_parameters(w, head_bucket_);
      if (regathers_input(Block::kHead, Pass::kBackward)) regather_input(w, "head.backward");
      compute(w, "head.backward", work("head.backward", {{Block::kHead, Pass::kBackward}}));
      mark_ready(head_bucket_);
      scatter_gradients(w, head_bucket_);
      edge_reduction(w, "head.backward.tp_reduce");
    }
    std::vector<int> layers = chunk_layers(step.chunk);
    std::reverse(layers.begin(), layers.end());
    for (int layer : layers) {
      const Where lw = where(step.micro_batch, step.chunk, layer, Pass::kBackward);
      const size_t bucket = layer_bucket(layer);
      gather_parameters(lw, bucket);
      if (layout_.recompute == Recompute::kFull) {
        const Where rw = where(step.micro_batch, step.chunk, layer, Pass::kRecompute);
        block(rw, Block::kAttention, Pass::kRecompute);
        block(rw, mlp_block(layer), Pass::kRecompute);
      }
      block(lw, mlp_block(layer), Pass::kBackward);
      block(lw, Block::kAttention, Pass::kBackward);
      mark_ready(bucket);
      scatter_gradients(lw, bucket);
    }
    if (j == 0) {
      gather_parameters(w, embedding_bucket_);
      // The backward of the embedding output's reduce-scatter (SP) is an all-gather.
      if (sp_)
        layer_collective(w, Group::kTensor, CollectiveKind::kAllGather, layout_.tp, activation_,
                         "embedding.backward.tp_all_gather");
      compute(w, "embedding.backward",
              work("embedding.backward", {{Block::kEmbedding, Pass::kBackward}}));
      mark_ready(embedding_bucket_);
      scatter_gradients(w, embedding_bucket_);
    } else {
      p2p(w, OpKind::kSend, (r - 1 + pp) % pp, tag(Pass::kBackward, step.micro_batch, j),
          "send.backward");
    }
  }

  void mark_ready(size_t bucket) {
    if (bucket < buckets_.size()) buckets_[bucket].ready = last_compute_;
  }

  // Gradient reductions (ZeRO 0-2), the optimizer step, and the gathers of updated parameters
  // (ZeRO-1/2).
  void finish_iteration() {
    const Where w{-1, -1, -1, Pass::kForward, ""};
    std::vector<OpId> before_optimizer;
    if (zero_ < 3) {
      // In the order their gradients become ready, so the stream's FIFO order is no obstacle.
      std::vector<size_t> order;
      for (size_t i = 0; i < buckets_.size(); ++i)
        if (buckets_[i].ready) order.push_back(i);
      std::stable_sort(order.begin(), order.end(),
                       [&](size_t a, size_t b) { return *buckets_[a].ready < *buckets_[b].ready; });
      const CollectiveKind kind =
          zero_ == 0 ? CollectiveKind::kAllReduce : CollectiveKind::kReduceScatter;
      const std::string what = zero_ == 0 ? "_grad_all_reduce" : "_grad_reduce_scatter";
      for (size_t i : order) {
        Bucket& b = buckets_[i];
        const OpId dep = options_.overlap_grad_reduce ? *b.ready : *last_compute_;
        for (const auto& [group, size, params, label] : bucket_groups(b)) {
          if (auto id = data_collective(where_bucket(w, i), group, kind, size, params * grad_bytes_,
                                        label + what, {dep}, {})) {
            b.dp_ops.push_back(*id);
            before_optimizer.push_back(*id);
          }
        }
      }
    } else {
      for (const Bucket& b : buckets_)
        if (b.last_rs) before_optimizer.push_back(*b.last_rs);
    }
    extra_deps_ = before_optimizer;
    chain_ = last_compute_;
    DagOp op = at(w, OpKind::kCompute, Stream::kCompute, "optimizer");
    dag_.works.push_back({"optimizer", {optimizer_kernel(model_, layout_, dag_.stage)}});
    op.work = static_cast<int>(dag_.works.size() - 1);
    depend(op, chain_);
    for (OpId id : extra_deps_) op.data_deps.push_back(id);
    extra_deps_.clear();
    const OpId optimizer = add(std::move(op));
    if ((zero_ == 1 || zero_ == 2) && !options_.overlap_param_gather) {
      for (size_t i = 0; i < buckets_.size(); ++i) {
        for (const auto& [group, size, params, label] : bucket_groups(buckets_[i]))
          data_collective(where_bucket(w, i), group, CollectiveKind::kAllGather, size,
                          params * param_bytes_, label + "_param_all_gather", {optimizer}, {});
      }
    }
  }

  Where where_bucket(const Where& w, size_t bucket) const {
    Where out = w;
    const auto& layers = dag_.stage.layers;
    if (bucket < layers.size()) {
      out.layer = layers[bucket];
      out.prefix = "L" + std::to_string(out.layer) + ".";
    } else {
      out.prefix = bucket == embedding_bucket_ ? "embedding." : "head.";
    }
    return out;
  }

  // One bucket per layer of the stage (in placement order), then the embedding and the output
  // layer; their parameters sum to rank_parameters() of the stage.
  void make_buckets() {
    const StagePlacement& stage = dag_.stage;
    for (int layer : stage.layers) {
      StagePlacement one;
      one.rank = stage.rank;
      one.layers = {layer};
      (model_.is_moe_layer(layer) ? one.moe_layers : one.dense_layers) = 1;
      const RankParameters p = rank_parameters(model_, layout_, one);
      buckets_.push_back({p.dense, p.expert, {}, {}, {}});
    }
    StagePlacement none;
    none.rank = stage.rank;
    none.first = stage.first;
    const RankParameters embedding = rank_parameters(model_, layout_, none);
    none.last = stage.last;
    const RankParameters edges = rank_parameters(model_, layout_, none);
    embedding_bucket_ = buckets_.size();
    buckets_.push_back({embedding.dense, embedding.expert, {}, {}, {}});
    head_bucket_ = buckets_.size();
    buckets_.push_back(
        {edges.dense - embedding.dense, edges.expert - embedding.expert, {}, {}, {}});
  }

  const config::ModelSpec& model_;
  const ParallelLayout& layout_;
  const RankDagOptions& options_;
  RankDag dag_;
  std::map<std::string, int> works_;
  std::map<int, OpId> loss_;  // micro-batch -> its output layer's forward op (the last stage)
  std::vector<Bucket> buckets_;
  size_t embedding_bucket_ = 0;
  size_t head_bucket_ = 0;
  std::optional<OpId> chain_;            // the last op of the critical chain of this step
  std::optional<OpId> last_compute_;     // the last compute op so far
  std::optional<OpId> prefetch_anchor_;  // the compute op before the previous gathered unit
  std::vector<bool> gathered_;           // ZeRO-1/2: bucket already gathered this iteration
  std::vector<OpId> extra_deps_;         // extra data deps of the next compute op
  bool sp_ = false;
  int zero_ = 0;
  double activation_ = 0;
  double pp_message_ = 0;
  double kv_gathered_ = 0;
  double routed_ = 0;
  double param_bytes_ = 2;
  double grad_bytes_ = 2;
};

}  // namespace

std::string_view op_kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::kCompute:
      return "compute";
    case OpKind::kCollective:
      return "collective";
    case OpKind::kSend:
      return "send";
    case OpKind::kRecv:
      return "recv";
  }
  return "?";
}

std::string_view stream_name(Stream stream) {
  switch (stream) {
    case Stream::kCompute:
      return "compute";
    case Stream::kLayerComm:
      return "layer_comm";
    case Stream::kPipeline:
      return "pipeline";
    case Stream::kDataComm:
      return "data_comm";
  }
  return "?";
}

bool is_serialized(Stream stream) { return stream != Stream::kPipeline; }

Flops ComputeWork::flops() const {
  Flops sum;
  for (const Kernel& k : kernels) sum += k.flops;
  return sum;
}

Bytes ComputeWork::bytes() const {
  Bytes sum;
  for (const Kernel& k : kernels) sum += k.bytes;
  return sum;
}

std::optional<bool> RankDag::fits_hbm() const {
  if (!hbm_capacity) return std::nullopt;
  return memory.total() <= *hbm_capacity;
}

RankDag build_rank_dag(const config::ModelSpec& model, const ParallelLayout& layout, int stage,
                       const RankDagOptions& options) {
  if (stage < 0 || stage >= layout.pp) throw std::invalid_argument("rank DAG: stage out of range");
  return Builder(model, layout, stage, options).build();
}

Bytes DagTotals::group_bytes(Group group) const {
  for (const auto& [g, bytes] : comm)
    if (g == group) return bytes;
  return Bytes(0);
}

DagTotals dag_totals(const RankDag& dag) {
  DagTotals t;
  std::map<Group, Bytes> comm;
  for (const DagOp& op : dag.ops) {
    switch (op.kind) {
      case OpKind::kCompute:
        ++t.compute_ops;
        for (const Kernel& k : dag.works[static_cast<size_t>(op.work)].kernels) {
          if (!k.op) {
            t.optimizer_flops += k.flops;
            t.optimizer_bytes += k.bytes;
            continue;
          }
          OpCost& c = t.compute[*k.op];
          switch (k.pass) {
            case Pass::kForward:
              c.forward += k.flops;
              c.forward_bytes += k.bytes;
              break;
            case Pass::kBackward:
              c.backward += k.flops;
              c.backward_bytes += k.bytes;
              break;
            case Pass::kRecompute:
              c.recompute += k.flops;
              c.recompute_bytes += k.bytes;
              break;
          }
        }
        break;
      case OpKind::kCollective:
        ++t.collective_ops;
        comm[op.group] += op.bytes;
        break;
      case OpKind::kSend:
        ++t.p2p_ops;
        comm[op.group] += op.bytes;
        break;
      case OpKind::kRecv:
        ++t.p2p_ops;
        break;
    }
  }
  t.comm.assign(comm.begin(), comm.end());
  return t;
}

}  // namespace gwsim::workload::transformer
