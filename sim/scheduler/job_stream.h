// The jobs of a site-scale run, as a list in arrival order: replayed from a trace or drawn from a
// seeded generator (scenario.proto, JobStream). Plain C++, no SimGrid.
//
// Generator: arrivals are a Poisson process (exponential gaps of mean mean_interarrival) from time
// 0 until the run's duration; each job takes a class with probability proportional to its weight,
// and a run time at full speed exp(ln(median) + sigma * Z), drawn again while above max_duration;
// its steps are ceil(run time / its shape's step time). All draws come from the stream
// "job_stream/generator" of the master seed, in the order gap, class, run time, so the same seed
// gives the same jobs.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/config/scenario.h"
#include "sim/core/units.h"

namespace gwsim::scheduler {

struct SiteJob {
  int id = 0;  // position in arrival order
  Seconds submit;
  int nodes = 0;
  int64_t steps = 0;
  int shape = 0;  // index into JobStreamSpec::shapes
};

// The stream's jobs that arrive before its duration, in arrival order.
std::vector<SiteJob> stream_jobs(const config::JobStreamSpec& stream, uint64_t seed);

}  // namespace gwsim::scheduler
