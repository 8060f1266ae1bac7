// Collective operations as data (plain C++): what an operation moves, in how many steps, and the
// conventions of nccl-tests (https://github.com/NVIDIA/nccl-tests, doc/PERFORMANCE.md) for
// reporting it.
#pragma once

#include <optional>
#include <string>

#include "sim/core/units.h"

namespace gwsim::network {

enum class CollectiveOp { kAllReduce, kAllGather, kReduceScatter };
enum class Fidelity { kStep, kFluid };

// "all_reduce", "all_gather", "reduce_scatter" <-> the op; nullopt for anything else.
std::optional<CollectiveOp> parse_op(const std::string& name);
std::string op_name(CollectiveOp op);
std::optional<Fidelity> parse_fidelity(const std::string& name);
std::string fidelity_name(Fidelity fidelity);

// A ring over n ranks with a buffer of `size` bytes (nccl-tests' "size": the all-reduce buffer, the
// gathered output of all-gather, the input of reduce-scatter). All-reduce is a reduce-scatter then
// an all-gather.
int ring_steps(CollectiveOp op, int ranks);  // 2(n-1) for all-reduce, n-1 otherwise
Bytes ring_chunk(Bytes size, int ranks);     // size / n: what one rank sends in one step
Bytes ring_edge_volume(CollectiveOp op, Bytes size,
                       int ranks);  // steps * chunk: one ring edge's total

// nccl-tests' bus bandwidth: algbw * factor, where algbw = size / time; the factor makes busbw
// comparable with the link's speed whatever the rank count: 2(n-1)/n for all-reduce, (n-1)/n for
// all-gather and reduce-scatter.
double bus_bandwidth_factor(CollectiveOp op, int ranks);

// The ring on an idle network, every edge with the given bandwidth and latency: steps * (alpha +
// chunk / B).
Seconds ring_time(CollectiveOp op, Bytes size, int ranks, BytesPerSecond bandwidth, Seconds alpha);

}  // namespace gwsim::network
