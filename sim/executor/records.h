// What the executor records of each job and step (plain C++; written to HDF5 by sim/output).
#pragma once

#include <string>

#include "sim/core/units.h"

namespace gwsim::executor {

// A compute op's wait counts as pipeline bubble when a pipeline receive lies among its dependencies
// this many steps back at most and finished after the wait began (with sequence parallelism a
// backward block waits on its input's all-gather, which follows the all-gather of the received
// gradient): the transformer executor and the Chakra replay both use it.
constexpr int kPipelineWaitDepth = 3;

struct JobRecord {
  int job = 0;  // index in the scenario's job list
  std::string name;
  int ranks = 0;
  int first_accelerator = 0;
  int steps = 0;
  Seconds start;      // simulated time the job started
  Seconds end;        // simulated time its last step ended
  double tokens = 0;  // tokens processed over all steps
  Flops work;         // useful FLOPs over all steps and ranks (without the efficiency loss)
};

// One training step of one job. The step ends when the last rank finishes its gradient all-reduce;
// the next step starts there. compute is the longest compute phase of any rank in the step (the
// slowest rank is the one everyone waits for); exposed_comm is the rest of the step, communication
// not hidden behind compute (and, for a pipelined job, not the bubble: the time its compute waited
// on pipeline receives).
struct StepRecord {
  int job = 0;
  int step = 0;
  Seconds start;
  Seconds end;
  Seconds compute;
  Seconds exposed_comm;
  Seconds bubble;     // pipeline bubble (transformer jobs); 0 for data-parallel jobs
  double tokens = 0;  // tokens the step trains on
  Flops model_flops;  // model FLOPs of the step over all ranks (recomputation included)
  int ranks = 0;
  FlopsPerSecond peak;  // one accelerator's dense peak at the job's precision
  Seconds duration() const { return end - start; }
  double tokens_per_s() const { return tokens / duration().value(); }
  double tflops_per_gpu() const { return model_flops.value() / duration().value() / ranks / 1e12; }
  double mfu() const { return model_flops.value() / duration().value() / ranks / peak.value(); }
};

// What one iteration looked like, for `gwsim step`.
struct StepBreakdown {
  Seconds step_time;
  Seconds compute;
  Seconds exposed_comm;
  Seconds bubble;
  double tflops_per_gpu = 0;  // model FLOPs (recomputation included) per second per accelerator
  double mfu = 0;             // the same over the accelerator's dense peak
  double tokens_per_s = 0;
  Bytes memory_per_rank;  // the largest of the stages
  bool fits_hbm = true;
  int simulated_ranks = 0;
};

}  // namespace gwsim::executor
