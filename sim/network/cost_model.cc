#include "sim/network/cost_model.h"

#include <algorithm>
#include <cmath>

namespace gwsim::network {
namespace {

struct Edge {
  BytesPerSecond bandwidth;  // achievable, protocol included
  Seconds latency;           // route latency
  Seconds step;              // the protocol's step latency for this kind of edge
  Seconds alpha() const { return latency + step; }
};

Edge edge(const EdgeCost& cost, const config::Protocol& protocol,
          const config::CollectiveLibrary& library) {
  const double efficiency =
      cost.scale_out ? library.scale_out_efficiency : library.scale_up_efficiency;
  return {cost.bandwidth * (efficiency * protocol.bandwidth_factor), cost.latency,
          cost.scale_out ? protocol.scale_out_step_latency : protocol.scale_up_step_latency};
}

std::vector<int> spec_levels(const CollectiveSpec& spec) {
  std::vector<int> levels;
  for (int d : spec.levels)
    if (d > 1) levels.push_back(d);
  if (levels.empty()) levels.push_back(spec.ranks);
  return levels;
}

int64_t chunks_of(Bytes bytes, Bytes chunk) {
  if (!(chunk > Bytes(0))) return 1;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(bytes.value() / chunk.value())));
}

// The slowest of the group's edges: what a flat algorithm that crosses every level waits for.
Edge worst(const std::vector<Edge>& edges) {
  Edge w = edges.front();
  for (const Edge& e : edges) {
    w.bandwidth = std::min(w.bandwidth, e.bandwidth);
    w.latency = std::max(w.latency, e.latency);
    w.step = std::max(w.step, e.step);
  }
  return w;
}

}  // namespace

Seconds predicted_time(const CollectiveSpec& spec, const config::Protocol& protocol,
                       const config::CollectiveLibrary& library, const GroupCosts& costs) {
  const int n = spec.ranks;
  if (n <= 1 || costs.levels.empty()) return Seconds(0);
  const std::vector<int> levels = spec_levels(spec);
  std::vector<Edge> edges;
  for (const EdgeCost& c : costs.levels) edges.push_back(edge(c, protocol, library));
  const Edge& inner = edges.front();
  const Edge slowest = worst(edges);
  const bool multi = edges.size() > 1;
  const int per_node = multi ? levels.front() : 1;
  const Bytes size = spec.size;
  const double nd = n;
  Seconds time = protocol.launch_latency;
  switch (spec.algorithm) {
    case Algorithm::kRing: {
      if (spec.op == CollectiveOp::kBroadcast || spec.op == CollectiveOp::kReduce) {
        const int64_t k = chunks_of(size, spec.chunk);
        const Bytes chunk = size / static_cast<double>(k);
        return time +
               static_cast<double>(k + n - 2) * (slowest.alpha() + chunk / slowest.bandwidth);
      }
      const double steps = ring_steps(spec.op, n);
      if (!multi) return time + steps * (inner.alpha() + ring_chunk(size, n) / inner.bandwidth);
      // One channel per local rank: each rank's NIC carries one channel's chunk per step, its
      // scale-up links the others'.
      const Edge outer =
          costs.ring_crossing ? edge(*costs.ring_crossing, protocol, library) : edges.back();
      const Bytes chunk = ring_chunk(size, n) / static_cast<double>(per_node);
      const Seconds out = outer.latency + chunk / outer.bandwidth;
      const Seconds in =
          inner.latency + chunk * static_cast<double>(per_node - 1) / inner.bandwidth;
      return time + steps * (outer.step + std::max(out, in));
    }
    case Algorithm::kTree: {
      const bool all_reduce = spec.op == CollectiveOp::kAllReduce;
      const Bytes share = all_reduce ? size / 2.0 : size;
      const int64_t k = chunks_of(share, spec.chunk);
      const Bytes chunk = share / static_cast<double>(k);
      const int h = tree_height(n);
      // Per pipeline step the busiest rank sends a chunk to each of two children (and, in an
      // all-reduce, one up each tree): 2 chunks, or 4 in an all-reduce, through its link.
      const double per_step = n == 2 ? (all_reduce ? 2 : 1) : (all_reduce ? 4 : 2);
      const double stages = static_cast<double>(k) + (all_reduce ? 2 * h - 1 : h - 1);
      return time + stages * slowest.alpha() +
             (static_cast<double>(k) * per_step + (stages - static_cast<double>(k))) * chunk /
                 slowest.bandwidth;
    }
    case Algorithm::kHalvingDoubling: {
      auto level_for = [&](int distance) {
        return multi && distance >= per_node ? edges.back() : inner;
      };
      if (spec.op == CollectiveOp::kBarrier) {
        for (int d = 1; d < n; d *= 2) time += level_for(d).alpha();
        return time;
      }
      int p2 = 1;
      while (p2 * 2 <= n) p2 *= 2;
      const bool folded = p2 != n;
      // Folded ranks are pairs of neighbours; in the folded group a distance d spans about 2d
      // ranks.
      const int stretch = folded ? 2 : 1;
      if (folded) time += 2.0 * (inner.alpha() + size / inner.bandwidth);
      Bytes bytes = size;
      if (spec.op != CollectiveOp::kAllGather) {
        for (int d = p2 / 2; d >= 1; d /= 2) {
          bytes = bytes / 2.0;
          const Edge e = level_for(d * stretch);
          time += e.alpha() + bytes / e.bandwidth;
        }
      }
      if (spec.op != CollectiveOp::kReduceScatter) {
        bytes = size / static_cast<double>(p2);
        for (int d = 1; d < p2; d *= 2) {
          const Edge e = level_for(d * stretch);
          time += e.alpha() + bytes / e.bandwidth;
          bytes = bytes * 2.0;
        }
      }
      return time;
    }
    case Algorithm::kDirect: {
      if (spec.op == CollectiveOp::kSendRecv)
        return time + slowest.alpha() + size / slowest.bandwidth;
      // All-to-all: every rank moves a share of size / n to and from each other rank at once.
      // Gather and scatter: the root alone does, into (out of) its own links, which every other
      // rank's flow crosses; so its links are the bottleneck and the form is the same: (local - 1)
      // shares through its scale-up link, (n - local) through its NIC, in parallel.
      const Bytes pair = size / nd;
      const int local = multi ? per_node : n;
      const Seconds in = inner.latency + pair * static_cast<double>(local - 1) / inner.bandwidth;
      if (!multi) return time + inner.step + in;
      const Edge& outer = edges.back();
      const Seconds out = outer.latency + pair * static_cast<double>(n - local) / outer.bandwidth;
      return time + outer.step + std::max(in, out);
    }
    case Algorithm::kPairwise:
      return time + (nd - 1) * (slowest.alpha() + size / nd / slowest.bandwidth);
    case Algorithm::kHierarchical:
    case Algorithm::kHierarchicalHalvingDoubling: {
      Bytes level_size = size;
      for (size_t i = 0; i < levels.size(); ++i) {
        const double d = levels[i];
        const bool top = i + 1 == levels.size();
        const double passes = spec.op == CollectiveOp::kAllReduce ? 2 : 1;
        const int di = levels[i];
        if (top && spec.algorithm == Algorithm::kHierarchicalHalvingDoubling) {
          // Halving then doubling across the outermost level.
          Bytes bytes = level_size;
          for (int distance = di / 2; distance >= 1; distance /= 2) {
            bytes = bytes / 2.0;
            time += 2.0 * (edges[i].alpha() + bytes / edges[i].bandwidth);
          }
          continue;
        }
        time += passes * (d - 1) * (edges[i].alpha() + level_size / d / edges[i].bandwidth);
        if (!top || spec.op != CollectiveOp::kAllReduce) level_size = level_size / d;
      }
      return time;
    }
    case Algorithm::kInNetwork: {
      // Rings along the inner levels (reduce-scatter, then all-gather), the switch's reduction at
      // the outermost, paid with the in-network latency instead of the protocol's launch latency.
      const EdgeCost& outer = costs.levels.back();
      const double efficiency =
          outer.scale_out ? library.scale_out_efficiency * library.scale_out_in_network_efficiency
                          : library.scale_up_efficiency * library.in_network_efficiency;
      Seconds t =
          outer.scale_out ? library.scale_out_in_network_latency : library.in_network_latency;
      Bytes level_size = size;
      for (size_t i = 0; i + 1 < levels.size(); ++i) {
        const double d = levels[i];
        t += 2 * (d - 1) * (edges[i].alpha() + level_size / d / edges[i].bandwidth);
        level_size = level_size / d;
      }
      const double d = levels.back();
      return t + outer.latency + level_size * ((d + 1) / d) / (outer.bandwidth * efficiency);
    }
  }
  return time;
}

