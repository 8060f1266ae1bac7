#include "sim/workload/chakra/reader.h"

#include <string>

#include "sim/core/error.h"
#include "sim/workload/chakra/attributes.h"
#include "sim/workload/chakra/et_schema.pb.h"
#include "sim/workload/chakra/record_stream.h"

namespace gwsim::chakra {

struct TraceReader::State {
  explicit State(const std::string& path) : file(path), input(path) {}
  std::string file;
  RecordInput input;
  TraceMetadata metadata;
  Node scratch;  // reused for every record, so its buffers are allocated once
  uint64_t nodes_read = 0;
  uint64_t last_id = 0;

  std::string position() const {
    return nodes_read == 0 ? "first node" : "after node " + std::to_string(last_id);
  }
};

TraceReader::TraceReader(const std::filesystem::path& file)
    : state_(std::make_unique<State>(file.string())) {
  GlobalMetadata meta;
  if (!state_->input.read(meta, [] { return std::string("GlobalMetadata"); })) {
    throw InputError(SourceLocation{state_->file, 0}, "",
                     "empty Chakra trace: expected a GlobalMetadata record first");
  }
  state_->metadata.version = meta.version();
}

TraceReader::~TraceReader() = default;

const TraceMetadata& TraceReader::metadata() const { return state_->metadata; }

bool TraceReader::next(TraceNode& node) {
  State& s = *state_;
  if (!s.input.read(s.scratch, [&s] { return s.position(); })) return false;
  from_proto(s.scratch, s.file, s.input.record_offset(), node);
  ++s.nodes_read;
  s.last_id = node.id;
  return true;
}

uint64_t TraceReader::nodes_read() const { return state_->nodes_read; }

}  // namespace gwsim::chakra
