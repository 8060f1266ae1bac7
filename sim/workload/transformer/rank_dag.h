// What one rank does in one training iteration, as a DAG of operations for the rank executor.
//
// Built from a model, a layout, a pipeline stage and a schedule (pipeline_schedule.h), at layer-
// block granularity: per micro-batch and model chunk, each layer contributes an attention block and
// an MLP (or MoE) block per pass, each one compute op (a bundle of kernels, kernels.h) framed by
// the collectives that sit on the critical path (tensor-parallel all-reduce, or all-gather and
// reduce-scatter with sequence parallelism; context-parallel K/V all-gathers; expert all-to-alls).
// Pipeline transfers are point-to-point sends and receives between stages; data-parallel gradient
// reductions and ZeRO parameter gathers run on their own stream, per layer, so they can overlap
// compute. A 126-layer model with 16 micro-batches is a few thousand ops per rank.
//
// The FLOPs and bytes agree with compute.h and communication.h: summed over the DAG they equal
// stage_compute() x micro-batches (+ the optimizer) and iteration_bytes() per group
// (tests/workload/transformer/rank_dag_test.cc).
//
// Execution semantics, for the executor:
// - An op may start when every op of `data_deps` and `ctrl_deps` has finished.
// - With overlap_tp_comm a block's GEMM and its tensor-parallel collective depend on the same op,
// so
//   the compute and kLayerComm streams run them side by side.
// - Ops of the streams kCompute, kLayerComm and kDataComm also run one at a time, in the order of
//   `ops` (like CUDA streams). kPipeline ops are not serialized: each send and receive is its own
//   asynchronous transfer (Megatron's batched isend/irecv), matched by (peer stage, tag).
// - `ops` is a topological order (every dependency precedes its op), so the streams cannot
//   deadlock within a rank. Collectives are matched across the ranks of a group by their order:
//   every member of a group holds the same stage, hence the same DAG.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/workload/transformer/communication.h"
#include "sim/workload/transformer/memory.h"
#include "sim/workload/transformer/pipeline_schedule.h"

