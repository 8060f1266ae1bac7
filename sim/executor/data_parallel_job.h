// A data-parallel training job: every rank computes its share of the step, then all ranks
// all-reduce the gradients over a ring; no overlap of the two (the workload issue adds overlap,
// pipelines and the rest).
#pragma once

#include <memory>
#include <vector>

#include <simgrid/s4u/Host.hpp>

#include "sim/config/scenario.h"
#include "sim/engine/progress.h"
#include "sim/executor/records.h"

namespace gwsim::executor {

// What the job needs to know of its surroundings besides its spec.
struct JobEnvironment {
  // Speed fraction in (0, 1] at which its accelerators compute: below 1 when a power cap binds
  // (power::AcceleratorPowerModel::capped_speed); each compute phase takes 1 / compute_speed as
  // long.
  double compute_speed = 1;
  // Latency of the route from rank r to rank r + 1 (mod ranks), for the fluid all-reduce; empty
  // at step fidelity.
  std::vector<Seconds> edge_latency;
};

class DataParallelJob {
 public:
  // `hosts` are the job's ranks in order. `work` (may be null) counts finished steps for progress.
  DataParallelJob(int job_index, const std::string& name, const config::DataParallelJobSpec& spec,
                  std::vector<simgrid::s4u::Host*> hosts, uint64_t master_seed,
                  engine::WorkCounter* work, JobEnvironment environment = {});
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