std::vector<Algorithm> candidate_algorithms(const CollectiveSpec& spec, const GroupCosts& costs) {
  std::vector<Algorithm> all = {Algorithm::kRing,
                                Algorithm::kTree,
                                Algorithm::kHalvingDoubling,
                                Algorithm::kDirect,
                                Algorithm::kPairwise,
                                Algorithm::kHierarchical,
                                Algorithm::kHierarchicalHalvingDoubling,
                                Algorithm::kInNetwork};
  std::vector<Algorithm> out;
  for (Algorithm a : all) {
    CollectiveSpec s = spec;
    s.algorithm = a;
    if (unsupported(s)) continue;
    if ((a == Algorithm::kHierarchical || a == Algorithm::kHierarchicalHalvingDoubling) &&
        spec_levels(spec).size() < 2)
      continue;
    if (a == Algorithm::kInNetwork && !costs.in_network_available) continue;
    // Every pair at once is n(n-1) flows: beyond a few thousand ranks, pairwise steps instead.
    if (a == Algorithm::kDirect && spec.op == CollectiveOp::kAllToAll && spec.ranks > 2048)
      continue;
    out.push_back(a);
  }
  return out;
}

Choice choose(const CollectiveSpec& spec, const config::CollectiveLibrary& library,
              const GroupCosts& costs, std::optional<Algorithm> forced) {
  std::vector<Algorithm> algorithms =
      forced ? std::vector<Algorithm>{*forced} : candidate_algorithms(spec, costs);
  std::optional<Choice> best;
  for (Algorithm a : algorithms) {
    CollectiveSpec s = spec;
    s.algorithm = a;
    // In-switch reduction has a protocol of its own (NCCL runs NVLS with Simple only): evaluate
    // once.
    const size_t protocols = a == Algorithm::kInNetwork ? 1 : library.protocols.size();
    for (size_t p = 0; p < protocols; ++p) {
      const config::Protocol& protocol =
          a == Algorithm::kInNetwork ? library.protocols.back() : library.protocols[p];
      const Seconds t = predicted_time(s, protocol, library, costs);
      if (!best || t < best->predicted) best = Choice{a, protocol, t};
    }
  }
  if (!best) return Choice{spec.algorithm, library.protocols.back(), Seconds(0)};
  return *best;
}

}  // namespace gwsim::network
