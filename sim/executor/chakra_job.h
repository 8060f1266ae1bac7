// A replay of Chakra execution traces on SimGrid (docs/chakra.md, "Replay"): every rank streams its
// own trace file through a bounded window (chakra_window.h) and runs each node once its
// dependencies have finished.
//
// Per rank, one dispatcher actor reads, tracks dependencies and hands nodes to in-order streams,
// each an actor of its own:
// - compute: COMP_NODEs (recorded duration or roofline, slowed by a binding power cap) and
//   MEM_LOAD/STORE_NODEs (tensor_size at the HBM's streaming rate, as memory-bound work), one at a
//   time in trace order, like one CUDA stream;
// - one stream per process group: its collectives in trace order, through sim/network's runners
//   (automatic algorithm), so the n-th collective of a group on one rank meets the n-th on the
//   others;
// - receives, one at a time in trace order; sends are posted in trace order as soon as ready and
//   complete in the background (a send counts as done once posted, as TransformerJob has it; at
//   most 128 messages of a rank in flight).
// These are the semantics of TransformerJob, so a job exported by `gwsim chakra` replays in the
// same time (tests/executor/chakra_job_test.cc). Iterations (`steps`) replay the whole trace again;
// a rank starts its next iteration when its own last node of the previous one is done.
//
// Errors met while replaying (a malformed node, an unknown process group, a full window with
// nothing to run, ranks left waiting forever) are recorded, not thrown from actors: after the
// engine has run, check() throws them as InputErrors naming the trace file and node.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "sim/config/scenario.h"
#include "sim/engine/progress.h"
#include "sim/executor/records.h"
#include "sim/platform/topology.h"
#include "sim/workload/transformer/roofline.h"

namespace gwsim::executor {

struct ChakraEnvironment {
  const platform::Topology* topology = nullptr;
  std::vector<simgrid::s4u::Host*> hosts;  // every accelerator's host, by accelerator index
  config::CollectiveLibrary library;
  double compute_speed = 1;  // below 1 when a power cap binds
  bool scale_up_in_network = false;
  bool scale_out_in_network = false;
  // From the catalog accelerator, when the platform names one: roofline timing, the fallback for
  // nodes without a recorded duration, and memory nodes need it.
  std::optional<workload::transformer::Roofline> roofline;
  // One accelerator's dense peak, for MFU: the roofline's precision when there is one, else the
  // platform's peak_flop_rate.
  FlopsPerSecond peak;
};

class ChakraJob {
 public:
  ChakraJob(int job_index, const std::string& name, const config::ChakraJobSpec& spec,
            ChakraEnvironment environment, engine::WorkCounter* work);
  ~ChakraJob();

  // Creates the ranks' actors. Call before the engine runs.
  void start();

  // After the engine has run: throws gwsim::InputError if a trace was malformed or ranks were left
  // blocked (a send without its receive, a collective some members never reach).
  void check() const;

  JobRecord job_record() const;
  std::vector<StepRecord> step_records() const;
  StepBreakdown breakdown(int step) const;
  // The most nodes any rank held in its window at once.
  size_t peak_window() const;

 private:
  struct JobState;
  std::shared_ptr<JobState> state_;
};

}  // namespace gwsim::executor
