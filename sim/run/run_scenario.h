// Runs a scenario: builds the platform, starts the jobs, runs SimGrid and collects the results.
// This is the one place that wires the layers together; it creates the process's SimGrid engine, so
// call it at most once per process.
#pragma once

#include "sim/config/scenario.h"
#include "sim/engine/progress.h"
#include "sim/run/run_result.h"

namespace gwsim::run {

RunResult run_scenario(const config::Scenario& scenario, engine::ProgressSink* progress = nullptr);

}  // namespace gwsim::run
