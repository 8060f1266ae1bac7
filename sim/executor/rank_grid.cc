#include "sim/executor/rank_grid.h"

#include <algorithm>

namespace gwsim::executor {

using workload::transformer::Group;

RankGrid::RankGrid(const config::ParallelLayout& layout) : layout_(layout) {}

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
      for (c.t = 0; c.t < layout_.tp; ++c.t) out.push_back(rank_of(c));
      break;
    case Group::kContext:
      for (c.c = 0; c.c < layout_.cp; ++c.c) out.push_back(rank_of(c));
      break;
    case Group::kPipeline:
      for (c.p = 0; c.p < layout_.pp; ++c.p) out.push_back(rank_of(c));
      break;
    case Group::kData:
    case Group::kExpert:
    case Group::kExpertData: {
      // The c-d plane flattened: replica e = c + cp d.
      const int mine = me.c + layout_.cp * me.d;
      for (int e = 0; e < layout_.cp * layout_.dp; ++e) {
        const bool in = group == Group::kData ||
                        (group == Group::kExpert ? e / layout_.ep == mine / layout_.ep
                                                 : e % layout_.ep == mine % layout_.ep);
        if (!in) continue;
        c.c = e % layout_.cp;
        c.d = e / layout_.cp;
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
