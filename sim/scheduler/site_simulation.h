// The site at job resolution: a queue of jobs placed on whole nodes, each running job advancing at
// its shape's step rate, the power caps and the grid limit fed back into those rates, and the
// site's IT power accounted exactly (docs/site.md). Plain C++: a discrete-event loop with no
// SimGrid, since at this resolution nothing shares a resource that SimGrid would solve for (see
// docs/site.md, "Why not SimGrid").
//
// Events: a job arrives; a job ends; the hour turns (when the grid limit feeds back: the IT power
// that fits under it is re-evaluated for the next hour from the weather). At each event the
// running jobs are advanced to the event's time, ended jobs free their nodes, the queue policy
// starts what it can, and the per-accelerator cap and every running job's rate and power are set
// again:
//   budget = min(site_it_power_cap, IT limit of the hour)
//   cap    = min(accelerator_power_cap,
//                (budget - nodes * node_overhead - idle accelerators * P_idle) / running
//                accelerators)
// so the budget left after node overheads and idle accelerators is split evenly over the running
// ones (each then runs at the speed that cap allows, step_rate.h). A job starts only if the cap
// stays feasible with it running (power-aware admission); a limit that falls below what the
// running jobs can meet at their lowest speed is recorded as infeasible time.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/config/scenario.h"
#include "sim/core/units.h"
#include "sim/facility/it_limit.h"
#include "sim/power/accelerator_power.h"
#include "sim/power/power_ledger.h"
#include "sim/power/power_series.h"
#include "sim/scheduler/job_stream.h"

namespace gwsim::scheduler {

struct SiteOptions {
  int nodes = 0;
  int accelerators_per_node = 0;
  power::AcceleratorPowerModel accelerator;  // without a cap; cap_curve set when a cap can bind
  Watts node_overhead;                       // per node, always drawn
  std::optional<Watts> accelerator_cap;
  std::optional<Watts> site_it_cap;
  const facility::ItPowerLimit* grid = nullptr;  // feeds back when it is active
  Seconds limit_interval{3600};                  // how often the grid's IT limit is re-evaluated
  std::vector<config::JobShapeSpec> shapes;
  config::QueuePolicy policy = config::QueuePolicy::kFifo;
  Seconds duration;
  std::optional<power::SampleWindow> window;  // the site IT power series
};

struct SiteJobRecord {
  int job = 0;
  int shape = 0;
  Seconds submit;
  std::optional<Seconds> start;  // unset: never started
  std::optional<Seconds> end;    // unset: not finished by the end of the run
  int nodes = 0;
  int first_node = -1;  // lowest node it ran on (-1: never started)
  int accelerators = 0;
  int64_t steps = 0;
  double steps_done = 0;
  Joules accelerator_energy;  // its accelerators, from start to end (or the run's end)
  Joules node_energy;         // its nodes' overheads over the same time
};

struct SiteResult {
  std::vector<SiteJobRecord> jobs;  // in arrival order
  std::optional<power::PowerSeries> site_power;
  Joules accelerator_energy;  // all accelerators over the run
  Joules node_overhead_energy;
  Joules it_energy;        // accelerators + node overheads
  Watts peak_it_power;     // highest instantaneous IT power
  double utilization = 0;  // busy accelerator-time / (accelerators * duration)
  int completed = 0;
  int started = 0;
  Seconds mean_wait;        // start - submit over the started jobs
  Seconds throttled_time;   // time some running job computed below full speed
  Seconds infeasible_time;  // time the caps could not be met even at the lowest speed
  double min_speed = 1;     // lowest compute speed any running job had
  uint64_t events = 0;
};

SiteResult simulate_site(const SiteOptions& options, const std::vector<SiteJob>& jobs);

}  // namespace gwsim::scheduler
