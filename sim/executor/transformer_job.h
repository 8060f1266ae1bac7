// A transformer training job on SimGrid: every simulated rank plays its pipeline stage's DAG
// (sim/workload/transformer/rank_dag.h) with one actor per stream, so compute, the collectives on
// the critical path, pipeline transfers and gradient reductions overlap as the DAG allows.
//
// - Compute ops take their roofline time (sim/workload/transformer/roofline.h) as work on the
//   rank's host, slowed by a binding power cap.
// - Collectives go through sim/network's runners (automatic algorithm and protocol per group and
//   size), one communicator per group of ranks; pipeline sends are asynchronous and receives wait.
// - Symmetric ranks (symmetric_ranks_possible): only local rank 0 of each tensor-parallel group is
//   simulated, its tensor-parallel collectives take their closed form (exact for the algorithms
//   the cost model picks on an idle switch, and nothing else uses a node's scale-up links), and the
//   other accelerators of the node mirror its power. tests/executor checks that the two agree.
//
// Each iteration's record: from the first rank's first op to the last rank's last; compute, bubble
// and exposed communication are those of the rank that ends last (its compute stream's busy time,
// its waits on pipeline receives, and the rest).
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
#include "sim/workload/transformer/rank_dag.h"
#include "sim/workload/transformer/roofline.h"

namespace gwsim::executor {

struct TransformerEnvironment {
  const platform::Topology* topology = nullptr;
  std::vector<simgrid::s4u::Host*> hosts;  // every accelerator's host, by accelerator index
  config::CollectiveLibrary library;
  double compute_speed = 1;  // below 1 when a power cap binds
  std::optional<Bytes> hbm_capacity;
  bool scale_up_in_network = false;   // the scale-up switch reduces (in_network all-reduce)
  bool scale_out_in_network = false;  // the scale-out switches reduce (SHARP)
  // Simulate one rank per tensor-parallel group (symmetric_ranks_possible held, and the topology
  // was built with shared links scaled to one accelerator's share).
  bool symmetric_ranks = false;
};

// Whether a job may simulate one rank per tensor-parallel group with a topology whose links shared
// by a node's accelerators are scaled to 1 / accelerators_per_node: the job is alone on the
// platform, asks for it, and each tensor-parallel group fills one whole node (tp =
// accelerators_per_node, tensor parallelism innermost in the rank order), at accelerator
// resolution, on a switch, fat-tree or building/site fabric (a dragonfly attaches a node's NICs to
// different routers, so their traffic is not alike). Then every accelerator of a node does what its
// local rank 0 does, at the same times: its own links carry identical traffic, and a shared link
// carries accelerators_per_node identical copies, each of which max-min sharing gives the same
// share.
// The rank-DAG options the job asks for (schedule, overlaps, attention core); no HBM capacity.
// The executor, `gwsim chakra` and the tests build their DAGs with it, so that an exported job is
// the job that runs.
workload::transformer::RankDagOptions rank_dag_options(const config::TransformerJobSpec& job);

bool symmetric_ranks_possible(const config::TransformerJobSpec& job,
                              const config::PlatformSpec& platform, size_t jobs);

class TransformerJob {
 public:
  TransformerJob(int job_index, const std::string& name, const config::TransformerJobSpec& spec,
                 const workload::transformer::Roofline& roofline,
                 TransformerEnvironment environment, engine::WorkCounter* work);
  ~TransformerJob();

  // Creates the ranks' actors. Call before the engine runs.
  void start();

  // Hosts whose power mirrors another's (symmetric ranks): pairs (mirror, simulated).
  std::vector<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>> mirrored_hosts() const;

  // After the engine has run.
  JobRecord job_record() const;
  std::vector<StepRecord> step_records() const;
  StepBreakdown breakdown(int step) const;

 private:
  struct JobState;
  std::shared_ptr<JobState> state_;
};

}  // namespace gwsim::executor
