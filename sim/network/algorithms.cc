#include "sim/network/algorithms.h"

#include <array>
#include <cmath>
#include <numeric>
#include <utility>

namespace gwsim::network {
namespace {

constexpr std::array<std::pair<Algorithm, const char*>, 8> kAlgorithms = {{
    {Algorithm::kRing, "ring"},
    {Algorithm::kTree, "tree"},
    {Algorithm::kHalvingDoubling, "halving_doubling"},
    {Algorithm::kDirect, "direct"},
    {Algorithm::kPairwise, "pairwise"},
    {Algorithm::kHierarchical, "hierarchical"},
    {Algorithm::kHierarchicalHalvingDoubling, "hierarchical_hd"},
    {Algorithm::kInNetwork, "in_network"},
}};

bool power_of_two(int n) { return n > 0 && (n & (n - 1)) == 0; }

int floor_power_of_two(int n) {
  int p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

std::vector<int> levels_of(const CollectiveSpec& spec) {
  std::vector<int> levels;
  for (int d : spec.levels)
    if (d > 1) levels.push_back(d);
  if (levels.empty()) levels.push_back(spec.ranks);
  return levels;
}

// Chunks of `bytes` for pipelining: at least one, of at most `chunk` bytes each.
int64_t chunk_count(Bytes bytes, Bytes chunk) {
  if (!(chunk > Bytes(0))) return 1;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(bytes.value() / chunk.value())));
}

std::vector<Peer> to_each(const std::vector<int>& ranks, Bytes bytes, int channel) {
  std::vector<Peer> peers;
  peers.reserve(ranks.size());
  for (int r : ranks) peers.push_back({r, bytes, channel});
  return peers;
}

// A pipeline stage that receives K chunks from `from` and forwards them to `to`, one chunk behind:
// receive; (receive, send) x (K - 1); send. Either side may be empty (the head or the tail).
void append_pipeline(Lane& lane, const std::vector<Peer>& from, const std::vector<Peer>& to,
                     int64_t chunks, int block) {
  if (from.empty() || to.empty()) {
    append_step(lane, {to, from, chunks, block});
    return;
  }
  append_step(lane, {{}, from, 1, block});
  append_step(lane, {to, from, chunks - 1, block});
  append_step(lane, {to, {}, 1, block});
}

// ---- ring ----

// The ring position -> rank of channel `channel`: node-major, each node's local ranks rotated so
// that the channel enters every node at local rank `channel`.
struct RingOrder {
  int ranks;
  int per_node;  // 1 when the group is in one node
  int channel;
  int rank_at(int position) const {
    const int node = position / per_node;
    const int local = (position % per_node + channel) % per_node;
    return node * per_node + local;
  }
  int position_of(int rank) const {
    const int node = rank / per_node;
    const int local = (rank % per_node - channel + per_node) % per_node;
    return node * per_node + local;
  }
  int next(int rank) const { return rank_at((position_of(rank) + 1) % ranks); }
  int previous(int rank) const { return rank_at((position_of(rank) - 1 + ranks) % ranks); }
};

RankProgram ring_program(const CollectiveSpec& spec, int rank) {
  const int n = spec.ranks;
  const int channels = ring_channels(spec);
  const int per_node = channels > 1 ? levels_of(spec).front() : 1;
  Lane lane;
  if (spec.op == CollectiveOp::kBroadcast || spec.op == CollectiveOp::kReduce) {
    // A chain in ring order from the root (broadcast) or ending at it (reduce).
    const RingOrder order{n, 1, 0};
    const int first = spec.op == CollectiveOp::kBroadcast ? spec.root : (spec.root + 1) % n;
    const int position = (rank - first + n) % n;
    const int64_t chunks = chunk_count(spec.size, spec.chunk);
    const Bytes chunk = spec.size / static_cast<double>(chunks);
    std::vector<Peer> from, to;
    if (position > 0) from.push_back({order.previous(rank), chunk, 0});
    if (position < n - 1) to.push_back({order.next(rank), chunk, 0});
    append_pipeline(lane, from, to, chunks, 0);
    return {lane};
  }
  const Bytes chunk = ring_chunk(spec.size, n) / static_cast<double>(channels);
  Step step;
  step.repeats = ring_steps(spec.op, n);
  for (int c = 0; c < channels; ++c) {
    const RingOrder order{n, per_node, c};
    step.sends.push_back({order.next(rank), chunk, c});
    step.receives.push_back({order.previous(rank), chunk, c});
  }
  append_step(lane, step);
  return {lane};
}

// ---- tree ----

int lowbit(int i) { return i & -i; }

// NCCL's in-order binary tree over 1-based indices 1..n: a node's lowest set bit L gives its left
// child i - L/2 and its right child i + L/2, halved again while past n; leaves are the odd indices.
int right_child(int i, int n) {
  for (int offset = lowbit(i) / 2; offset >= 1; offset /= 2)
    if (i + offset <= n) return i + offset;
  return 0;
}

void find_in_tree(int n, int target, TreeLinks& out) {
  int root = 1;
  while (root * 2 <= n) root *= 2;
  int node = root, parent = 0;
  while (node != target && node != 0) {
    parent = node;
    node = target < node ? node - lowbit(node) / 2 : right_child(node, n);
    if (lowbit(parent) == 1) node = 0;  // a leaf: target not below (cannot happen for 1..n)
  }
  out.parent = parent - 1;
  if (lowbit(target) > 1) {
    out.children.push_back(target - lowbit(target) / 2 - 1);
    if (const int right = right_child(target, n); right != 0) out.children.push_back(right - 1);
  }
}

RankProgram tree_program(const CollectiveSpec& spec, int rank) {
  const int n = spec.ranks;
  // All-reduce splits the data over both trees; broadcast and reduce use tree 0 only.
  const bool both = spec.op == CollectiveOp::kAllReduce;
  const int trees = both ? 2 : 1;
  const Bytes share = spec.size / static_cast<double>(trees);
  const int64_t chunks = chunk_count(share, spec.chunk);
  const Bytes chunk = share / static_cast<double>(chunks);
  RankProgram program;
  for (int t = 0; t < trees; ++t) {
    // Without a root rotation the tree's root is the middle rank; broadcast and reduce relabel
    // ranks so that the root is spec.root.
    const bool rooted = !both;
    const int middle = (n - 1) / 2;
    auto to_tree = [&](int r) { return rooted ? (r - spec.root + middle + n) % n : r; };
    auto from_tree = [&](int v) { return rooted ? (v - middle + spec.root + n) % n : v; };
    TreeLinks links = tree_links(n, t, to_tree(rank));
    if (links.parent >= 0) links.parent = from_tree(links.parent);
    for (int& c : links.children) c = from_tree(c);
    const int up = 2 * t, down = 2 * t + 1;
    const std::vector<Peer> children_up = to_each(links.children, chunk, up);
    const std::vector<Peer> children_down = to_each(links.children, chunk, down);
    std::vector<Peer> parent_up, parent_down;
    if (links.parent >= 0) {
      parent_up.push_back({links.parent, chunk, up});
      parent_down.push_back({links.parent, chunk, down});
    }
    if (spec.op == CollectiveOp::kReduce) {
      Lane lane;
      append_pipeline(lane, children_up, parent_up, chunks, 0);
      program.push_back(std::move(lane));
    } else if (spec.op == CollectiveOp::kBroadcast) {
      Lane lane;
      append_pipeline(lane, parent_down, children_down, chunks, 0);
      program.push_back(std::move(lane));
    } else if (links.parent < 0) {
      // The root turns each reduced chunk around.
      Lane lane;
      append_pipeline(lane, children_up, children_down, chunks, 0);
      program.push_back(std::move(lane));
    } else {
      Lane up_lane, down_lane;
      append_pipeline(up_lane, children_up, parent_up, chunks, 0);
      append_pipeline(down_lane, parent_down, children_down, chunks, 0);
      program.push_back(std::move(up_lane));
      program.push_back(std::move(down_lane));
    }
  }
  return program;
}

// ---- recursive halving and doubling ----

RankProgram halving_doubling_program(const CollectiveSpec& spec, int rank) {
  const int n = spec.ranks;
  Lane lane;
  int block = 0;
  if (spec.op == CollectiveOp::kBarrier) {
    for (int distance = 1; distance < n; distance *= 2) {
      append_step(lane, {{{(rank + distance) % n, Bytes(0), 0}},
                         {{(rank - distance + n) % n, Bytes(0), 0}},
                         1,
                         block++});
    }
    return {lane};
  }
  const int p2 = floor_power_of_two(n);
  const int extra = n - p2;
  const Bytes whole = spec.size;
  // Fold: of the first 2 * extra ranks, each odd one hands its vector to the even one before it and
  // takes the result back at the end.
  if (rank < 2 * extra && rank % 2 == 1) {
    append_step(lane, {{{rank - 1, whole, 0}}, {}, 1, block++});
    append_step(lane, {{}, {{rank - 1, whole, 0}}, 1, block++});
    return {lane};
  }
  if (rank < 2 * extra) append_step(lane, {{}, {{rank + 1, whole, 0}}, 1, block++});
  const int virtual_rank = rank < 2 * extra ? rank / 2 : rank - extra;
  auto real = [&](int v) { return v < extra ? 2 * v : v + extra; };
  const bool reduce = spec.op != CollectiveOp::kAllGather;
  const bool gather = spec.op != CollectiveOp::kReduceScatter;
  // Halving: partners at p2/2, p2/4, ..., 1 exchange half of what remains.
  if (reduce) {
    Bytes bytes = whole;
    for (int distance = p2 / 2; distance >= 1; distance /= 2) {
      bytes = bytes / 2.0;
      const int partner = real(virtual_rank ^ distance);
      append_step(lane, {{{partner, bytes, 1}}, {{partner, bytes, 1}}, 1, block++});
    }
  }
  // Doubling: partners at 1, 2, ..., p2/2 exchange what they have.
  if (gather) {
    Bytes bytes = whole / static_cast<double>(p2);
    for (int distance = 1; distance < p2; distance *= 2) {
      const int partner = real(virtual_rank ^ distance);
      append_step(lane, {{{partner, bytes, 2}}, {{partner, bytes, 2}}, 1, block++});
      bytes = bytes * 2.0;
    }
  }
  if (rank < 2 * extra) append_step(lane, {{{rank + 1, whole, 0}}, {}, 1, block++});
  return {lane};
}

// ---- all-to-all and send/recv ----

Bytes pair_bytes(const CollectiveSpec& spec, int from, int to) {
  if (spec.all_to_all_bytes) return spec.all_to_all_bytes(from, to);
  return spec.size / static_cast<double>(spec.ranks);
}

RankProgram all_to_all_program(const CollectiveSpec& spec, int rank) {
  const int n = spec.ranks;
  Lane lane;
  if (spec.algorithm == Algorithm::kDirect) {
    Step step;
    for (int k = 1; k < n; ++k) {
      const int to = (rank + k) % n, from = (rank - k + n) % n;
      step.sends.push_back({to, pair_bytes(spec, rank, to), 0});
      step.receives.push_back({from, pair_bytes(spec, from, rank), 0});
    }
    append_step(lane, step);
  } else {
    for (int k = 1; k < n; ++k) {
      const int to = (rank + k) % n, from = (rank - k + n) % n;
      append_step(
          lane,
          {{{to, pair_bytes(spec, rank, to), 0}}, {{from, pair_bytes(spec, from, rank), 0}}, 1, k});
    }
  }
  return {lane};
}

RankProgram send_recv_program(const CollectiveSpec& spec, int rank) {
  const int n = spec.ranks;
  Lane lane;
  append_step(lane, {{{(rank + 1) % n, spec.size, 0}}, {{(rank - 1 + n) % n, spec.size, 0}}, 1, 0});
  return {lane};
}

// ---- gather and scatter ----

// Every other rank's share of size / n to the root (gather) or from it (scatter), all at once: one
// step in which the root receives from (sends to) each rank and each rank sends to (receives from)
// the root. The root keeps its own share in place.
RankProgram rooted_program(const CollectiveSpec& spec, int rank) {
  const int n = spec.ranks;
  const Bytes share = spec.size / static_cast<double>(n);
  const bool gather = spec.op == CollectiveOp::kGather;
  std::vector<Peer> root_flows;  // at the root: one per other rank
  std::vector<Peer> own_flow;    // at another rank: its one flow with the root
  if (rank == spec.root) {
    for (int r = 0; r < n; ++r)
      if (r != rank) root_flows.push_back({r, share, 0});
  } else {
    own_flow.push_back({spec.root, share, 0});
  }
  // Gather: the others send, the root receives; scatter the other way round.
  Step step;
  step.sends = gather ? own_flow : root_flows;
  step.receives = gather ? root_flows : own_flow;
  Lane lane;
  append_step(lane, step);
  return {lane};
}

// ---- hierarchical and in-network: rings along a group's levels ----

// One rank's view of the group's levels: its neighbours along each and the buffer each level's ring
// works on (the size divided by the levels inside it), and a lane to append rings to.
struct LevelRings {
  LevelRings(const CollectiveSpec& spec, int of_rank) : levels(levels_of(spec)), rank(of_rank) {
    Bytes size = spec.size;
    int s = 1;
    for (int d : levels) {
      stride.push_back(s);
      buffer.push_back(size);
      s *= d;
      size = size / static_cast<double>(d);
    }
  }
  int count() const { return static_cast<int>(levels.size()); }
  int neighbour(int level, int offset) const {
    const int d = levels[level];
    const int coordinate = (rank / stride[level]) % d;
    return rank + (((coordinate + offset) % d + d) % d - coordinate) * stride[level];
  }
  // `steps` steps of the level's ring, each a chunk of its buffer, as one block.
  void ring(int level, int64_t steps, int channel) {
    const Bytes chunk = buffer[level] / static_cast<double>(levels[level]);
    append_step(lane, {{{neighbour(level, 1), chunk, channel}},
                       {{neighbour(level, -1), chunk, channel}},
                       steps,
                       block++});
  }
  std::vector<int> levels;
  int rank;
  std::vector<int> stride;
  std::vector<Bytes> buffer;
  Lane lane;
  int block = 0;
};

RankProgram hierarchical_program(const CollectiveSpec& spec, int rank) {
  LevelRings g(spec, rank);
  const int count = g.count();
  const int top = count - 1;
  // The outermost level's all-reduce: recursive halving then doubling when its count is a power
  // of two (log steps instead of 2(d-1) across the fabric), else a ring.
  auto top_all_reduce = [&] {
    const int d = g.levels[top];
    if (spec.algorithm != Algorithm::kHierarchicalHalvingDoubling) {
      g.ring(top, 2 * static_cast<int64_t>(d - 1), top);
      return;
    }
    const int coordinate = (rank / g.stride[top]) % d;
    auto exchange = [&](int distance, Bytes bytes) {
      const int partner = rank + ((coordinate ^ distance) - coordinate) * g.stride[top];
      append_step(g.lane, {{{partner, bytes, top}}, {{partner, bytes, top}}, 1, g.block++});
    };
    Bytes bytes = g.buffer[top];
    for (int distance = d / 2; distance >= 1; distance /= 2) {
      bytes = bytes / 2.0;
      exchange(distance, bytes);
    }
    for (int distance = 1; distance < d; distance *= 2) {
      exchange(distance, bytes);
      bytes = bytes * 2.0;
    }
  };
  switch (spec.op) {
    case CollectiveOp::kAllReduce:
      for (int i = 0; i < top; ++i) g.ring(i, g.levels[i] - 1, i);
      top_all_reduce();
      for (int i = top - 1; i >= 0; --i) g.ring(i, g.levels[i] - 1, count + i);
      break;
    case CollectiveOp::kReduceScatter:
      for (int i = 0; i <= top; ++i) g.ring(i, g.levels[i] - 1, i);
      break;
    case CollectiveOp::kAllGather:
      for (int i = top; i >= 0; --i) g.ring(i, g.levels[i] - 1, i);
      break;
    default:
      break;
  }
  return {g.lane};
}

// ---- in-network reduction ----

RankProgram in_network_program(const CollectiveSpec& spec, int rank) {
  // Inside the outermost level's switches: reduce-scatter rings along the inner levels first, and
  // all-gather rings after (a group in one switch domain has no inner level).
  LevelRings g(spec, rank);
  const int top = g.count() - 1;
  for (int i = 0; i < top; ++i) g.ring(i, g.levels[i] - 1, i);
  // Every rank sends its share into the switch and takes the result back, (d + 1) / d of it each
  // way (load-reduce, then multicast store); one transfer of that volume loads the rank's links
  // alike.
  const int d = g.levels[top];
  const Bytes volume = g.buffer[top] * (static_cast<double>(d + 1) / d);
  Step step{
      {{g.neighbour(top, 1), volume, top}}, {{g.neighbour(top, -1), volume, top}}, 1, g.block++};
  step.in_network = true;
  append_step(g.lane, step);
  for (int i = top - 1; i >= 0; --i) g.ring(i, g.levels[i] - 1, g.count() + i);
  return {g.lane};
}

}  // namespace

