#include "sim/network/collective.h"

namespace gwsim::network {

std::optional<CollectiveOp> parse_op(const std::string& name) {
  if (name == "all_reduce") return CollectiveOp::kAllReduce;
  if (name == "all_gather") return CollectiveOp::kAllGather;
  if (name == "reduce_scatter") return CollectiveOp::kReduceScatter;
  return std::nullopt;
}

std::string op_name(CollectiveOp op) {
  switch (op) {
    case CollectiveOp::kAllReduce:
      return "all_reduce";
    case CollectiveOp::kAllGather:
      return "all_gather";
    case CollectiveOp::kReduceScatter:
      return "reduce_scatter";
  }
  return "?";
}

std::optional<Fidelity> parse_fidelity(const std::string& name) {
  if (name == "step") return Fidelity::kStep;
  if (name == "fluid") return Fidelity::kFluid;
  return std::nullopt;
}

std::string fidelity_name(Fidelity fidelity) {
  return fidelity == Fidelity::kStep ? "step" : "fluid";
}

int ring_steps(CollectiveOp op, int ranks) {
  if (ranks <= 1) return 0;
  return op == CollectiveOp::kAllReduce ? 2 * (ranks - 1) : ranks - 1;
}

Bytes ring_chunk(Bytes size, int ranks) { return size / static_cast<double>(ranks); }

Bytes ring_edge_volume(CollectiveOp op, Bytes size, int ranks) {
  return ring_chunk(size, ranks) * static_cast<double>(ring_steps(op, ranks));
}

double bus_bandwidth_factor(CollectiveOp op, int ranks) {
  const double n = ranks;
  return op == CollectiveOp::kAllReduce ? 2.0 * (n - 1) / n : (n - 1) / n;
}

Seconds ring_time(CollectiveOp op, Bytes size, int ranks, BytesPerSecond bandwidth, Seconds alpha) {
  return static_cast<double>(ring_steps(op, ranks)) * (alpha + ring_chunk(size, ranks) / bandwidth);
}

}  // namespace gwsim::network
