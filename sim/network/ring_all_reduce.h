// Ring all-reduce at step fidelity: every step of the algorithm is one SimGrid communication per
// rank.
//
// Each rank's actor calls run() with the same size; in each of the 2(n-1) steps a rank sends size/n
// bytes to the next rank while receiving from the previous one, and starts the next step when both
// are done, as NCCL's ring does without pipelining chunks. Steps are matched through one mailbox
// per rank, so contention with any other traffic emerges from SimGrid's bandwidth sharing.
#pragma once

#include <string>
#include <vector>

#include <simgrid/s4u/Mailbox.hpp>

#include "sim/core/units.h"

namespace gwsim::network {

class RingAllReduce {
 public:
  // `name` must be unique in the simulation: it names the ranks' mailboxes.
  RingAllReduce(const std::string& name, int ranks);

  int ranks() const { return static_cast<int>(mailboxes_.size()); }
  // Called from the actor of `rank`, which must run on that rank's host; returns when this rank is
  // done.
  void run(int rank, Bytes size) const;

 private:
  std::vector<simgrid::s4u::Mailbox*> mailboxes_;
};

}  // namespace gwsim::network