std::optional<Algorithm> parse_algorithm(const std::string& name) {
  for (const auto& [algorithm, text] : kAlgorithms)
    if (name == text) return algorithm;
  return std::nullopt;
}

std::string algorithm_name(Algorithm algorithm) {
  for (const auto& [candidate, text] : kAlgorithms)
    if (candidate == algorithm) return text;
  return "?";
}

std::string algorithm_names() {
  std::string names;
  for (const auto& entry : kAlgorithms)
    names += (names.empty() ? "" : ", ") + std::string(entry.second);
  return names;
}

std::optional<std::string> unsupported(const CollectiveSpec& spec) {
  const std::string what = algorithm_name(spec.algorithm) + " " + op_name(spec.op);
  if (spec.ranks < 1) return "a collective needs at least one rank";
  int product = 1;
  for (int d : spec.levels) product *= d;
  if (!spec.levels.empty() && product != spec.ranks)
    return "the levels' product (" + std::to_string(product) + ") is not the rank count (" +
           std::to_string(spec.ranks) + ")";
  if (spec.root < 0 || spec.root >= spec.ranks) return "the root is not a rank of the group";
  using Op = CollectiveOp;
  const Op op = spec.op;
  const bool reduction_family =
      op == Op::kAllReduce || op == Op::kAllGather || op == Op::kReduceScatter;
  switch (spec.algorithm) {
    case Algorithm::kRing:
      if (reduction_family || op == Op::kBroadcast || op == Op::kReduce) return std::nullopt;
      break;
    case Algorithm::kTree:
      if (op == Op::kAllReduce || op == Op::kBroadcast || op == Op::kReduce) return std::nullopt;
      break;
    case Algorithm::kHalvingDoubling:
      if (op == Op::kBarrier || op == Op::kAllReduce) return std::nullopt;
      if (op == Op::kAllGather || op == Op::kReduceScatter) {
        if (power_of_two(spec.ranks)) return std::nullopt;
        return what + " needs a power-of-two rank count, got " + std::to_string(spec.ranks);
      }
      break;
    case Algorithm::kDirect:
      if (op == Op::kAllToAll || op == Op::kSendRecv || op == Op::kGather || op == Op::kScatter)
        return std::nullopt;
      break;
    case Algorithm::kPairwise:
      if (op == Op::kAllToAll) return std::nullopt;
      break;
    case Algorithm::kHierarchical:
      if (reduction_family) return std::nullopt;
      break;
    case Algorithm::kHierarchicalHalvingDoubling:
      if (op != Op::kAllReduce) break;
      if (power_of_two(levels_of(spec).back())) return std::nullopt;
      return what + " needs a power-of-two count at the outermost level, got " +
             std::to_string(levels_of(spec).back());
    case Algorithm::kInNetwork:
      if (op == Op::kAllReduce) return std::nullopt;
      break;
  }
  return what + " is not an algorithm gwsim has";
}

