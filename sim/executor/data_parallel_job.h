// A data-parallel training job described by its totals: every rank computes its share of the step,
// then all ranks all-reduce the gradients through sim/network's collective runner (algorithm and
// protocol chosen for the group by the platform's collective library, as for transformer jobs); no
// overlap of the two. Transformer jobs (transformer_job.h) model layers, pipelines and overlap.
#pragma once

#include <memory>
#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "sim/config/collective_library.h"
#include "sim/config/scenario.h"
#include "sim/engine/progress.h"
#include "sim/executor/records.h"
#include "sim/platform/topology.h"

namespace gwsim::executor {

// What the job needs to know of its surroundings besides its spec.
struct JobEnvironment {
  // Speed fraction in (0, 1] at which its accelerators compute: below 1 when a power cap binds
  // (power::AcceleratorPowerModel::capped_speed); each compute phase takes 1 / compute_speed as
  // long.
  double compute_speed = 1;
  // Where the ranks are, for the gradient all-reduce: the topology its hosts were built from, the
  // library that prices its protocols, and whether switches can reduce in the network.
  const platform::Topology* topology = nullptr;
  config::CollectiveLibrary library;
  bool scale_up_in_network = false;
  bool scale_out_in_network = false;
};

class DataParallelJob {
 public:
  // `hosts` are the job's ranks in order, accelerators spec.first_accelerator onwards of
  // environment.topology. `work` (may be null) counts finished steps for progress.
  DataParallelJob(int job_index, const std::string& name, const config::DataParallelJobSpec& spec,
                  std::vector<simgrid::s4u::Host*> hosts, uint64_t master_seed,
                  engine::WorkCounter* work, JobEnvironment environment);
  ~DataParallelJob();

  // Creates one actor per rank. Call before the engine runs.
  void start();

  // After the engine has run: the job and its steps.
  JobRecord job_record() const;
  std::vector<StepRecord> step_records() const;

 private:
  struct JobState;
  std::shared_ptr<JobState> state_;
};

}  // namespace gwsim::executor
