#include "sim/workload/transformer/chakra_export.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "sim/workload/chakra/writer.h"

namespace gwsim::workload::transformer {
namespace {

chakra::CollectiveKind chakra_kind(CollectiveKind kind) {
  switch (kind) {
    case CollectiveKind::kAllReduce:
      return chakra::CollectiveKind::kAllReduce;
    case CollectiveKind::kReduceScatter:
      return chakra::CollectiveKind::kReduceScatter;
    case CollectiveKind::kAllGather:
      return chakra::CollectiveKind::kAllGather;
    case CollectiveKind::kAllToAll:
      return chakra::CollectiveKind::kAllToAll;
    case CollectiveKind::kSendRecv:
      break;
  }
  return chakra::CollectiveKind::kAllReduce;  // not reached: sends are COMM_SEND_NODEs
}

}  // namespace

int global_rank(const ParallelLayout& layout, int stage, const RankCoordinates& at) {
  return layout.rank_of({at.tp, at.cp, at.dp, stage});
}

std::vector<chakra::TraceNode> to_chakra_nodes(const RankDag& dag, const ParallelLayout& layout,
                                               const RankCoordinates& at,
                                               const Roofline* roofline) {
  std::vector<chakra::TraceNode> nodes;
  nodes.reserve(dag.ops.size());
  const int self = global_rank(layout, dag.stage.rank, at);
  std::map<Stream, uint64_t> previous;  // last op of each serialized stream
  for (size_t i = 0; i < dag.ops.size(); ++i) {
    const DagOp& op = dag.ops[i];
    chakra::TraceNode n;
    n.id = i;
    n.name = op.name;
    n.data_deps.assign(op.data_deps.begin(), op.data_deps.end());
    n.ctrl_deps.assign(op.ctrl_deps.begin(), op.ctrl_deps.end());
    if (is_serialized(op.stream)) {
      const auto prev = previous.find(op.stream);
      if (prev != previous.end() &&
          std::find(n.data_deps.begin(), n.data_deps.end(), prev->second) == n.data_deps.end() &&
          std::find(n.ctrl_deps.begin(), n.ctrl_deps.end(), prev->second) == n.ctrl_deps.end())
        n.ctrl_deps.push_back(prev->second);
      previous[op.stream] = i;
    }
    switch (op.kind) {
      case OpKind::kCompute: {
        const ComputeWork& w = dag.works[static_cast<size_t>(op.work)];
        n.kind = chakra::NodeKind::kCompute;
        n.flops = Flops(std::round(w.flops().value()));
        n.tensor_bytes = Bytes(std::round(w.bytes().value()));
        if (roofline) {
          const double micros = std::round(roofline->time(w.kernels).value() * 1e6);
          if (micros > 0) n.recorded_duration = Seconds(micros / 1e6);  // as the reader converts
        }
        break;
      }
      case OpKind::kCollective:
        n.kind = chakra::NodeKind::kCollective;
        n.collective = chakra_kind(op.collective);
        n.comm_bytes = Bytes(std::round(op.bytes.value()));
        n.pg_name = group_name(op.group);
        break;
      case OpKind::kSend:
      case OpKind::kRecv: {
        const int peer = global_rank(layout, op.peer_stage, at);
        n.kind = op.kind == OpKind::kSend ? chakra::NodeKind::kSend : chakra::NodeKind::kRecv;
        n.comm_src = op.kind == OpKind::kSend ? self : peer;
        n.comm_dst = op.kind == OpKind::kSend ? peer : self;
        n.comm_tag = op.tag;
        n.comm_bytes = Bytes(std::round(op.bytes.value()));
        n.pg_name = group_name(op.group);
        break;
      }
    }
    nodes.push_back(std::move(n));
  }
  return nodes;
}

uint64_t write_chakra_trace(const RankDag& dag, const ParallelLayout& layout,
                            const RankCoordinates& at, const std::filesystem::path& file,
                            const Roofline* roofline) {
  chakra::TraceWriter writer(file, {.version = "0.0.4"});
  for (const chakra::TraceNode& node : to_chakra_nodes(dag, layout, at, roofline))
    writer.write(node);
  writer.close();
  return writer.nodes_written();
}

}  // namespace gwsim::workload::transformer