RankProgram rank_program(const CollectiveSpec& spec, int rank) {
  if (spec.ranks <= 1) return {};
  switch (spec.algorithm) {
    case Algorithm::kRing:
      return ring_program(spec, rank);
    case Algorithm::kTree:
      return tree_program(spec, rank);
    case Algorithm::kHalvingDoubling:
      return halving_doubling_program(spec, rank);
    case Algorithm::kDirect:
      if (spec.op == CollectiveOp::kSendRecv) return send_recv_program(spec, rank);
      if (spec.op == CollectiveOp::kGather || spec.op == CollectiveOp::kScatter)
        return rooted_program(spec, rank);
      return all_to_all_program(spec, rank);
    case Algorithm::kPairwise:
      return all_to_all_program(spec, rank);
    case Algorithm::kHierarchical:
    case Algorithm::kHierarchicalHalvingDoubling:
      return hierarchical_program(spec, rank);
    case Algorithm::kInNetwork:
      return in_network_program(spec, rank);
  }
  return {};
}

int ring_channels(const CollectiveSpec& spec) {
  const std::vector<int> levels = levels_of(spec);
  if (levels.size() < 2) return 1;
  return levels.front();
}

int tree_height(int ranks) {
  int height = 0;
  for (int size = ranks; size > 1; size = size / 2)
    ++height;  // the larger half is n/2 rounded down
  return height;
}

