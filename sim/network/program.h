// What one rank does in one collective, as data (plain C++): the algorithms of sim/network/
// algorithms.h write it, sim/network/collective_runner.h plays it at step or fluid fidelity.
//
// A rank's program is one or more lanes, each played by its own actor at once (a double binary
// tree reduces up one tree while it broadcasts down the other). A lane is a list of steps; in a
// step the rank posts all its sends and receives together and goes on when all are done, so data
// dependencies between steps hold. A step may repeat (a ring's 2(n-1) identical steps are one
// entry, so programs stay small at 16,384 ranks). Messages travel on channels: a send on channel c
// to rank b matches b's receive on channel c from this rank, in order.
//
// Fluid fidelity plays each block (consecutive steps with the same block number) as one flow per
// peer carrying the block's whole volume, then waits the remaining steps' latencies in closed form;
// algorithms put steps in one block only where the peers stay the same, so the flows of a block
// are the traffic the block's steps would have carried.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/core/units.h"

namespace gwsim::network {

struct Peer {
  int rank = 0;  // in the communicator
  Bytes bytes;
  int channel = 0;
};

struct Step {
  std::vector<Peer> sends;
  std::vector<Peer> receives;
  int64_t repeats = 1;
  int block = 0;
  // Reduced in the switch (in_network): its bytes are the load on the rank's own links, moved at
  // the in-network efficiency rather than the link's.
  bool in_network = false;
};

struct Lane {
  std::vector<Step> steps;
};

using RankProgram = std::vector<Lane>;

// Appends `step` to `lane` unless it repeats zero times or moves nothing.
void append_step(Lane& lane, Step step);

// Total bytes a program sends (repeats counted), for checks against closed forms.
Bytes bytes_sent(const RankProgram& program);
Bytes bytes_received(const RankProgram& program);

}  // namespace gwsim::network
