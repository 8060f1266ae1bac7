// Streaming reader of one rank's Chakra ET file.
//
//   chakra::TraceReader reader("trace/rank0.et");   // reads and checks the GlobalMetadata
//   chakra::TraceNode node;
//   while (reader.next(node)) { ... }              // one node at a time
//
// Only one record is in memory at a time, so a trace larger than memory still streams. Malformed
// input (a file that cannot be opened, a truncated record, a node type gwsim does not support, a
// missing or ill-typed attribute) is a gwsim::InputError naming the file, the record's byte offset
// and the node id where known. Node ids are not checked for uniqueness here (that needs the whole
// graph); the consumer that builds the graph checks them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "sim/workload/chakra/trace.h"

namespace gwsim::chakra {

class TraceReader {
 public:
  // Opens the file and reads its GlobalMetadata record.
  explicit TraceReader(const std::filesystem::path& file);
  ~TraceReader();
  TraceReader(const TraceReader&) = delete;
  TraceReader& operator=(const TraceReader&) = delete;

  const TraceMetadata& metadata() const;

  // Reads the next node into `node` (overwriting all of it) and returns true; returns false at the
  // clean end of the file.
  bool next(TraceNode& node);

  // Nodes returned so far.
  uint64_t nodes_read() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gwsim::chakra
