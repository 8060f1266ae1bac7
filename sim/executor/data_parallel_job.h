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

class DataParallelJob {
 public:
  // `hosts` are the job's ranks in order. `work` (may be null) counts finished steps for progress.
  DataParallelJob(int job_index, const std::string& name, const config::DataParallelJobSpec& spec,
                  std::vector<simgrid::s4u::Host*> hosts, uint64_t master_seed,
                  engine::WorkCounter* work);
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
