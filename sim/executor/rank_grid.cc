#include "sim/executor/rank_grid.h"

#include <algorithm>

namespace gwsim::executor {

using workload::transformer::Group;

RankGrid::RankGrid(const config::ParallelLayout& layout)
    : layout_(layout),
      tp_(layout.tp),
      cp_(layout.cp),
      dp_(layout.dp),
      pp_(layout.pp),
      ep_(layout.ep) {}

RankCoordinates RankGrid::coordinates(int rank) const { return layout_.coordinates_of(rank); }

int RankGrid::rank_of(const RankCoordinates& c) const { return layout_.rank_of(c); }

int RankGrid::in_stage(int rank, int stage) const {
  RankCoordinates c = coordinates(rank);
  c.p = stage;
  return rank_of(c);
}

std::vector<int> RankGrid::members(Group group, int rank) const {
  const RankCoordinates me = coordinates(rank);
  std::vector<int> out;
  RankCoordinates c = me;
  switch (group) {
    case Group::kTensor:
      for (c.t = 0; c.t < tp_; ++c.t) out.push_back(rank_of(c));
      break;
    case Group::kContext:
      for (c.c = 0; c.c < cp_; ++c.c) out.push_back(rank_of(c));
      break;
    case Group::kPipeline:
      for (c.p = 0; c.p < pp_; ++c.p) out.push_back(rank_of(c));
      break;
    case Group::kData:
    case Group::kExpert:
    case Group::kExpertData: {
      // The c-d plane flattened: replica e = c + cp d.
      const int mine = me.c + cp_ * me.d;
      for (int e = 0; e < cp_ * dp_; ++e) {
        const bool in = group == Group::kData ||
                        (group == Group::kExpert ? e / ep_ == mine / ep_ : e % ep_ == mine % ep_);
        if (!in) continue;
        c.c = e % cp_;
        c.d = e / cp_;
        out.push_back(rank_of(c));
      }
      break;
    }
  }
  return out;
}

int RankGrid::position_in(Group group, int rank) const {
  const std::vector<int> m = members(group, rank);
  return static_cast<int>(std::find(m.begin(), m.end(), rank) - m.begin());
}

}  // namespace gwsim::executor
