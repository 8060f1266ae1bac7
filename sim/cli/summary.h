// The short human summary that `gwsim run` prints on stdout.
#pragma once

#include <string>

#include "sim/config/scenario.h"
#include "sim/run/run_result.h"

namespace gwsim::cli {

std::string summarize(const config::Scenario& scenario, const run::RunResult& result);

}  // namespace gwsim::cli