namespace gwsim::workload::transformer {

enum class OpKind { kCompute, kCollective, kSend, kRecv };
std::string_view op_kind_name(OpKind kind);

enum class Stream {
  kCompute,    // kernels
  kLayerComm,  // TP, CP and EP collectives inside layers: on the critical path
  kPipeline,   // sends and receives between stages: unserialized
  kDataComm,   // DP / expert-DP gradient reductions and ZeRO parameter gathers: overlap compute
};
std::string_view stream_name(Stream stream);
// False for kPipeline: its ops do not wait for one another.
bool is_serialized(Stream stream);

// A bundle of kernels run as one compute op (one layer block in one pass, the embedding, the
// output layer or the optimizer step). Shared by the ops that do the same work.
struct ComputeWork {
  std::string name;  // e.g. "attention.forward"
  std::vector<Kernel> kernels;
  Flops flops() const;
  Bytes bytes() const;
};

struct DagOp {
  OpKind kind = OpKind::kCompute;
  Stream stream = Stream::kCompute;
  std::string name;                 // e.g. "mb3.c0.L12.attention.forward", "mb3.c0.send.forward"
  std::vector<uint32_t> data_deps;  // consumes the output of (indices into RankDag::ops)
  std::vector<uint32_t> ctrl_deps;  // ordering only
  int micro_batch = -1;             // -1: once per iteration
  int chunk = -1;                   // the stage's model chunk, 0 .. v - 1; -1: none
  int layer = -1;                   // 0-based model layer; -1: none
  Pass pass = Pass::kForward;
  // kCompute: index into RankDag::works.
  int work = -1;
  // kCollective: its group, kind and size (communication.h conventions: all-reduce the vector,
  // all-gather the gathered output, reduce-scatter the input, all-to-all what this rank sends).
  // kSend / kRecv: group kPipeline, kind kSendRecv, the message.
  Group group = Group::kTensor;
  CollectiveKind collective = CollectiveKind::kAllReduce;
  int group_size = 0;
  Bytes bytes;
  int peer_stage = -1;  // kSend / kRecv: the other pipeline stage
  int tag = -1;         // kSend / kRecv: equal on a send and its receive
};

struct RankDagOptions {
  PipelineSchedule schedule = PipelineSchedule::kOneFOneB;  // kInterleaved when virtual_stages > 1
  // Gradient reductions (ZeRO 0-2) per layer as soon as its last backward is done; false: all of
  // them after the last backward of the iteration.
  bool overlap_grad_reduce = true;
  // ZeRO-3/FSDP: gather layer l's parameters while layer l - 1 computes (one layer ahead); false:
  // just before layer l, on the critical path. ZeRO-1/2: the same, once per iteration before layer
  // l's first forward (Megatron's --overlap-param-gather); false: all after the optimizer step.
  bool overlap_param_gather = true;
  // With sequence parallelism, each attention and MLP block's tensor-parallel all-gather and
  // reduce-scatter run beside the GEMM next to them rather than before and after the block, as
  // Transformer Engine's userbuffers overlap does (NeMo's tp_comm_overlap), split into tp chunks:
  // - forward: the all-gather beside the first GEMM (ring exchange: the last chunk's GEMM waits for
  //   the gather), the reduce-scatter beside the last GEMM (pipelined: the first chunk's GEMM comes
  //   before it, the last chunk's reduce-scatter after);
  // - backward: the all-gather of the output gradient beside the last GEMM's input gradient (ring
  //   exchange), the all-gather of the first GEMM's input beside its input gradient (bulk), the
  //   reduce-scatter of that input gradient beside its weight gradient (bulk).
  // MoE blocks keep their collectives on the critical path.
  bool overlap_tp_comm = false;
  // Megatron-LM's asynchronous tensor-parallel communication in the backward pass
  // (tensor_parallel/layers.py): in each attention and MLP block, the first GEMM's input gradient
  // runs beside the all-gather of its input (SP), and its weight gradient beside the reduce-scatter
  // (SP) or all-reduce of that input gradient. The other collectives stay on the critical path.
  // overlap_tp_comm, where it applies, already does this.
  bool overlap_tp_backward = false;
  std::optional<Bytes> hbm_capacity;  // e.g. CatalogAccelerator::hbm_capacity
  // How the attention core's activations are kept (memory.h): fused, as the roofline's default.
  AttentionCore attention_core = AttentionCore::kFused;
};

struct RankDag {
  StagePlacement stage;
  PipelineSchedule schedule = PipelineSchedule::kOneFOneB;
  int micro_batches = 0;
  int virtual_stages = 1;
  std::vector<ComputeWork> works;
  std::vector<DagOp> ops;  // topological order
  // Memory of this rank at the schedule's peak (memory.h), and the verdict against hbm_capacity.
  MemoryBreakdown memory;
  std::optional<Bytes> hbm_capacity;
  Bytes memory_per_rank_bytes() const { return memory.total(); }
  // Absent without a capacity.
  std::optional<bool> fits_hbm() const;
};

// The DAG of one rank of pipeline stage `stage` of a validated layout. Throws std::invalid_argument
// when the schedule does not suit the layout (GPipe or 1F1B with virtual_stages > 1, interleaved
// with m not a multiple of pp).
RankDag build_rank_dag(const config::ModelSpec& model, const ParallelLayout& layout, int stage,
                       const RankDagOptions& options = {});

// Totals over a DAG, for checks and summaries: compute by class and pass (as StageCompute, over
// the whole iteration), the optimizer, and bytes per group (sends only for the pipeline).
struct DagTotals {
  StageCompute compute;
  Flops optimizer_flops;
  Bytes optimizer_bytes;
  Bytes group_bytes(Group group) const;
  std::vector<std::pair<Group, Bytes>> comm;  // one entry per group present
  size_t compute_ops = 0;
  size_t collective_ops = 0;
  size_t p2p_ops = 0;
};
DagTotals dag_totals(const RankDag& dag);

}  // namespace gwsim::workload::transformer
