// Runs a scenario at job resolution (platform.resolution: job): the job stream through the site
// scheduler (sim/scheduler), then the site power series through the facility chain. No SimGrid
// engine is created, so it may be called more than once per process.
#pragma once

#include <optional>

#include "sim/config/scenario.h"
#include "sim/facility/facility.h"
#include "sim/scheduler/site_simulation.h"

namespace gwsim::run {

struct SiteRunResult {
  scheduler::SiteResult site;
  std::optional<facility::FacilityResult> facility;  // when the scenario has a facility
  double wall_s = 0;
};

// REQUIRES scenario.job_stream (the loader sets it at job resolution).
SiteRunResult run_site(const config::Scenario& scenario);

}  // namespace gwsim::run
