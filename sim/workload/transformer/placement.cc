#include "sim/workload/transformer/placement.h"

#include <cassert>
#include <numeric>

namespace gwsim::workload::transformer {

std::vector<int> StagePlacement::chunk_layers(int chunk) const {
  if (chunk_sizes.empty()) {
    assert(chunk == 0);
    return layers;
  }
  assert(chunk >= 0 && chunk < static_cast<int>(chunk_sizes.size()));
  const int offset = std::accumulate(chunk_sizes.begin(), chunk_sizes.begin() + chunk, 0);
  const auto from = layers.begin() + offset;
  return {from, from + chunk_sizes[static_cast<size_t>(chunk)]};
}

std::vector<int> chunk_layer_counts(int layers, int pp, int virtual_stages) {
  const int chunks = pp * virtual_stages;
  assert(chunks >= 1 && layers >= 1);
  const int ceil = (layers + chunks - 1) / chunks;
  std::vector<int> counts(static_cast<size_t>(chunks), ceil);
  // The surplus ceil * chunks - layers is < chunks: one layer off each of the first, last,
  // second, second-to-last, ... chunk.
  const int surplus = ceil * chunks - layers;
  for (int i = 0; i < surplus; ++i) {
    const int chunk = i % 2 == 0 ? i / 2 : chunks - 1 - i / 2;
    --counts[static_cast<size_t>(chunk)];
  }
  return counts;
}

StagePlacement place_stage(const config::ModelSpec& model, const ParallelLayout& layout, int rank) {
  StagePlacement stage;
  stage.rank = rank;
  stage.first = rank == 0;
  stage.last = rank == layout.pp - 1;
  const std::vector<int> counts =
      chunk_layer_counts(model.layers, layout.pp, layout.virtual_stages);
  std::vector<int> begin(counts.size() + 1, 0);
  std::partial_sum(counts.begin(), counts.end(), begin.begin() + 1);
  for (int chunk = 0; chunk < layout.virtual_stages; ++chunk) {
    const int model_chunk = chunk * layout.pp + rank;
    const auto j = static_cast<size_t>(model_chunk);
    stage.chunk_sizes.push_back(counts[j]);
    for (int layer = begin[j]; layer < begin[j + 1]; ++layer) {
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
