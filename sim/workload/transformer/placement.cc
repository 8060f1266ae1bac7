#include "sim/workload/transformer/placement.h"

namespace gwsim::workload::transformer {

StagePlacement place_stage(const config::ModelSpec& model, const ParallelLayout& layout, int rank) {
  StagePlacement stage;
  stage.rank = rank;
  stage.first = rank == 0;
  stage.last = rank == layout.pp - 1;
  const int per_chunk = model.layers / (layout.pp * layout.virtual_stages);
  for (int chunk = 0; chunk < layout.virtual_stages; ++chunk) {
    const int begin = (chunk * layout.pp + rank) * per_chunk;
    for (int layer = begin; layer < begin + per_chunk; ++layer) {
      stage.layers.push_back(layer);
      if (model.is_moe_layer(layer)) {
        ++stage.moe_layers;
      } else {
        ++stage.dense_layers;
      }
    }
  }
  return stage;
}

}  // namespace gwsim::workload::transformer
