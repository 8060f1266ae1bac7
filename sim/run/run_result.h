// Everything one run produced, in plain C++: what sim/output writes and the CLI summarises.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/units.h"
#include "sim/executor/records.h"
#include "sim/facility/facility.h"
#include "sim/power/accelerator_power.h"
#include "sim/power/power_series.h"

namespace gwsim::run {

struct AcceleratorRecord {
  int accelerator = 0;
  std::string name;  // SimGrid host name, "n<node>.a<index>"
  int node = 0;
  Joules energy;  // from time 0 to the end of the run
};

struct RunResult {
  std::vector<executor::JobRecord> jobs;
  std::vector<executor::StepRecord> steps;
  // Per transformer job, in job order: the breakdown of its first step (`gwsim step`).
  std::vector<executor::StepBreakdown> transformer_steps;
  // Per Chakra replay, in job order: the breakdown of its first step, and the most trace nodes one
  // of its ranks held at once (bounded by its window: sim/executor/chakra_window.h).
  std::vector<executor::StepBreakdown> chakra_steps;
  std::vector<uint64_t> chakra_peak_window;
  std::vector<AcceleratorRecord> accelerators;
  power::ActivityTimes activity_times;  // summed over all accelerators, from 0 to the end
  Joules node_overhead_energy;          // all nodes' power besides their accelerators, over the run
  std::optional<power::PowerSeries> site_power;
  std::optional<facility::FacilityResult> facility;  // when the scenario has a facility
  Seconds simulated_time;                            // when the last actor ended
  double wall_s = 0;    // wall time of the simulation (engine set-up, build and run)
  uint64_t events = 0;  // completed SimGrid activities
  std::string simgrid_version;
};

}  // namespace gwsim::run
