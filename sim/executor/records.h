// What the executor records of each job and step (plain C++; written to HDF5 by sim/output).
#pragma once

#include <string>

#include "sim/core/units.h"

namespace gwsim::executor {

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
// not hidden behind compute.
struct StepRecord {
  int job = 0;
  int step = 0;
  Seconds start;
  Seconds end;
  Seconds compute;
  Seconds exposed_comm;
};

}  // namespace gwsim::executor
