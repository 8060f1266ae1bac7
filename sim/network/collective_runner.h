// Plays rank programs (sim/network/program.h) on SimGrid at step or fluid fidelity, from the
// ranks' own actors.
//
// Step: each step posts its sends and receives as mailbox comms and waits for all, after the
// protocol's step latency. Fluid: each block's traffic to or from one peer is one comm of the
// block's whole volume, then the block's remaining latencies (and a tree's or chain's pipeline
// fill) are waited in closed form. Bytes go on the wire divided by the achievable share of the link
// (the library's efficiency times the protocol's factor), so a link's line rate in the platform
// stays the datasheet figure. Contention with anything else on the network emerges from SimGrid's
// bandwidth sharing at either fidelity.
//
// At fluid fidelity a rank whose flows are fast would finish before the others, where at step
// fidelity every step waits for its slowest peer; so fluid ranks wait for each other at the end
// (a barrier, no simulated cost). At either fidelity a rank counts as communicating from the call
// to its end, as NCCL's kernels spin (announced through engine/modelled_activity.h).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/s4u/Barrier.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include "sim/config/collective_library.h"
#include "sim/network/algorithms.h"
#include "sim/network/cost_model.h"

namespace gwsim::network {

class CollectiveRunner {
 public:
  // `name` must be unique among the simulation's concurrent collectives (it names the mailboxes);
  // a runner may be run again for the next call of the same collective. Construct it once the
  // engine exists. `edge(a, b)` is the cost
  // of the route from rank a to rank b (scale_out: the two are in different nodes).
  CollectiveRunner(std::string name, CollectiveSpec spec, Fidelity fidelity,
                   config::Protocol protocol, config::CollectiveLibrary library,
                   std::function<EdgeCost(int, int)> edge);

  // From the actor of `rank`, on its host: returns when this rank's part is done. Lanes beyond the
  // first run in actors of their own on the same host.
  void run(int rank) const;

  const CollectiveSpec& spec() const { return spec_; }
  const config::Protocol& protocol() const { return protocol_; }

 private:
  // Fluid fidelity: what a rank does for one block of steps (steps of equal `block`): one comm per
  // (peer, channel) and direction carrying every step's bytes, then a wait for the steps' own
  // latencies. The same on every call of the collective, so planned once per rank (plans_).
  struct FluidBlock {
    std::vector<std::pair<simgrid::s4u::Mailbox*, uint64_t>> sends;  // mailbox, wire bytes
    std::vector<simgrid::s4u::Mailbox*> receives;
    Seconds wait;
  };
  using FluidLane = std::vector<FluidBlock>;

  void play_lane(int rank, const Lane& lane) const;
  void play_step(int rank, const Step& step) const;
  FluidBlock plan_block_fluid(int rank, const std::vector<Step>& steps, size_t first,
                              size_t end) const;
  const std::vector<FluidLane>& fluid_plan(int rank) const;
  static void play_fluid_lane(const FluidLane& lane);
  simgrid::s4u::Mailbox* mailbox(int channel, int from, int to) const;
  double wire_bytes(int from, int to, Bytes bytes, bool in_network) const;
  Seconds step_latency(int rank, const Step& step) const;

  std::string name_;
  CollectiveSpec spec_;
  Fidelity fidelity_;
  config::Protocol protocol_;
  config::CollectiveLibrary library_;
  std::function<EdgeCost(int, int)> edge_;
  simgrid::s4u::BarrierPtr all_done_;  // fluid fidelity only
  // Fluid fidelity: each rank's lanes, planned at its first call (actors run one at a time).
  mutable std::vector<std::optional<std::vector<FluidLane>>> plans_;
};

}  // namespace gwsim::network