int pipeline_fill_steps(const CollectiveSpec& spec) {
  if (spec.ranks <= 1) return 0;
  const bool chain_op = spec.op == CollectiveOp::kBroadcast || spec.op == CollectiveOp::kReduce;
  if (spec.algorithm == Algorithm::kRing && chain_op) return spec.ranks - 2;
  if (spec.algorithm == Algorithm::kTree)
    return chain_op ? tree_height(spec.ranks) - 1 : 2 * tree_height(spec.ranks) - 1;
  return 0;
}

TreeLinks tree_links(int ranks, int tree, int rank) {
  // Tree 1 is tree 0 mirrored (an even count: the leaves of one are the inner ranks of the other)
  // or shifted by one (an odd count), as NCCL builds its two trees.
  const bool mirror = ranks % 2 == 0;
  auto to_virtual = [&](int r) {
    if (tree == 0) return r;
    return mirror ? ranks - 1 - r : (r + 1) % ranks;
  };
  auto to_real = [&](int v) {
    if (tree == 0) return v;
    return mirror ? ranks - 1 - v : (v - 1 + ranks) % ranks;
  };
  TreeLinks links;
  find_in_tree(ranks, to_virtual(rank) + 1, links);
  if (links.parent >= 0) links.parent = to_real(links.parent);
  for (int& c : links.children) c = to_real(c);
  return links;
}

}  // namespace gwsim::network
