// Ring collectives (all-reduce, all-gather, reduce-scatter) run by the ranks' actors, at two
// fidelities.
//
// Step: each of the ring's steps is one SimGrid communication per rank: a rank sends size/n bytes
// to the next rank while receiving from the previous one and starts the next step when both are
// done, as NCCL's ring does without pipelining chunks. Cost: 2(n-1) (or n-1) flows per rank. Fluid:
// each rank sends its edge's whole volume (steps * size/n) to the next rank as one flow, then waits
// the ring's remaining per-step latencies in closed form: steps * alpha + volume / B for an idle
// edge, the step form's result, with one flow per rank instead of one per step
// (docs/collectives.md). Matching goes through one mailbox per rank, so contention with other
// traffic emerges from SimGrid's bandwidth sharing at either fidelity.
#pragma once

#include <string>
#include <vector>

#include <simgrid/s4u/Mailbox.hpp>

#include "sim/core/units.h"
#include "sim/network/collective.h"

namespace gwsim::network {

class RingCollective {
 public:
  // `name` must be unique in the simulation: it names the ranks' mailboxes.
  RingCollective(const std::string& name, int ranks);

  int ranks() const { return static_cast<int>(mailboxes_.size()); }

  // Called from the actor of `rank`, which must run on that rank's host; returns when this rank is
  // done. `edge_latency` is the latency of the route from this rank to the next (used by the fluid
  // fidelity).
  void run(int rank, CollectiveOp op, Bytes size, Fidelity fidelity, Seconds edge_latency) const;

 private:
  std::vector<simgrid::s4u::Mailbox*> mailboxes_;
};

}  // namespace gwsim::network
