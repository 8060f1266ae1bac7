#include "sim/network/collective.h"

#include <array>
#include <utility>

namespace gwsim::network {
namespace {

constexpr std::array<std::pair<CollectiveOp, const char*>, 10> kOps = {{
    {CollectiveOp::kAllReduce, "all_reduce"},
    {CollectiveOp::kAllGather, "all_gather"},
    {CollectiveOp::kReduceScatter, "reduce_scatter"},
    {CollectiveOp::kAllToAll, "all_to_all"},
    {CollectiveOp::kBroadcast, "broadcast"},
    {CollectiveOp::kReduce, "reduce"},
    {CollectiveOp::kBarrier, "barrier"},
    {CollectiveOp::kSendRecv, "send_recv"},
    {CollectiveOp::kGather, "gather"},
    {CollectiveOp::kScatter, "scatter"},
}};

}  // namespace

std::optional<CollectiveOp> parse_op(const std::string& name) {
  for (const auto& [op, text] : kOps)
    if (name == text) return op;
  return std::nullopt;
}

std::string op_name(CollectiveOp op) {
  for (const auto& [candidate, text] : kOps)
    if (candidate == op) return text;
  return "?";
}

std::string op_names() {
  std::string names;
  for (const auto& entry : kOps) names += (names.empty() ? "" : ", ") + std::string(entry.second);
  return names;
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

double bus_bandwidth_factor(CollectiveOp op, int ranks) {
  const double n = ranks;
  switch (op) {
    case CollectiveOp::kAllReduce:
      return 2.0 * (n - 1) / n;
    case CollectiveOp::kAllGather:
    case CollectiveOp::kReduceScatter:
    case CollectiveOp::kAllToAll:
    case CollectiveOp::kGather:
    case CollectiveOp::kScatter:
      return (n - 1) / n;
    case CollectiveOp::kBroadcast:
    case CollectiveOp::kReduce:
    case CollectiveOp::kSendRecv:
      return 1.0;
    case CollectiveOp::kBarrier:
      return 0.0;
  }
  return 0.0;
}

Seconds ring_time(CollectiveOp op, Bytes size, int ranks, BytesPerSecond bandwidth, Seconds alpha) {
  return static_cast<double>(ring_steps(op, ranks)) * (alpha + ring_chunk(size, ranks) / bandwidth);
}

}  // namespace gwsim::network
