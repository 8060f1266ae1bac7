// Collective operations as data (plain C++): the operations, the fidelities, and the conventions of
// nccl-tests (https://github.com/NVIDIA/nccl-tests, doc/PERFORMANCE.md) for reporting them.
#pragma once

#include <optional>
#include <string>

#include "sim/core/units.h"

namespace gwsim::network {

enum class CollectiveOp {
  kAllReduce,
  kAllGather,
  kReduceScatter,
  kAllToAll,
  kBroadcast,
  kReduce,
  kBarrier,
  kSendRecv,
  kGather,
  kScatter,
};
enum class Fidelity { kStep, kFluid };

// "all_reduce", "all_gather", "reduce_scatter", "all_to_all", "broadcast", "reduce", "barrier",
// "send_recv", "gather", "scatter" <-> the op; nullopt for anything else.
std::optional<CollectiveOp> parse_op(const std::string& name);
std::string op_name(CollectiveOp op);
std::string op_names();  // "all_reduce, all_gather, ..." for messages
std::optional<Fidelity> parse_fidelity(const std::string& name);
std::string fidelity_name(Fidelity fidelity);

// A collective's size is nccl-tests' "size": the all-reduce buffer, the gathered output of
// all-gather, the input of reduce-scatter, what one rank sends in all (to every rank, itself
// included) in all-to-all, the broadcast or reduced buffer, one message of send/recv. A barrier
// has none. Gather and scatter are rooted: for gather the size is the gathered output at the root
// (each rank contributes size / n), for scatter the root's input (each rank receives size / n), as
// nccl-tests' gather_perf and scatter_perf count them: the same convention as all-gather's and
// reduce-scatter's, so one size means the same bytes at the root whichever of the four it is.

// The ring over n ranks with a buffer of `size` bytes: all-reduce is a reduce-scatter then an
// all-gather.
int ring_steps(CollectiveOp op, int ranks);  // 2(n-1) for all-reduce, n-1 for the other two
Bytes ring_chunk(Bytes size, int ranks);     // size / n: what one rank sends in one step

// nccl-tests' bus bandwidth: algbw * factor, where algbw = size / time; the factor makes busbw
// comparable with the link's speed whatever the rank count: 2(n-1)/n for all-reduce, (n-1)/n for
// all-gather, reduce-scatter, all-to-all, gather and scatter, 1 for broadcast, reduce and
// send/recv, 0 for a barrier. Gather and scatter take nccl-tests' own factor (src/gather.cu,
// scatter.cu): the root's link carries (n-1)/n of the size, so busbw is that link's rate.
double bus_bandwidth_factor(CollectiveOp op, int ranks);

// The ring on an idle network, every edge with the given bandwidth and latency: steps * (alpha +
// chunk / B).
Seconds ring_time(CollectiveOp op, Bytes size, int ranks, BytesPerSecond bandwidth, Seconds alpha);

}  // namespace gwsim::network
