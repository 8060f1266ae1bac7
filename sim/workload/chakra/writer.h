// Writer of one rank's Chakra ET file, the format reader.h reads and other Chakra consumers accept.
//
//   chakra::TraceWriter writer("trace/rank0.et", {.version = "0.0.4"});
//   writer.write(node);   // as many as needed, streamed to the file
//   writer.close();       // flushes; the destructor closes too but cannot report errors
//
// A node that lacks what its kind requires (the same rules the reader checks, docs/chakra.md) is
// rejected with std::invalid_argument: the writer's callers build nodes in code, so that is a bug.
// Quantities written as integers (num_ops, tensor_size, comm_size, recorded times in microseconds)
// must be whole numbers; a fractional or negative value is std::invalid_argument too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "sim/workload/chakra/trace.h"

namespace gwsim::chakra {

class TraceWriter {
 public:
  // Creates (or truncates) the file and writes the GlobalMetadata record. Throws gwsim::InputError
  // if the file cannot be created.
  TraceWriter(const std::filesystem::path& file, const TraceMetadata& metadata);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void write(const TraceNode& node);

  // Flushes and closes the file; throws std::runtime_error naming the file if that fails.
  void close();

  uint64_t nodes_written() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace gwsim::chakra
