// Where each rank of a transformer job sits in its layout, and who shares each of its groups (plain
// C++). Ranks are numbered in the layout's rank_order; by default World rank = t + tp (c + cp (d +
// dp p)): tensor parallel fastest, then context, data and pipeline, as Megatron-LM orders them, so
// a tensor-parallel group is consecutive accelerators.
//
// Groups: tensor (t varies), context (c varies), pipeline (p varies), data (c and d vary: dense
// gradients are reduced over dp * cp replicas), expert (ep consecutive replicas of the c-d plane)
// and expert-data (replicas with the same expert shard: every ep-th one).
#pragma once

#include <vector>

#include "sim/config/parallel_layout.h"
#include "sim/workload/transformer/communication.h"

namespace gwsim::executor {

using RankCoordinates = config::LayoutCoordinates;

class RankGrid {
 public:
  explicit RankGrid(const config::ParallelLayout& layout);
  int world() const { return layout_.world(); }
  RankCoordinates coordinates(int rank) const;
  int rank_of(const RankCoordinates& c) const;
  // The members of `rank`'s group, in order (its index there is position_in); a one-rank group for
  // a degree of 1.
  std::vector<int> members(workload::transformer::Group group, int rank) const;
  int position_in(workload::transformer::Group group, int rank) const;
  // The rank of the same tensor, context and data coordinates in pipeline stage `stage`.
  int in_stage(int rank, int stage) const;

 private:
  config::ParallelLayout layout_;
};

}  // namespace gwsim::executor
