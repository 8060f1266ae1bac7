// Collective algorithms as rank programs (plain C++; sim/network/program.h). Sources for each
// algorithm are in docs/collectives.md.
//
//   ring            a ring in rank order (all-reduce, all-gather, reduce-scatter), as NCCL's ring;
//   when
//                   the group spans nodes it runs one channel per rank in a node, channel k
//                   entering each node at local rank k, so every NIC carries one channel (NCCL's
//                   rings over rails). Broadcast and reduce run as a pipelined chain in ring order.
//   tree            double binary tree (Sanders et al. 2009; NCCL 2.4): two balanced binary trees
//   over
//                   the ranks, each rank a leaf in one of them (for an even count), half the data
//                   each, reduced up and broadcast down in pipelined chunks. All-reduce, broadcast,
//                   reduce.
//   halving_doubling  recursive halving (reduce-scatter) and doubling (all-gather), Rabenseifner's
//                   all-reduce (Thakur et al. 2005), with the usual fold for a count that is not a
//                   power of two (all-reduce only); dissemination barrier.
//   direct          all-to-all(v) with every pair at once; send/recv; gather and scatter, every
//                   rank's share to or from the root at once (PyTorch's NCCL gather and scatter:
//                   grouped sends and receives).
//   pairwise        all-to-all(v) in n-1 steps, step k to rank + k.
//   hierarchical    over the group's levels (ranks per node, nodes; or the dimensions of a torus,
//   then
//                   nodes), innermost first: reduce-scatter along each inner level, all-reduce
//                   along the outermost, all-gather back (all-reduce); reduce-scatter or all-gather
//                   alone along all levels. Each level is a ring.
//   hierarchical_hd the same all-reduce with recursive halving-doubling across the outermost level
//                   (a power-of-two count): 2 log2(d) steps across the fabric instead of 2 (d - 1).
//   in_network      all-reduce reduced by the switches of the group's outermost level (NVLink SHARP
//                   in an NVSwitch domain; SHARP in InfiniBand switches between nodes): each rank
//                   sends its share into the switch and receives the result, (d+1)/d of it each way
//                   (load-reduce then multicast store), as one transfer whose load on the rank's
//                   links is that volume; inner levels reduce-scatter before and all-gather after,
//                   in rings.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sim/network/collective.h"
#include "sim/network/program.h"

namespace gwsim::network {

enum class Algorithm {
  kRing,
  kTree,
  kHalvingDoubling,
  kDirect,
  kPairwise,
  kHierarchical,
  kHierarchicalHalvingDoubling,
  kInNetwork,
};

std::optional<Algorithm> parse_algorithm(const std::string& name);
std::string algorithm_name(Algorithm algorithm);
std::string algorithm_names();

struct CollectiveSpec {
  CollectiveOp op = CollectiveOp::kAllReduce;
  Algorithm algorithm = Algorithm::kRing;
  Bytes size;
  int ranks = 0;
  // Ranks per level, innermost first; the product is `ranks`. {ranks} for a group in one place;
  // {8, 2048} for 8 ranks in each of 2,048 nodes (rank = node * 8 + local); {4, 4, 4, nodes} for a
  // 4x4x4 torus per node. Ring channels and the hierarchical algorithm follow it.
  std::vector<int> levels;
  int root = 0;                  // broadcast, reduce, gather and scatter
  Bytes chunk = Bytes(1 << 20);  // pipelining unit of trees and chains
  // all_to_all(v): bytes from one rank to another; unset: size / ranks to every rank.
  std::function<Bytes(int from, int to)> all_to_all_bytes;
};

// Why `spec` cannot run (e.g. "halving_doubling reduce_scatter needs a power-of-two rank count"),
// or nullopt when it can.
std::optional<std::string> unsupported(const CollectiveSpec& spec);

// What `rank` does. Requires !unsupported(spec).
RankProgram rank_program(const CollectiveSpec& spec, int rank);

// Ring channels of a spec: the ranks per node when the group spans several nodes, else 1.
int ring_channels(const CollectiveSpec& spec);

// Steps of pipeline fill a tree or chain adds to its chunk count (the fluid form waits them in
// closed form): 2 * height - 1 for the tree all-reduce, height for a tree broadcast or reduce,
// ranks - 2 for a chain. 0 for other algorithms.
int pipeline_fill_steps(const CollectiveSpec& spec);

// The balanced in-order binary tree over ranks [0, n) (tree 0) or its mirror (tree 1): a rank's
// parent (-1 at the root) and children; and the tree's height in edges.
struct TreeLinks {
  int parent = -1;
  std::vector<int> children;
};
TreeLinks tree_links(int ranks, int tree, int rank);
int tree_height(int ranks);

}  // namespace gwsim::network
