#include "sim/config/parallel_layout.h"

#include <algorithm>
#include <sstream>

namespace gwsim::config {
namespace {

constexpr std::array<std::pair<RankDimension, const char*>, 4> kNames = {{
    {RankDimension::kTensor, "tp"},
    {RankDimension::kContext, "cp"},
    {RankDimension::kData, "dp"},
    {RankDimension::kPipeline, "pp"},
}};

int& coordinate(LayoutCoordinates& at, RankDimension dimension) {
  switch (dimension) {
    case RankDimension::kTensor:
      return at.t;
    case RankDimension::kContext:
      return at.c;
    case RankDimension::kData:
      return at.d;
    case RankDimension::kPipeline:
      return at.p;
  }
  return at.t;
}

}  // namespace

int ParallelLayout::degree(RankDimension dimension) const {
  switch (dimension) {
    case RankDimension::kTensor:
      return tp;
    case RankDimension::kContext:
      return cp;
    case RankDimension::kData:
      return dp;
    case RankDimension::kPipeline:
      return pp;
  }
  return 1;
}

int ParallelLayout::rank_of(const LayoutCoordinates& at) const {
  LayoutCoordinates copy = at;
  int rank = 0;
  // Horner from the outermost dimension in.
  for (size_t i = rank_order.size(); i-- > 0;)
    rank = rank * degree(rank_order[i]) + coordinate(copy, rank_order[i]);
  return rank;
}

LayoutCoordinates ParallelLayout::coordinates_of(int rank) const {
  LayoutCoordinates at;
  for (RankDimension dimension : rank_order) {
    coordinate(at, dimension) = rank % degree(dimension);
    rank /= degree(dimension);
  }
  return at;
}

std::string rank_order_name(const std::array<RankDimension, 4>& order) {
  std::string out;
  for (RankDimension dimension : order) {
    if (!out.empty()) out += '-';
    for (const auto& [d, name] : kNames)
      if (d == dimension) out += name;
  }
  return out;
}

std::optional<std::array<RankDimension, 4>> parse_rank_order(const std::string& text) {
  std::array<RankDimension, 4> order{};
  std::istringstream in(text);
  std::string part;
  size_t count = 0;
  while (std::getline(in, part, '-')) {
    const auto* found = std::find_if(kNames.begin(), kNames.end(),
                                     [&](const auto& entry) { return part == entry.second; });
    if (found == kNames.end() || count == order.size()) return std::nullopt;
    if (std::find(order.begin(), order.begin() + static_cast<long>(count), found->first) !=
        order.begin() + static_cast<long>(count))
      return std::nullopt;
    order[count++] = found->first;
  }
  if (count != order.size() || text.back() == '-') return std::nullopt;
  return order;
}

}  // namespace gwsim::config
