// Closed-form time of every algorithm on an idle network (plain C++), and the automatic choice of
// algorithm and protocol that uses it, as NCCL's tuner does: the smallest predicted time wins.
//
// The group's levels (CollectiveSpec::levels) each have the cost of one edge inside them: the
// link's line rate and latency. A protocol scales the rate (times the library's efficiency for the
// link kind) and adds its step latency; the formulas are those of docs/collectives.md and match the
// step fidelity on idle networks (tests/network state the tolerance per algorithm).
#pragma once

#include <optional>
#include <vector>

#include "sim/config/collective_library.h"
#include "sim/network/algorithms.h"

namespace gwsim::network {

struct EdgeCost {
  BytesPerSecond bandwidth;  // line rate of the edge's narrowest link, per direction
  Seconds latency;           // the route's latency
  bool scale_out = false;    // crosses nodes (NIC efficiency, scale-out step latency)
};

struct GroupCosts {
  // One per level of the spec (levels with one rank left out), innermost first; a flat group has
  // one. The outermost level of a group that spans nodes is the scale-out one.
  std::vector<EdgeCost> levels;
  bool in_network_available = false;  // the group is one switch domain with in-switch reduction
  // The ring's edge between nodes (from a node's last local rank to the next node's first), when it
  // differs from the outermost level's edge (rank 0 to the same local rank of the next node).
  std::optional<EdgeCost> ring_crossing;
};

// The time `spec` takes with `protocol` on an idle network.
Seconds predicted_time(const CollectiveSpec& spec, const config::Protocol& protocol,
                       const config::CollectiveLibrary& library, const GroupCosts& costs);

struct Choice {
  Algorithm algorithm = Algorithm::kRing;
  config::Protocol protocol;
  Seconds predicted;
};

// The algorithms that can run `spec`'s operation on this group, in a fixed order.
std::vector<Algorithm> candidate_algorithms(const CollectiveSpec& spec, const GroupCosts& costs);

// The fastest (algorithm, protocol) by predicted time; with `forced`, the fastest protocol for it.
// Ties go to the earlier candidate, so the choice is deterministic.
Choice choose(const CollectiveSpec& spec, const config::CollectiveLibrary& library,
              const GroupCosts& costs, std::optional<Algorithm> forced = std::nullopt);

}  // namespace gwsim::network
