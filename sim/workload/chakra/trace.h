// Chakra execution traces (MLCommons) as typed gwsim values.
//
// A Chakra ET is one file per rank: a GlobalMetadata record, then that rank's operations as Node
// records, each record a protobuf message preceded by its length as a varint. This header holds the
// typed form of a node; reader.h streams nodes out of a file and writer.h writes them. The mapping
// from Chakra's attributes to these fields, and what is checked, is in docs/chakra.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/units.h"

namespace gwsim::chakra {

// The node types gwsim replays (Chakra's NodeType, same meaning). Any other type is an InputError.
enum class NodeKind { kCompute, kCollective, kSend, kRecv, kMemLoad, kMemStore };

// Chakra's CollectiveCommType, every value of it.
enum class CollectiveKind {
  kAllReduce,
  kReduce,
  kAllGather,
  kGather,
  kScatter,
  kBroadcast,
  kAllToAll,
  kReduceScatter,
  kReduceScatterBlock,
  kBarrier,
};

std::string_view to_string(NodeKind kind);
std::string_view to_string(CollectiveKind kind);

// One operation of one rank. Optional fields are absent when the trace does not carry them; which
// ones each kind requires is checked on reading and on writing (see docs/chakra.md).
struct TraceNode {
  uint64_t id = 0;
  std::string name;
  NodeKind kind = NodeKind::kCompute;
  std::vector<uint64_t> ctrl_deps;  // ids that must finish first (ordering only)
  std::vector<uint64_t> data_deps;  // ids whose output this node consumes

  std::optional<Flops> flops;                // "num_ops"
  std::optional<Bytes> tensor_bytes;         // "tensor_size": bytes read/written by the operation
  std::optional<CollectiveKind> collective;  // "comm_type" (collectives only)
  std::optional<Bytes> comm_bytes;           // "comm_size": payload per rank
  std::optional<int32_t> comm_src;           // "comm_src": sending rank of a point-to-point pair
  std::optional<int32_t> comm_dst;           // "comm_dst": receiving rank
  std::optional<int32_t> comm_tag;           // "comm_tag": matches a send with its receive
  std::optional<std::string> pg_name;        // "pg_name": the process group (communicator)
  std::vector<bool> involved_dim;            // "involved_dim": network dimensions the group spans

  // As recorded by the profiler (start_time_micros, duration_micros); absent when 0, which is how
  // Chakra writes "not recorded". A replay may use the duration instead of a roofline estimate.
  std::optional<Seconds> recorded_start;
  std::optional<Seconds> recorded_duration;
};

// The trace's GlobalMetadata record.
struct TraceMetadata {
  std::string version;  // Chakra schema version as written by the producer, e.g. "0.0.4"
};

}  // namespace gwsim::chakra
