#include "sim/workload/chakra/writer.h"

#include <string>

#include "sim/workload/chakra/attributes.h"
#include "sim/workload/chakra/et_schema.pb.h"
#include "sim/workload/chakra/record_stream.h"

namespace gwsim::chakra {

struct TraceWriter::State {
  explicit State(const std::string& path) : output(path) {}
  RecordOutput output;
  Node scratch;
  uint64_t nodes_written = 0;
};

TraceWriter::TraceWriter(const std::filesystem::path& file, const TraceMetadata& metadata)
    : state_(std::make_unique<State>(file.string())) {
  GlobalMetadata meta;
  meta.set_version(metadata.version);
  state_->output.write(meta);
}

TraceWriter::~TraceWriter() = default;

void TraceWriter::write(const TraceNode& node) {
  to_proto(node, state_->scratch);
  state_->output.write(state_->scratch);
  ++state_->nodes_written;
}

void TraceWriter::close() { state_->output.close(); }

uint64_t TraceWriter::nodes_written() const { return state_->nodes_written; }

}  // namespace gwsim::chakra
